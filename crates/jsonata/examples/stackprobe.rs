//! Probe: how deep evaluation and parsing can nest on a small stack (`stackprobe KB DEPTH`).
fn main() {
    let kb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1024);
    let depth: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let h = std::thread::Builder::new()
        .stack_size(kb * 1024)
        .spawn(move || {
            let e =
                jsonata::parse("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))")
                    .unwrap();
            let mut b = jsonata::Bindings::default();
            b.environment.max_depth = depth;
            let r = e.evaluate(None, &b);
            println!("{:?}", r.map_err(|e| e.code));
            let src = format!("{}1{}", "(".repeat(390), ")".repeat(390));
            println!("{:?}", jsonata::parse(&src).map(|_| ()).map_err(|e| e.code));
            let src = format!("{}1{}", "[".repeat(390), "]".repeat(390));
            println!("{:?}", jsonata::parse(&src).map(|_| ()).map_err(|e| e.code));
        })
        .unwrap();
    println!("join: {:?}", h.join().is_ok());
}
