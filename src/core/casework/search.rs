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
    let folded: Vec<String> = names.iter().map(|name| fold(name)).collect();
    matches_folded(&fold(query), &folded)
}

fn matches_folded(query: &str, names: &[String]) -> bool {
    query.is_empty()
        || names
            .iter()
            .any(|name| query.split(' ').all(|word| name.contains(word)))
}

/// The most of a search that is used: no name is longer than this, so a longer search
/// finds nothing more, and each key typed costs the same however much was pasted.
pub const LONGEST_SEARCH: usize = 200;

/// The names of many people, folded once, so that each key typed into a search only
/// compares text and never reads or parses a record again.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    people: Vec<Vec<String>>,
}

impl NameIndex {
    /// An index of people, each given by their names, in the order given.
    pub fn new<'a>(people: impl IntoIterator<Item = Vec<&'a str>>) -> NameIndex {
        NameIndex {
            people: people
                .into_iter()
                .map(|names| names.into_iter().map(fold).collect())
                .collect(),
        }
    }

    /// The positions of the people the search finds.
    pub fn matching(&self, query: &str) -> Vec<usize> {
        let query: String = query.chars().take(LONGEST_SEARCH).collect();
        let query = fold(&query);
        (0..self.people.len())
            .filter(|&i| matches_folded(&query, &self.people[i]))
            .collect()
    }
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
    fn the_index_finds_what_matches_finds() {
        let people = [
            vec!["Łucja Đặng-Wójcik"],
            vec!["Олена Шевченко", "Olena Shevchenko"],
        ];
        let index = NameIndex::new(people.iter().cloned());
        for query in ["lucja", "shevchenko", "", "nobody", "o"] {
            let expected: Vec<usize> = (0..people.len())
                .filter(|&i| matches(query, &people[i]))
                .collect();
            assert_eq!(index.matching(query), expected, "{query}");
        }
        assert!(index.matching(&"a".repeat(100_000)).is_empty());
    }

    #[test]
    fn folding_joins_punctuation_and_spacing() {
        assert_eq!(fold("  Đặng-Wójcik,  Łucja "), "dang wojcik lucja");
    }
}
