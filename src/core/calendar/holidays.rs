//! UK bank holidays for each nation, worked out by rule for any year.
//!
//! Deadlines move off weekends and bank holidays, and the three UK
//! jurisdictions keep different bank holidays, so the rules live here in one
//! place. The days no rule can predict (a jubilee, a state funeral, a moved
//! early-May holiday) come from the embedded table
//! `one_off_bank_holidays.toml`. Rules and table together reproduce the GOV.UK
//! lists from 2012 on; earlier years may lack one-off days.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A UK jurisdiction with its own set of bank holidays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Nation {
    EnglandWales,
    Scotland,
    NorthernIreland,
}

impl Nation {
    /// Every nation, in a stable order.
    pub const ALL: [Nation; 3] = [
        Nation::EnglandWales,
        Nation::Scotland,
        Nation::NorthernIreland,
    ];

    /// The id used in files and on the command line, e.g. `england-wales`.
    pub fn id(self) -> &'static str {
        match self {
            Nation::EnglandWales => "england-wales",
            Nation::Scotland => "scotland",
            Nation::NorthernIreland => "northern-ireland",
        }
    }

    /// The name a person reads, e.g. "England and Wales".
    pub fn label(self) -> &'static str {
        match self {
            Nation::EnglandWales => "England and Wales",
            Nation::Scotland => "Scotland",
            Nation::NorthernIreland => "Northern Ireland",
        }
    }
}

impl fmt::Display for Nation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Nation {
    type Err = HolidayError;

    /// Accepts the ids `england-wales`, `scotland`, `northern-ireland` (any
    /// case), and GOV.UK's `england-and-wales`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "england-wales" | "england-and-wales" => Ok(Nation::EnglandWales),
            "scotland" => Ok(Nation::Scotland),
            "northern-ireland" => Ok(Nation::NorthernIreland),
            _ => Err(HolidayError::UnknownNation(text.to_string())),
        }
    }
}

/// Problems with a nation name or with the one-off holiday table.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum HolidayError {
    #[error("unknown nation {0:?}: use one of england-wales, scotland, northern-ireland")]
    UnknownNation(String),
    #[error("one-off bank holiday table is not valid TOML: {0}")]
    TableSyntax(String),
    #[error("one-off bank holiday table, entry {entry} ({date}): {problem}")]
    TableEntry {
        entry: usize,
        date: String,
        problem: String,
    },
}

/// The holidays the yearly rules produce; a one-off entry may move one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleHoliday {
    NewYear,
    SecondJanuary,
    StPatrick,
    GoodFriday,
    EasterMonday,
    EarlyMay,
    Spring,
    BattleOfTheBoyne,
    Summer,
    StAndrew,
    Christmas,
    BoxingDay,
}

impl RuleHoliday {
    /// The name GOV.UK gives the holiday.
    pub fn name(self) -> &'static str {
        match self {
            RuleHoliday::NewYear => "New Year's Day",
            RuleHoliday::SecondJanuary => "2nd January",
            RuleHoliday::StPatrick => "St Patrick's Day",
            RuleHoliday::GoodFriday => "Good Friday",
            RuleHoliday::EasterMonday => "Easter Monday",
            RuleHoliday::EarlyMay => "Early May bank holiday",
            RuleHoliday::Spring => "Spring bank holiday",
            RuleHoliday::BattleOfTheBoyne => "Battle of the Boyne (Orangemen's Day)",
            RuleHoliday::Summer => "Summer bank holiday",
            RuleHoliday::StAndrew => "St Andrew's Day",
            RuleHoliday::Christmas => "Christmas Day",
            RuleHoliday::BoxingDay => "Boxing Day",
        }
    }

    /// Whether the holiday is kept in `nation` at all.
    pub fn kept_in(self, nation: Nation) -> bool {
        match self {
            RuleHoliday::SecondJanuary | RuleHoliday::StAndrew => nation == Nation::Scotland,
            RuleHoliday::StPatrick | RuleHoliday::BattleOfTheBoyne => {
                nation == Nation::NorthernIreland
            }
            RuleHoliday::EasterMonday => nation != Nation::Scotland,
            _ => true,
        }
    }
}

/// One bank holiday as observed: `date` is the day off, which for a
/// `substitute` day is the weekday after a holiday that fell at a weekend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BankHoliday {
    pub date: NaiveDate,
    pub name: String,
    pub substitute: bool,
}

/// One entry of the one-off table, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneOffHoliday {
    pub date: NaiveDate,
    pub name: String,
    pub nations: Vec<Nation>,
    pub replaces: Option<RuleHoliday>,
    pub source: String,
}

const ONE_OFF_TABLE: &str = include_str!("one_off_bank_holidays.toml");

static ONE_OFF_HOLIDAYS: LazyLock<Vec<OneOffHoliday>> = LazyLock::new(|| {
    // The table is compiled in and checked by a unit test, so a failure here
    // is a build mistake, not something a user can cause.
    parse_one_off_table(ONE_OFF_TABLE)
        .unwrap_or_else(|error| panic!("embedded one_off_bank_holidays.toml: {error}"))
});

/// The one-off holidays compiled into the program.
pub fn one_off_holidays() -> &'static [OneOffHoliday] {
    &ONE_OFF_HOLIDAYS
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    #[serde(default)]
    holiday: Vec<RawOneOff>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOneOff {
    date: toml::value::Datetime,
    name: Option<String>,
    nations: Vec<Nation>,
    replaces: Option<RuleHoliday>,
    source: String,
}

/// Parses and checks a one-off table (the format of
/// `one_off_bank_holidays.toml`). Entries are numbered from 1 in errors.
pub fn parse_one_off_table(text: &str) -> Result<Vec<OneOffHoliday>, HolidayError> {
    let raw: RawTable =
        toml::from_str(text).map_err(|error| HolidayError::TableSyntax(error.to_string()))?;
    let mut checked: Vec<OneOffHoliday> = Vec::with_capacity(raw.holiday.len());
    for (index, entry) in raw.holiday.into_iter().enumerate() {
        let problem = |problem: String| HolidayError::TableEntry {
            entry: index + 1,
            date: entry.date.to_string(),
            problem,
        };
        let date = toml_date(&entry.date)
            .ok_or_else(|| problem("`date` must be a plain date such as 2020-05-08".to_string()))?;
        if entry.nations.is_empty() {
            return Err(problem(
                "`nations` must name at least one nation".to_string(),
            ));
        }
        let name = match (entry.name.clone(), entry.replaces) {
            (Some(name), _) if !name.trim().is_empty() => name,
            (_, Some(rule)) => rule.name().to_string(),
            _ => return Err(problem("give a `name` (or `replaces`)".to_string())),
        };
        for &nation in &entry.nations {
            if let Some(rule) = entry.replaces.filter(|rule| !rule.kept_in(nation)) {
                return Err(problem(format!(
                    "replaces {:?}, which is not a bank holiday in {}",
                    rule.name(),
                    nation.label()
                )));
            }
            let clash = checked
                .iter()
                .any(|other| other.date == date && other.nations.contains(&nation));
            if clash {
                return Err(problem(format!(
                    "{} already has a one-off holiday on this date",
                    nation.label()
                )));
            }
        }
        checked.push(OneOffHoliday {
            date,
            name,
            nations: entry.nations.clone(),
            replaces: entry.replaces,
            source: entry.source.clone(),
        });
    }
    Ok(checked)
}

fn toml_date(value: &toml::value::Datetime) -> Option<NaiveDate> {
    if value.time.is_some() || value.offset.is_some() {
        return None;
    }
    let date = value.date?;
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
}

/// The bank holidays of `nation` in `year`, in date order: the yearly rules,
/// then the one-off table. Empty for a year outside chrono's date range.
pub fn bank_holidays(nation: Nation, year: i32) -> Vec<BankHoliday> {
    let mut list = rule_holidays(nation, year).unwrap_or_default();
    for one_off in one_off_holidays() {
        if one_off.date.year() != year || !one_off.nations.contains(&nation) {
            continue;
        }
        if let Some(rule) = one_off.replaces {
            list.retain(|(kind, _)| *kind != Some(rule));
        }
        let holiday = BankHoliday {
            date: one_off.date,
            name: one_off.name.clone(),
            substitute: false,
        };
        list.push((None, holiday));
    }
    let mut holidays: Vec<BankHoliday> = list.into_iter().map(|(_, h)| h).collect();
    holidays.sort_by_key(|h| h.date);
    holidays
}

/// [`bank_holidays`], worked out once per nation and year and kept: a list of
/// thousands of requests asks about the same few years many times over.
fn bank_holidays_kept(nation: Nation, year: i32) -> Arc<[BankHoliday]> {
    type Kept = HashMap<(Nation, i32), Arc<[BankHoliday]>>;
    static KEPT: LazyLock<Mutex<Kept>> = LazyLock::new(|| Mutex::new(HashMap::new()));
    // A poisoned lock only means another thread panicked mid-insert: work it out again.
    let mut kept = match KEPT.lock() {
        Ok(kept) => kept,
        Err(poisoned) => poisoned.into_inner(),
    };
    kept.entry((nation, year))
        .or_insert_with(|| bank_holidays(nation, year).into())
        .clone()
}

/// The bank holiday of `nation` on `date`, if there is one.
pub fn bank_holiday_on(date: NaiveDate, nation: Nation) -> Option<BankHoliday> {
    bank_holidays_kept(nation, date.year())
        .iter()
        .find(|h| h.date == date)
        .cloned()
}

/// Whether `date` is a bank holiday in `nation`.
pub fn is_bank_holiday(date: NaiveDate, nation: Nation) -> bool {
    bank_holiday_on(date, nation).is_some()
}

/// Whether `date` is a weekday that is not a bank holiday in `nation`.
pub fn is_working_day(date: NaiveDate, nation: Nation) -> bool {
    !is_weekend(date) && !is_bank_holiday(date, nation)
}

/// Whether `date` is a working day in every UK nation (no weekend, and no
/// bank holiday anywhere in the UK).
pub fn is_working_day_in_every_nation(date: NaiveDate) -> bool {
    Nation::ALL
        .iter()
        .all(|&nation| is_working_day(date, nation))
}

/// `date` itself if it is a working day in `nation`, otherwise the next one.
pub fn next_working_day_on_or_after(date: NaiveDate, nation: Nation) -> NaiveDate {
    next_day_where(date, |day| is_working_day(day, nation))
}

/// `date` itself if it is a working day in every UK nation, otherwise the
/// next such day: the latest a deadline could move to, whichever nation's
/// bank holidays count.
pub fn next_working_day_in_every_nation_on_or_after(date: NaiveDate) -> NaiveDate {
    next_day_where(date, is_working_day_in_every_nation)
}

/// Walks forward from `date` to the first day that passes `accept`. At the
/// very end of chrono's calendar it stops at the last representable day.
fn next_day_where(date: NaiveDate, accept: impl Fn(NaiveDate) -> bool) -> NaiveDate {
    let mut day = date;
    while !accept(day) {
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    day
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Easter Sunday in the Gregorian calendar (the "anonymous Gregorian"
/// algorithm of Meeus, Jones and Butcher).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

type RuleEntry = (Option<RuleHoliday>, BankHoliday);

/// The holidays the yearly rules give `nation` in `year`, before the one-off
/// table is applied.
fn rule_holidays(nation: Nation, year: i32) -> Option<Vec<RuleEntry>> {
    let easter = easter_sunday(year)?;
    let summer = if nation == Nation::Scotland {
        first_monday(year, 8)? // first Monday of August in Scotland
    } else {
        last_monday(year, 8)? // last Monday of August elsewhere
    };
    let moveable = [
        (
            RuleHoliday::GoodFriday,
            easter.checked_sub_days(Days::new(2))?,
        ),
        (
            RuleHoliday::EasterMonday,
            easter.checked_add_days(Days::new(1))?,
        ),
        (RuleHoliday::EarlyMay, first_monday(year, 5)?),
        (RuleHoliday::Spring, last_monday(year, 5)?),
        (RuleHoliday::Summer, summer),
    ];
    // Fixed dates, in date order; one that falls at a weekend is given a
    // substitute weekday.
    let fixed = [
        (RuleHoliday::NewYear, ymd(year, 1, 1)?),
        (RuleHoliday::SecondJanuary, ymd(year, 1, 2)?),
        (RuleHoliday::StPatrick, ymd(year, 3, 17)?),
        (RuleHoliday::BattleOfTheBoyne, ymd(year, 7, 12)?),
        (RuleHoliday::StAndrew, ymd(year, 11, 30)?),
        (RuleHoliday::Christmas, ymd(year, 12, 25)?),
        (RuleHoliday::BoxingDay, ymd(year, 12, 26)?),
    ];

    let mut list: Vec<RuleEntry> = Vec::new();
    let add = |list: &mut Vec<RuleEntry>, kind: RuleHoliday, date, substitute| {
        let holiday = BankHoliday {
            date,
            name: kind.name().to_string(),
            substitute,
        };
        list.push((Some(kind), holiday));
    };
    for (kind, date) in moveable {
        if kind.kept_in(nation) {
            add(&mut list, kind, date, false);
        }
    }
    // Holidays on a weekday keep their day first, so that (for example) when
    // Christmas is a Sunday, Boxing Day stays on Monday 26 December and
    // Christmas moves to Tuesday 27 December, as GOV.UK lists it.
    let kept: Vec<(RuleHoliday, NaiveDate)> = fixed
        .into_iter()
        .filter(|(kind, _)| kind.kept_in(nation))
        .collect();
    for &(kind, date) in kept.iter().filter(|(_, date)| !is_weekend(*date)) {
        add(&mut list, kind, date, false);
    }
    for &(kind, date) in kept.iter().filter(|(_, date)| is_weekend(*date)) {
        let taken = |day: NaiveDate| list.iter().any(|(_, h)| h.date == day);
        let mut substitute = date;
        while is_weekend(substitute) || taken(substitute) {
            substitute = substitute.succ_opt()?;
        }
        add(&mut list, kind, substitute, true);
    }
    Some(list)
}

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn first_monday(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 1)
}

fn last_monday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        ymd(year.checked_add(1)?, 1, 1)?
    } else {
        ymd(year, month + 1, 1)?
    };
    let mut day = first_of_next.pred_opt()?;
    while day.weekday() != Weekday::Mon {
        day = day.pred_opt()?;
    }
    Some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    /// "2026-12-28 Boxing Day (substitute day)"
    fn listed(nation: Nation, year: i32) -> Vec<String> {
        bank_holidays(nation, year)
            .iter()
            .map(|h| {
                let note = if h.substitute {
                    " (substitute day)"
                } else {
                    ""
                };
                format!("{} {}{}", h.date.format("%Y-%m-%d"), h.name, note)
            })
            .collect()
    }

    fn assert_listed(nation: Nation, year: i32, expected: &[&str]) {
        assert_eq!(listed(nation, year), expected, "{} {year}", nation.label());
    }

    // Expected lists below are GOV.UK's published bank holidays (its
    // bank-holidays data, as copied into public repositories), with names
    // written with a plain apostrophe.

    #[test]
    fn england_and_wales_2020_moves_early_may_to_ve_day() {
        assert_listed(
            Nation::EnglandWales,
            2020,
            &[
                "2020-01-01 New Year's Day",
                "2020-04-10 Good Friday",
                "2020-04-13 Easter Monday",
                "2020-05-08 Early May bank holiday (VE Day)",
                "2020-05-25 Spring bank holiday",
                "2020-08-31 Summer bank holiday",
                "2020-12-25 Christmas Day",
                "2020-12-28 Boxing Day (substitute day)",
            ],
        );
    }

    #[test]
    fn england_and_wales_2021_christmas_at_a_weekend_moves_both_days() {
        assert_listed(
            Nation::EnglandWales,
            2021,
            &[
                "2021-01-01 New Year's Day",
                "2021-04-02 Good Friday",
                "2021-04-05 Easter Monday",
                "2021-05-03 Early May bank holiday",
                "2021-05-31 Spring bank holiday",
                "2021-08-30 Summer bank holiday",
                "2021-12-27 Christmas Day (substitute day)",
                "2021-12-28 Boxing Day (substitute day)",
            ],
        );
    }

    #[test]
    fn england_and_wales_2022_jubilee_and_state_funeral() {
        assert_listed(
            Nation::EnglandWales,
            2022,
            &[
                "2022-01-03 New Year's Day (substitute day)",
                "2022-04-15 Good Friday",
                "2022-04-18 Easter Monday",
                "2022-05-02 Early May bank holiday",
                "2022-06-02 Spring bank holiday",
                "2022-06-03 Platinum Jubilee bank holiday",
                "2022-08-29 Summer bank holiday",
                "2022-09-19 Bank holiday for the State Funeral of Queen Elizabeth II",
                "2022-12-26 Boxing Day",
                "2022-12-27 Christmas Day (substitute day)",
            ],
        );
    }

    #[test]
    fn england_and_wales_2023_coronation_is_an_extra_day() {
        assert_listed(
            Nation::EnglandWales,
            2023,
            &[
                "2023-01-02 New Year's Day (substitute day)",
                "2023-04-07 Good Friday",
                "2023-04-10 Easter Monday",
                "2023-05-01 Early May bank holiday",
                "2023-05-08 Bank holiday for the coronation of King Charles III",
                "2023-05-29 Spring bank holiday",
                "2023-08-28 Summer bank holiday",
                "2023-12-25 Christmas Day",
                "2023-12-26 Boxing Day",
            ],
        );
    }

    #[test]
    fn england_and_wales_2024_to_2027() {
        assert_listed(
            Nation::EnglandWales,
            2024,
            &[
                "2024-01-01 New Year's Day",
                "2024-03-29 Good Friday",
                "2024-04-01 Easter Monday",
                "2024-05-06 Early May bank holiday",
                "2024-05-27 Spring bank holiday",
                "2024-08-26 Summer bank holiday",
                "2024-12-25 Christmas Day",
                "2024-12-26 Boxing Day",
            ],
        );
        assert_listed(
            Nation::EnglandWales,
            2025,
            &[
                "2025-01-01 New Year's Day",
                "2025-04-18 Good Friday",
                "2025-04-21 Easter Monday",
                "2025-05-05 Early May bank holiday",
                "2025-05-26 Spring bank holiday",
                "2025-08-25 Summer bank holiday",
                "2025-12-25 Christmas Day",
                "2025-12-26 Boxing Day",
            ],
        );
        assert_listed(
            Nation::EnglandWales,
            2026,
            &[
                "2026-01-01 New Year's Day",
                "2026-04-03 Good Friday",
                "2026-04-06 Easter Monday",
                "2026-05-04 Early May bank holiday",
                "2026-05-25 Spring bank holiday",
                "2026-08-31 Summer bank holiday",
                "2026-12-25 Christmas Day",
                "2026-12-28 Boxing Day (substitute day)",
            ],
        );
        assert_listed(
            Nation::EnglandWales,
            2027,
            &[
                "2027-01-01 New Year's Day",
                "2027-03-26 Good Friday",
                "2027-03-29 Easter Monday",
                "2027-05-03 Early May bank holiday",
                "2027-05-31 Spring bank holiday",
                "2027-08-30 Summer bank holiday",
                "2027-12-27 Christmas Day (substitute day)",
                "2027-12-28 Boxing Day (substitute day)",
            ],
        );
    }

    #[test]
    fn scotland_2020_to_2021_has_2nd_january_st_andrew_and_early_august() {
        assert_listed(
            Nation::Scotland,
            2020,
            &[
                "2020-01-01 New Year's Day",
                "2020-01-02 2nd January",
                "2020-04-10 Good Friday",
                "2020-05-08 Early May bank holiday (VE Day)",
                "2020-05-25 Spring bank holiday",
                "2020-08-03 Summer bank holiday",
                "2020-11-30 St Andrew's Day",
                "2020-12-25 Christmas Day",
                "2020-12-28 Boxing Day (substitute day)",
            ],
        );
        assert_listed(
            Nation::Scotland,
            2021,
            &[
                "2021-01-01 New Year's Day",
                "2021-01-04 2nd January (substitute day)",
                "2021-04-02 Good Friday",
                "2021-05-03 Early May bank holiday",
                "2021-05-31 Spring bank holiday",
                "2021-08-02 Summer bank holiday",
                "2021-11-30 St Andrew's Day",
                "2021-12-27 Christmas Day (substitute day)",
                "2021-12-28 Boxing Day (substitute day)",
            ],
        );
    }

    #[test]
    fn scotland_2022_new_year_weekend_moves_both_days() {
        assert_listed(
            Nation::Scotland,
            2022,
            &[
                "2022-01-03 New Year's Day (substitute day)",
                "2022-01-04 2nd January (substitute day)",
                "2022-04-15 Good Friday",
                "2022-05-02 Early May bank holiday",
                "2022-06-02 Spring bank holiday",
                "2022-06-03 Platinum Jubilee bank holiday",
                "2022-08-01 Summer bank holiday",
                "2022-09-19 Bank holiday for the State Funeral of Queen Elizabeth II",
                "2022-11-30 St Andrew's Day",
                "2022-12-26 Boxing Day",
                "2022-12-27 Christmas Day (substitute day)",
            ],
        );
    }

    #[test]
    fn scotland_2023_new_year_on_a_sunday_gives_2_and_3_january() {
        // GOV.UK labels 2 January 2023 "New Year's Day (substitute)" and
        // 3 January "2nd January (substitute)"; its 2012 list (same calendar)
        // labels them the other way round, as here. The days off are the same.
        assert_listed(
            Nation::Scotland,
            2023,
            &[
                "2023-01-02 2nd January",
                "2023-01-03 New Year's Day (substitute day)",
                "2023-04-07 Good Friday",
                "2023-05-01 Early May bank holiday",
                "2023-05-08 Bank holiday for the coronation of King Charles III",
                "2023-05-29 Spring bank holiday",
                "2023-08-07 Summer bank holiday",
                "2023-11-30 St Andrew's Day",
                "2023-12-25 Christmas Day",
                "2023-12-26 Boxing Day",
            ],
        );
    }

    #[test]
    fn scotland_2024_to_2027() {
        assert_listed(
            Nation::Scotland,
            2024,
            &[
                "2024-01-01 New Year's Day",
                "2024-01-02 2nd January",
                "2024-03-29 Good Friday",
                "2024-05-06 Early May bank holiday",
                "2024-05-27 Spring bank holiday",
                "2024-08-05 Summer bank holiday",
                "2024-12-02 St Andrew's Day (substitute day)",
                "2024-12-25 Christmas Day",
                "2024-12-26 Boxing Day",
            ],
        );
        assert_listed(
            Nation::Scotland,
            2025,
            &[
                "2025-01-01 New Year's Day",
                "2025-01-02 2nd January",
                "2025-04-18 Good Friday",
                "2025-05-05 Early May bank holiday",
                "2025-05-26 Spring bank holiday",
                "2025-08-04 Summer bank holiday",
                "2025-12-01 St Andrew's Day (substitute day)",
                "2025-12-25 Christmas Day",
                "2025-12-26 Boxing Day",
            ],
        );
        assert_listed(
            Nation::Scotland,
            2026,
            &[
                "2026-01-01 New Year's Day",
                "2026-01-02 2nd January",
                "2026-04-03 Good Friday",
                "2026-05-04 Early May bank holiday",
                "2026-05-25 Spring bank holiday",
                "2026-08-03 Summer bank holiday",
                "2026-11-30 St Andrew's Day",
                "2026-12-25 Christmas Day",
                "2026-12-28 Boxing Day (substitute day)",
            ],
        );
        assert_listed(
            Nation::Scotland,
            2027,
            &[
                "2027-01-01 New Year's Day",
                "2027-01-04 2nd January (substitute day)",
                "2027-03-26 Good Friday",
                "2027-05-03 Early May bank holiday",
                "2027-05-31 Spring bank holiday",
                "2027-08-02 Summer bank holiday",
                "2027-11-30 St Andrew's Day",
                "2027-12-27 Christmas Day (substitute day)",
                "2027-12-28 Boxing Day (substitute day)",
            ],
        );
    }

    #[test]
    fn northern_ireland_2020_to_2021_has_st_patrick_and_the_boyne() {
        assert_listed(
            Nation::NorthernIreland,
            2020,
            &[
                "2020-01-01 New Year's Day",
                "2020-03-17 St Patrick's Day",
                "2020-04-10 Good Friday",
                "2020-04-13 Easter Monday",
                "2020-05-08 Early May bank holiday (VE Day)",
                "2020-05-25 Spring bank holiday",
                "2020-07-13 Battle of the Boyne (Orangemen's Day) (substitute day)",
                "2020-08-31 Summer bank holiday",
                "2020-12-25 Christmas Day",
                "2020-12-28 Boxing Day (substitute day)",
            ],
        );
        assert_listed(
            Nation::NorthernIreland,
            2021,
            &[
                "2021-01-01 New Year's Day",
                "2021-03-17 St Patrick's Day",
                "2021-04-02 Good Friday",
                "2021-04-05 Easter Monday",
                "2021-05-03 Early May bank holiday",
                "2021-05-31 Spring bank holiday",
                "2021-07-12 Battle of the Boyne (Orangemen's Day)",
                "2021-08-30 Summer bank holiday",
                "2021-12-27 Christmas Day (substitute day)",
                "2021-12-28 Boxing Day (substitute day)",
            ],
        );
    }

    #[test]
    fn northern_ireland_2022_to_2023() {
        assert_listed(
            Nation::NorthernIreland,
            2022,
            &[
                "2022-01-03 New Year's Day (substitute day)",
                "2022-03-17 St Patrick's Day",
                "2022-04-15 Good Friday",
                "2022-04-18 Easter Monday",
                "2022-05-02 Early May bank holiday",
                "2022-06-02 Spring bank holiday",
                "2022-06-03 Platinum Jubilee bank holiday",
                "2022-07-12 Battle of the Boyne (Orangemen's Day)",
                "2022-08-29 Summer bank holiday",
                "2022-09-19 Bank holiday for the State Funeral of Queen Elizabeth II",
                "2022-12-26 Boxing Day",
                "2022-12-27 Christmas Day (substitute day)",
            ],
        );
        assert_listed(
            Nation::NorthernIreland,
            2023,
            &[
                "2023-01-02 New Year's Day (substitute day)",
                "2023-03-17 St Patrick's Day",
                "2023-04-07 Good Friday",
                "2023-04-10 Easter Monday",
                "2023-05-01 Early May bank holiday",
                "2023-05-08 Bank holiday for the coronation of King Charles III",
                "2023-05-29 Spring bank holiday",
                "2023-07-12 Battle of the Boyne (Orangemen's Day)",
                "2023-08-28 Summer bank holiday",
                "2023-12-25 Christmas Day",
                "2023-12-26 Boxing Day",
            ],
        );
    }

    #[test]
    fn northern_ireland_2024_to_2027() {
        assert_listed(
            Nation::NorthernIreland,
            2024,
            &[
                "2024-01-01 New Year's Day",
                "2024-03-18 St Patrick's Day (substitute day)",
                "2024-03-29 Good Friday",
                "2024-04-01 Easter Monday",
                "2024-05-06 Early May bank holiday",
                "2024-05-27 Spring bank holiday",
                "2024-07-12 Battle of the Boyne (Orangemen's Day)",
                "2024-08-26 Summer bank holiday",
                "2024-12-25 Christmas Day",
                "2024-12-26 Boxing Day",
            ],
        );
        assert_listed(
            Nation::NorthernIreland,
            2025,
            &[
                "2025-01-01 New Year's Day",
                "2025-03-17 St Patrick's Day",
                "2025-04-18 Good Friday",
                "2025-04-21 Easter Monday",
                "2025-05-05 Early May bank holiday",
                "2025-05-26 Spring bank holiday",
                "2025-07-14 Battle of the Boyne (Orangemen's Day) (substitute day)",
                "2025-08-25 Summer bank holiday",
                "2025-12-25 Christmas Day",
                "2025-12-26 Boxing Day",
            ],
        );
        assert_listed(
            Nation::NorthernIreland,
            2026,
            &[
                "2026-01-01 New Year's Day",
                "2026-03-17 St Patrick's Day",
                "2026-04-03 Good Friday",
                "2026-04-06 Easter Monday",
                "2026-05-04 Early May bank holiday",
                "2026-05-25 Spring bank holiday",
                "2026-07-13 Battle of the Boyne (Orangemen's Day) (substitute day)",
                "2026-08-31 Summer bank holiday",
                "2026-12-25 Christmas Day",
                "2026-12-28 Boxing Day (substitute day)",
            ],
        );
        assert_listed(
            Nation::NorthernIreland,
            2027,
            &[
                "2027-01-01 New Year's Day",
                "2027-03-17 St Patrick's Day",
                "2027-03-26 Good Friday",
                "2027-03-29 Easter Monday",
                "2027-05-03 Early May bank holiday",
                "2027-05-31 Spring bank holiday",
                "2027-07-12 Battle of the Boyne (Orangemen's Day)",
                "2027-08-30 Summer bank holiday",
                "2027-12-27 Christmas Day (substitute day)",
                "2027-12-28 Boxing Day (substitute day)",
            ],
        );
    }

    #[test]
    fn diamond_jubilee_2012_moves_spring_holiday_in_every_nation() {
        for nation in Nation::ALL {
            let june: Vec<String> = listed(nation, 2012)
                .into_iter()
                .filter(|line| line.starts_with("2012-05-2") || line.starts_with("2012-06"))
                .collect();
            assert_eq!(
                june,
                [
                    "2012-06-04 Spring bank holiday",
                    "2012-06-05 Queen's Diamond Jubilee"
                ],
                "{}",
                nation.label()
            );
        }
    }

    #[test]
    fn scotland_2012_new_year_on_a_sunday_matches_gov_uk() {
        let january: Vec<String> = listed(Nation::Scotland, 2012)
            .into_iter()
            .filter(|line| line.starts_with("2012-01"))
            .collect();
        assert_eq!(
            january,
            [
                "2012-01-02 2nd January",
                "2012-01-03 New Year's Day (substitute day)"
            ]
        );
    }

    #[test]
    fn easter_sunday_matches_known_dates_including_earliest_and_latest() {
        let known = [
            (1818, "1818-03-22"), // earliest possible
            (1943, "1943-04-25"), // latest possible
            (2000, "2000-04-23"),
            (2019, "2019-04-21"),
            (2020, "2020-04-12"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
        ];
        for (year, expected) in known {
            assert_eq!(easter_sunday(year), Some(date(expected)), "{year}");
        }
    }

    #[test]
    fn every_year_has_the_expected_number_of_rule_holidays_on_weekdays() {
        for year in 1990..2200 {
            for nation in Nation::ALL {
                let list = bank_holidays(nation, year);
                for holiday in &list {
                    assert!(!is_weekend(holiday.date), "{holiday:?}");
                    assert_eq!(holiday.date.year(), year, "{holiday:?}");
                }
                let mut dates: Vec<NaiveDate> = list.iter().map(|h| h.date).collect();
                dates.dedup();
                assert_eq!(dates.len(), list.len(), "duplicate day in {nation} {year}");
                let rules = match nation {
                    Nation::EnglandWales => 8,
                    Nation::Scotland => 9,
                    Nation::NorthernIreland => 10,
                };
                let extra = one_off_holidays()
                    .iter()
                    .filter(|o| o.date.year() == year && o.replaces.is_none())
                    .count();
                assert_eq!(list.len(), rules + extra, "{nation} {year}");
            }
        }
    }

    #[test]
    fn st_andrews_day_is_a_holiday_in_scotland_only() {
        let st_andrew = date("2026-11-30");
        assert!(is_bank_holiday(st_andrew, Nation::Scotland));
        assert!(!is_bank_holiday(st_andrew, Nation::EnglandWales));
        assert!(!is_bank_holiday(st_andrew, Nation::NorthernIreland));
        assert!(is_working_day(st_andrew, Nation::EnglandWales));
        assert!(!is_working_day(st_andrew, Nation::Scotland));
    }

    #[test]
    fn easter_monday_is_a_working_day_in_scotland() {
        let easter_monday = date("2026-04-06");
        assert!(is_working_day(easter_monday, Nation::Scotland));
        assert!(!is_working_day(easter_monday, Nation::EnglandWales));
        assert!(!is_working_day(easter_monday, Nation::NorthernIreland));
    }

    #[test]
    fn bank_holiday_on_gives_the_name_and_substitute_flag() {
        let boxing = bank_holiday_on(date("2026-12-28"), Nation::EnglandWales);
        assert_eq!(
            boxing,
            Some(BankHoliday {
                date: date("2026-12-28"),
                name: "Boxing Day".to_string(),
                substitute: true,
            })
        );
        assert_eq!(
            bank_holiday_on(date("2026-12-29"), Nation::EnglandWales),
            None
        );
    }

    #[test]
    fn next_working_day_skips_christmas_weekend_and_substitute_boxing_day() {
        assert_eq!(
            next_working_day_on_or_after(date("2026-12-25"), Nation::EnglandWales),
            date("2026-12-29")
        );
        assert_eq!(
            next_working_day_on_or_after(date("2026-12-29"), Nation::EnglandWales),
            date("2026-12-29")
        );
    }

    #[test]
    fn next_working_day_after_new_year_2027_differs_in_scotland() {
        let new_year = date("2027-01-01");
        assert_eq!(
            next_working_day_on_or_after(new_year, Nation::EnglandWales),
            date("2027-01-04")
        );
        assert_eq!(
            next_working_day_on_or_after(new_year, Nation::Scotland),
            date("2027-01-05")
        );
        assert_eq!(
            next_working_day_in_every_nation_on_or_after(new_year),
            date("2027-01-05")
        );
    }

    #[test]
    fn working_day_in_every_nation_counts_a_holiday_anywhere_in_the_uk() {
        assert!(!is_working_day_in_every_nation(date("2026-07-13"))); // Boyne, NI
        assert!(!is_working_day_in_every_nation(date("2026-08-03"))); // Scotland
        assert!(!is_working_day_in_every_nation(date("2026-08-31"))); // E&W, NI
        assert!(is_working_day_in_every_nation(date("2026-08-04")));
    }

    #[test]
    fn nation_ids_round_trip_through_display_from_str_and_serde() {
        for nation in Nation::ALL {
            assert_eq!(nation.to_string().parse::<Nation>(), Ok(nation));
            let value = toml::Value::try_from(nation).expect("serialise");
            assert_eq!(value, toml::Value::String(nation.id().to_string()));
            let back = Nation::deserialize(value).expect("deserialise");
            assert_eq!(back, nation);
        }
        assert_eq!(Nation::EnglandWales.to_string(), "england-wales");
        assert_eq!("Scotland".parse::<Nation>(), Ok(Nation::Scotland));
        assert_eq!(
            "england-and-wales".parse::<Nation>(),
            Ok(Nation::EnglandWales)
        );
    }

    #[test]
    fn unknown_nation_error_lists_the_valid_ids() {
        let error = "wales-and-england".parse::<Nation>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown nation \"wales-and-england\": use one of england-wales, scotland, northern-ireland"
        );
    }

    #[test]
    fn embedded_one_off_table_parses_and_covers_the_known_changes() {
        let table = parse_one_off_table(ONE_OFF_TABLE).expect("embedded table is valid");
        let dates: Vec<String> = table
            .iter()
            .map(|o| o.date.format("%Y-%m-%d").to_string())
            .collect();
        for expected in [
            "2020-05-08",
            "2022-06-02",
            "2022-06-03",
            "2022-09-19",
            "2023-05-08",
        ] {
            assert!(dates.iter().any(|d| d == expected), "{expected} missing");
        }
        assert!(table.iter().all(|o| o.nations.len() == 3));
        assert!(table.iter().all(|o| !o.source.is_empty()));
    }

    #[test]
    fn one_off_table_rejects_moving_easter_monday_in_scotland() {
        let text = r#"
            [[holiday]]
            date = 2030-04-23
            replaces = "easter-monday"
            nations = ["scotland"]
            source = "test"
        "#;
        let error = parse_one_off_table(text).unwrap_err();
        assert_eq!(
            error.to_string(),
            "one-off bank holiday table, entry 1 (2030-04-23): replaces \"Easter Monday\", which is not a bank holiday in Scotland"
        );
    }

    #[test]
    fn one_off_table_rejects_bad_entries_with_a_message_naming_the_entry() {
        let no_name = r#"
            [[holiday]]
            date = 2030-01-01
            nations = ["scotland"]
            source = "test"
        "#;
        assert!(matches!(
            parse_one_off_table(no_name),
            Err(HolidayError::TableEntry { entry: 1, .. })
        ));
        let no_nations = r#"
            [[holiday]]
            date = 2030-01-01
            name = "x"
            nations = []
            source = "test"
        "#;
        assert!(matches!(
            parse_one_off_table(no_nations),
            Err(HolidayError::TableEntry { entry: 1, .. })
        ));
        let with_time = r#"
            [[holiday]]
            date = 2030-01-01T10:00:00
            name = "x"
            nations = ["scotland"]
            source = "test"
        "#;
        assert!(matches!(
            parse_one_off_table(with_time),
            Err(HolidayError::TableEntry { entry: 1, .. })
        ));
        let twice = r#"
            [[holiday]]
            date = 2030-01-07
            name = "x"
            nations = ["scotland"]
            source = "test"
            [[holiday]]
            date = 2030-01-07
            name = "y"
            nations = ["england-wales", "scotland"]
            source = "test"
        "#;
        assert!(matches!(
            parse_one_off_table(twice),
            Err(HolidayError::TableEntry { entry: 2, .. })
        ));
        let unknown_field = r#"
            [[holiday]]
            date = 2030-01-07
            name = "x"
            nations = ["scotland"]
            source = "test"
            colour = "red"
        "#;
        assert!(matches!(
            parse_one_off_table(unknown_field),
            Err(HolidayError::TableSyntax(_))
        ));
    }

    #[test]
    fn years_outside_the_calendar_have_no_holidays_rather_than_panicking() {
        assert!(bank_holidays(Nation::EnglandWales, 300_000).is_empty());
        assert!(bank_holidays(Nation::Scotland, i32::MIN).is_empty());
        let last = NaiveDate::MAX;
        let _ = next_working_day_on_or_after(last, Nation::EnglandWales);
    }
}
