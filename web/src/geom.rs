//! Where to put an edge label: the point halfway along the edge's SVG path (`M`, `L` and `C` commands,
//! as `studio::layout` writes them), so labels sit mid-edge and never cover an arrowhead.
//! (A candidate for `studio::layout`; kept here until the layout offers it.)

/// The point halfway along a path, by arc length (cubic segments sampled).
pub fn path_midpoint(d: &str) -> Option<(f64, f64)> {
    let pts = polyline(d);
    if pts.len() < 2 {
        return pts.first().copied();
    }
    let seg_len = |a: (f64, f64), b: (f64, f64)| ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
    let total: f64 = pts.windows(2).map(|w| seg_len(w[0], w[1])).sum();
    let mut left = total / 2.0;
    for w in pts.windows(2) {
        let l = seg_len(w[0], w[1]);
        if l >= left && l > 0.0 {
            let t = left / l;
            return Some((
                w[0].0 + (w[1].0 - w[0].0) * t,
                w[0].1 + (w[1].1 - w[0].1) * t,
            ));
        }
        left -= l;
    }
    pts.last().copied()
}

fn polyline(d: &str) -> Vec<(f64, f64)> {
    const SAMPLES: usize = 12;
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut nums: Vec<f64> = Vec::new();
    let mut cmd = ' ';
    let flush = |cmd: char, nums: &mut Vec<f64>, out: &mut Vec<(f64, f64)>| {
        match cmd {
            'M' | 'L' => {
                for p in nums.chunks_exact(2) {
                    out.push((p[0], p[1]));
                }
            }
            'C' => {
                for c in nums.chunks_exact(6) {
                    let p0 = out.last().copied().unwrap_or((c[0], c[1]));
                    for i in 1..=SAMPLES {
                        let t = i as f64 / SAMPLES as f64;
                        let u = 1.0 - t;
                        let b = |a: f64, b: f64, c: f64, d: f64| {
                            u * u * u * a
                                + 3.0 * u * u * t * b
                                + 3.0 * u * t * t * c
                                + t * t * t * d
                        };
                        out.push((b(p0.0, c[0], c[2], c[4]), b(p0.1, c[1], c[3], c[5])));
                    }
                }
            }
            _ => {}
        }
        nums.clear();
    };
    for tok in d
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
    {
        let (head, rest) = match tok.chars().next() {
            Some(c) if c.is_ascii_alphabetic() => (Some(c), &tok[c.len_utf8()..]),
            _ => (None, tok),
        };
        if let Some(c) = head {
            flush(cmd, &mut nums, &mut out);
            cmd = c.to_ascii_uppercase();
        }
        if let Ok(n) = rest.parse::<f64>() {
            nums.push(n);
        }
    }
    flush(cmd, &mut nums, &mut out);
    out
}
