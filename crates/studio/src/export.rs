//! Exporters to what AWS deploys: a SAM or CloudFormation template and the `aws stepfunctions
//! create-state-machine` command, from a definition value (never a dialect of our own).

use serde_json::{Map, Value, json};

/// Which template flavour to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateKind {
    /// `AWS::Serverless::StateMachine` under the SAM transform.
    Sam,
    /// Plain `AWS::StepFunctions::StateMachine` with an execution role.
    CloudFormation,
}

/// What names the exported resources.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    /// Logical id of the state machine resource, e.g. `OrderFlow`.
    pub logical_id: String,
    /// `STANDARD` or `EXPRESS`.
    pub machine_type: String,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            logical_id: "StateMachine".into(),
            machine_type: "STANDARD".into(),
        }
    }
}

/// A logical id (CloudFormation allows only ASCII letters and digits) made from any name.
pub fn logical_id(name: &str) -> String {
    let mut id = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = true;
        }
    }
    let id = id
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .to_string();
    if id.is_empty() {
        "StateMachine".into()
    } else {
        id
    }
}

/// A template (JSON, which both SAM and CloudFormation accept) deploying `definition`.
pub fn template(definition: &Value, kind: TemplateKind, options: &ExportOptions) -> Value {
    let id = logical_id(&options.logical_id);
    let mut resources = Map::new();
    match kind {
        TemplateKind::Sam => {
            resources.insert(
                id.clone(),
                json!({
                    "Type": "AWS::Serverless::StateMachine",
                    "Properties": {
                        "Type": options.machine_type,
                        "Definition": definition,
                        "Policies": [],
                    }
                }),
            );
            json!({
                "AWSTemplateFormatVersion": "2010-09-09",
                "Transform": "AWS::Serverless-2016-10-31",
                "Description": format!("{id}: exported from Statewright"),
                "Resources": resources,
                "Outputs": { format!("{id}Arn"): { "Value": { "Ref": id } } }
            })
        }
        TemplateKind::CloudFormation => {
            let role = format!("{id}Role");
            resources.insert(
                role.clone(),
                json!({
                    "Type": "AWS::IAM::Role",
                    "Properties": {
                        "AssumeRolePolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [{
                                "Effect": "Allow",
                                "Principal": { "Service": "states.amazonaws.com" },
                                "Action": "sts:AssumeRole"
                            }]
                        }
                    }
                }),
            );
            resources.insert(
                id.clone(),
                json!({
                    "Type": "AWS::StepFunctions::StateMachine",
                    "Properties": {
                        "StateMachineType": options.machine_type,
                        "Definition": definition,
                        "RoleArn": { "Fn::GetAtt": [role, "Arn"] }
                    }
                }),
            );
            json!({
                "AWSTemplateFormatVersion": "2010-09-09",
                "Description": format!("{id}: exported from Statewright"),
                "Resources": resources,
                "Outputs": { format!("{id}Arn"): { "Value": { "Ref": id } } }
            })
        }
    }
}

/// The `aws stepfunctions create-state-machine` command line, with the definition inline and
/// single-quoted for a POSIX shell.
pub fn create_state_machine_command(
    definition: &Value,
    options: &ExportOptions,
    role_arn: &str,
) -> String {
    let compact = definition.to_string();
    format!(
        "aws stepfunctions create-state-machine --name {} --type {} --role-arn {} --definition {}",
        shell_quote(&logical_id(&options.logical_id)),
        shell_quote(&options.machine_type),
        shell_quote(role_arn),
        shell_quote(&compact)
    )
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def() -> Value {
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "it's", "End": true}}})
    }

    #[test]
    fn logical_ids_are_alphanumeric() {
        for (name, id) in [
            ("order flow", "OrderFlow"),
            ("3-step", "Step"),
            ("", "StateMachine"),
            ("ok", "Ok"),
        ] {
            assert_eq!(logical_id(name), id);
        }
    }

    #[test]
    fn sam_template_carries_the_definition_unchanged() {
        let t = template(&def(), TemplateKind::Sam, &ExportOptions::default());
        assert_eq!(t["Transform"], "AWS::Serverless-2016-10-31");
        assert_eq!(
            t["Resources"]["StateMachine"]["Type"],
            "AWS::Serverless::StateMachine"
        );
        assert_eq!(
            t["Resources"]["StateMachine"]["Properties"]["Definition"],
            def()
        );
    }

    #[test]
    fn cloudformation_template_has_a_role() {
        let opts = ExportOptions {
            logical_id: "orders".into(),
            machine_type: "EXPRESS".into(),
        };
        let t = template(&def(), TemplateKind::CloudFormation, &opts);
        let sm = &t["Resources"]["Orders"];
        assert_eq!(sm["Type"], "AWS::StepFunctions::StateMachine");
        assert_eq!(sm["Properties"]["StateMachineType"], "EXPRESS");
        assert_eq!(sm["Properties"]["RoleArn"]["Fn::GetAtt"][0], "OrdersRole");
        assert_eq!(t["Resources"]["OrdersRole"]["Type"], "AWS::IAM::Role");
        assert_eq!(sm["Properties"]["Definition"], def());
    }

    #[test]
    fn command_quotes_single_quotes() {
        let cmd = create_state_machine_command(
            &def(),
            &ExportOptions::default(),
            "arn:aws:iam::123:role/x",
        );
        assert!(cmd.starts_with(
            "aws stepfunctions create-state-machine --name 'StateMachine' --type 'STANDARD'"
        ));
        assert!(cmd.contains(r"it'\''s"), "{cmd}");
    }
}
