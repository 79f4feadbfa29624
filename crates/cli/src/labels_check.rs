//! `referee labels check`: every label file in the labels directory against
//! the threads kept in the project (seeds/*.jsonl, labels/threads/*.jsonl).
//! Errors (contradictions, labels of comments that are not kept, unreadable
//! threads) fail the check; warnings (positives without a note) fail it only
//! with `--strict`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use referee_thread::{InputFormat, Source, Thread};

use crate::args::LabelsCheckArgs;

pub fn run(args: &LabelsCheckArgs) -> anyhow::Result<ExitCode> {
    let entries = referee_labels::read_dir_entries(&args.labels)
        .with_context(|| format!("cannot read the label files in {}", args.labels.display()))?;
    let kept = KeptThreads::load(&args.threads)?;
    let known = |thread: &str, comment: &str| kept.has_comment(thread, comment);
    let problems = referee_labels::check_entries(&entries, &known);

    let (errors, warnings): (Vec<_>, Vec<_>) = problems.iter().partition(|p| p.kind.is_error());
    for problem in &errors {
        println!("error: {problem}");
    }
    for error in &kept.errors {
        println!("error: {error}");
    }
    for problem in &warnings {
        println!("warning: {problem}");
    }
    let files: HashSet<&Path> = entries.iter().map(|e| e.path.as_path()).collect();
    let error_count = errors.len() + kept.errors.len();
    eprintln!(
        "referee: {} label records in {} files, {} threads kept, {} errors, {} warnings",
        entries.len(),
        files.len(),
        kept.threads,
        error_count,
        warnings.len()
    );
    Ok(
        if error_count > 0 || (args.strict && !warnings.is_empty()) {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}

/// The comments of the threads kept in the project.
pub struct KeptThreads {
    comments: HashSet<(String, String)>,
    threads: usize,
    /// Thread files that could not be read, as `file: error` lines.
    pub errors: Vec<String>,
}

impl KeptThreads {
    /// Reads every `*.jsonl` directly in each of `dirs`; a directory that
    /// does not exist holds no threads.
    pub fn load(dirs: &[PathBuf]) -> anyhow::Result<KeptThreads> {
        let mut kept = KeptThreads {
            comments: HashSet::new(),
            threads: 0,
            errors: Vec::new(),
        };
        for dir in dirs {
            if !dir.is_dir() {
                tracing::debug!("no thread directory {}", dir.display());
                continue;
            }
            let files = referee_labels::label_files(dir)
                .with_context(|| format!("cannot list the threads in {}", dir.display()))?;
            for file in files {
                match read_threads(&file) {
                    Ok(threads) => threads.iter().for_each(|t| kept.add(t)),
                    Err(err) => kept.errors.push(format!("{err:#}")),
                }
            }
        }
        Ok(kept)
    }

    fn add(&mut self, thread: &Thread) {
        self.threads += 1;
        for comment in &thread.comments {
            self.comments
                .insert((thread.id.clone(), comment.id.clone()));
        }
    }

    /// True when `comment` is a comment of the kept thread `thread`.
    pub fn has_comment(&self, thread: &str, comment: &str) -> bool {
        self.comments
            .contains(&(thread.to_string(), comment.to_string()))
    }
}

/// Every thread of a JSON Lines thread file; the first bad line is an error.
pub fn read_threads(path: &Path) -> anyhow::Result<Vec<Thread>> {
    referee_thread::open(&Source::Path(path.to_path_buf()), Some(InputFormat::Jsonl))?
        .collect::<Result<Vec<Thread>, _>>()
        .map_err(anyhow::Error::from)
}
