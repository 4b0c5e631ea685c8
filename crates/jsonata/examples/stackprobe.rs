//! Probe: how deep evaluation and parsing can nest on a small stack
//! (`stackprobe KB DEPTH [PARENS]`).
fn main() {
    let arg = |i: usize, d: usize| {
        std::env::args()
            .nth(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or(d)
    };
    let (kb, depth, parens) = (arg(1, 1024), arg(2, 500), arg(3, 390));
    let h = std::thread::Builder::new()
        .stack_size(kb * 1024)
        .spawn(move || {
            let e =
                jsonata::parse("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))")
                    .unwrap();
            let mut b = jsonata::Bindings::default();
            b.environment.max_depth = depth;
            println!("eval: {:?}", e.evaluate(None, &b).map_err(|e| e.code));
            let src = format!("{}1{}", "(".repeat(parens), ")".repeat(parens));
            println!(
                "parens: {:?}",
                jsonata::parse(&src).map(|_| ()).map_err(|e| e.code)
            );
            let src = format!("{}1{}", "[".repeat(parens), "]".repeat(parens));
            println!(
                "brackets: {:?}",
                jsonata::parse(&src).map(|_| ()).map_err(|e| e.code)
            );
            let src = format!("a{}", ".b".repeat(parens * 4));
            println!(
                "long path: {:?}",
                jsonata::parse(&src).map(|_| ()).map_err(|e| e.code)
            );
            let src = format!("1{}", " + 1".repeat(parens * 4));
            println!(
                "long sum: {:?}",
                jsonata::parse(&src).map(|_| ()).map_err(|e| e.code)
            );
        })
        .unwrap();
    println!("join: {:?}", h.join().is_ok());
}
