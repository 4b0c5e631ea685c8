//! Criterion benchmarks of the four expressions bench/peers/run.mjs times on the npm `jsonata` 2.0.6
//! (JSONATA_EXPRESSIONS there), over the same generated input of 1,000 items. Each iteration is a
//! full `Expression::evaluate` (input conversion included), the expression parsed once as the peer does.

use criterion::{Criterion, criterion_group, criterion_main};
use jsonata::{Bindings, parse};
use serde_json::{Value, json};
use std::time::Duration;

const EXPRESSIONS: [(&str, &str); 4] = [
    (
        "jsonata-map",
        r#"$map(items, function($v) { {"id": $v.id, "label": $uppercase($v.name)} })"#,
    ),
    (
        "jsonata-filter",
        r#"$filter(items, function($v) { $v.price > 500 })"#,
    ),
    (
        "jsonata-string",
        r#"$join(items.($string(id) & ":" & name), ",")"#,
    ),
    (
        "jsonata-fields",
        r#"items[price > 100].{"name": name, "total": price * 2}"#,
    ),
];

/// `{ items: [{id, name: "item-<i>", price: i * 1.5, tags: ["a", "b"]}] }` for i in 0..1000, as run.mjs builds it.
fn input() -> Value {
    let items: Vec<Value> = (0..1000)
        .map(|i| json!({"id": i, "name": format!("item-{i}"), "price": f64::from(i) * 1.5, "tags": ["a", "b"]}))
        .collect();
    json!({ "items": items })
}

fn benches(c: &mut Criterion) {
    let input = input();
    let bindings = Bindings::default();
    let mut g = c.benchmark_group("jsonata");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    for (id, source) in EXPRESSIONS {
        let Ok(expr) = parse(source) else {
            panic!("{id} does not parse");
        };
        g.bench_function(id, |b| {
            b.iter(|| {
                let out = expr.evaluate(Some(&input), &bindings);
                assert!(matches!(out, Ok(Some(_))), "{id}: {out:?}");
                out
            })
        });
    }
    g.finish();
}

criterion_group!(expression_benches, benches);
criterion_main!(expression_benches);
