//! Dates as people type and read them: the one parser for every date a person
//! gives sanctuary, UK-style formatting, working days, and the assumption made
//! when a posted request's day of receipt is not known.

use chrono::{Datelike, Days, NaiveDate};
use thiserror::Error;

use super::holidays::{self, Nation};

/// The earliest year a typed date may have: nothing sanctuary records is older.
pub const EARLIEST_YEAR: i32 = 1900;
/// The latest year a typed date may have.
pub const LATEST_YEAR: i32 = 2100;

/// How dates are stored and exchanged: `2026-12-01`.
pub const ISO_FORMAT: &str = "%Y-%m-%d";

/// Working days a posted letter is taken to need to arrive, when the day the body
/// received it is not known.
pub const POSTAL_WORKING_DAYS: u32 = 2;

/// A typed date that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateError {
    #[error(
        "{0:?} is not a date: write it as DD/MM/YYYY (for example 05/06/1991) or YYYY-MM-DD (1991-06-05)"
    )]
    NotADate(String),
    #[error("{0:?} has the year {1}: a date must be between {EARLIEST_YEAR} and {LATEST_YEAR}")]
    YearOutOfRange(String, i32),
}

/// Parses a date as a person types it: `YYYY-MM-DD`, or the UK's `DD/MM/YYYY`
/// (one-digit day and month allowed, `/`, `.` or `-` between). Years run from
/// [`EARLIEST_YEAR`] to [`LATEST_YEAR`]; a two-digit year is refused rather than
/// guessed.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let trimmed = text.trim();
    let not_a_date = || DateError::NotADate(trimmed.to_string());
    let parts: Vec<&str> = trimmed.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(not_a_date());
    };
    let digits = |part: &str, lengths: &[usize]| {
        lengths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    let (year, month, day) = if digits(a, &[4]) && digits(b, &[1, 2]) && digits(c, &[1, 2]) {
        if trimmed.contains(['/', '.']) {
            return Err(not_a_date());
        }
        (a, b, c)
    } else if digits(a, &[1, 2]) && digits(b, &[1, 2]) && digits(c, &[4]) {
        (c, b, a)
    } else {
        return Err(not_a_date());
    };
    let year: i32 = year.parse().map_err(|_| not_a_date())?;
    if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&year) {
        return Err(DateError::YearOutOfRange(trimmed.to_string(), year));
    }
    let (Ok(month), Ok(day)) = (month.parse::<u32>(), day.parse::<u32>()) else {
        return Err(not_a_date());
    };
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(not_a_date)
}

/// True when the date's year is one a typed date may have.
pub fn is_plausible_year(date: NaiveDate) -> bool {
    (EARLIEST_YEAR..=LATEST_YEAR).contains(&date.year())
}

/// Writes a date the way a UK letter does: `22 November 2026`.
pub fn format_uk(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The day it is in the UK at the instant `now`: British Summer Time (UTC+1) from
/// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October,
/// Greenwich Mean Time otherwise (the Summer Time Order 2002). Legal dates are the
/// adviser's UK day, whatever time zone the machine is set to: a letter written at
/// 00:30 on 20 July is dated 20 July, though it is still 19 July in UTC.
pub fn uk_date(now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    let year = now.year();
    let summer = match (last_sunday(year, 3), last_sunday(year, 10)) {
        (Some(start), Some(end)) => {
            let at_one = |day: NaiveDate| day.and_hms_opt(1, 0, 0).map(|t| t.and_utc());
            match (at_one(start), at_one(end)) {
                (Some(start), Some(end)) => now >= start && now < end,
                _ => false,
            }
        }
        _ => false,
    };
    let offset = if summer { 1 } else { 0 };
    (now + chrono::Duration::hours(offset)).date_naive()
}

/// The last Sunday of `month` in `year`.
fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_of_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    last.checked_sub_days(Days::new(u64::from(back)))
}

/// Adds `n` working days in `nation` (weekends and bank holidays skipped).
pub fn add_working_days(date: NaiveDate, n: u32, nation: Nation) -> NaiveDate {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day = day + Days::new(1);
        if holidays::is_working_day(day, nation) {
            left -= 1;
        }
    }
    day
}

/// The day a request posted on `sent` is taken to reach the body when nobody knows:
/// [`POSTAL_WORKING_DAYS`] working days later. Letters, the app and the command line
/// all assume this, and say so.
pub fn assumed_receipt(sent: NaiveDate, nation: Nation) -> NaiveDate {
    add_working_days(sent, POSTAL_WORKING_DAYS, nation)
}

/// The sentence that states the assumption, for screens and letters.
pub fn assumed_receipt_note(sent: NaiveDate, received: NaiveDate) -> String {
    format!(
        "Sent on {}; the day it arrived is not known, so it is taken to have arrived {} working days later, on {}.",
        format_uk(sent),
        POSTAL_WORKING_DAYS,
        format_uk(received)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn iso_and_uk_dates_are_both_understood() {
        assert_eq!(parse_date("1988-04-12"), Ok(d(1988, 4, 12)));
        assert_eq!(parse_date(" 12/04/1988 "), Ok(d(1988, 4, 12)));
        assert_eq!(parse_date("5/6/1991"), Ok(d(1991, 6, 5)));
        assert_eq!(parse_date("05.06.1991"), Ok(d(1991, 6, 5)));
        assert_eq!(parse_date("05-06-1991"), Ok(d(1991, 6, 5)));
    }

    #[test]
    fn impossible_or_ambiguous_dates_are_refused_with_the_format_named() {
        for text in [
            "12/13/1988",
            "31/02/2026",
            "1-1-1",
            "88-04-12",
            "2026/12/01",
            "",
            "today",
        ] {
            let error = parse_date(text).unwrap_err();
            assert!(error.to_string().contains("DD/MM/YYYY"), "{text}: {error}");
        }
    }

    #[test]
    fn years_outside_1900_to_2100_are_refused() {
        assert!(matches!(
            parse_date("0000-01-01"),
            Err(DateError::YearOutOfRange(_, 0))
        ));
        assert!(parse_date("+99999-01-01").is_err());
        assert!(matches!(
            parse_date("01/01/2101"),
            Err(DateError::YearOutOfRange(_, 2101))
        ));
        assert_eq!(parse_date("1900-01-01"), Ok(d(1900, 1, 1)));
        assert_eq!(parse_date("31/12/2100"), Ok(d(2100, 12, 31)));
    }

    #[test]
    fn posted_letter_is_taken_to_arrive_two_working_days_later() {
        // Friday 20 November 2026 -> Tuesday 24 November.
        assert_eq!(
            assumed_receipt(d(2026, 11, 20), Nation::EnglandWales),
            d(2026, 11, 24)
        );
        // Christmas 2026: Friday 25th and the Boxing Day substitute, Monday 28th.
        assert_eq!(
            assumed_receipt(d(2026, 12, 24), Nation::EnglandWales),
            d(2026, 12, 30)
        );
        // St Andrew's Day (Monday 30 November 2026) counts in Scotland only.
        assert_eq!(
            assumed_receipt(d(2026, 11, 27), Nation::Scotland),
            d(2026, 12, 2)
        );
        assert_eq!(
            assumed_receipt(d(2026, 11, 27), Nation::EnglandWales),
            d(2026, 12, 1)
        );
    }

    #[test]
    fn dates_are_written_out_in_uk_style() {
        assert_eq!(format_uk(d(2026, 11, 22)), "22 November 2026");
        assert_eq!(format_uk(d(2026, 3, 1)), "1 March 2026");
    }

    #[test]
    fn the_uk_day_follows_british_summer_time() {
        let at = |text: &str| {
            text.parse::<chrono::DateTime<chrono::Utc>>()
                .expect("instant")
        };
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        // 00:30 BST on 20 July 2026 is 23:30 UTC on 19 July (code review bug 3).
        assert_eq!(uk_date(at("2026-07-19T23:30:00Z")), day(2026, 7, 20));
        // In winter the UK keeps UTC.
        assert_eq!(uk_date(at("2026-12-04T23:30:00Z")), day(2026, 12, 4));
        // BST 2026 runs from 01:00 UTC on 29 March to 01:00 UTC on 25 October.
        assert_eq!(uk_date(at("2026-03-29T00:59:00Z")), day(2026, 3, 29));
        assert_eq!(uk_date(at("2026-03-29T23:30:00Z")), day(2026, 3, 30));
        assert_eq!(uk_date(at("2026-10-24T23:30:00Z")), day(2026, 10, 25));
        assert_eq!(uk_date(at("2026-10-25T23:30:00Z")), day(2026, 10, 25));
    }
}
