//! Labelled rows as JSON Lines: the export of the exact rows and folds of
//! an evaluation (for outside baselines), and the input of evaluating a
//! fixed model on held-out data.
//!
//! One object per line: `{"source":"olid","group":"olid:123","fold":2,
//! "text":"...","labels":{"abuse":true,"ad_hominem":false,"off_topic":null}}`.
//! Reading also accepts `abuse`/`ad_hominem`/`off_topic` at the top level,
//! and an optional `"post":{"title":..,"text":..}` and `"parent":"<text>"`
//! to score the row in context.

use std::io::Write;
use std::path::Path;

use referee_thread::{Comment, Thread};
use serde::{Deserialize, Serialize};

use crate::data::{LabelledThread, Targets};
use crate::error::{Result, TrainError};
use crate::score::Label;

/// The three labels of a row; `None` where the source does not label it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RowLabels {
    /// Abuse.
    #[serde(default)]
    pub abuse: Option<bool>,
    /// Ad hominem.
    #[serde(default)]
    pub ad_hominem: Option<bool>,
    /// Off topic.
    #[serde(default)]
    pub off_topic: Option<bool>,
}

/// One labelled row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Data source.
    #[serde(default)]
    pub source: String,
    /// Fold group.
    #[serde(default)]
    pub group: String,
    /// Fold number.
    #[serde(default)]
    pub fold: usize,
    /// The comment's text.
    pub text: String,
    /// Its labels.
    #[serde(default)]
    pub labels: RowLabels,
}

#[derive(Deserialize)]
struct Post {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
struct InputRow {
    #[serde(flatten)]
    row: Row,
    #[serde(default)]
    abuse: Option<bool>,
    #[serde(default)]
    ad_hominem: Option<bool>,
    #[serde(default)]
    off_topic: Option<bool>,
    #[serde(default)]
    post: Option<Post>,
    #[serde(default)]
    parent: Option<String>,
}

/// Writes the real (not synthetic) labelled comments of `data` with their
/// folds.
pub fn write_rows(path: &Path, data: &[LabelledThread], folds: &[usize]) -> Result<usize> {
    let file = std::fs::File::create(path).map_err(|e| TrainError::io(path, e))?;
    let mut out = std::io::BufWriter::new(file);
    let mut n = 0;
    for (lt, &fold) in data.iter().zip(folds) {
        if !lt.evaluate {
            continue;
        }
        for (c, t) in lt.thread.comments.iter().zip(&lt.targets) {
            if !t.any() {
                continue;
            }
            let row = Row {
                source: lt.source.clone(),
                group: lt.group.clone(),
                fold,
                text: c.text.clone(),
                labels: RowLabels {
                    abuse: t.get(Label::Abuse),
                    ad_hominem: t.get(Label::AdHominem),
                    off_topic: t.get(Label::OffTopic),
                },
            };
            serde_json::to_writer(&mut out, &row).expect("rows serialise");
            out.write_all(b"\n").map_err(|e| TrainError::io(path, e))?;
            n += 1;
        }
    }
    out.flush().map_err(|e| TrainError::io(path, e))?;
    Ok(n)
}

/// One labelled thread as `write_threads` writes it: the thread in the
/// JSON Lines input format of `referee score`, and per comment its labels.
#[derive(Serialize)]
struct ThreadLine<'a> {
    source: &'a str,
    group: &'a str,
    thread: &'a referee_thread::Thread,
    labels: Vec<RowLabels>,
}

/// Writes the real (not synthetic) labelled threads of `data`, one JSON
/// object per line: what a model was trained on, for evaluations that
/// score it thread by thread or fit other models on the same comments.
pub fn write_threads(path: &Path, data: &[LabelledThread]) -> Result<usize> {
    let file = std::fs::File::create(path).map_err(|e| TrainError::io(path, e))?;
    let mut out = std::io::BufWriter::new(file);
    let mut n = 0;
    for lt in data.iter().filter(|t| t.evaluate) {
        let line = ThreadLine {
            source: &lt.source,
            group: &lt.group,
            thread: &lt.thread,
            labels: lt
                .targets
                .iter()
                .map(|t| RowLabels {
                    abuse: t.get(Label::Abuse),
                    ad_hominem: t.get(Label::AdHominem),
                    off_topic: t.get(Label::OffTopic),
                })
                .collect(),
        };
        serde_json::to_writer(&mut out, &line).expect("threads serialise");
        out.write_all(b"\n").map_err(|e| TrainError::io(path, e))?;
        n += 1;
    }
    out.flush().map_err(|e| TrainError::io(path, e))?;
    Ok(n)
}

/// Reads labelled rows, each as a thread of its own (with its post and
/// parent when given).
pub fn read_rows(path: &Path) -> Result<Vec<LabelledThread>> {
    let text = std::fs::read_to_string(path).map_err(|e| TrainError::io(path, e))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let input: InputRow = serde_json::from_str(line)
            .map_err(|e| TrainError::parse(path, n + 1, format!("expected a labelled row: {e}")))?;
        let labels = RowLabels {
            abuse: input.row.labels.abuse.or(input.abuse),
            ad_hominem: input.row.labels.ad_hominem.or(input.ad_hominem),
            off_topic: input.row.labels.off_topic.or(input.off_topic),
        };
        let mut targets = Targets::NONE;
        for (label, v) in [
            (Label::Abuse, labels.abuse),
            (Label::AdHominem, labels.ad_hominem),
            (Label::OffTopic, labels.off_topic),
        ] {
            if let Some(v) = v {
                targets = targets.with(label, v, 1.0);
            }
        }
        if !targets.any() {
            return Err(TrainError::parse(path, n + 1, "row has no label"));
        }
        let id = format!("row{}", n + 1);
        let mut comments = Vec::new();
        let mut all_targets = Vec::new();
        if let Some(parent) = input.parent {
            comments.push(Comment {
                id: "parent".into(),
                text: parent,
                ..Comment::default()
            });
            all_targets.push(Targets::NONE);
        }
        comments.push(Comment {
            id: id.clone(),
            parent: (!comments.is_empty()).then(|| "parent".to_string()),
            text: input.row.text,
            ..Comment::default()
        });
        all_targets.push(targets);
        let source = if input.row.source.is_empty() {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "data".into())
        } else {
            input.row.source
        };
        out.push(LabelledThread {
            group: if input.row.group.is_empty() {
                format!("{source}:{id}")
            } else {
                input.row.group
            },
            source,
            evaluate: true,
            thread: Thread {
                id,
                title: input.post.as_ref().and_then(|p| p.title.clone()),
                text: input.post.and_then(|p| p.text),
                comments,
                ..Thread::default()
            },
            targets: all_targets,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_and_errors_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rows.jsonl");
        std::fs::write(
            &path,
            "{\"text\":\"you fool\",\"abuse\":true}\n{\"source\":\"s\",\"text\":\"hi\",\"labels\":{\"off_topic\":false},\"parent\":\"hello\"}\n",
        )
        .unwrap();
        let data = read_rows(&path).unwrap();
        assert_eq!(data.len(), 2);
        assert_eq!(data[0].targets[0].get(Label::Abuse), Some(true));
        assert_eq!(data[1].thread.comments.len(), 2);
        let out = dir.path().join("out.jsonl");
        assert_eq!(write_rows(&out, &data, &[0, 1]).unwrap(), 2);
        let again = read_rows(&out).unwrap();
        assert_eq!(
            again[1].targets.last().unwrap().get(Label::OffTopic),
            Some(false)
        );
        std::fs::write(&path, "{\"text\":\"x\"}\n").unwrap();
        let err = read_rows(&path).unwrap_err().to_string();
        assert!(
            err.contains("rows.jsonl:1") && err.contains("no label"),
            "{err}"
        );
    }

    #[test]
    fn threads_are_written_with_their_labels_and_without_synthetic_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rows.jsonl");
        std::fs::write(
            &path,
            "{\"source\":\"s\",\"text\":\"hi\",\"labels\":{\"off_topic\":false},\"parent\":\"hello\"}\n",
        )
        .unwrap();
        let mut data = read_rows(&path).unwrap();
        let mut synthetic = data[0].clone();
        synthetic.evaluate = false;
        data.push(synthetic);
        let out = dir.path().join("threads.jsonl");
        assert_eq!(write_threads(&out, &data).unwrap(), 1);
        let line: serde_json::Value =
            serde_json::from_str(std::fs::read_to_string(&out).unwrap().trim()).unwrap();
        assert_eq!(line["thread"]["comments"][1]["parent"], "parent");
        assert_eq!(line["labels"][0]["off_topic"], serde_json::Value::Null);
        assert_eq!(line["labels"][1]["off_topic"], false);
        let thread: referee_thread::Thread =
            serde_json::from_value(line["thread"].clone()).unwrap();
        assert_eq!(thread.comments.len(), 2);
    }
}
