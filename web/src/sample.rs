//! The sample workflow the studio opens on.

/// An order flow with a Choice and a Parallel, valid on AWS.
pub const SAMPLE: &str = r#"{
  "Comment": "Check an order, then reserve stock and charge the card in parallel",
  "StartAt": "Validate order",
  "States": {
    "Validate order": {
      "Type": "Pass",
      "Result": { "valid": true },
      "ResultPath": "$.check",
      "Next": "Is valid?"
    },
    "Is valid?": {
      "Type": "Choice",
      "Choices": [
        { "Variable": "$.check.valid", "BooleanEquals": true, "Next": "Fulfil" }
      ],
      "Default": "Reject"
    },
    "Fulfil": {
      "Type": "Parallel",
      "Branches": [
        {
          "StartAt": "Reserve stock",
          "States": { "Reserve stock": { "Type": "Pass", "End": true } }
        },
        {
          "StartAt": "Charge card",
          "States": { "Charge card": { "Type": "Pass", "End": true } }
        }
      ],
      "Next": "Done"
    },
    "Reject": { "Type": "Fail", "Error": "InvalidOrder", "Cause": "The order did not pass validation" },
    "Done": { "Type": "Succeed" }
  }
}
"#;
