//! Toxic Spans (Pavlopoulos et al. 2021): Civil Comments news comments with
//! each rater's toxic spans, typed.
//!
//! The posts were picked because Civil Comments raters had already called
//! them toxic, so a post most raters here find harmless is no clean
//! negative. What the corpus gives cleanly is the contrast inside a toxic
//! post, sentence by sentence: a sentence where most of the post's raters
//! mark an insult, a threat or an identity-based attack is abuse, and the
//! sentences no rater marked at all are ordinary news-comment prose, the
//! negatives of the same register. Whole posts as positives would teach
//! that the register itself (streets, councils, families) is abuse.

use std::collections::HashMap;
use std::path::Path;

use super::groups::{normalised, Groups};
use super::{csv_error, single};
use crate::data::{LabelledThread, Targets};
use crate::error::{Result, TrainError};
use crate::score::Label;

/// Weight of a Toxic Spans row: the corpus is large and all one register,
/// and its positives must not outweigh the comment sections that also
/// teach what is not abuse.
pub const TOXIC_SPANS_WEIGHT: f32 = 0.5;

/// Span types that are abuse by LABELLING.md; profanity and "other
/// toxicity" are not by themselves.
const ABUSE_TYPES: [&str; 3] = ["Insult", "Threat", "Identity based Attack"];

/// Fewest words in an unmarked sentence kept as a negative: shorter ones
/// ("Really?") say nothing either way.
const MIN_NEGATIVE_WORDS: usize = 5;

#[derive(Default)]
struct Rater {
    all_toxic_only: bool,
    spans: Vec<(usize, usize)>,
    /// The spans of an abuse type.
    abuse_spans: Vec<(usize, usize)>,
}

impl Rater {
    /// A rater counts as toxic with a span or with only "all toxic" ticked.
    fn toxic(&self) -> bool {
        !self.spans.is_empty() || self.all_toxic_only
    }
}

fn is_abuse_type(t: &str) -> bool {
    !t.is_empty() && ABUSE_TYPES.iter().any(|full| full.starts_with(t))
}

fn bool_cell(path: &Path, line: usize, v: &str) -> Result<bool> {
    match v {
        "True" => Ok(true),
        "False" => Ok(false),
        other => Err(TrainError::parse(
            path,
            line,
            format!("{other:?} is neither True nor False"),
        )),
    }
}

fn reader(path: &Path) -> Result<csv::Reader<std::fs::File>> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| csv_error(path, e))
}

fn line_of(r: &csv::StringRecord) -> usize {
    r.position().map(|p| p.line() as usize).unwrap_or(0)
}

fn number(path: &Path, line: usize, v: &str) -> Result<usize> {
    v.trim()
        .parse()
        .map_err(|_| TrainError::parse(path, line, format!("{v:?} is not a number")))
}

/// Reads `comments.csv`, `annotations.csv` and `spans.csv` from `dir`.
pub fn read_toxic_spans(dir: &Path) -> Result<Vec<LabelledThread>> {
    let annotations = dir.join("annotations.csv");
    let mut raters: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_annotation: HashMap<String, Rater> = HashMap::new();
    let mut order = Vec::new();
    for record in reader(&annotations)?.records() {
        let r = record.map_err(|e| csv_error(&annotations, e))?;
        let line = line_of(&r);
        let field = |i: usize| r.get(i).unwrap_or("");
        let (all, not) = (
            bool_cell(&annotations, line, field(4))?,
            bool_cell(&annotations, line, field(5))?,
        );
        let id = field(0).to_string();
        raters
            .entry(field(1).to_string())
            .or_default()
            .push(order.len());
        order.push(id.clone());
        by_annotation.insert(
            id,
            Rater {
                all_toxic_only: all && !not,
                ..Rater::default()
            },
        );
    }
    let spans = dir.join("spans.csv");
    for record in reader(&spans)?.records() {
        let r = record.map_err(|e| csv_error(&spans, e))?;
        let line = line_of(&r);
        let field = |i: usize| r.get(i).unwrap_or("");
        let rater = by_annotation.get_mut(field(0)).ok_or_else(|| {
            TrainError::parse(&spans, line, format!("unknown annotation {}", field(0)))
        })?;
        let (start, end) = (
            number(&spans, line, field(2))?,
            number(&spans, line, field(3))?,
        );
        rater.spans.push((start, end));
        if is_abuse_type(field(1)) {
            rater.abuse_spans.push((start, end));
        }
    }
    let comments = dir.join("comments.csv");
    let mut out = Vec::new();
    let mut groups = Groups::default();
    let mut pending = Vec::new();
    for record in reader(&comments)?.records() {
        let r = record.map_err(|e| csv_error(&comments, e))?;
        let id = r.get(0).unwrap_or("").to_string();
        let text = r.get(1).unwrap_or("").to_string();
        let Some(rows) = raters.get(&id) else {
            continue;
        };
        let post: Vec<&Rater> = rows.iter().map(|&i| &by_annotation[&order[i]]).collect();
        let n = post.len();
        let toxic = post.iter().filter(|r| r.toxic()).count();
        if toxic * 2 <= n {
            continue;
        }
        let group = groups.add(&[normalised(&text)]);
        let abuse_spans: Vec<&[(usize, usize)]> =
            post.iter().map(|r| r.abuse_spans.as_slice()).collect();
        for (k, sentence) in abusive_sentences(&text, &abuse_spans)
            .into_iter()
            .enumerate()
        {
            pending.push((group, format!("{id}.a{k}"), sentence, true));
        }
        // "All toxic" marks the whole post.
        let marked: Vec<(usize, usize)> = post
            .iter()
            .flat_map(|r| {
                let whole = r.all_toxic_only.then_some((0, usize::MAX));
                r.spans.iter().copied().chain(whole)
            })
            .collect();
        for (k, sentence) in unmarked_sentences(&text, &marked).into_iter().enumerate() {
            pending.push((group, format!("{id}.{k}"), sentence, false));
        }
    }
    for (group, id, text, abuse) in pending {
        let group = groups.group(group);
        out.push(single(
            "toxic-spans",
            format!("toxic-spans:{group}"),
            id,
            text,
            Targets::NONE.with(Label::Abuse, abuse, TOXIC_SPANS_WEIGHT),
        ));
    }
    Ok(out)
}

/// The sentences of `text` in which most raters (each given by their
/// abuse spans, character ranges) marked abuse.
fn abusive_sentences(text: &str, raters: &[&[(usize, usize)]]) -> Vec<String> {
    char_ranges(text)
        .filter(|&(start, end, _)| {
            let marking = raters
                .iter()
                .filter(|spans| spans.iter().any(|&(a, b)| a < end && start < b))
                .count();
            marking * 2 > raters.len()
        })
        .map(|(_, _, sentence)| sentence.to_string())
        .collect()
}

/// Every sentence of `text` with its character range.
fn char_ranges(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    referee_text::sentences(text).map(move |(byte, sentence)| {
        let start = text[..byte].chars().count();
        (start, start + sentence.chars().count(), sentence)
    })
}

/// The sentences of `text` (of at least [`MIN_NEGATIVE_WORDS`] words) that
/// overlap none of the character ranges `marked`.
fn unmarked_sentences(text: &str, marked: &[(usize, usize)]) -> Vec<String> {
    char_ranges(text)
        .filter_map(|(start, end, sentence)| {
            let touched = marked.iter().any(|&(a, b)| a < end && start < b);
            let words = sentence.split_whitespace().count();
            (!touched && words >= MIN_NEGATIVE_WORDS).then(|| sentence.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_most_raters_mark_as_abuse_are_positives_unmarked_ones_negatives() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("comments.csv"),
            "comment_id,comment_text\n\
             1,The council met on Monday to discuss the budget. You are a moron.\n\
             2,What a load of rubbish this whole article is today.\n\
             3,Nice weather for the parade this weekend in town.\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("annotations.csv"),
            "annotation,comment_id,worker,country,all toxic,not toxic\n\
             0,1,1,USA,False,False\n1,1,2,USA,False,False\n2,1,3,USA,True,True\n\
             3,2,1,USA,True,False\n4,2,2,USA,True,False\n5,2,3,USA,False,False\n\
             6,3,1,USA,True,True\n7,3,2,USA,False,False\n8,3,3,USA,False,False\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("spans.csv"),
            "annotation,type,start,end\n0,Insult,58,63\n1,Insu,58,63\n",
        )
        .unwrap();
        let rows = read_toxic_spans(dir.path()).unwrap();
        let got: Vec<(&str, Option<bool>)> = rows
            .iter()
            .map(|t| {
                (
                    t.thread.comments[0].text.as_str(),
                    t.targets[0].get(Label::Abuse),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("You are a moron.", Some(true)),
                (
                    "The council met on Monday to discuss the budget.",
                    Some(false)
                ),
            ],
            "post 1's insult is its own sentence; post 2 is toxic but untyped and \
             marked whole, post 3 not toxic"
        );
        assert_eq!(rows[0].group, rows[1].group);
    }

    #[test]
    fn a_bad_tick_names_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("comments.csv"), "comment_id,comment_text\n").unwrap();
        std::fs::write(
            dir.path().join("annotations.csv"),
            "annotation,comment_id,worker,country,all toxic,not toxic\n0,1,1,USA,maybe,False\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("spans.csv"), "annotation,type,start,end\n").unwrap();
        let err = read_toxic_spans(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("annotations.csv:2") && err.contains("maybe"),
            "{err}"
        );
    }
}
