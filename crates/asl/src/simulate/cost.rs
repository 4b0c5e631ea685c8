//! What a run would cost on AWS: one price table, Standard (state transitions) and Express (requests and
//! duration × memory, billed in 100 ms and 64 MB steps).

use serde::Serialize;

/// AWS list prices (us-east-1) used for estimates.
pub mod prices {
    /// Standard workflows: USD per state transition ($0.025 per 1,000).
    pub const STANDARD_PER_TRANSITION: f64 = 0.025 / 1000.0;
    /// Express workflows: USD per request ($1.00 per million).
    pub const EXPRESS_PER_REQUEST: f64 = 1.0 / 1_000_000.0;
    /// Express workflows: USD per GB-second for the first 1,000 GB-hours.
    pub const EXPRESS_PER_GB_SECOND: f64 = 0.000_016_67;
    /// Express duration is billed in steps of this many milliseconds.
    pub const EXPRESS_BILLING_STEP_MS: u64 = 100;
    /// Express memory is billed in steps of this many MB (and at least one step).
    pub const EXPRESS_MEMORY_STEP_MB: u64 = 64;
}

/// The cost estimate attached to every result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cost {
    /// State transitions as AWS bills them (every state entered, retries included).
    pub state_transitions: u64,
    pub standard_usd: f64,
    /// Express: billed duration (rounded up to 100 ms) and billed memory (64 MB steps).
    pub express_billed_ms: u64,
    pub express_billed_mb: u64,
    pub express_usd: f64,
}

/// Estimate both prices from the transitions, the (virtual) duration and the largest payload seen.
pub fn estimate(state_transitions: u64, duration_ms: u64, peak_payload_bytes: usize) -> Cost {
    let step = prices::EXPRESS_BILLING_STEP_MS;
    let billed_ms = duration_ms.div_ceil(step).max(1) * step;
    let mb_step = prices::EXPRESS_MEMORY_STEP_MB;
    let used_mb = (peak_payload_bytes as u64).div_ceil(1024 * 1024);
    let billed_mb = used_mb.div_ceil(mb_step).max(1) * mb_step;
    let gb_seconds = (billed_ms as f64 / 1000.0) * (billed_mb as f64 / 1024.0);
    Cost {
        state_transitions,
        standard_usd: state_transitions as f64 * prices::STANDARD_PER_TRANSITION,
        express_billed_ms: billed_ms,
        express_billed_mb: billed_mb,
        express_usd: prices::EXPRESS_PER_REQUEST + gb_seconds * prices::EXPRESS_PER_GB_SECOND,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_like_aws() {
        let c = estimate(4, 1, 10);
        assert!((c.standard_usd - 0.0001).abs() < 1e-12);
        assert_eq!((c.express_billed_ms, c.express_billed_mb), (100, 64));
        let c = estimate(0, 250, 70 * 1024 * 1024);
        assert_eq!((c.express_billed_ms, c.express_billed_mb), (300, 128));
        let expected = 1e-6 + 0.3 * 0.125 * 0.000_016_67;
        assert!((c.express_usd - expected).abs() < 1e-15);
    }
}
