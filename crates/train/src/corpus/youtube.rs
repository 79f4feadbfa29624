//! The YouTube spam collection (Alberto et al. 2015): comments on five
//! music videos, spam being self-promotion (channel plugs, "check out my
//! ...", links). Spam is an off-topic signal only, and at half the rows it
//! is far commoner than in any comment section: its rows weigh little.

use std::path::Path;

use referee_thread::html_to_text;

use super::groups::{normalised, Groups};
use super::{binary_cell, csv_columns, csv_error, files_with_extension, single};
use crate::data::{LabelledThread, Targets};
use crate::error::Result;
use crate::score::Label;

/// Weight of a YouTube comment for off_topic.
pub const YOUTUBE_WEIGHT: f32 = 0.3;

/// The comment's text without what gives the label away: a trailing
/// U+FEFF (commoner in ham) and HTML markup and entities (commoner in
/// spam).
fn clean(text: &str) -> String {
    html_to_text(&text.replace('\u{feff}', " "))
}

/// Reads every `*.csv` of `dir` (`COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS`).
/// `DATE` is never read: in one file it is empty for exactly the spam.
pub fn read_youtube(dir: &Path) -> Result<Vec<LabelledThread>> {
    let files = files_with_extension(dir, "csv")?;
    let mut rows = Vec::new();
    let mut groups = Groups::default();
    for path in files {
        let (mut reader, [id, author, content, class]) =
            csv_columns(&path, ["COMMENT_ID", "AUTHOR", "CONTENT", "CLASS"])?;
        for record in reader.records() {
            let r = record.map_err(|e| csv_error(&path, e))?;
            let spam = binary_cell(&path, &r, class, "CLASS")?;
            let text = clean(r.get(content).unwrap_or(""));
            if text.is_empty() {
                continue;
            }
            let n = groups.add(&[
                format!("t:{}", normalised(&text)),
                format!("a:{}", r.get(author).unwrap_or("").trim()),
            ]);
            rows.push((n, r.get(id).unwrap_or("").to_string(), text, spam));
        }
    }
    Ok(rows
        .into_iter()
        .map(|(n, id, text, spam)| {
            single(
                "youtube-spam",
                format!("youtube-spam:{}", groups.group(n)),
                id,
                text,
                Targets::NONE.with(Label::OffTopic, spam, YOUTUBE_WEIGHT),
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_byte_order_marks_are_gone_and_authors_group() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Youtube01-X.csv"),
            "COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\n\
             a,Ann,,\"check out my channel<br />&amp; subscribe\",1\n\
             b,Bob,2014-01-01,love this song\u{feff},0\n\
             c,Ann,2014-01-02,great beat,0\n",
        )
        .unwrap();
        let rows = read_youtube(dir.path()).unwrap();
        let texts: Vec<&str> = rows
            .iter()
            .map(|t| t.thread.comments[0].text.as_str())
            .collect();
        assert_eq!(texts[1], "love this song");
        assert!(
            !texts[0].contains('<') && texts[0].contains("& subscribe"),
            "{}",
            texts[0]
        );
        assert_eq!(rows[0].targets[0].get(Label::OffTopic), Some(true));
        assert_eq!(rows[0].targets[0].get(Label::Abuse), None);
        assert_eq!(rows[0].group, rows[2].group);
        assert_ne!(rows[0].group, rows[1].group);
    }
}
