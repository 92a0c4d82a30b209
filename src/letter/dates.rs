//! Dates in letters: the ICO's one-month rule, working days, and UK-style
//! formatting. Bank holidays here are England and Wales ones worked out by the
//! usual rules; `crate::casework::holidays` will replace this small function.

use chrono::{Days, NaiveDate};

use crate::casework::holidays::{self, Nation};

/// Writes a date the way a UK letter does: `22 November 2026`.
pub fn format_uk(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The date a reply is due under the one-month rule, with the working shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDate {
    /// The day the request is (expected to be) received: day one.
    pub received: NaiveDate,
    /// The corresponding date next month, or that month's last day.
    pub calendar: NaiveDate,
    /// `calendar`, moved to the next working day if needed.
    pub due: NaiveDate,
}

impl DueDate {
    /// One sentence on how the date was reached, for letters and advisers.
    pub fn explanation(&self) -> String {
        let mut text = format!(
            "Counting {} as day one, one month ends on {}",
            format_uk(self.received),
            format_uk(self.calendar)
        );
        if self.due != self.calendar {
            text.push_str(&format!(
                "; that is not a working day, so the reply is due by {}",
                format_uk(self.due)
            ));
        }
        text.push('.');
        text
    }
}

/// One month from receipt, counted as the ICO does: day one is the day of
/// receipt; due on the corresponding date next month or, if there is none,
/// that month's last day; then the next working day after a weekend or bank holiday.
pub fn one_month_from(received: NaiveDate) -> DueDate {
    let calendar = add_months_clamped(received, 1);
    DueDate {
        received,
        calendar,
        due: next_working_day_from(calendar),
    }
}

/// Adds whole calendar months, falling back to the month's last day.
pub fn add_months_clamped(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(chrono::Months::new(months))
        .unwrap_or(date)
}

/// `date` itself if it is a working day, otherwise the next one.
pub fn next_working_day_from(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    while !is_working_day(day) {
        day = day + Days::new(1);
    }
    day
}

/// Adds `n` working days (weekends and bank holidays skipped).
pub fn add_working_days(date: NaiveDate, n: u32) -> NaiveDate {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day = day + Days::new(1);
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// Not a weekend or a bank holiday in England and Wales, where the bodies these letters
/// go to mostly handle requests (the case store lets the adviser choose the nation).
pub fn is_working_day(date: NaiveDate) -> bool {
    holidays::is_working_day(date, Nation::EnglandWales)
}

/// A bank holiday in England and Wales (see `crate::casework::holidays`).
pub fn is_bank_holiday(date: NaiveDate) -> bool {
    holidays::is_bank_holiday(date, Nation::EnglandWales)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn worked_examples_from_the_brief_a2() {
        assert_eq!(one_month_from(d(2024, 9, 3)).due, d(2024, 10, 3));
        assert_eq!(one_month_from(d(2025, 1, 30)).due, d(2025, 2, 28));
        assert_eq!(one_month_from(d(2024, 1, 31)).due, d(2024, 2, 29));
        assert_eq!(one_month_from(d(2024, 10, 5)).due, d(2024, 11, 5));
        let late_november = one_month_from(d(2025, 11, 21));
        assert_eq!(late_november.calendar, d(2025, 12, 21));
        assert_eq!(late_november.due, d(2025, 12, 22));
    }

    #[test]
    fn christmas_and_new_year_roll_forward() {
        // 25 Dec 2026 is a Friday: Boxing Day substitute is Monday 28th.
        assert!(is_bank_holiday(d(2026, 12, 25)));
        assert!(is_bank_holiday(d(2026, 12, 28)));
        assert_eq!(next_working_day_from(d(2026, 12, 25)), d(2026, 12, 29));
        // 1 Jan 2028 is a Saturday: substitute Monday 3rd.
        assert!(is_bank_holiday(d(2028, 1, 3)));
        // Easter 2026 is 5 April: Good Friday 3rd, Easter Monday 6th.
        assert!(is_bank_holiday(d(2026, 4, 3)));
        assert!(is_bank_holiday(d(2026, 4, 6)));
        assert!(is_bank_holiday(d(2026, 8, 31)));
    }

    #[test]
    fn posted_letter_arrives_two_working_days_later() {
        // Friday 20 November 2026 -> Tuesday 24 November.
        assert_eq!(add_working_days(d(2026, 11, 20), 2), d(2026, 11, 24));
    }

    #[test]
    fn dates_are_written_out_in_uk_style() {
        assert_eq!(format_uk(d(2026, 11, 22)), "22 November 2026");
        assert_eq!(format_uk(d(2026, 3, 1)), "1 March 2026");
    }

    #[test]
    fn due_date_explains_a_weekend_roll() {
        let due = one_month_from(d(2025, 11, 21));
        assert!(due.explanation().contains("22 December 2025"));
    }
}
