//! The `statewright` command line: dispatches to one module per subcommand.

mod export;
mod input;
mod jsonata;
mod link;
mod run;
mod test_state;
mod validate;

use std::process::ExitCode;

/// mimalloc instead of the system allocator: a simulation allocates and frees many small payload values
/// (on the 10,000-item Map workload, glibc's malloc spent about a third of the run in its own bookkeeping).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: statewright <command> [options]

commands:
  validate [--format text|json] FILE...   check definitions with AWS's rules (- reads stdin)
  run DEFINITION [--input FILE|-] [--input-json TEXT] [--mock-config FILE [--state-machine NAME] [--test-case NAME]]
      [--start-time RFC3339] [--seed N] [--history] [--cost] [--format json|text]   simulate an execution offline
  test-state REQUEST                       answer a TestState API request body (- reads stdin)
  jsonata EXPR [--input FILE|-] [--bindings FILE]   evaluate a JSONata expression
  link FILE [--input FILE] [--base URL]    print a share link (the workflow travels in the URL fragment)
  export --sam|--cloudformation|--cli FILE [--name ID] [--type STANDARD|EXPRESS] [--role-arn ARN]
                                           print a deployable template or the create-state-machine command
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("validate") => validate::main(&args[1..]),
        Some("run") => run::main(&args[1..]),
        Some("test-state") => test_state::main(&args[1..]),
        Some("jsonata") => jsonata::main(&args[1..]),
        Some("link") => link::main(&args[1..]),
        Some("export") => export::main(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            0
        }
        Some(other) => {
            eprintln!("statewright: unknown command '{other}'\n{USAGE}");
            2
        }
        None => {
            eprint!("{USAGE}");
            2
        }
    };
    ExitCode::from(code)
}
