//! Dates as people type them, and the deadlines worked out from dates. Nothing may
//! panic; a typed date is from 1900 to 2100 and reads back the same in both formats; a
//! worked-out reply date falls on a working day no earlier than the request.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use chrono::{Datelike, NaiveDate};
use libfuzzer_sys::fuzz_target;
use sanctuary::calendar::dates::{
    EARLIEST_YEAR, LATEST_YEAR, assumed_receipt, format_uk, parse_date,
};
use sanctuary::calendar::deadline::{
    Clock, Pause, complaint_acknowledgement_deadline, ico_complaint_deadline,
    latest_plausible_due, sar_due_date,
};
use sanctuary::calendar::holidays::{Nation, is_working_day};

/// Any date chrono can hold, or (most of the time) one from 1890 to 2110, where the
/// calendar's rules change and real requests fall.
fn any_date(u: &mut Unstructured<'_>) -> arbitrary::Result<NaiveDate> {
    let wide = u.ratio(1, 8)?;
    let days = if wide {
        u.int_in_range(NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())?
    } else {
        let from = NaiveDate::from_ymd_opt(1890, 1, 1)
            .expect("date")
            .num_days_from_ce();
        let to = NaiveDate::from_ymd_opt(2110, 12, 31)
            .expect("date")
            .num_days_from_ce();
        u.int_in_range(from..=to)?
    };
    Ok(NaiveDate::from_num_days_from_ce_opt(days).expect("in range"))
}

fn deadline_input(u: &mut Unstructured<'_>) -> arbitrary::Result<Clock> {
    let received = any_date(u)?;
    let mut input = Clock::new(received, Nation::ALL[u.choose_index(3)?]);
    if bool::arbitrary(u)? {
        input.id_received = Some(any_date(u)?);
    }
    if bool::arbitrary(u)? {
        input.fee_received = Some(any_date(u)?);
    }
    for _ in 0..u.int_in_range(0..=3)? {
        input.pauses.push(Pause {
            asked: any_date(u)?,
            answered: any_date(u)?,
        });
    }
    input.extended = bool::arbitrary(u)?;
    Ok(input)
}

fn in_typed_range(date: NaiveDate) -> bool {
    (EARLIEST_YEAR..=LATEST_YEAR).contains(&date.year())
}

fuzz_target!(|data: &[u8]| {
    // What a person types.
    let text = String::from_utf8_lossy(data);
    match parse_date(&text) {
        Ok(date) => {
            assert!(in_typed_range(date), "{text:?} gave {date}");
            let iso = date.format("%Y-%m-%d").to_string();
            let uk = date.format("%d/%m/%Y").to_string();
            assert_eq!(parse_date(&iso), Ok(date), "{iso}");
            assert_eq!(parse_date(&uk), Ok(date), "{uk}");
            assert!(!format_uk(date).is_empty());
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }

    // Deadlines from the same bytes read as dates.
    let mut u = Unstructured::new(data);
    let Ok(input) = deadline_input(&mut u) else {
        return;
    };
    let typed = [input.received, input.id_received, input.fee_received]
        .into_iter()
        .flatten()
        .chain(input.pauses.iter().flat_map(|p| [p.asked, p.answered]))
        .all(in_typed_range);
    match sar_due_date(&input) {
        Ok(deadline) => {
            assert!(Some(deadline.start) >= input.received);
            assert!(deadline.period_end > deadline.start);
            assert!(deadline.due >= deadline.period_end);
            assert!(
                is_working_day(deadline.due, input.nation),
                "{}",
                deadline.due
            );
            assert!(!deadline.explanation.is_empty());
            let _ = deadline.working_sentence();
            if let Ok(latest) = latest_plausible_due(&input) {
                assert!(latest >= deadline.due, "{latest} before {}", deadline.due);
            }
        }
        Err(e) => {
            let _ = e.to_string();
            // Dates a person could type only ever fail for a reason in the input.
            if typed {
                assert_ne!(
                    e.to_string(),
                    "the dates given are too far in the future to work out a deadline"
                );
            }
        }
    }
    let Some(received) = input.received else {
        return;
    };
    let _ = complaint_acknowledgement_deadline(received);
    let _ = ico_complaint_deadline(received);
    if typed {
        let receipt = assumed_receipt(received, input.nation);
        assert!(receipt > received);
    }
});
