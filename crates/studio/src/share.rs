//! Share links: the workflow travels in the URL fragment, never in a request.
//!
//! Format: `#v1:<payload>` where payload = base64url (no padding) of raw DEFLATE (RFC 1951, via the
//! pure-Rust `miniz_oxide`, best compression) of the compact JSON of a [`ShareEnvelope`]. A definition
//! whose text is in the canonical pretty form is stored minified with `"pretty": true` and re-rendered
//! on decode, byte for byte; any other text is stored exactly as typed.
//!
//! Decoding is bounded: the payload is capped at [`MAX_PAYLOAD_CHARS`] before decoding and the inflated
//! data at [`MAX_INFLATED_BYTES`] while inflating, so an inflation bomb stops after 2 MiB of output.
//! Every bad input gives a [`ShareError`] with a message meant for the person who pasted the link.

use crate::document::{Document, render};
use crate::geometry::Viewport;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The envelope version written by [`encode`].
pub const VERSION: u32 = 1;
/// Largest payload (characters after `#v1:`) accepted for decoding.
pub const MAX_PAYLOAD_CHARS: usize = 4 * 1024 * 1024;
/// Largest inflated envelope accepted (2 MiB).
pub const MAX_INFLATED_BYTES: usize = 2 * 1024 * 1024;

/// What a link carries: the definition text, and optionally the run setup and the view.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShareEnvelope {
    /// The ASL text exactly as the author had it.
    pub definition: String,
    /// The execution input, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// Mocked service responses (a Step Functions Local MockConfigFile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mocks: Option<Value>,
    /// The author's test cases (names, inputs, expectations), kept as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_cases: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<ShareView>,
}

/// How the link opens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShareView {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewport: Option<Viewport>,
    /// Open read-only (the reviewer can still run the test cases).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// A state to select on open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
}

/// The wire form: like the envelope, with the definition possibly minified.
#[derive(Serialize, Deserialize)]
struct Wire {
    #[serde(rename = "d")]
    definition: String,
    /// True when `d` is minified JSON to be re-rendered in the canonical pretty form.
    #[serde(default, skip_serializing_if = "std::ops::Not::not", rename = "p")]
    pretty: bool,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "i")]
    input: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "m")]
    mocks: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "t")]
    test_cases: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "v")]
    view: Option<ShareView>,
}

/// Why a link could not be opened. The current document is never touched by a failed decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// Nothing after the `#`.
    Empty,
    /// Not of the form `#v<N>:<payload>`.
    NotALink,
    /// Made by a newer (or unknown) version of Statewright.
    UnsupportedVersion(String),
    /// The payload is longer than [`MAX_PAYLOAD_CHARS`].
    TooLong { chars: usize },
    /// A character that is not base64url, at this position of the payload.
    BadCharacter { position: usize, character: char },
    /// The payload ends in the middle of the data (cut off when copied).
    Truncated,
    /// The compressed data is damaged.
    Corrupt,
    /// The workflow inflates beyond [`MAX_INFLATED_BYTES`].
    TooLarge,
    /// The content is not UTF-8 text.
    InvalidUtf8,
    /// The content is not a share envelope.
    BadEnvelope(String),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::Empty => write!(f, "the link carries no workflow"),
            ShareError::NotALink => write!(
                f,
                "this is not a Statewright share link (expected #v1:... after the address)"
            ),
            ShareError::UnsupportedVersion(v) => write!(
                f,
                "this link was made by a newer Statewright (format {v}); this one reads v{VERSION}"
            ),
            ShareError::TooLong { chars } => write!(
                f,
                "the link is too long ({chars} characters; at most {MAX_PAYLOAD_CHARS})"
            ),
            ShareError::BadCharacter {
                position,
                character,
            } => write!(
                f,
                "the link is damaged: unexpected {character:?} at position {position} of the payload"
            ),
            ShareError::Truncated => {
                write!(
                    f,
                    "the link is incomplete; it was probably cut off when copied"
                )
            }
            ShareError::Corrupt => write!(f, "the link is damaged: its data does not decompress"),
            ShareError::TooLarge => write!(
                f,
                "the linked workflow is larger than {} MiB once unpacked",
                MAX_INFLATED_BYTES / (1024 * 1024)
            ),
            ShareError::InvalidUtf8 => write!(f, "the link is damaged: its content is not text"),
            ShareError::BadEnvelope(m) => write!(f, "the link's content is not a workflow: {m}"),
        }
    }
}

impl std::error::Error for ShareError {}

/// The URL fragment (with the leading `#`) carrying an envelope.
pub fn encode(envelope: &ShareEnvelope) -> String {
    let canonical_value = Document::new(envelope.definition.as_str());
    let (definition, pretty) = match canonical_value.value() {
        Some(v) if canonical_value.is_canonical() => {
            (serde_json::to_string(v).unwrap_or_default(), true)
        }
        _ => (envelope.definition.clone(), false),
    };
    let wire = Wire {
        definition,
        pretty,
        input: envelope.input.clone(),
        mocks: envelope.mocks.clone(),
        test_cases: envelope.test_cases.clone(),
        view: envelope.view.clone(),
    };
    let json = serde_json::to_vec(&wire).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 10);
    format!("#v{VERSION}:{}", base64url_encode(&packed))
}

/// A full link: `base` (the page address, any fragment dropped) plus the fragment.
pub fn link(base: &str, envelope: &ShareEnvelope) -> String {
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}{}", encode(envelope))
}

/// Reads an envelope from a link, a fragment (`#v1:...`) or a bare `v1:...`.
pub fn decode(link: &str) -> Result<ShareEnvelope, ShareError> {
    let fragment = match link.rfind('#') {
        Some(i) => &link[i + 1..],
        None => link,
    };
    let fragment = fragment.trim();
    if fragment.is_empty() {
        return Err(ShareError::Empty);
    }
    let Some((version, payload)) = fragment.split_once(':') else {
        return Err(ShareError::NotALink);
    };
    let Some(number) = version
        .strip_prefix('v')
        .or_else(|| version.strip_prefix('V'))
    else {
        return Err(ShareError::NotALink);
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ShareError::NotALink);
    }
    if number != "1" {
        return Err(ShareError::UnsupportedVersion(format!("v{number}")));
    }
    let chars = payload.chars().count();
    if chars > MAX_PAYLOAD_CHARS {
        return Err(ShareError::TooLong { chars });
    }
    if payload.is_empty() {
        return Err(ShareError::Empty);
    }
    let packed = base64url_decode(payload)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            miniz_oxide::inflate::TINFLStatus::FailedCannotMakeProgress => ShareError::Truncated,
            _ => ShareError::Corrupt,
        })?;
    let text = String::from_utf8(json).map_err(|_| ShareError::InvalidUtf8)?;
    let wire: Wire =
        serde_json::from_str(&text).map_err(|e| ShareError::BadEnvelope(e.to_string()))?;
    let definition = if wire.pretty {
        let v: Value = serde_json::from_str(&wire.definition)
            .map_err(|e| ShareError::BadEnvelope(format!("definition: {e}")))?;
        render(&v)
    } else {
        wire.definition
    };
    Ok(ShareEnvelope {
        definition,
        input: wire.input,
        mocks: wire.mocks,
        test_cases: wire.test_cases,
        view: wire.view,
    })
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let digits = chunk.len() + 1;
        for i in 0..digits {
            let idx = ((n >> (18 - 6 * i)) & 63) as usize;
            out.push(char::from(ALPHABET[idx]));
        }
    }
    out
}

/// Decodes base64url; also accepts the standard alphabet (`+`, `/`) and trailing `=` padding, which
/// some chat tools produce when they rewrite links.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, ShareError> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (position, ch) in text.chars().enumerate() {
        let v = match ch {
            'A'..='Z' => ch as u32 - 'A' as u32,
            'a'..='z' => ch as u32 - 'a' as u32 + 26,
            '0'..='9' => ch as u32 - '0' as u32 + 52,
            '-' | '+' => 62,
            '_' | '/' => 63,
            _ => {
                return Err(ShareError::BadCharacter {
                    position,
                    character: ch,
                });
            }
        };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        // one leftover character cannot encode a byte
        return Err(ShareError::Truncated);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testgen::{self, Rng};
    use proptest::prelude::*;
    use serde_json::json;

    fn envelope(definition: &str) -> ShareEnvelope {
        ShareEnvelope {
            definition: definition.to_string(),
            ..ShareEnvelope::default()
        }
    }

    #[test]
    fn base64url_known_vectors() {
        for (raw, enc) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url_encode(raw.as_bytes()), enc);
            assert_eq!(base64url_decode(enc).unwrap(), raw.as_bytes());
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8").unwrap(), [0xfb, 0xff]);
        assert_eq!(base64url_decode("+/8=").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn round_trip_keeps_the_exact_text_and_everything_else() {
        let pretty = render(
            &json!({"Comment": "é ✓", "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Z": 1, "B": 2}}}),
        );
        let typed = "{ \"StartAt\":\"A\" ,\"States\":{\"A\":{\"Type\":\"Succeed\"}}}\n\n";
        let broken = "{ \"StartAt\": ";
        for def in [pretty.as_str(), typed, broken, ""] {
            let env = ShareEnvelope {
                definition: def.to_string(),
                input: Some("{\"x\": 1}".into()),
                mocks: Some(json!({"StateMachines": {}})),
                test_cases: Some(json!([{"name": "happy", "input": {"x": 1}}])),
                view: Some(ShareView {
                    viewport: Some(Viewport {
                        x: 1.5,
                        y: -2.0,
                        zoom: 0.75,
                    }),
                    read_only: true,
                    selected: Some("A".into()),
                }),
            };
            let frag = encode(&env);
            assert!(frag.starts_with("#v1:"));
            assert!(
                frag[4..]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            );
            assert_eq!(decode(&frag).unwrap(), env);
            assert_eq!(
                decode(&link("https://statewright.dev/app?x=1#old", &env)).unwrap(),
                env
            );
            assert_eq!(decode(&frag[1..]).unwrap(), env);
        }
    }

    /// One row: input link → expected error.
    fn check_err(input: &str, expected: ShareError) {
        assert_eq!(decode(input), Err(expected.clone()), "{input:?}");
        assert!(!expected.to_string().is_empty());
    }

    #[test]
    fn bad_links_are_typed_errors() {
        let good = encode(&envelope("{\"StartAt\":\"A\",\"States\":{}}"));
        let payload = &good[4..];
        check_err("", ShareError::Empty);
        check_err("https://x.dev/#", ShareError::Empty);
        check_err("#v1:", ShareError::Empty);
        check_err("#hello", ShareError::NotALink);
        check_err("#x1:abc", ShareError::NotALink);
        check_err("#v:abc", ShareError::NotALink);
        check_err("#v2:abc", ShareError::UnsupportedVersion("v2".into()));
        check_err(
            "#v1:ab$c",
            ShareError::BadCharacter {
                position: 2,
                character: '$',
            },
        );
        check_err(
            "#v1:é",
            ShareError::BadCharacter {
                position: 0,
                character: 'é',
            },
        );
        check_err(
            &format!("#v1:{}", &payload[..payload.len() / 2]),
            ShareError::Truncated,
        );
        check_err("#v1:A", ShareError::Truncated);
        check_err("#v1:AAAA", ShareError::Truncated);
        check_err("#v1:____", ShareError::Corrupt);
        check_err(
            &format!(
                "#v1:{}",
                base64url_encode(&miniz_oxide::deflate::compress_to_vec(
                    &[0xff, 0xfe, 0x00],
                    6
                ))
            ),
            ShareError::InvalidUtf8,
        );
        let not_envelope = base64url_encode(&miniz_oxide::deflate::compress_to_vec(b"[1,2]", 6));
        assert!(matches!(
            decode(&format!("#v1:{not_envelope}")),
            Err(ShareError::BadEnvelope(_))
        ));
        let long = format!("#v1:{}", "A".repeat(MAX_PAYLOAD_CHARS + 1));
        check_err(
            &long,
            ShareError::TooLong {
                chars: MAX_PAYLOAD_CHARS + 1,
            },
        );
    }

    #[test]
    fn an_inflation_bomb_is_rejected_early() {
        let bomb = vec![b' '; 100 * 1024 * 1024];
        let packed = miniz_oxide::deflate::compress_to_vec(&bomb, 1);
        drop(bomb);
        let link = format!("#v1:{}", base64url_encode(&packed));
        assert!(
            link.len() < 1_000_000,
            "the bomb link is {} chars",
            link.len()
        );
        check_err(&link, ShareError::TooLarge);
    }

    #[test]
    fn link_sizes_for_generated_workflows() {
        let mut sizes = Vec::new();
        for n in [10, 30, 60] {
            let text = render(&testgen::realistic(n));
            let frag = encode(&envelope(&text));
            assert_eq!(decode(&frag).unwrap().definition, text);
            println!(
                "{n} states: {} bytes of ASL -> link fragment of {} chars",
                text.len(),
                frag.len()
            );
            sizes.push(frag.len());
        }
        assert!(sizes[1] <= 2000, "30-state link is {} chars", sizes[1]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]
        #[test]
        fn random_workflows_round_trip(seed in any::<u64>(), compact in any::<bool>(), input in ".{0,40}") {
            let def = testgen::definition(&mut Rng::new(seed), 6, 2);
            let text = if compact { serde_json::to_string(&def).unwrap() } else { render(&def) };
            let env = ShareEnvelope { definition: text, input: Some(input), ..ShareEnvelope::default() };
            prop_assert_eq!(decode(&encode(&env)).unwrap(), env);
        }

        #[test]
        fn arbitrary_text_round_trips(text in any::<String>()) {
            let env = envelope(&text);
            prop_assert_eq!(decode(&encode(&env)).unwrap(), env);
        }

        #[test]
        fn garbage_never_panics(s in any::<String>()) {
            let _ = decode(&s);
            let _ = decode(&format!("#v1:{s}"));
        }

        #[test]
        fn damaged_payloads_never_panic(seed in any::<u64>(), cut in 0usize..400, flip in 0usize..400) {
            let def = testgen::definition(&mut Rng::new(seed), 6, 1);
            let frag = encode(&envelope(&render(&def)));
            let mut bytes = frag.into_bytes();
            if let Some(b) = bytes.get_mut(4 + flip) {
                *b = if *b == b'A' { b'B' } else { b'A' };
            }
            bytes.truncate(4 + cut);
            let s = String::from_utf8(bytes).unwrap();
            let _ = decode(&s);
        }
    }
}
