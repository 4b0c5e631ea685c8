//! Data-driven checks of the language, the AWS Step Functions additions, determinism and the guards.

use jsonata::{Bindings, parse};
use serde_json::{Value, json};

fn eval_with(
    expr: &str,
    input: Option<&Value>,
    b: &Bindings,
) -> Result<Option<Value>, jsonata::Error> {
    parse(expr)?.evaluate(input, b)
}

fn eval(expr: &str, input: &Value) -> Result<Option<Value>, jsonata::Error> {
    let mut b = Bindings::default();
    b.environment.now_millis = 1_700_000_000_123;
    b.environment.seed = 42;
    eval_with(expr, Some(input), &b)
}

/// Each row: expression, input, expected result (`null` in the row means JSON null).
fn check(rows: &[(&str, Value, Value)]) {
    for (expr, input, expected) in rows {
        match eval(expr, input) {
            Ok(Some(v)) => assert_eq!(&v, expected, "{expr}"),
            other => panic!("{expr}: expected {expected}, got {other:?}"),
        }
    }
}

fn check_undefined(rows: &[(&str, Value)]) {
    for (expr, input) in rows {
        match eval(expr, input) {
            Ok(None) => {}
            other => panic!("{expr}: expected undefined, got {other:?}"),
        }
    }
}

fn check_error(rows: &[(&str, Value, &str)]) {
    for (expr, input, code) in rows {
        match eval(expr, input) {
            Err(e) => assert_eq!(e.code, *code, "{expr}: {e}"),
            other => panic!("{expr}: expected error {code}, got {other:?}"),
        }
    }
}

fn orders() -> Value {
    json!({
        "orders": [
            {"id": "a", "qty": 2, "price": 10.5, "tags": ["x", "y"]},
            {"id": "b", "qty": 1, "price": 3, "tags": ["y"]},
            {"id": "c", "qty": 5, "price": 1.25, "tags": []}
        ],
        "customer": {"name": "Ada", "address": {"city": "London"}}
    })
}

#[test]
fn paths_predicates_and_operators() {
    let d = orders();
    check(&[
        ("orders.id", d.clone(), json!(["a", "b", "c"])),
        ("orders[qty > 1].id", d.clone(), json!(["a", "c"])),
        ("orders[0].id", d.clone(), json!("a")),
        ("orders[-1].id", d.clone(), json!("c")),
        ("orders[0].tags[]", d.clone(), json!(["x", "y"])),
        ("orders[1].tags[]", d.clone(), json!(["y"])),
        ("$sum(orders.(qty * price))", d.clone(), json!(30.25)),
        ("customer.**.city", d.clone(), json!("London")),
        ("customer.*", d.clone(), json!(["Ada", {"city": "London"}])),
        ("orders^(>qty).id", d.clone(), json!(["c", "a", "b"])),
        (
            "orders{id: qty}",
            d.clone(),
            json!({"a": 2, "b": 1, "c": 5}),
        ),
        ("orders#$i[$i > 0].id", d.clone(), json!(["b", "c"])),
        (
            "orders@$o.$o.tags.{'id': $o.id, 'tag': $}",
            d.clone(),
            json!([{"id": "a", "tag": "x"}, {"id": "a", "tag": "y"}, {"id": "b", "tag": "y"}]),
        ),
        ("orders.tags.%.id", d.clone(), json!(["a", "a", "b"])),
        ("'a' & 1 & true & null", d.clone(), json!("a1truenull")),
        ("1 in [1,2] and $not(3 in [1,2])", json!(null), json!(true)),
        ("[1..4]", json!(null), json!([1, 2, 3, 4])),
        ("7 % 3 + 2 * 3 - 10 / 4", json!(null), json!(4.5)),
        ("qty > 1 ? 'many' : 'one'", json!({"qty": 3}), json!("many")),
        ("$$.customer.name", d.clone(), json!("Ada")),
    ]);
    check_undefined(&[
        ("nothing.here", d.clone()),
        ("orders[qty > 100]", d.clone()),
        ("false ? 1", json!(null)),
    ]);
}

#[test]
fn object_key_order_is_preserved() {
    check(&[
        (
            "{'z': 1, 'a': 2, 'm': 3}",
            json!(null),
            json!({"z": 1, "a": 2, "m": 3}),
        ),
        ("$", json!({"z": 1, "a": 2}), json!({"z": 1, "a": 2})),
    ]);
    let out = eval("{'z': 1, 'a': 2, 'm': 3}", &json!(null))
        .unwrap()
        .unwrap();
    let keys: Vec<&String> = out.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["z", "a", "m"]);
    let out = eval("$merge([{'b': 1}, {'a': 2}])", &json!(null))
        .unwrap()
        .unwrap();
    assert_eq!(serde_json::to_string(&out).unwrap(), r#"{"b":1,"a":2}"#);
}

#[test]
fn functions_lambdas_and_transforms() {
    check(&[
        (
            "$map([1,2,3], function($v){ $v * 2 })",
            json!(null),
            json!([2, 4, 6]),
        ),
        (
            "$filter([1,2,3,4], function($v, $i){ $i % 2 = 0 })",
            json!(null),
            json!([1, 3]),
        ),
        (
            "$reduce([1,2,3,4], function($a, $b){ $a + $b })",
            json!(null),
            json!(10),
        ),
        (
            "($add := function($a, $b){ $a + $b }; $inc := $add(?, 1); $inc(41))",
            json!(null),
            json!(42),
        ),
        (
            "($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(10))",
            json!(null),
            json!(3628800),
        ),
        (
            "($loop := function($n, $acc){ $n = 0 ? $acc : $loop($n - 1, $acc + 1) }; $loop(5000, 0))",
            json!(null),
            json!(5000),
        ),
        (
            "($twice := function($f){ function($x){ $f($f($x)) } }; $twice(function($x){ $x * 3 })(2))",
            json!(null),
            json!(18),
        ),
        (
            "'hello' ~> $uppercase ~> $substring(1, 3)",
            json!(null),
            json!("ELL"),
        ),
        (
            "$ ~> |orders|{'total': qty * price}, ['tags']|",
            json!({"orders": [{"qty": 2, "price": 3, "tags": []}]}),
            json!({"orders": [{"qty": 2, "price": 3, "total": 6}]}),
        ),
        (
            "$string({'a': [1, 2.5, 'x']})",
            json!(null),
            json!(r#"{"a":[1,2.5,"x"]}"#),
        ),
        (
            "$formatNumber(1234.5678, '#,##0.00')",
            json!(null),
            json!("1,234.57"),
        ),
        ("$formatInteger(1999, 'I')", json!(null), json!("MCMXCIX")),
        ("$formatInteger(21, 'w')", json!(null), json!("twenty-one")),
        ("$parseInteger('twelve', 'w')", json!(null), json!(12)),
        (
            "$fromMillis(0)",
            json!(null),
            json!("1970-01-01T00:00:00.000Z"),
        ),
        (
            "$fromMillis(1700000000123, '[Y0001]-[M01]-[D01] [H01]:[m01]')",
            json!(null),
            json!("2023-11-14 22:13"),
        ),
        (
            "$toMillis('2023-11-14T22:13:20.123Z')",
            json!(null),
            json!(1_700_000_000_123_i64),
        ),
        (
            "$toMillis('14/11/2023', '[D01]/[M01]/[Y0001]')",
            json!(null),
            json!(1_699_920_000_000_i64),
        ),
        ("$replace('a-b-c', /-/, '+')", json!(null), json!("a+b+c")),
        (
            "$match('ab12cd345', /[0-9]+/).match",
            json!(null),
            json!(["12", "345"]),
        ),
        (
            "$split('a1b22c', /[0-9]+/)",
            json!(null),
            json!(["a", "b", "c"]),
        ),
        ("$contains('Hello', /l+/)", json!(null), json!(true)),
        ("$now()", json!(null), json!("2023-11-14T22:13:20.123Z")),
        ("$millis()", json!(null), json!(1_700_000_000_123_i64)),
        (
            "$encodeUrlComponent('a b\\uFFFD')",
            json!(null),
            json!("a%20b%EF%BF%BD"),
        ),
        (
            "$replace('2024-01-31', /(\\d+)-(\\d+)-(\\d+)/, '$3/$2/$1')",
            json!(null),
            json!("31/01/2024"),
        ),
        (
            "$match('a&b~c', /[&~]/).match",
            json!(null),
            json!(["&", "~"]),
        ),
        (
            "$split('one two', /\\s/)",
            json!(null),
            json!(["one", "two"]),
        ),
        ("$contains('HeLLo', /hello/i)", json!(null), json!(true)),
        // JS regex dialect: literal braces, identity escapes, \0, escaped punctuation
        ("$match('a{b}', /{b}/).match", json!(null), json!("{b}")),
        ("$match('aaa', /a{2}/).match", json!(null), json!("aa")),
        ("$replace('x y', /\\ /, '_')", json!(null), json!("x_y")),
        ("$replace('a/b', /\\//, '|')", json!(null), json!("a|b")),
        ("$contains('a-b', /a\\-b/)", json!(null), json!(true)),
        // lookahead, lookbehind and backreferences, as JavaScript runs them
        (
            "$match('10px 20em 30px', /\\d+(?=px)/).match",
            json!(null),
            json!(["10", "30"]),
        ),
        (
            "$replace('price: $42', /(?<=\\$)\\d+/, '99')",
            json!(null),
            json!("price: $99"),
        ),
        (
            "$match('book keeper', /(\\w)\\1/).match",
            json!(null),
            json!(["oo", "ee"]),
        ),
        (
            "$split('a1b2c3', /\\d(?=[a-z])/)",
            json!(null),
            json!(["a", "b", "c3"]),
        ),
    ]);
}

#[test]
fn aws_additions() {
    check(&[
        (
            "$partition([1,2,3,4,5], 2)",
            json!(null),
            json!([[1, 2], [3, 4], [5]]),
        ),
        ("$partition([], 3)", json!(null), json!([])),
        ("$range(0, 10, 3)", json!(null), json!([0, 3, 6, 9])),
        ("$range(5, 1, -2)", json!(null), json!([5, 3, 1])),
        ("$range(1, 3)", json!(null), json!([1, 2, 3])),
        (
            "$hash('abc', 'MD5')",
            json!(null),
            json!("900150983cd24fb0d6963f7d28e17f72"),
        ),
        (
            "$hash('abc', 'SHA-1')",
            json!(null),
            json!("a9993e364706816aba3e25717850c26c9cd0d89d"),
        ),
        (
            "$hash('abc', 'SHA-256')",
            json!(null),
            json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ),
        ("$length($hash('abc', 'SHA-384'))", json!(null), json!(96)),
        ("$length($hash('abc', 'SHA-512'))", json!(null), json!(128)),
        (
            "$parse('{\"a\": [1, true, null]}')",
            json!(null),
            json!({"a": [1, true, null]}),
        ),
        ("$parse('\"text\"')", json!(null), json!("text")),
        ("$random(7) = $random(7)", json!(null), json!(true)),
        ("$random(7) = $random(8)", json!(null), json!(false)),
        (
            "($r := $random(); $r >= 0 and $r < 1)",
            json!(null),
            json!(true),
        ),
        (
            "$contains($uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)",
            json!(null),
            json!(true),
        ),
        ("$uuid() = $uuid()", json!(null), json!(false)),
    ]);
    check_error(&[
        ("$partition([1,2], 0)", json!(null), "D3200"),
        ("$range(1, 5, 0)", json!(null), "D3201"),
        ("$hash('abc', 'CRC32')", json!(null), "D3202"),
        ("$parse('{nope')", json!(null), "D3203"),
        // $eval does not exist in Step Functions
        ("$eval('1 + 1')", json!(null), "T1006"),
    ]);
}

#[test]
fn deterministic_clock_and_random() {
    let mut b = Bindings::default();
    b.environment.now_millis = 86_400_000;
    b.environment.seed = 1;
    let a = eval_with(
        "[$now(), $random(), $uuid(), $shuffle([1,2,3,4,5,6])]",
        None,
        &b,
    )
    .unwrap();
    let c = eval_with(
        "[$now(), $random(), $uuid(), $shuffle([1,2,3,4,5,6])]",
        None,
        &b,
    )
    .unwrap();
    assert_eq!(a, c);
    assert_eq!(a.as_ref().unwrap()[0], json!("1970-01-02T00:00:00.000Z"));
    b.environment.seed = 2;
    let d = eval_with("$random()", None, &b).unwrap();
    assert_ne!(a.unwrap()[1], d.unwrap());
}

#[test]
fn errors_have_reference_codes() {
    check_error(&[
        ("1 +", json!(null), "S0207"),
        ("'unterminated", json!(null), "S0101"),
        ("{ 'a': 1 ", json!(null), "S0203"),
        ("a := 1", json!(null), "S0212"),
        ("'a' + 1", json!(null), "T2001"),
        ("1 + 'a'", json!(null), "T2002"),
        ("'a' < 1", json!(null), "T2009"),
        ("$string(1/0)", json!(null), "D3001"),
        ("$sum(['a'])", json!(null), "T0412"),
        ("$substring(1)", json!(null), "T0411"),
        ("$substring('a', 'b')", json!(null), "T0410"),
        ("nofunc(1)", json!({"nofunc": 1}), "T1006"),
        ("{ 'a': 1, 'a': 2 }", json!(null), "D1009"),
        ("$error('boom')", json!(null), "D3137"),
        ("[1..20000000]", json!(null), "D2014"),
        ("$encodeUrl('\\uD800')", json!(null), "D3140"),
        ("/a**/", json!(null), "S0303"),
        ("/a{2,1}/", json!(null), "S0303"),
    ]);
    let e = eval("$error('boom')", &json!(null)).unwrap_err();
    assert_eq!(e.message, "boom");
    let e = eval("1 + 'a'", &json!(null)).unwrap_err();
    assert_eq!(e.position, Some(3));
    assert!(e.to_string().contains("T2002"));
}

#[test]
fn guards_stop_runaway_evaluation() {
    // deep non-tail recursion hits the depth guard instead of overflowing the stack
    let h = std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(|| {
            let e = eval(
                "($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000000))",
                &json!(null),
            );
            assert_eq!(e.unwrap_err().code, "U1001");
            // an infinite tail-call loop runs on the trampoline and hits the step budget
            let mut b = Bindings::default();
            b.environment.max_steps = 200_000;
            let e = eval_with("($f := function(){ $f() }; $f())", None, &b);
            assert_eq!(e.unwrap_err().code, "U1001");
            // deeply nested syntax is rejected, not overflowed
            let src = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
            assert_eq!(parse(&src).unwrap_err().code, "U1001");
        })
        .unwrap();
    h.join().unwrap();
    // values nested far deeper than any recursion limit are built and dropped without
    // recursion (checked on a small stack, where a recursive drop would overflow)
    let h = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(|| {
            let e = eval(
                "($x := $reduce([1..50000], function($a, $v){ {'a': $a} }, {}); $type($x))",
                &json!(null),
            );
            assert_eq!(e.unwrap(), Some(json!("object")));
            let e = eval(
                "($reduce([1..50000], function($a, $v){ [[$a]] }, []); 1)",
                &json!(null),
            );
            assert_eq!(e.unwrap(), Some(json!(1)));
        })
        .unwrap();
    h.join().unwrap();
}
