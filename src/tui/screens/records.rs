//! Records opened again from a client's page: a letter's text as it was written (with
//! where its PDF is), or an advice record in full, read-only in a window that scrolls.

use std::path::Path;

use sanctuary::casework::steps;
use sanctuary::casework::store::{Advice, ClientRecord, Letter};
use sanctuary::letter::Catalogue;

/// The name a letter of a request is written under (without its number and date), by
/// its template: the same rule writes the file and finds it again.
pub fn letter_file_stem(template: &str, organisation: &str) -> String {
    match template {
        "chaser" => format!("chaser-{organisation}"),
        "complaint-ico" => format!("complaint-ico-about-{organisation}"),
        "complaint-controller" => format!("complaint-{organisation}"),
        _ => steps::letter_stem(template, organisation),
    }
}

/// A letter to read again: its title, and its text under a line saying where its PDF
/// is (or was written, when it is no longer in the letters folder).
pub fn letter_reading(
    record: &ClientRecord,
    letter: &Letter,
    catalogue: &Catalogue,
    folder: &Path,
) -> (String, String) {
    let title = catalogue
        .template(&letter.details.template)
        .map_or(letter.details.template.clone(), |t| t.title.clone());
    let date = letter.created.date_naive();
    let request = letter
        .details
        .request
        .and_then(|id| record.requests.iter().find(|r| r.id == id));
    let place = match request {
        Some(request) => {
            let stem = letter_file_stem(&letter.details.template, &request.details.organisation);
            let start = format!("request-{}-{stem}-", request.id);
            let mut found: Vec<String> = std::fs::read_dir(folder)
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.starts_with(&start) && name.ends_with(".pdf"))
                .map(|name| {
                    crate::tui::letters_folder::full(&folder.join(name))
                        .display()
                        .to_string()
                })
                .collect();
            found.sort();
            if found.is_empty() {
                format!(
                    "PDF: not in the letters folder {} now (its name starts {start}); it may have been moved.",
                    folder.display()
                )
            } else {
                format!("PDF: {}", found.join("\n     "))
            }
        }
        None => "PDF: not recorded".to_string(),
    };
    (
        format!("Read only: {title}"),
        format!(
            "{place}\nKept on {}.\n\n{}",
            date.format("%-d %B %Y"),
            letter.details.rendered_text.trim_end()
        ),
    )
}

/// An advice record to read again, in full.
pub fn advice_reading(advice: &Advice) -> (String, String) {
    (
        format!(
            "Read only: advice record of {}",
            advice.details.date.format("%-d %B %Y")
        ),
        advice.details.summary.trim_end().to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_up_letters_are_named_as_they_are_written() {
        assert_eq!(letter_file_stem("chaser", "dwp"), "chaser-dwp");
        assert_eq!(
            letter_file_stem("complaint-ico", "home-office"),
            "complaint-ico-about-home-office"
        );
        assert_eq!(
            letter_file_stem("sar-home-office", "home-office"),
            "sar-home-office"
        );
        assert_eq!(
            letter_file_stem("authority", "home-office"),
            "authority-home-office"
        );
    }
}
