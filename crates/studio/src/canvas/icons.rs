//! The icon drawn on a state: one per state type, and for Tasks one per AWS service (the services of
//! the palette's catalog), read from the `Resource` ARN.

/// A state's icon: a short glyph drawn in the node and the name it stands for (a tooltip).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Icon {
    /// Stable id for styling (`data-icon`), e.g. `lambda`, `choice`.
    pub id: &'static str,
    /// One to three characters drawn in the icon's badge.
    pub glyph: &'static str,
    pub title: &'static str,
}

const fn icon(id: &'static str, glyph: &'static str, title: &'static str) -> Icon {
    Icon { id, glyph, title }
}

/// Services by the name in their ARN (`arn:aws:states:::SERVICE:action`, `aws-sdk:SERVICE:action`,
/// or `arn:aws:SERVICE:...` for direct Lambda/activity ARNs).
const SERVICES: &[(&str, Icon)] = &[
    ("lambda", icon("lambda", "λ", "AWS Lambda")),
    ("s3", icon("s3", "S3", "Amazon S3")),
    ("dynamodb", icon("dynamodb", "DB", "Amazon DynamoDB")),
    ("sns", icon("sns", "SNS", "Amazon SNS")),
    ("sqs", icon("sqs", "SQS", "Amazon SQS")),
    ("events", icon("events", "EB", "Amazon EventBridge")),
    ("bedrock", icon("bedrock", "AI", "Amazon Bedrock")),
    ("ecs", icon("ecs", "ECS", "Amazon ECS")),
    ("glue", icon("glue", "GL", "AWS Glue")),
    ("athena", icon("athena", "ATH", "Amazon Athena")),
    ("states", icon("states", "SF", "AWS Step Functions")),
    ("http", icon("http", "WWW", "HTTP endpoint")),
    ("batch", icon("batch", "BAT", "AWS Batch")),
    ("sagemaker", icon("sagemaker", "SM", "Amazon SageMaker")),
];

const SDK: Icon = icon("aws-sdk", "SDK", "AWS SDK integration");
const TASK: Icon = icon("task", "T", "Task");

/// The icon of a state by its `Type` and (for a Task) its `Resource`.
pub fn icon_for(kind: &str, resource: Option<&str>) -> Icon {
    match kind {
        "Pass" => icon("pass", "→", "Pass"),
        "Choice" => icon("choice", "◇", "Choice"),
        "Wait" => icon("wait", "◷", "Wait"),
        "Succeed" => icon("succeed", "✓", "Succeed"),
        "Fail" => icon("fail", "✕", "Fail"),
        "Parallel" => icon("parallel", "∥", "Parallel"),
        "Map" => icon("map", "⟳", "Map"),
        "Task" => resource.map_or(TASK, service_icon),
        _ => icon("unknown", "?", "Unknown type"),
    }
}

/// The service icon for a Task's resource ARN.
pub fn service_icon(resource: &str) -> Icon {
    let find = |name: &str| SERVICES.iter().find(|(s, _)| *s == name).map(|(_, i)| *i);
    let mut parts = resource.split(':');
    let (_arn, _partition, service) = (parts.next(), parts.next(), parts.next());
    if service == Some("states") {
        // arn:aws:states:::SERVICE:action or arn:aws:states:::aws-sdk:SERVICE:action
        let rest: Vec<&str> = resource.splitn(6, ':').collect();
        let tail = rest.get(5).copied().unwrap_or("");
        let mut t = tail.split(':');
        return match t.next() {
            Some("aws-sdk") => t.next().and_then(find).unwrap_or(SDK),
            Some("activity") => icon("activity", "ACT", "Activity"),
            Some(s) if !s.is_empty() => find(s).unwrap_or(TASK),
            _ => TASK,
        };
    }
    service.and_then(find).unwrap_or(TASK)
}
