//! Finding a client by name the way an adviser types it: without accents, in any case,
//! over the name and every other name the client gave ("lucja" finds "Łucja").

use deunicode::deunicode;

/// A name reduced for comparison: letters transliterated to plain Latin, lower case,
/// runs of spaces and punctuation made one space.
pub fn fold(text: &str) -> String {
    let plain = deunicode(text).to_lowercase();
    plain
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when every word typed is found in one of the names.
pub fn matches(query: &str, names: &[&str]) -> bool {
    let query = fold(query);
    if query.is_empty() {
        return true;
    }
    names.iter().any(|name| {
        let name = fold(name);
        query.split(' ').all(|word| name.contains(word))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_are_ignored() {
        let names = ["Łucja Đặng-Wójcik"];
        assert!(matches("lucja", &names));
        assert!(matches("dang", &names));
        assert!(matches("WOJCIK", &names));
        assert!(matches("łucja dặng", &names));
        assert!(!matches("lucia", &names));
    }

    #[test]
    fn other_names_are_searched_too() {
        let names = ["Олена Шевченко", "Olena Shevchenko"];
        assert!(matches("shevchenko", &names));
        assert!(matches("олена", &names));
        assert!(matches("Łukasz", &["Łukasz Żółć-Nguyễn"]));
        assert!(matches("lukasz", &["Łukasz Żółć-Nguyễn"]));
    }

    #[test]
    fn folding_joins_punctuation_and_spacing() {
        assert_eq!(fold("  Đặng-Wójcik,  Łucja "), "dang wojcik lucja");
    }
}
