//! Snapshot tests of the diagnostics for a hand-written corpus: `corpus/invalid/` holds one
//! definition per AWS rule (each must produce a diagnostic), `corpus/lints/` one per Statewright
//! lint (each must produce its SW code and no error). One insta snapshot per file, under
//! `corpus/snapshots/`. A file name containing `express` is validated as an EXPRESS machine.

use asl::{MachineType, Options, Severity, analyze_with};
use std::path::{Path, PathBuf};

fn files(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(dir);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

fn render(path: &Path) -> (String, asl::Analysis) {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let options = Options {
        machine_type: if name.contains("express") {
            MachineType::Express
        } else {
            MachineType::Standard
        },
        format: if name.ends_with(".yaml") {
            Some(asl::syntax::Format::Yaml)
        } else {
            Some(asl::syntax::Format::Json)
        },
        ..Options::default()
    };
    let analysis = analyze_with(&text, &options);
    // The diagnostics-only entry point finds exactly the same.
    let validation = asl::validate_with(&text, &options);
    assert_eq!(validation.diagnostics, analysis.diagnostics, "{name}");
    assert_eq!(validation.format, analysis.format, "{name}");
    let mut out = String::new();
    for d in &analysis.diagnostics {
        let (line, col) = d.span.map_or((0, 0), |s| (s.line, s.column));
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(
            "{line}:{col} {severity}[{}] at {:?}: {}\n",
            d.code, d.location, d.message
        ));
    }
    (out, analysis)
}

fn snapshot_name(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy();
    name.trim_end_matches(".json")
        .trim_end_matches(".yaml")
        .trim_end_matches(".asl")
        .to_string()
}

#[test]
fn invalid_corpus() {
    let files = files("invalid");
    assert!(files.len() >= 60, "the corpus has {} files", files.len());
    for path in files {
        let (rendered, analysis) = render(&path);
        let name = snapshot_name(&path);
        if name.contains("warning") {
            assert!(
                !analysis.diagnostics.is_empty() && !analysis.has_errors(),
                "{name} should warn without errors:\n{rendered}"
            );
        } else {
            assert!(analysis.has_errors(), "{name} should be rejected");
        }
        insta::with_settings!({snapshot_path => "corpus/snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, rendered);
        });
    }
}

#[test]
fn lint_corpus() {
    let files = files("lints");
    assert_eq!(files.len(), asl::lints::LINTS.len(), "one example per lint");
    for path in files {
        let (rendered, analysis) = render(&path);
        let name = snapshot_name(&path);
        let code = name.split('-').next().unwrap().to_uppercase();
        assert!(!analysis.has_errors(), "{name}: {rendered}");
        assert!(
            analysis
                .diagnostics
                .iter()
                .any(|d| d.code == code && d.severity == Severity::Warning),
            "{name} should produce {code}:\n{rendered}"
        );
        insta::with_settings!({snapshot_path => "corpus/snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, rendered);
        });
    }
}
