//! `analyze` never panics: arbitrary text, and valid definitions cut or corrupted at any byte.

use proptest::prelude::*;

const BASE: &str = r#"{"Comment":"c","StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"x.$":"States.Format('{}', $.a)","y.$":"$.b[0]"},"Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}],"Next":"B"},"B":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"Next":"C"},"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"D"}],"Default":"D"},"D":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $states.input %}","End":true}}}"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_text(text in "\\PC{0,200}") {
        let _ = asl::analyze(&text);
    }

    #[test]
    fn truncated_definitions(cut in 0..BASE.len()) {
        if BASE.is_char_boundary(cut) {
            let _ = asl::analyze(&BASE[..cut]);
        }
    }

    #[test]
    fn corrupted_definitions(at in 0..BASE.len(), byte in prop::sample::select(vec!['{', '}', '[', ']', '"', ':', ',', '$', '%', '\\', 'x', '1', ' ', '.'])) {
        let mut text = String::from(&BASE[..at]);
        text.push(byte);
        text.push_str(&BASE[at + 1..]);
        let _ = asl::analyze(&text);
    }

    #[test]
    fn yaml_like_text(text in "[a-zA-Z:{}\\[\\]\\-, \\n'\"&*!|>%@]{0,120}") {
        let _ = asl::analyze_with(&text, &asl::Options { format: Some(asl::syntax::Format::Yaml), ..Default::default() });
    }
}

#[test]
fn the_base_definition_is_valid() {
    let a = asl::analyze(BASE);
    assert!(!a.has_errors(), "{:?}", a.diagnostics);
}
