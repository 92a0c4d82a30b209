//! Placing a flow of lines on pages, for letters and hand-outs alike. Lines chained by
//! `keep_with_next` form a group that goes to the next page whole when it does not fit
//! where it is but would fit on a page of its own; a group taller than a page starts where
//! it is and breaks where it must. The space above a line is dropped at the top of a page.
//! Across the page, a right-to-left block's lines end at the column's right edge.

use super::tagging::Direction;

/// What pagination needs to know of a line in the flow, in points.
pub(crate) trait Line {
    /// Space above the line, dropped at the top of a page.
    fn gap_before(&self) -> f32;
    /// The height of the line.
    fn leading(&self) -> f32;
    /// The font size, which sets where the baseline sits within the line's height.
    fn size(&self) -> f32;
    /// Must stay on the same page as the next line.
    fn keep_with_next(&self) -> bool;
    /// Starts a new page, unless the page so far is empty.
    fn starts_page(&self) -> bool {
        false
    }
}

/// Whether line `index` of a paragraph of `count` lines stays on the page of the next: a
/// paragraph of up to three lines stays whole, and a longer one keeps two lines together at
/// each end (no orphans or widows).
pub(crate) fn paragraph_keeps_with_next(index: usize, count: usize) -> bool {
    index + 1 < count && (count <= 3 || index == 0 || index + 2 == count)
}

/// Where a block's lines go across the page, in points from the left edge.
#[derive(Clone, Copy)]
pub(crate) struct Column {
    pub(crate) x: f32,
    pub(crate) width: f32,
    pub(crate) direction: Direction,
}

impl Column {
    /// Where a line `line_width` wide starts: on the side its script starts from.
    pub(crate) fn line_x(self, line_width: f32) -> f32 {
        match self.direction {
            Direction::LeftToRight => self.x,
            Direction::RightToLeft => self.x + self.width - line_width,
        }
    }

    /// The column of a list item's text: indented from the side the script starts on.
    pub(crate) fn list_body(self, indent: f32) -> Column {
        Column {
            x: match self.direction {
                Direction::LeftToRight => self.x + indent,
                Direction::RightToLeft => self.x,
            },
            width: self.width - indent,
            ..self
        }
    }
}

/// Where the flow may go on a page, in points down from the top edge.
pub(crate) struct PageArea {
    /// The top of the flow on the first page (a letter's address blocks sit above it).
    pub(crate) first_top: f32,
    /// The top of the flow on every later page.
    pub(crate) top: f32,
    /// No line reaches below this, unless it is alone on its page.
    pub(crate) bottom: f32,
}

/// Places the lines on pages, in order; `draw` turns each line, at its baseline (in points
/// down from the top edge), into what its page holds. There is always at least one page.
pub(crate) fn paginate<L: Line, T>(
    flow: Vec<L>,
    area: &PageArea,
    mut draw: impl FnMut(L, f32, &mut Vec<T>),
) -> Vec<Vec<T>> {
    let mut pages = Pages {
        pages: vec![Vec::new()],
        y: area.first_top,
        page_top: area.first_top,
        area,
    };
    let mut lines = flow.into_iter();
    let mut group: Vec<L> = Vec::new();
    while let Some(first) = lines.next() {
        let mut keep = first.keep_with_next();
        group.push(first);
        while keep && let Some(next) = lines.next() {
            keep = next.keep_with_next();
            group.push(next);
        }
        if !pages.at_top() && (group[0].starts_page() || pages.moves_over(&group)) {
            pages.next_page();
        }
        for line in group.drain(..) {
            pages.place(line, &mut draw);
        }
    }
    pages.pages
}

/// The pages so far and where the next line goes.
struct Pages<'a, T> {
    pages: Vec<Vec<T>>,
    /// The bottom of the last line placed (or the top of the page).
    y: f32,
    page_top: f32,
    area: &'a PageArea,
}

impl<T> Pages<'_, T> {
    fn at_top(&self) -> bool {
        (self.y - self.page_top).abs() < f32::EPSILON
    }

    fn next_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.area.top;
        self.page_top = self.area.top;
    }

    /// Whether a group goes to the next page: it does not fit below the last line placed,
    /// and would fit on a page of its own (where its first gap is dropped).
    fn moves_over<L: Line>(&self, group: &[L]) -> bool {
        let Some(first) = group.first() else {
            return false;
        };
        let height = group
            .iter()
            .map(|l| l.gap_before() + l.leading())
            .sum::<f32>()
            - first.gap_before();
        let fits_here = self.y + first.gap_before() + height <= self.area.bottom;
        let fits_a_page = self.area.top + height <= self.area.bottom;
        !fits_here && fits_a_page
    }

    /// Places one line below the last, on a new page if it would reach below the bottom.
    fn place<L: Line>(&mut self, line: L, draw: &mut impl FnMut(L, f32, &mut Vec<T>)) {
        let at_top = self.at_top();
        let gap = if at_top { 0.0 } else { line.gap_before() };
        let leading = line.leading();
        if !at_top && self.y + gap + leading > self.area.bottom {
            self.next_page();
        } else {
            self.y += gap;
        }
        self.y += leading;
        // The baseline sits a little below the middle of the line's height.
        let size = line.size();
        let baseline = self.y - (leading - size) / 2.0 - 0.2 * size;
        if let Some(page) = self.pages.last_mut() {
            draw(line, baseline, page);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line 10 points high, known by its number.
    struct TestLine {
        number: usize,
        gap_before: f32,
        keep_with_next: bool,
        starts_page: bool,
    }

    impl Line for TestLine {
        fn gap_before(&self) -> f32 {
            self.gap_before
        }
        fn leading(&self) -> f32 {
            10.0
        }
        fn size(&self) -> f32 {
            8.0
        }
        fn keep_with_next(&self) -> bool {
            self.keep_with_next
        }
        fn starts_page(&self) -> bool {
            self.starts_page
        }
    }

    /// Pages from 0 to 100 (eight lines with their gaps); the first page starts at 20.
    const AREA: PageArea = PageArea {
        first_top: 20.0,
        top: 0.0,
        bottom: 100.0,
    };

    /// A flow of single lines with a group of `group_len` lines starting at `group_at`.
    fn flow(len: usize, group_at: usize, group_len: usize) -> Vec<TestLine> {
        (0..len)
            .map(|number| TestLine {
                number,
                gap_before: 2.0,
                keep_with_next: (group_at..group_at + group_len - 1).contains(&number),
                starts_page: false,
            })
            .collect()
    }

    /// A line drawn: its number and baseline.
    struct Drawn {
        number: usize,
        baseline: f32,
    }

    fn paginate(flow: Vec<TestLine>, area: &PageArea) -> Vec<Vec<Drawn>> {
        super::paginate(flow, area, |line, baseline, page| {
            page.push(Drawn {
                number: line.number,
                baseline,
            });
        })
    }

    fn numbers(pages: &[Vec<Drawn>]) -> Vec<Vec<usize>> {
        pages
            .iter()
            .map(|page| page.iter().map(|p| p.number).collect())
            .collect()
    }

    #[test]
    fn a_long_paragraph_keeps_two_lines_together_at_each_end() {
        let keeps = |count| (0..count).map(move |i| paragraph_keeps_with_next(i, count));
        assert_eq!(keeps(3).collect::<Vec<_>>(), [true, true, false]);
        let six: Vec<bool> = keeps(6).collect();
        assert_eq!(six, [true, false, false, false, true, false]);
    }

    #[test]
    fn a_right_to_left_line_ends_at_the_right_edge_of_its_column() {
        let column = Column {
            x: 10.0,
            width: 100.0,
            direction: Direction::RightToLeft,
        };
        assert!((column.line_x(30.0) - 80.0).abs() < 0.001);
        let body = column.list_body(5.0);
        assert!((body.x - 10.0).abs() < 0.001 && (body.width - 95.0).abs() < 0.001);
        let left = Column {
            direction: Direction::LeftToRight,
            ..column
        };
        assert!((left.line_x(30.0) - 10.0).abs() < 0.001);
        assert!((left.list_body(5.0).x - 15.0).abs() < 0.001);
    }

    #[test]
    fn a_group_that_does_not_fit_goes_to_the_next_page_whole() {
        // From 20, four lines end at 20 + 10 + 3 * 12 = 66; a group of three would end at
        // 102, though its first two lines alone would fit (90).
        let pages = paginate(flow(12, 4, 3), &AREA);
        assert_eq!(
            numbers(&pages),
            vec![vec![0, 1, 2, 3], vec![4, 5, 6, 7, 8, 9, 10, 11]]
        );
        // The group's first gap is dropped at the top of its page.
        assert!((pages[1][0].baseline - 7.4).abs() < 0.001);
    }

    #[test]
    fn single_lines_fill_a_page_before_breaking() {
        let pages = paginate(flow(12, 0, 1), &AREA);
        assert_eq!(
            numbers(&pages),
            vec![vec![0, 1, 2, 3, 4, 5], vec![6, 7, 8, 9, 10, 11]]
        );
        let last_on_first = pages[0].last().expect("a line");
        assert!(last_on_first.baseline < AREA.bottom);
    }

    #[test]
    fn a_group_taller_than_a_page_starts_where_it_is() {
        let pages = paginate(flow(20, 2, 15), &AREA);
        let numbers = numbers(&pages);
        assert_eq!(
            numbers[0][..3],
            [0, 1, 2],
            "the group starts on the first page"
        );
        assert_eq!(numbers.concat(), (0..20).collect::<Vec<_>>());
    }

    #[test]
    fn a_line_that_starts_a_page_does_so_unless_the_page_is_empty() {
        let mut lines = flow(5, 0, 1);
        lines[0].starts_page = true;
        lines[3].starts_page = true;
        let pages = paginate(lines, &AREA);
        assert_eq!(numbers(&pages), vec![vec![0, 1, 2], vec![3, 4]]);
        // The first page's flow starts at its own top.
        assert!((pages[0][0].baseline - (AREA.first_top + 7.4)).abs() < 0.001);
    }

    #[test]
    fn no_line_is_lost_or_reordered_and_no_page_is_overfilled() {
        for len in 0..30 {
            for group_at in 0..len {
                for group_len in 1..=(len - group_at) {
                    let pages = paginate(flow(len, group_at, group_len), &AREA);
                    let numbers = numbers(&pages);
                    assert_eq!(numbers.concat(), (0..len).collect::<Vec<_>>());
                    assert!(numbers.iter().skip(1).all(|page| !page.is_empty()));
                    for page in &pages {
                        let bottoms = page.iter().map(|p| p.baseline + 2.6);
                        assert!(bottoms.clone().all(|bottom| bottom <= AREA.bottom + 0.001));
                        let baselines: Vec<f32> = page.iter().map(|p| p.baseline).collect();
                        assert!(baselines.windows(2).all(|w| w[0] < w[1]));
                    }
                    // A group that fits a page is never split, unless it starts the first page
                    // (which has less room).
                    if group_at > 0 && group_len <= 8 {
                        let page_of = |n: usize| numbers.iter().position(|p| p.contains(&n));
                        let last = group_at + group_len - 1;
                        assert_eq!(page_of(group_at), page_of(last), "{len} {group_at}");
                    }
                }
            }
        }
    }
}
