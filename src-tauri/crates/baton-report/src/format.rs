//! Number formatting shared by the PDF and the CSV exports.

/// `12345` → `12,345`.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let head = s.len() % 3;
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    out.push_str(&s[..head]);
    for group in s.as_bytes()[head..].chunks(3) {
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(std::str::from_utf8(group).expect("ascii digits"));
    }
    out
}

/// A count of records with its verb: `(1, "has", "have")` → `1 record has`,
/// `(1200, …)` → `1,200 records have`.
pub fn records(n: u64, verb_one: &str, verb_many: &str) -> String {
    if n == 1 {
        format!("1 record {verb_one}")
    } else {
        format!("{} records {verb_many}", count(n))
    }
}

/// A fraction as a percentage with one decimal: `0.1234` → `12.3%`; `None` → `–`.
pub fn pct(fraction: Option<f64>) -> String {
    match fraction {
        Some(f) if f.is_finite() => format!("{:.1}%", f * 100.0),
        _ => "–".into(),
    }
}

/// A duration in hours, readable: under an hour in minutes (`0.5` → `30 min`),
/// under 48 hours in hours with one decimal (`5.5` → `5.5 h`; an exact tie
/// rounds to even, so `5.25` → `5.2 h`), else days with one decimal (`50` → `2.1 d`).
pub fn hours(h: Option<f64>) -> String {
    match h {
        Some(h) if h.is_finite() && h < 1.0 => format!("{:.0} min", h * 60.0),
        Some(h) if h.is_finite() && h < 48.0 => format!("{h:.1} h"),
        Some(h) if h.is_finite() => format!("{:.1} d", h / 24.0),
        _ => "–".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_percentages_and_durations() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(pct(Some(0.1234)), "12.3%");
        assert_eq!(pct(Some(1.0)), "100.0%");
        assert_eq!(pct(None), "–");
        assert_eq!(pct(Some(f64::NAN)), "–");
        assert_eq!(hours(Some(0.5)), "30 min");
        assert_eq!(hours(Some(5.25)), "5.2 h");
        assert_eq!(hours(Some(50.0)), "2.1 d");
        assert_eq!(hours(None), "–");
        assert_eq!(records(1, "has", "have"), "1 record has");
        assert_eq!(records(1200, "has", "have"), "1,200 records have");
        assert_eq!(records(0, "was", "were"), "0 records were");
    }
}
