//! Replaying a run on the virtual clock in scaled real time (the playback speeds), and the cost of a run
//! projected over a month.

use asl::simulate::Cost;

/// Time between two revealed events when no virtual time passes between them.
pub const TICK_MS: u32 = 60;
/// Longest real wait between two events, whatever the virtual gap.
pub const MAX_DELAY_MS: u32 = 30_000;
/// Days in the projected month.
pub const DAYS_PER_MONTH: u64 = 30;

/// How history events are revealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Speed {
    /// Everything at once.
    #[default]
    Instant,
    /// Virtual time divided by this factor (1 = real time).
    Scaled(u32),
}

impl Speed {
    /// The choices of the "Playback speed" menu: `(value, label)`.
    pub const CHOICES: [(&'static str, &'static str); 5] = [
        ("instant", "Instant"),
        ("1", "Real time (1×)"),
        ("10", "10× faster"),
        ("100", "100× faster"),
        ("1000", "1000× faster"),
    ];

    /// From a menu value; anything unknown is `Instant`.
    pub fn parse(s: &str) -> Speed {
        match s.parse::<u32>() {
            Ok(n) if n > 0 => Speed::Scaled(n),
            _ => Speed::Instant,
        }
    }

    /// The menu value.
    pub fn value(self) -> String {
        match self {
            Speed::Instant => "instant".into(),
            Speed::Scaled(n) => n.to_string(),
        }
    }

    /// Real milliseconds to wait before revealing an event stamped `next_ms` after one stamped `prev_ms`:
    /// a short tick plus the virtual gap scaled down (a negative gap, as between Map iterations, counts as 0).
    /// `None` for `Instant`.
    pub fn delay_ms(self, prev_ms: i64, next_ms: i64) -> Option<u32> {
        let Speed::Scaled(factor) = self else {
            return None;
        };
        let gap = next_ms.saturating_sub(prev_ms).max(0) / i64::from(factor.max(1));
        let total = i64::from(TICK_MS).saturating_add(gap);
        Some(
            u32::try_from(total)
                .unwrap_or(MAX_DELAY_MS)
                .min(MAX_DELAY_MS),
        )
    }
}

/// A run's cost on AWS, once and over a month of `per_day` executions a day.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub standard_run: f64,
    pub express_run: f64,
    pub standard_month: f64,
    pub express_month: f64,
}

/// List prices (free tiers not deducted), a 30-day month.
pub fn project(cost: &Cost, per_day: u64) -> Projection {
    let runs = per_day.saturating_mul(DAYS_PER_MONTH) as f64;
    Projection {
        standard_run: cost.standard_usd,
        express_run: cost.express_usd,
        standard_month: cost.standard_usd * runs,
        express_month: cost.express_usd * runs,
    }
}

/// Dollars with enough digits for tiny per-run amounts: `$0.000075`, `$12.34`, `$1,234.57`.
pub fn usd(x: f64) -> String {
    if !x.is_finite() {
        return "$?".into();
    }
    if x != 0.0 && x.abs() < 0.01 {
        let s = format!("{x:.8}");
        return format!("${}", s.trim_end_matches('0'));
    }
    let cents = (x * 100.0).round() as i64;
    let (whole, frac) = (cents / 100, (cents % 100).abs());
    let digits = whole.abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if whole < 0 { "-" } else { "" };
    format!("{sign}${grouped}.{frac:02}")
}
