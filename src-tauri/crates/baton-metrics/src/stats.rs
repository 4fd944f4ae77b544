//! Percentiles the way a spreadsheet computes them (linear interpolation between
//! closest ranks, Excel `PERCENTILE.INC`, numpy's default), so figures can be
//! checked by hand.

/// The `p`-quantile (0–1) of `values`, reordering them; `None` when empty.
pub fn percentile(values: &mut [i64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let h = (values.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let (_, lo_value, rest) = values.select_nth_unstable(lo);
    let lo_value = *lo_value as f64;
    let frac = h - lo as f64;
    if frac == 0.0 || rest.is_empty() {
        return Some(lo_value);
    }
    let hi_value = *rest.iter().min().expect("non-empty") as f64;
    Some(lo_value + frac * (hi_value - lo_value))
}

/// `part / whole`, `None` when `whole` is zero.
pub fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A share with its sample: `k` of `n`, the fraction and its 95% Wilson score
/// interval (`None` when `n` is 0).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Rate {
    #[ts(type = "number")]
    pub k: u64,
    #[ts(type = "number")]
    pub n: u64,
    pub rate: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl Rate {
    pub fn new(k: u64, n: u64) -> Rate {
        let (low, high) = match wilson(k, n) {
            Some((l, h)) => (Some(l), Some(h)),
            None => (None, None),
        };
        Rate {
            k,
            n,
            rate: ratio(k, n),
            low,
            high,
        }
    }
}

/// The 95% Wilson score interval of `k` successes in `n` trials (z = 1.96):
/// `(p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)`; `None` when `n` is 0.
pub fn wilson(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    const Z: f64 = 1.96;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z * Z;
    let centre = p + z2 / (2.0 * n);
    let spread = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let d = 1.0 + z2 / n;
    Some((
        ((centre - spread) / d).max(0.0),
        ((centre + spread) / d).min(1.0),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_the_formula_worked_separately() {
        // Worked out separately in Python from the formula: 81 of 263 → 0.25529 .. 0.36621.
        let (lo, hi) = wilson(81, 263).unwrap();
        assert!((lo - 0.25529).abs() < 1e-4, "{lo}");
        assert!((hi - 0.36621).abs() < 1e-4, "{hi}");
        // 0 of 10: 0 .. 0.2775; 10 of 10: 0.7225 .. 1.
        let (lo, hi) = wilson(0, 10).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.27753).abs() < 1e-4, "{hi}");
        let (lo, hi) = wilson(10, 10).unwrap();
        assert!((lo - 0.72247).abs() < 1e-4, "{lo}");
        assert!((hi - 1.0).abs() < 1e-12);
        assert_eq!(wilson(0, 0), None);
        assert_eq!(Rate::new(0, 0).rate, None);
    }

    #[test]
    fn interpolates_like_a_spreadsheet() {
        assert_eq!(percentile(&mut [], 0.5), None);
        assert_eq!(percentile(&mut [7], 0.9), Some(7.0));
        assert_eq!(percentile(&mut [4, 1, 3, 2], 0.5), Some(2.5));
        // PERCENTILE.INC({1..10}, 0.9) = 9.1
        let mut v: Vec<i64> = (1..=10).rev().collect();
        assert!((percentile(&mut v, 0.9).unwrap() - 9.1).abs() < 1e-9);
        assert_eq!(ratio(1, 0), None);
        assert_eq!(ratio(1, 4), Some(0.25));
    }
}
