//! Storing moderators' corrections (`comments:suggestscore`) as hand labels
//! that `referee train --labels DIR` learns from.
//!
//! Layout of the suggestion directory:
//! - `threads/suggestions.jsonl`: one JSON Lines thread per distinct comment
//!   (with its context), id `suggest-<hash>`, the comment's id `comment`;
//! - `suggestions.jsonl`: one [`LabelRecord`] per suggestion, appended and
//!   synced to disk before the response is sent.
//!
//! A suggestion asserts the labels of the attributes it names (score ≥ 0.5
//! means the label applies). Labels it does not name keep the value of the
//! latest earlier suggestion for the same comment, and are `false` when there
//! is none.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use referee_labels::{LabelRecord, LabelWriter, Labels};
use referee_train::Label;

use crate::context::{stable_thread_id, thread_for, COMMENT_ID};
use crate::error::{Error, Result};
use crate::perspective::SuggestRequest;

/// Who the label records name as their author.
pub const SUGGESTION_AUTHOR: &str = "suggestscore";

/// Where a suggestion was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Thread id (`suggest-<hash>`).
    pub thread: String,
    /// The labels recorded.
    pub labels: Labels,
}

/// The suggestion directory, open for appending.
pub struct SuggestionStore {
    dir: PathBuf,
    files: Mutex<Files>,
}

struct Files {
    threads_path: PathBuf,
    threads: File,
    written: HashSet<String>,
    labels: LabelWriter,
    latest: HashMap<String, Labels>,
}

impl SuggestionStore {
    /// Opens (creating when missing) the suggestion directory `dir`.
    pub fn open(dir: &Path) -> Result<SuggestionStore> {
        let threads_dir = dir.join("threads");
        std::fs::create_dir_all(&threads_dir).map_err(|source| Error::Io {
            path: threads_dir.clone(),
            source,
        })?;
        let threads_path = threads_dir.join("suggestions.jsonl");
        let written = existing_thread_ids(&threads_path)?;
        let threads = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&threads_path)
            .map_err(|source| Error::Io {
                path: threads_path.clone(),
                source,
            })?;
        let labels_path = dir.join("suggestions.jsonl");
        let labels = LabelWriter::open(&labels_path).map_err(|e| Error::Labels(e.to_string()))?;
        let mut latest = HashMap::new();
        let records =
            referee_labels::read_file(&labels_path).map_err(|e| Error::Labels(e.to_string()))?;
        for record in referee_labels::latest(records) {
            latest.insert(record.thread.clone(), record.labels());
        }
        Ok(SuggestionStore {
            dir: dir.to_path_buf(),
            files: Mutex::new(Files {
                threads_path,
                threads,
                written,
                labels,
                latest,
            }),
        })
    }

    /// The suggestion directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stores one suggestion durably: its thread (once per distinct
    /// comment and context), then its label record.
    pub fn store(&self, suggestion: &SuggestRequest) -> Result<Stored> {
        let id = stable_thread_id(&suggestion.text, &suggestion.context);
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if !files.written.contains(&id) {
            let thread = thread_for(&id, &suggestion.text, &suggestion.context);
            let mut line = serde_json::to_vec(&thread).map_err(|e| Error::Labels(e.to_string()))?;
            line.push(b'\n');
            let path = files.threads_path.clone();
            files
                .threads
                .write_all(&line)
                .and_then(|()| files.threads.sync_data())
                .map_err(|source| Error::Io { path, source })?;
            files.written.insert(id.clone());
        }
        let mut labels = files.latest.get(&id).copied().unwrap_or(Labels::NONE);
        let mut asserted: HashMap<Label, bool> = HashMap::new();
        for (_, label, value) in &suggestion.scores {
            // Several attributes may map to one label: any positive wins.
            let entry = asserted.entry(*label).or_insert(false);
            *entry |= *value >= 0.5;
        }
        for (label, value) in &asserted {
            match label {
                Label::Abuse => labels.abuse = *value,
                Label::AdHominem => labels.ad_hominem = *value,
                Label::OffTopic => labels.off_topic = *value,
            }
        }
        let note = suggestion
            .scores
            .iter()
            .map(|(name, _, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join(" ");
        let record = LabelRecord::new(&id, COMMENT_ID, labels, SUGGESTION_AUTHOR)
            .with_note(format!("suggestscore {note}"));
        files
            .labels
            .append(&record)
            .map_err(|e| Error::Labels(e.to_string()))?;
        files.latest.insert(id.clone(), labels);
        Ok(Stored { thread: id, labels })
    }
}

/// Ids of the threads already in the suggestion threads file.
fn existing_thread_ids(path: &Path) -> Result<HashSet<String>> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: String,
    }
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashSet::new()),
        Err(source) => {
            return Err(Error::Io {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let mut ids = HashSet::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<IdOnly>(line) {
            Ok(t) => {
                ids.insert(t.id);
            }
            // A torn last line from a crash: the thread is written again.
            Err(e) => {
                tracing::warn!(file = %path.display(), line = i + 1, error = %e, "skipping unreadable suggestion thread")
            }
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perspective::CommentContext;

    fn suggestion(text: &str, scores: &[(&str, Label, f64)]) -> SuggestRequest {
        SuggestRequest {
            text: text.into(),
            context: CommentContext::ArticleAndParent {
                article: Some("post".into()),
                parent: Some("parent".into()),
            },
            scores: scores
                .iter()
                .map(|(n, l, v)| (n.to_string(), *l, *v))
                .collect(),
            languages: vec![],
            client_token: None,
        }
    }

    #[test]
    fn stores_threads_once_and_merges_labels() {
        let dir = tempfile::tempdir().unwrap();
        let store = SuggestionStore::open(dir.path()).unwrap();
        let first = store
            .store(&suggestion("you clown", &[("TOXICITY", Label::Abuse, 0.9)]))
            .unwrap();
        assert!(first.labels.abuse && !first.labels.ad_hominem);
        let second = store
            .store(&suggestion(
                "you clown",
                &[("ATTACK_ON_AUTHOR", Label::AdHominem, 1.0)],
            ))
            .unwrap();
        assert_eq!(first.thread, second.thread);
        assert!(second.labels.abuse && second.labels.ad_hominem);
        drop(store);

        let threads =
            std::fs::read_to_string(dir.path().join("threads/suggestions.jsonl")).unwrap();
        assert_eq!(threads.lines().count(), 1);
        let parsed: referee_thread::Thread = serde_json::from_str(threads.trim()).unwrap();
        assert_eq!(parsed.id, first.thread);
        assert_eq!(parsed.text.as_deref(), Some("post"));
        assert_eq!(parsed.comments.last().unwrap().text, "you clown");

        let records = referee_labels::read_file(&dir.path().join("suggestions.jsonl")).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].comment, COMMENT_ID);

        // Reopened, the store remembers both the thread and the labels.
        let store = SuggestionStore::open(dir.path()).unwrap();
        let third = store
            .store(&suggestion("you clown", &[("TOXICITY", Label::Abuse, 0.0)]))
            .unwrap();
        assert!(!third.labels.abuse && third.labels.ad_hominem);
        let threads =
            std::fs::read_to_string(dir.path().join("threads/suggestions.jsonl")).unwrap();
        assert_eq!(threads.lines().count(), 1);
    }
}
