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

const COMMON: &[(&str, Lang)] = &[("Type", Both), ("Comment", Both), ("QueryLanguage", Both)];

const IO: &[(&str, Lang)] = &[
    ("InputPath", PathOnly),
    ("OutputPath", PathOnly),
    ("Output", AtaOnly),
    ("Assign", Both),
];

const FLOW: &[(&str, Lang)] = &[("Next", Both), ("End", Both)];

const ERRORS: &[(&str, Lang)] = &[("Retry", Both), ("Catch", Both)];

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

const PASS: &[(&str, Lang)] = &[
    ("ResultPath", PathOnly),
    ("Parameters", PathOnly),
    ("Result", PathOnly),
];

const CHOICE: &[(&str, Lang)] = &[("Choices", Both), ("Default", Both)];

const WAIT: &[(&str, Lang)] = &[
    ("Seconds", Both),
    ("SecondsPath", PathOnly),
    ("Timestamp", Both),
    ("TimestampPath", PathOnly),
];

const FAIL: &[(&str, Lang)] = &[
    ("Error", Both),
    ("ErrorPath", PathOnly),
    ("Cause", Both),
    ("CausePath", PathOnly),
];

const PARALLEL: &[(&str, Lang)] = &[
    ("Branches", Both),
    ("ResultPath", PathOnly),
    ("Parameters", PathOnly),
    ("ResultSelector", PathOnly),
    ("Arguments", AtaOnly),
];

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
pub fn lang_of(state_type: &str, field: &str) -> Option<Lang> {
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
