//! `statewright export --sam|--cloudformation|--cli FILE`: what AWS deploys, from a valid definition.

use crate::input::read_text;
use studio::export::{ExportOptions, TemplateKind, create_state_machine_command, template};

pub fn main(args: &[String]) -> u8 {
    let mut kind = None;
    let mut file = None;
    let mut options = ExportOptions::default();
    let mut role = "arn:aws:iam::123456789012:role/StepFunctionsRole".to_string();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--sam" => kind = Some(Some(TemplateKind::Sam)),
            "--cloudformation" => kind = Some(Some(TemplateKind::CloudFormation)),
            "--cli" => kind = Some(None),
            "--name" | "--type" | "--role-arn" => {
                let Some(v) = it.next() else {
                    return usage(&format!("{arg} takes a value"));
                };
                match arg.as_str() {
                    "--name" => options.logical_id = v.clone(),
                    "--type" => options.machine_type = v.to_uppercase(),
                    _ => role = v.clone(),
                }
            }
            a if a.starts_with("--") => return usage(&format!("unknown option {a}")),
            f if file.is_none() => file = Some(f.to_string()),
            f => return usage(&format!("unexpected argument {f}")),
        }
    }
    let (Some(kind), Some(file)) = (kind, file) else {
        return usage("choose --sam, --cloudformation or --cli, and name a file");
    };
    let text = match read_text(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("statewright export: {e}");
            return 2;
        }
    };
    let analysis = asl::analyze(&text);
    let failed = analysis.has_errors();
    let Some(definition) = analysis.definition.filter(|_| !failed) else {
        for d in analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == asl::Severity::Error)
        {
            eprintln!("{file}: error[{}]: {} at {}", d.code, d.message, d.location);
        }
        eprintln!("statewright export: {file} is not a valid definition; nothing exported");
        return 2;
    };
    match kind {
        Some(kind) => match serde_json::to_string_pretty(&template(&definition, kind, &options)) {
            Ok(t) => println!("{t}"),
            Err(e) => {
                eprintln!("statewright export: {e}");
                return 2;
            }
        },
        None => println!(
            "{}",
            create_state_machine_command(&definition, &options, &role)
        ),
    }
    0
}

fn usage(problem: &str) -> u8 {
    eprintln!(
        "statewright export: {problem}\nusage: statewright export --sam|--cloudformation|--cli FILE [--name ID] [--type STANDARD|EXPRESS] [--role-arn ARN]"
    );
    2
}
