//! Hand labels from the label store, joined to the threads kept in the
//! project.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use referee_thread::Thread;

use crate::data::{LabelledThread, Targets};
use crate::error::{Result, TrainError};
use crate::score::Label;

/// Reads every thread of the `*.jsonl` files in `dirs` (one thread object
/// per line). Directories that do not exist are skipped.
pub fn read_thread_dirs(dirs: &[PathBuf]) -> Result<Vec<Thread>> {
    let mut threads = Vec::new();
    for dir in dirs {
        if !dir.is_dir() {
            tracing::debug!("no thread directory {}", dir.display());
            continue;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| TrainError::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        files.sort();
        for path in files {
            threads.extend(read_thread_file(&path)?);
        }
    }
    Ok(threads)
}

/// Reads a JSON Lines file of thread objects.
pub fn read_thread_file(path: &Path) -> Result<Vec<Thread>> {
    let text = std::fs::read_to_string(path).map_err(|e| TrainError::io(path, e))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let thread: Thread = serde_json::from_str(line).map_err(|e| {
            TrainError::parse(path, n + 1, format!("expected a thread object: {e}"))
        })?;
        out.push(thread);
    }
    Ok(out)
}

/// Joins the latest label of every comment in `labels_dir` to its thread.
/// Only labelled threads are returned; every comment of them is kept as
/// context, labelled or not. A label naming an unknown thread or comment is
/// an error naming its file and line.
pub fn read_hand_labels(
    labels_dir: &Path,
    threads: Vec<Thread>,
    weight: f32,
) -> Result<Vec<LabelledThread>> {
    let entries = referee_labels::read_dir_entries(labels_dir)
        .map_err(|e| TrainError::Data(e.to_string()))?;
    let mut where_read: HashMap<(String, String), (PathBuf, usize)> = HashMap::new();
    for e in &entries {
        where_read.insert(
            (e.record.thread.clone(), e.record.comment.clone()),
            (e.path.clone(), e.line),
        );
    }
    let records = referee_labels::latest(entries.into_iter().map(|e| e.record));
    let mut by_thread: HashMap<&str, usize> = HashMap::new();
    for (i, t) in threads.iter().enumerate() {
        by_thread.entry(t.id.as_str()).or_insert(i);
    }
    let mut targets: Vec<Option<Vec<Targets>>> = vec![None; threads.len()];
    for r in &records {
        let unknown = |what: &str| {
            let (path, line) = where_read
                .get(&(r.thread.clone(), r.comment.clone()))
                .cloned()
                .unwrap_or_default();
            TrainError::parse(path, line, format!("label for unknown {what}"))
        };
        let &t = by_thread
            .get(r.thread.as_str())
            .ok_or_else(|| unknown(&format!("thread {:?}", r.thread)))?;
        let c = threads[t]
            .comments
            .iter()
            .position(|c| c.id == r.comment)
            .ok_or_else(|| unknown(&format!("comment {:?} of thread {:?}", r.comment, r.thread)))?;
        let slot = targets[t].get_or_insert_with(|| vec![Targets::NONE; threads[t].comments.len()]);
        slot[c] = Targets::NONE
            .with(Label::Abuse, r.abuse, weight)
            .with(Label::AdHominem, r.ad_hominem, weight)
            .with(Label::OffTopic, r.off_topic, weight);
    }
    Ok(threads
        .into_iter()
        .zip(targets)
        .filter_map(|(thread, targets)| {
            Some(LabelledThread {
                source: "labels".into(),
                group: format!("labels:{}", thread.id),
                evaluate: true,
                targets: targets?,
                thread,
            })
        })
        .collect())
}
