//! Comments told apart only by blank lines (Reddit mirrors, Mastodon
//! threads copied as text): after the first gap of two or more blank lines,
//! each paragraph is a comment, provided the later gaps are all single blank
//! lines or all wider (a post's own paragraphs and headings give gaps of
//! both kinds).

use super::lines::is_chrome;
use super::Found;

/// A run of non-blank lines: first line, one past the last.
struct Block {
    start: usize,
    end: usize,
}

fn blocks(lines: &[&str]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut start = None;
    for (at, line) in lines.iter().enumerate() {
        match (line.trim().is_empty(), start) {
            (false, None) => start = Some(at),
            (true, Some(from)) => {
                blocks.push(Block {
                    start: from,
                    end: at,
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        blocks.push(Block {
            start: from,
            end: lines.len(),
        });
    }
    blocks
}

/// Reads one comment per paragraph after the first wide gap; `None` when
/// the gaps do not show that rhythm, or fewer than three comments follow.
pub(crate) fn read(lines: &[&str]) -> Option<(usize, Vec<Found>)> {
    let blocks = blocks(lines);
    let gap = |k: usize| blocks[k + 1].start - blocks[k].end;
    // Blank lines before the first paragraph are a gap after the title.
    let leading = blocks.first().is_some_and(|b| b.start >= 2);
    let first = if leading {
        0
    } else {
        1 + (0..blocks.len().saturating_sub(1)).find(|&k| gap(k) >= 2)?
    };
    let after = &blocks[first..];
    let wide = (after.len() >= 2).then(|| gap(first) >= 2)?;
    if (first..blocks.len() - 1).any(|k| (gap(k) >= 2) != wide) {
        return None;
    }
    let comments: Vec<Found> = after
        .iter()
        .map(|block| Found {
            lines: lines[block.start..block.end]
                .iter()
                .filter(|l| !is_chrome(l))
                .map(|l| l.trim().to_owned())
                .collect(),
            ..Found::default()
        })
        .filter(|found| !found.lines.is_empty())
        .collect();
    (comments.len() >= 3).then(|| (after[0].start, comments))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_after_a_wide_gap() {
        let page = [
            "Post.",
            "",
            "More post.",
            "",
            "",
            "One.",
            "",
            "Two.",
            "",
            "Three.",
        ];
        let (start, found) = read(&page).unwrap();
        assert_eq!((start, found.len()), (5, 3));
        let mixed = [
            "Post.", "", "", "Heading", "", "Text.", "", "", "More.", "", "End.",
        ];
        assert!(read(&mixed).is_none());
    }
}
