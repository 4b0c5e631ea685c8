//! Fuzz target: arbitrary strings → `studio::share::decode` (must never panic); and the same text as a
//! definition must survive `encode` → `decode` unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use studio::share::{ShareEnvelope, decode, encode, link};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = decode(&text);
    let _ = decode(&format!("#v1:{text}"));
    let envelope = ShareEnvelope {
        definition: text.to_string(),
        input: None,
        mocks: None,
        test_cases: None,
        view: None,
    };
    let url = link("https://example.test/", &envelope);
    if let Ok(back) = decode(&url) {
        assert_eq!(
            back.definition, envelope.definition,
            "round trip changed the text"
        );
    }
    let _ = encode(&envelope);
});
