//! Share links: the workflow travels in the URL fragment, never in a request.
//!
//! Format: `#v1:<payload>` where payload = base64url (no padding) of raw DEFLATE (RFC 1951, via the
//! pure-Rust `miniz_oxide`, best compression) of the compact JSON of the envelope, with a preset
//! dictionary of common ASL text (`dictionary-v1.txt`, frozen: links depend on it byte for byte). A
//! definition whose text is in the canonical pretty form travels as a JSON value (`"d": {...}`) and is
//! re-rendered on decode, byte for byte; any other text travels as a string, exactly as typed.
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

/// The wire form: like the envelope, with short keys. `d` is the definition: a JSON value when the
/// text is the canonical rendering of that value, else the text as a string.
#[derive(Serialize, Deserialize)]
struct Wire {
    d: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    i: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    m: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    t: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    v: Option<ShareView>,
}

/// Preset dictionary of the v1 format. FROZEN: every v1 link depends on these exact bytes.
const DICTIONARY_V1: &[u8] = include_bytes!("dictionary-v1.txt");

/// Deepest definition sent as a value (deeper ones go as text, well within the JSON parser's limit).
const MAX_VALUE_DEPTH: usize = 64;

fn depth_within(v: &Value, limit: usize) -> bool {
    let mut stack = vec![(v, 0usize)];
    while let Some((v, d)) = stack.pop() {
        if d > limit {
            return false;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter().map(|x| (x, d + 1))),
            Value::Object(o) => stack.extend(o.values().map(|x| (x, d + 1))),
            _ => {}
        }
    }
    true
}

/// Raw DEFLATE of `data` with the compressor primed on `dict` (the dictionary's own output, which ends
/// with a sync flush on a byte boundary, is dropped).
fn deflate_with_dictionary(data: &[u8], dict: &[u8]) -> Vec<u8> {
    use miniz_oxide::deflate::core::{
        CompressorOxide, TDEFLFlush, compress_to_output, create_comp_flags_from_zip_params,
    };
    let mut c = CompressorOxide::new(create_comp_flags_from_zip_params(10, -15, 0));
    let _ = compress_to_output(&mut c, dict, TDEFLFlush::Sync, |_| true);
    let mut out = Vec::new();
    let _ = compress_to_output(&mut c, data, TDEFLFlush::Finish, |chunk| {
        out.extend_from_slice(chunk);
        true
    });
    out
}

/// Inflates raw DEFLATE whose back-references may reach into `dict`, producing at most `limit` bytes.
fn inflate_with_dictionary(input: &[u8], dict: &[u8], limit: usize) -> Result<Vec<u8>, ShareError> {
    use miniz_oxide::inflate::TINFLStatus;
    use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};
    let max = dict.len() + limit;
    let mut out = vec![0u8; (dict.len() + input.len().saturating_mul(4).max(1024)).min(max)];
    out[..dict.len()].copy_from_slice(dict);
    let mut r = DecompressorOxide::new();
    let (mut in_pos, mut out_pos) = (0, dict.len());
    loop {
        let rest = input.get(in_pos..).unwrap_or_default();
        let (status, consumed, written) = decompress(
            &mut r,
            rest,
            &mut out,
            out_pos,
            inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
        );
        in_pos += consumed;
        out_pos += written;
        match status {
            TINFLStatus::Done => break,
            TINFLStatus::HasMoreOutput => {
                if out.len() >= max {
                    return Err(ShareError::TooLarge);
                }
                let grown = out.len().saturating_mul(2).min(max);
                out.resize(grown, 0);
            }
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                return Err(ShareError::Truncated);
            }
            _ => return Err(ShareError::Corrupt),
        }
    }
    Ok(out.get(dict.len()..out_pos).unwrap_or_default().to_vec())
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
    let doc = Document::new(envelope.definition.as_str());
    let d = match doc.value() {
        Some(v) if doc.is_canonical() && depth_within(v, MAX_VALUE_DEPTH) => v.clone(),
        _ => Value::String(envelope.definition.clone()),
    };
    let wire = Wire {
        d,
        i: envelope.input.clone(),
        m: envelope.mocks.clone(),
        t: envelope.test_cases.clone(),
        v: envelope.view.clone(),
    };
    let json = serde_json::to_vec(&wire).unwrap_or_default();
    let packed = deflate_with_dictionary(&json, DICTIONARY_V1);
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
    let json = inflate_with_dictionary(&packed, DICTIONARY_V1, MAX_INFLATED_BYTES)?;
    let text = String::from_utf8(json).map_err(|_| ShareError::InvalidUtf8)?;
    let wire: Wire =
        serde_json::from_str(&text).map_err(|e| ShareError::BadEnvelope(e.to_string()))?;
    let definition = match wire.d {
        Value::String(s) => s,
        v @ Value::Object(_) => render(&v),
        _ => {
            return Err(ShareError::BadEnvelope(
                "the definition is neither text nor an object".into(),
            ));
        }
    };
    Ok(ShareEnvelope {
        definition,
        input: wire.i,
        mocks: wire.m,
        test_cases: wire.t,
        view: wire.v,
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

    const FROZEN_HASH: u64 = 0x5646_1b0a_fd4b_aa8f;
    const OLD_LINK: &str =
        "#v1:fdixDQAgEALAVQxjOIFDUPodift3kmg033xLwbWEC35jhLQSdJJCe4WE50cQvRH-NTQJGxs";

    #[test]
    fn the_v1_dictionary_is_frozen() {
        // FNV-1a of the dictionary: if this fails, the dictionary changed and every v1 link broke.
        let hash = DICTIONARY_V1
            .iter()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            });
        assert_eq!((DICTIONARY_V1.len(), hash), (4626, FROZEN_HASH));
    }

    /// A link made by this codec when v1 was introduced; it must decode forever.
    #[test]
    fn an_old_link_still_decodes() {
        let env = decode(OLD_LINK).unwrap();
        assert_eq!(
            env.definition,
            "{\n  \"StartAt\": \"Hello\",\n  \"States\": {\n    \"Hello\": {\n      \"Type\": \"Pass\",\n      \"End\": true\n    }\n  }\n}\n"
        );
        assert_eq!(env.input.as_deref(), Some("{\"name\": \"world\"}"));
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
        let packed = deflate_with_dictionary(&bomb, DICTIONARY_V1);
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
            // the same text made non-canonical (one trailing space) is stored as typed, not minified
            let as_typed = encode(&envelope(&format!("{text} "))).len();
            println!(
                "{n} states: {} bytes of ASL -> link fragment of {} chars ({as_typed} without minifying)",
                text.len(),
                frag.len()
            );
            sizes.push(frag.len());
        }
        assert!(sizes[1] <= 2000, "30-state link is {} chars", sizes[1]);
        // a varied 30-state workflow built from the palette (every service template, both languages)
        let mut doc = Document::new(
            "{\"StartAt\": \"Start\", \"States\": {\"Start\": {\"Type\": \"Pass\", \"End\": true}}}",
        );
        let mut last = "Start".to_string();
        let entries: Vec<_> = crate::catalog::catalog()
            .iter()
            .filter(|e| !e.is_flow())
            .collect();
        for i in 0..29 {
            let entry = entries[i % entries.len()];
            let opts = crate::catalog::NewStateOptions {
                query_language: if i % 2 == 0 {
                    crate::QueryLanguage::JSONPath
                } else {
                    crate::QueryLanguage::JSONata
                },
                mark_query_language: true,
                ..Default::default()
            };
            let s = crate::catalog::new_state(entry, &opts, &doc.state_names()).unwrap();
            crate::edit::apply(
                &mut doc,
                crate::Edit::AddState {
                    scope: vec![],
                    name: s.name.clone(),
                    state: s.state,
                    after: Some(last),
                },
            )
            .unwrap();
            last = s.name;
        }
        if let Ok(path) = std::env::var("STUDIO_DUMP_PALETTE") {
            std::fs::write(path, doc.text()).unwrap();
        }
        let frag = encode(&envelope(doc.text()));
        println!(
            "palette workflow, 30 states: {} bytes -> {} chars",
            doc.text().len(),
            frag.len()
        );
        assert!(frag.len() <= 2000, "{}", frag.len());
        // less regular workflows: random shapes with nesting
        for seed in [1, 2, 3] {
            let def = testgen::definition(&mut Rng::new(seed), 14, 2);
            let text = render(&def);
            let states = crate::FlowGraph::from_definition(&def).nodes.len();
            let frag = encode(&envelope(&text));
            println!(
                "random workflow, {states} states: {} bytes -> {} chars",
                text.len(),
                frag.len()
            );
        }
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
