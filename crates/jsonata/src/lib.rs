//! JSONata: parse and evaluate expressions over `serde_json::Value` (the evaluator is being built).
