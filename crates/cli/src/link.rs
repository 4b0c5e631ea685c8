//! `statewright link FILE`: prints a share link carrying the workflow in its URL fragment.

use crate::input::read_text;

/// Where the studio is served; override with `--base URL`.
const DEFAULT_BASE: &str = "http://127.0.0.1:8080/";

pub fn main(args: &[String]) -> u8 {
    let mut base = DEFAULT_BASE.to_string();
    let mut file = None;
    let mut input = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--base" => match it.next() {
                Some(b) => base = b.clone(),
                None => return usage("--base takes a URL"),
            },
            "--input" => match it.next() {
                Some(f) => input = Some(f.clone()),
                None => return usage("--input takes a file"),
            },
            a if a.starts_with("--") => return usage(&format!("unknown option {a}")),
            f if file.is_none() => file = Some(f.to_string()),
            f => return usage(&format!("unexpected argument {f}")),
        }
    }
    let Some(file) = file else {
        return usage("a definition file is required");
    };
    let definition = match read_text(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("statewright link: {e}");
            return 2;
        }
    };
    let input = match input.map(|f| read_text(&f)).transpose() {
        Ok(i) => i,
        Err(e) => {
            eprintln!("statewright link: {e}");
            return 2;
        }
    };
    let envelope = studio::ShareEnvelope {
        definition,
        input,
        ..Default::default()
    };
    println!("{}", studio::share::link(&base, &envelope));
    0
}

fn usage(problem: &str) -> u8 {
    eprintln!(
        "statewright link: {problem}\nusage: statewright link FILE [--input FILE] [--base URL]"
    );
    2
}
