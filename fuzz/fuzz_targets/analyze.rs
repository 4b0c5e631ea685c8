//! Fuzz target: arbitrary bytes → `asl::analyze` (read as JSON or YAML by content), then again forced
//! through the YAML path by prefixing a YAML document marker. It must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let analysis = asl::analyze(&text);
    // Every diagnostic's span must lie inside the text (the editor slices with it).
    for d in &analysis.diagnostics {
        if let Some(span) = &d.span {
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "span {span:?} outside the text"
            );
        }
    }
    let yaml = format!("---\n{text}");
    let _ = asl::analyze(&yaml);
});
