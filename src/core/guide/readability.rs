//! Flesch reading ease, so every guide's client-facing text can be held to plain English.
//! Syllables are estimated with the usual vowel-group rule; good enough to compare texts.

/// The lowest Flesch reading ease that counts as plain English: a guide's client-facing
/// text scoring under this draws a warning from the validator.
pub const PLAIN_ENGLISH: f64 = 60.0;

/// Words, sentences and syllables counted in some text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextCounts {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
}

impl std::ops::Add for TextCounts {
    type Output = TextCounts;

    fn add(self, other: TextCounts) -> TextCounts {
        TextCounts {
            words: self.words + other.words,
            sentences: self.sentences + other.sentences,
            syllables: self.syllables + other.syllables,
        }
    }
}

impl TextCounts {
    /// The Flesch reading-ease score: higher is easier; 60 and above is plain English.
    pub fn flesch_reading_ease(self) -> f64 {
        if self.words == 0 || self.sentences == 0 {
            return 100.0;
        }
        let words = self.words as f64;
        206.835 - 1.015 * (words / self.sentences as f64) - 84.6 * (self.syllables as f64 / words)
    }
}

/// Counts a text, treating each line and each `.`, `!` or `?` as the end of a sentence.
pub fn count(text: &str) -> TextCounts {
    let mut counts = TextCounts::default();
    for piece in text.split(['.', '!', '?', '\n']) {
        let words: Vec<&str> = piece
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .collect();
        if !words.is_empty() {
            counts.sentences += 1;
            counts.words += words.len();
            counts.syllables += words.iter().map(|w| syllables(w)).sum::<usize>();
        }
    }
    counts
}

/// Reading ease of several texts taken together as one.
pub fn score<'a>(texts: impl IntoIterator<Item = &'a str>) -> f64 {
    texts
        .into_iter()
        .map(count)
        .fold(TextCounts::default(), |a, b| a + b)
        .flesch_reading_ease()
}

/// Estimated syllables in one word.
pub fn syllables(word: &str) -> usize {
    let lower = word.to_lowercase();
    if !lower.chars().any(|c| c.is_ascii_lowercase()) {
        return 1;
    }
    let mut w: String = lower.chars().filter(char::is_ascii_lowercase).collect();
    if w.len() <= 3 {
        return 1;
    }
    let is_vowel = |c: u8| b"aeiouy".contains(&c);
    let b = w.as_bytes();
    let n = b.len();
    // Drop a silent ending: "-es"/"-e" after a consonant other than l, and "-ed".
    if b.ends_with(b"ed") || (b.ends_with(b"es") && !is_vowel(b[n - 3]) && b[n - 3] != b'l') {
        w.truncate(n - 2);
    } else if b[n - 1] == b'e' && !is_vowel(b[n - 2]) && b[n - 2] != b'l' {
        w.truncate(n - 1);
    }
    if w.starts_with('y') {
        w.remove(0);
    }
    // Count runs of vowels, two at a time at most.
    let mut groups = 0;
    let mut run = 0;
    for c in w.bytes() {
        if is_vowel(c) {
            if run % 2 == 0 {
                groups += 1;
            }
            run += 1;
        } else {
            run = 0;
        }
    }
    groups.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_count_as_one_syllable() {
        assert_eq!(syllables("the"), 1);
        assert_eq!(syllables("999"), 1);
        assert_eq!(syllables("cat"), 1);
    }

    #[test]
    fn longer_words_count_vowel_groups() {
        assert_eq!(syllables("doctor"), 2);
        assert_eq!(syllables("immigration"), 4);
        assert_eq!(syllables("make"), 1);
        assert_eq!(syllables("table"), 2);
        assert_eq!(syllables("wanted"), 1);
    }

    #[test]
    fn lines_and_full_stops_end_sentences() {
        let c = count("You can see a GP.\nYou do not need papers");
        assert_eq!(c.sentences, 2);
        assert_eq!(c.words, 10);
    }

    #[test]
    fn plain_text_scores_higher_than_legal_text() {
        let plain = score(["You can see a GP. You do not need to show papers."]);
        let legal = score([
            "Notwithstanding the aforementioned regulatory provisions, organisations processing \
             personal information must demonstrate proportionality considerations.",
        ]);
        assert!(plain > 80.0, "plain text scored {plain}");
        assert!(legal < 20.0, "legal text scored {legal}");
    }

    #[test]
    fn empty_text_is_not_penalised() {
        assert_eq!(score([""]), 100.0);
    }
}
