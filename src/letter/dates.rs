//! Dates in letters: the ICO's one-month rule, working days, and UK-style
//! formatting. Bank holidays here are England and Wales ones worked out by the
//! usual rules; `crate::casework::holidays` will replace this small function.

use chrono::{Datelike, Days, NaiveDate, Weekday};

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

/// Monday to Friday and not a bank holiday.
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_bank_holiday(date)
}

/// England and Wales bank holidays by the standing rules (substitute days
/// included). One-off holidays and moved days are not known here.
pub fn is_bank_holiday(date: NaiveDate) -> bool {
    let year = date.year();
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let easter = easter_sunday(year);
    let mut days: Vec<Option<NaiveDate>> = vec![
        Some(next_weekday_from(ymd(1, 1).unwrap_or(date))),
        easter.and_then(|e| e.checked_sub_days(Days::new(2))),
        easter.and_then(|e| e.checked_add_days(Days::new(1))),
        NaiveDate::from_weekday_of_month_opt(year, 5, Weekday::Mon, 1),
        last_monday(year, 5),
        last_monday(year, 8),
    ];
    days.extend(christmas_days(year).into_iter().map(Some));
    days.into_iter().flatten().any(|d| d == date)
}

fn next_weekday_from(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date + Days::new(2),
        Weekday::Sun => date + Days::new(1),
        _ => date,
    }
}

fn last_monday(year: i32, month: u32) -> Option<NaiveDate> {
    let next_month_first = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let mut day = next_month_first.pred_opt()?;
    while day.weekday() != Weekday::Mon {
        day = day.pred_opt()?;
    }
    Some(day)
}

fn christmas_days(year: i32) -> Vec<NaiveDate> {
    let Some(christmas) = NaiveDate::from_ymd_opt(year, 12, 25) else {
        return Vec::new();
    };
    let (a, b) = match christmas.weekday() {
        Weekday::Fri => (0, 3),
        Weekday::Sat => (2, 3),
        Weekday::Sun => (1, 2),
        _ => (0, 1),
    };
    vec![christmas + Days::new(a), christmas + Days::new(b)]
}

/// Western Easter Sunday (anonymous Gregorian computus).
fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
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
