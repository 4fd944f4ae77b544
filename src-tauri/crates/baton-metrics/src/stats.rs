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

#[cfg(test)]
mod tests {
    use super::*;

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
