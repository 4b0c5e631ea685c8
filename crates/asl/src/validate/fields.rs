//! Which fields each state type accepts in each query language, and AWS's messages for the rest.

use super::state::Ql;

/// Where a field may appear: in both query languages, or only in one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Both,
    PathOnly,
    AtaOnly,
}

use Lang::{AtaOnly, Both, PathOnly};

/// Every field a state can have, in the order AWS reports unsupported or misplaced ones.
pub const FIELD_ORDER: &[&str] = &[
    "Type",
    "Comment",
    "QueryLanguage",
    "Resource",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Result",
    "Output",
    "Arguments",
    "Items",
    "Assign",
    "Next",
    "End",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "Credentials",
    "Catch",
    "Retry",
    "Choices",
    "Default",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "Error",
    "ErrorPath",
    "Cause",
    "CausePath",
    "Branches",
    "Iterator",
    "ItemProcessor",
    "ItemsPath",
    "ItemReader",
    "ItemSelector",
    "ItemBatcher",
    "ResultWriter",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "Label",
];

#[cfg(test)]
const COMMON: &[(&str, Lang)] = &[("Type", Both), ("Comment", Both), ("QueryLanguage", Both)];

#[cfg(test)]
const IO: &[(&str, Lang)] = &[
    ("InputPath", PathOnly),
    ("OutputPath", PathOnly),
    ("Output", AtaOnly),
    ("Assign", Both),
];

#[cfg(test)]
const FLOW: &[(&str, Lang)] = &[("Next", Both), ("End", Both)];

#[cfg(test)]
const ERRORS: &[(&str, Lang)] = &[("Retry", Both), ("Catch", Both)];

#[cfg(test)]
const TASK: &[(&str, Lang)] = &[
    ("Resource", Both),
    ("ResultPath", PathOnly),
    ("Parameters", PathOnly),
    ("ResultSelector", PathOnly),
    ("Arguments", AtaOnly),
    ("TimeoutSeconds", Both),
    ("TimeoutSecondsPath", PathOnly),
    ("HeartbeatSeconds", Both),
    ("HeartbeatSecondsPath", PathOnly),
    ("Credentials", Both),
];

#[cfg(test)]
const PASS: &[(&str, Lang)] = &[
    ("ResultPath", PathOnly),
    ("Parameters", PathOnly),
    ("Result", PathOnly),
];

#[cfg(test)]
const CHOICE: &[(&str, Lang)] = &[("Choices", Both), ("Default", Both)];

#[cfg(test)]
const WAIT: &[(&str, Lang)] = &[
    ("Seconds", Both),
    ("SecondsPath", PathOnly),
    ("Timestamp", Both),
    ("TimestampPath", PathOnly),
];

#[cfg(test)]
const FAIL: &[(&str, Lang)] = &[
    ("Error", Both),
    ("ErrorPath", PathOnly),
    ("Cause", Both),
    ("CausePath", PathOnly),
];

#[cfg(test)]
const PARALLEL: &[(&str, Lang)] = &[
    ("Branches", Both),
    ("ResultPath", PathOnly),
    ("Parameters", PathOnly),
    ("ResultSelector", PathOnly),
    ("Arguments", AtaOnly),
];

#[cfg(test)]
const MAP: &[(&str, Lang)] = &[
    ("Iterator", Both),
    ("ItemProcessor", Both),
    ("ItemsPath", PathOnly),
    ("Items", AtaOnly),
    ("ItemReader", Both),
    ("ItemSelector", Both),
    ("Parameters", PathOnly),
    ("ItemBatcher", Both),
    ("ResultWriter", Both),
    ("MaxConcurrency", Both),
    ("MaxConcurrencyPath", PathOnly),
    ("ToleratedFailurePercentage", Both),
    ("ToleratedFailurePercentagePath", PathOnly),
    ("ToleratedFailureCount", Both),
    ("ToleratedFailureCountPath", PathOnly),
    ("Label", Both),
    ("ResultPath", PathOnly),
    ("ResultSelector", PathOnly),
];

/// The state types AWS knows, in the order its message lists them.
pub const STATE_TYPES: &[&str] = &[
    "Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map",
];

/// How `field` may appear on a state of `state_type`, or `None` when it is not supported there.
/// The tables above written as one `match` (called for every field of every state); the test
/// `match_agrees_with_tables` checks it against [`lang_of_table`] for every type and field.
pub fn lang_of(state_type: &str, field: &str) -> Option<Lang> {
    const TASK_T: u8 = 0;
    const PASS_T: u8 = 1;
    const CHOICE_T: u8 = 2;
    const WAIT_T: u8 = 3;
    const SUCCEED_T: u8 = 4;
    const FAIL_T: u8 = 5;
    const PARALLEL_T: u8 = 6;
    const MAP_T: u8 = 7;
    let t = match state_type {
        "Task" => TASK_T,
        "Pass" => PASS_T,
        "Choice" => CHOICE_T,
        "Wait" => WAIT_T,
        "Succeed" => SUCCEED_T,
        "Fail" => FAIL_T,
        "Parallel" => PARALLEL_T,
        "Map" => MAP_T,
        _ => return None,
    };
    let io = !matches!(t, SUCCEED_T | FAIL_T);
    let flow = matches!(t, TASK_T | PASS_T | WAIT_T | PARALLEL_T | MAP_T);
    let errors = matches!(t, TASK_T | PARALLEL_T | MAP_T);
    let only = |yes: bool, lang: Lang| yes.then_some(lang);
    match field {
        "Type" | "Comment" | "QueryLanguage" => Some(Both),
        "InputPath" | "OutputPath" => only(io || t == SUCCEED_T, PathOnly),
        "Output" => only(io || t == SUCCEED_T, AtaOnly),
        "Assign" => only(io, Both),
        "Next" | "End" => only(flow, Both),
        "Retry" | "Catch" => only(errors, Both),
        "Resource" | "TimeoutSeconds" | "HeartbeatSeconds" | "Credentials" => {
            only(t == TASK_T, Both)
        }
        "TimeoutSecondsPath" | "HeartbeatSecondsPath" => only(t == TASK_T, PathOnly),
        "ResultPath" | "Parameters" => {
            only(matches!(t, TASK_T | PASS_T | PARALLEL_T | MAP_T), PathOnly)
        }
        "ResultSelector" => only(matches!(t, TASK_T | PARALLEL_T | MAP_T), PathOnly),
        "Arguments" => only(matches!(t, TASK_T | PARALLEL_T), AtaOnly),
        "Result" => only(t == PASS_T, PathOnly),
        "Choices" | "Default" => only(t == CHOICE_T, Both),
        "Seconds" | "Timestamp" => only(t == WAIT_T, Both),
        "SecondsPath" | "TimestampPath" => only(t == WAIT_T, PathOnly),
        "Error" | "Cause" => only(t == FAIL_T, Both),
        "ErrorPath" | "CausePath" => only(t == FAIL_T, PathOnly),
        "Branches" => only(t == PARALLEL_T, Both),
        "Iterator"
        | "ItemProcessor"
        | "ItemReader"
        | "ItemSelector"
        | "ItemBatcher"
        | "ResultWriter"
        | "MaxConcurrency"
        | "ToleratedFailurePercentage"
        | "ToleratedFailureCount"
        | "Label" => only(t == MAP_T, Both),
        "ItemsPath"
        | "MaxConcurrencyPath"
        | "ToleratedFailurePercentagePath"
        | "ToleratedFailureCountPath" => only(t == MAP_T, PathOnly),
        "Items" => only(t == MAP_T, AtaOnly),
        _ => None,
    }
}

/// [`lang_of`] read from the tables (the reference the `match` is tested against).
#[cfg(test)]
fn lang_of_table(state_type: &str, field: &str) -> Option<Lang> {
    let groups: &[&[(&str, Lang)]] = match state_type {
        "Task" => &[COMMON, IO, FLOW, ERRORS, TASK],
        "Pass" => &[COMMON, IO, FLOW, PASS],
        "Choice" => &[COMMON, IO, CHOICE],
        "Wait" => &[COMMON, IO, FLOW, WAIT],
        "Succeed" => &[
            COMMON,
            &[
                ("InputPath", PathOnly),
                ("OutputPath", PathOnly),
                ("Output", AtaOnly),
            ],
        ],
        "Fail" => &[COMMON, FAIL],
        "Parallel" => &[COMMON, IO, FLOW, ERRORS, PARALLEL],
        "Map" => &[COMMON, IO, FLOW, ERRORS, MAP],
        _ => &[],
    };
    groups
        .iter()
        .flat_map(|g| g.iter())
        .find(|(f, _)| *f == field)
        .map(|(_, l)| *l)
}

/// Whether `lang` allows a field in query language `ql`.
pub fn allowed_in(lang: Lang, ql: Ql) -> bool {
    match lang {
        Both => true,
        PathOnly => ql == Ql::JsonPath,
        AtaOnly => ql == Ql::Jsonata,
    }
}

/// AWS's message for a field of the other query language.
pub fn wrong_language_message(ql: Ql, field: &str) -> String {
    match ql {
        Ql::JsonPath => format!(
            "The QueryLanguage is set to 'JSONPath', but field '{field}' is only supported for the 'JSONata' QueryLanguage"
        ),
        Ql::Jsonata => format!(
            "The QueryLanguage is set to 'JSONata', but field '{field}' is only supported for the 'JSONPath' QueryLanguage"
        ),
    }
}

/// Position of a field in [`FIELD_ORDER`] (unknown fields sort last, in document order).
pub fn order_of(field: &str) -> usize {
    FIELD_ORDER
        .iter()
        .position(|f| *f == field)
        .unwrap_or(FIELD_ORDER.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_agrees_with_tables() {
        let mut fields: Vec<&str> = FIELD_ORDER.to_vec();
        for g in [
            COMMON, IO, FLOW, ERRORS, TASK, PASS, CHOICE, WAIT, FAIL, PARALLEL, MAP,
        ] {
            fields.extend(g.iter().map(|(f, _)| *f));
        }
        fields.extend(["", "Nope", "type", "Next ", "States"]);
        let mut types: Vec<&str> = STATE_TYPES.to_vec();
        types.extend(["", "task", "Bogus"]);
        for t in &types {
            for f in &fields {
                assert_eq!(lang_of(t, f), lang_of_table(t, f), "{t} {f}");
            }
        }
    }

    #[test]
    fn tables() {
        assert_eq!(lang_of("Task", "Resource"), Some(Both));
        assert_eq!(lang_of("Pass", "Resource"), None);
        assert_eq!(lang_of("Pass", "Result"), Some(PathOnly));
        assert_eq!(lang_of("Map", "Items"), Some(AtaOnly));
        assert_eq!(lang_of("Succeed", "Next"), None);
        assert_eq!(lang_of("Fail", "Output"), None);
        assert!(order_of("TimeoutSeconds") < order_of("Catch"));
        assert!(order_of("Catch") < order_of("Retry"));
        assert!(order_of("Output") < order_of("Arguments"));
    }
}
