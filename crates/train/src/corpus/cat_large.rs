//! CAT-LARGE (Xenos et al. 2021): Wikipedia talk-page comments rated for
//! toxicity, one sample shown to raters with its parent comment (`gc.csv`)
//! and one without (`gn.csv`).
//!
//! Toxic follows the Jigsaw definition (rude, disrespectful), broader than
//! abuse, and the labels are noisy: positives count for less than
//! negatives. Mostly the corpus gives realistic negatives, many of them
//! replies to a parent, which is what teaches the context layer that a
//! reply to a heated parent is not itself abuse.

use std::path::Path;

use referee_thread::{Comment, Thread};

use super::groups::{normalised, Groups};
use super::{binary_cell, csv_columns, csv_error};
use crate::data::{LabelledThread, Targets};
use crate::error::Result;
use crate::score::Label;

/// Weight of a CAT-LARGE positive: many read as mild or harmless.
pub const CAT_LARGE_POSITIVE_WEIGHT: f32 = 0.3;

/// Weight of a CAT-LARGE negative.
pub const CAT_LARGE_NEGATIVE_WEIGHT: f32 = 1.0;

/// Weight of a non-toxic CAT-LARGE comment as an ad_hominem negative: a
/// civil reply on a talk page attacks nobody, but the raters were not
/// asked that question.
pub const CAT_LARGE_AD_HOMINEM_WEIGHT: f32 = 0.5;

/// Reads `gc.csv` (with parents) and `gn.csv` (without) from `dir`. The
/// `api` column, a Perspective API score, is never read.
pub fn read_cat_large(dir: &Path) -> Result<Vec<LabelledThread>> {
    let mut rows = Vec::new();
    for file in ["gc.csv", "gn.csv"] {
        let path = dir.join(file);
        let (mut reader, [id, text, parent, label]) =
            csv_columns(&path, ["id", "text", "parent", "label"])?;
        for record in reader.records() {
            let r = record.map_err(|e| csv_error(&path, e))?;
            let toxic = binary_cell(&path, &r, label, "label")?;
            rows.push((
                format!("{file}:{}", r.get(id).unwrap_or("")),
                r.get(text).unwrap_or("").trim().to_string(),
                r.get(parent).unwrap_or("").trim().to_string(),
                toxic,
            ));
        }
    }
    let mut groups = Groups::default();
    let numbers: Vec<usize> = rows
        .iter()
        .map(|(_, text, parent, _)| {
            let parent = if parent.is_empty() {
                String::new()
            } else {
                format!("p:{}", normalised(parent))
            };
            groups.add(&[format!("t:{}", normalised(text)), parent])
        })
        .collect();
    Ok(rows
        .into_iter()
        .zip(numbers)
        .filter(|((_, text, _, _), _)| !text.is_empty())
        .map(|((id, text, parent, toxic), n)| {
            let weight = if toxic {
                CAT_LARGE_POSITIVE_WEIGHT
            } else {
                CAT_LARGE_NEGATIVE_WEIGHT
            };
            let mut target = Targets::NONE.with(Label::Abuse, toxic, weight);
            if !toxic {
                target = target.with(Label::AdHominem, false, CAT_LARGE_AD_HOMINEM_WEIGHT);
            }
            let mut comments = Vec::new();
            let mut targets = Vec::new();
            if !parent.is_empty() {
                comments.push(Comment {
                    id: "parent".into(),
                    text: parent,
                    ..Comment::default()
                });
                targets.push(Targets::NONE);
            }
            comments.push(Comment {
                id: id.clone(),
                parent: (!comments.is_empty()).then(|| "parent".to_string()),
                text,
                ..Comment::default()
            });
            targets.push(target);
            LabelledThread {
                source: "cat-large".into(),
                group: format!("cat-large:{}", groups.group(n)),
                evaluate: true,
                thread: Thread {
                    id: format!("cat-large:{id}"),
                    comments,
                    ..Thread::default()
                },
                targets,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_come_with_their_parent_and_repeats_share_a_group() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("gc.csv"),
            "id,text,parent,label,api\n1,you are a vandal,Please stop editing.,1,0.9\n2,Thanks!,Please stop editing.,0,0.1\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("gn.csv"),
            "id,text,parent,label,api\n3,Thanks!,,0,0.1\n4,Fixed the citation.,,0,0.0\n",
        )
        .unwrap();
        let threads = read_cat_large(dir.path()).unwrap();
        assert_eq!(threads.len(), 4);
        assert_eq!(threads[0].thread.comments.len(), 2);
        assert_eq!(threads[0].targets[1].get(Label::Abuse), Some(true));
        assert_eq!(threads[0].targets[1].get(Label::AdHominem), None);
        assert_eq!(threads[1].targets[1].get(Label::AdHominem), Some(false));
        assert_eq!(threads[2].thread.comments.len(), 1);
        assert_eq!(
            threads[0].group, threads[2].group,
            "parent, then text repeat"
        );
        assert_ne!(threads[0].group, threads[3].group);
        std::fs::write(
            dir.path().join("gn.csv"),
            "id,text,parent,label,api\n3,x,,2,0\n",
        )
        .unwrap();
        let err = read_cat_large(dir.path()).unwrap_err().to_string();
        assert!(err.contains("gn.csv:2"), "{err}");
    }
}
