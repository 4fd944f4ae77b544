//! Response-time clocks. The business clock counts only working seconds (working
//! weekdays, between the day's start and end) in O(1) per interval: working seconds
//! elapsed since a fixed Monday, at `b` minus at `a`.

use baton_core::sla::{BusinessHours, Clock};

const DAY: i64 = 86_400;

#[derive(Debug, Clone)]
pub struct ResponseClock {
    business: bool,
    /// Monday = 0.
    working: [bool; 7],
    start: i64,
    end: i64,
    /// Working seconds in the days of the week before day `d`.
    before_day: [i64; 8],
}

impl ResponseClock {
    pub fn new(clock: Clock, hours: &BusinessHours) -> Self {
        let mut working = [false; 7];
        for d in &hours.days {
            if (1..=7).contains(d) {
                working[(*d - 1) as usize] = true;
            }
        }
        let start = i64::from(hours.start_minute) * 60;
        let end = i64::from(hours.end_minute) * 60;
        let mut before_day = [0; 8];
        for d in 0..7 {
            before_day[d + 1] = before_day[d] + if working[d] { end - start } else { 0 };
        }
        ResponseClock {
            business: clock == Clock::Business,
            working,
            start,
            end,
            before_day,
        }
    }

    /// Working seconds from the Monday 1969-12-29 00:00 to `t`.
    fn working_seconds_to(&self, t: i64) -> i64 {
        // 1970-01-01 was a Thursday: shift so day 0 is a Monday.
        let days = t.div_euclid(DAY) + 3;
        let in_day = t.rem_euclid(DAY);
        let week = days.div_euclid(7);
        let wd = days.rem_euclid(7) as usize;
        let today = if self.working[wd] {
            in_day.clamp(self.start, self.end) - self.start
        } else {
            0
        };
        week * self.before_day[7] + self.before_day[wd] + today
    }

    /// Seconds on this clock between `a` and `b` (negative when `b < a`).
    #[inline]
    pub fn elapsed(&self, a: i64, b: i64) -> i64 {
        if self.business {
            self.working_seconds_to(b) - self.working_seconds_to(a)
        } else {
            b - a
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::parse_date;

    fn t(s: &str) -> i64 {
        parse_date(s).unwrap()
    }

    #[test]
    fn business_hours_skip_nights_and_weekends() {
        let c = ResponseClock::new(Clock::Business, &BusinessHours::default());
        // Friday 2025-01-03 16:00 → Monday 2025-01-06 10:00: 1h Friday + 1h Monday.
        assert_eq!(
            c.elapsed(t("2025-01-03 16:00"), t("2025-01-06 10:00")),
            2 * 3600
        );
        // Saturday → Sunday: nothing.
        assert_eq!(c.elapsed(t("2025-01-04 10:00"), t("2025-01-05 18:00")), 0);
        // Before opening to after closing, same day: the 8h day.
        assert_eq!(
            c.elapsed(t("2025-01-07 06:00"), t("2025-01-07 20:00")),
            8 * 3600
        );
        // A full week Monday 00:00 → next Monday 00:00: 5 × 8h.
        assert_eq!(c.elapsed(t("2025-01-06"), t("2025-01-13")), 40 * 3600);
        // Before 1970 works too (1969-12-29 was a Monday).
        assert_eq!(
            c.elapsed(t("1969-12-29 09:00"), t("1969-12-29 10:30")),
            5400
        );
        let cal = ResponseClock::new(Clock::Calendar, &BusinessHours::default());
        assert_eq!(
            cal.elapsed(t("2025-01-03 16:00"), t("2025-01-06 10:00")),
            66 * 3600
        );
    }
}
