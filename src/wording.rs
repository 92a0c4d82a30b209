//! Words the command line and the app share, so a count always agrees with its noun.

/// The count and the noun in the right number: "1 letter", "3 letters", "0 replies".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(plural(1, "problem", "problems"), "1 problem");
        assert_eq!(plural(0, "reply", "replies"), "0 replies");
        assert_eq!(plural(2, "letter", "letters"), "2 letters");
    }
}
