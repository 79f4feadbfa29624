//! `referee score`: read threads, score them on all cores, write the results
//! in input order, flushed as each batch of threads is written.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::mpsc;

use anyhow::{bail, Context};
use rayon::prelude::*;
use referee_thread::{CommentStatus, Thread};
use referee_train::{Action, CommentScore, Label, Model, ScoreOptions, Thresholds};
use serde::Serialize;

use crate::args::{ColorChoice, OutputFormat, ScoreArgs};
use crate::{input, model, table};

/// Threads scored together at most; smaller batches when input trickles in.
const MAX_BATCH: usize = 512;
/// Scored batches waiting for the writer at most.
const WRITE_AHEAD: usize = 2;
/// Bytes reserved per comment for its JSON line.
const LINE_CAPACITY: usize = 256;

pub fn run(args: &ScoreArgs) -> anyhow::Result<ExitCode> {
    let model = model::load_default_or(args.model.as_deref())?;
    let mut thresholds = *model.thresholds();
    apply_overrides(
        &mut thresholds,
        &args.review_at,
        |t| &mut t.review,
        "--review-at",
    )?;
    apply_overrides(
        &mut thresholds,
        &args.reject_at,
        |t| &mut t.reject,
        "--reject-at",
    )?;
    check_order(&mut thresholds, args)?;
    let fail_on = parse_labels(&args.fail_on).context("--fail-on")?;
    let options = ScoreOptions {
        thresholds: Some(thresholds),
        explain: args.explain,
        omit_reasons: false,
    };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("cannot start the scoring threads")?;

    // Reading, scoring and writing overlap: the reader and the writer run on
    // threads of their own, and batches are scored on the pool in between,
    // each written whole and in input order.
    let (sender, receiver) = mpsc::sync_channel(MAX_BATCH * 2);
    let input_args = args.input.clone();
    let strict = args.strict;
    let reader = std::thread::spawn(move || -> anyhow::Result<()> {
        let threads = input::open(&input_args)?;
        let format = threads.format();
        for item in threads {
            if let Some(message) = item
                .as_ref()
                .ok()
                .and_then(|thread| input::no_comments_found(format, thread))
            {
                if strict {
                    bail!(message);
                }
                eprintln!("referee: warning: {message}");
            }
            if sender.send(item).is_err() {
                break;
            }
        }
        Ok(())
    });

    let mut input_errors = 0usize;
    let mut fatal: Option<referee_thread::Error> = None;
    let mut left_out = LeftOut::default();
    let mut failed = false;
    std::thread::scope(|scope| -> anyhow::Result<()> {
        // Batches, then `None` once the input is scored to the end.
        let (to_writer, scored) = mpsc::sync_channel::<Option<Vec<Scored>>>(WRITE_AHEAD);
        let (model, thresholds) = (&model, &thresholds);
        let writer = scope.spawn(move || write(args, model, thresholds, scored));
        let mut batch: Vec<Thread> = Vec::with_capacity(MAX_BATCH);
        while let Ok(first) = receiver.recv() {
            let mut next = Some(first);
            while let Some(item) = next.take() {
                match item {
                    Ok(thread) => batch.push(left_out.scored_part(thread, args.include_pings)),
                    // Reading stops here; what came before is still scored.
                    Err(err) if args.strict || !err.is_recoverable() => fatal = Some(err),
                    Err(err) => {
                        input_errors += 1;
                        eprintln!("referee: {err}");
                    }
                }
                if batch.len() < MAX_BATCH && fatal.is_none() {
                    next = receiver.try_recv().ok();
                }
            }
            let jsonl = matches!(args.format, OutputFormat::Jsonl);
            let scored: Vec<Scored> = pool.install(|| {
                batch
                    .par_drain(..)
                    .map(|thread| {
                        let scores = model.score_thread(&thread, &options);
                        let (thread, scores, blank) = without_blank(thread, scores);
                        let failed = scores
                            .iter()
                            .any(|s| crosses_reject(s, &fail_on, thresholds));
                        let output = Output::new(thread, scores, jsonl)?;
                        Ok(Scored {
                            failed,
                            blank,
                            output,
                        })
                    })
                    .collect::<anyhow::Result<_>>()
            })?;
            for scored in &scored {
                failed |= scored.failed;
                left_out.blank.extend_from_slice(&scored.blank);
            }
            if to_writer.send(Some(scored)).is_err() {
                // The writer stopped: a closed pipe or an error it reports.
                break;
            }
            if fatal.is_some() {
                break;
            }
        }
        // Finishing fails only when the writer has stopped already.
        let _ = to_writer.send(None);
        drop(receiver);
        match writer.join() {
            Ok(result) => result,
            Err(_) => bail!("the output writer stopped unexpectedly"),
        }
    })?;
    match reader.join() {
        Ok(result) => result?,
        Err(_) => bail!("the input reader stopped unexpectedly"),
    }
    if let Some(err) = fatal {
        return Err(err.into());
    }
    left_out.report();
    if input_errors > 0 {
        eprintln!("referee: {input_errors} unreadable input record(s) skipped");
        return Ok(ExitCode::from(2));
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One scored thread on its way to the output.
struct Scored {
    /// Whether a comment crossed the reject threshold of a `--fail-on` label.
    failed: bool,
    /// `thread/comment` of each comment left out for having no text.
    blank: Vec<String>,
    output: Output,
}

/// What the writer gets of a scored thread: JSON Lines already serialised
/// on the scoring thread, or the thread and its scores for the table.
enum Output {
    Jsonl(Vec<u8>),
    Table(Thread, Vec<CommentScore>),
}

impl Output {
    fn new(thread: Thread, scores: Vec<CommentScore>, jsonl: bool) -> anyhow::Result<Output> {
        if !jsonl {
            return Ok(Output::Table(thread, scores));
        }
        let mut lines = Vec::with_capacity(LINE_CAPACITY * scores.len());
        for (comment, score) in thread.comments.iter().zip(&scores) {
            let line = ScoreLine {
                score,
                status: comment.status,
            };
            serde_json::to_writer(&mut lines, &line)?;
            lines.push(b'\n');
        }
        Ok(Output::Jsonl(lines))
    }
}

/// Writes scored batches as they come, in the order they come, until
/// `None` says the input is scored to the end. A closed pipe stops it
/// quietly.
fn write(
    args: &ScoreArgs,
    model: &Model,
    thresholds: &Thresholds,
    scored: mpsc::Receiver<Option<Vec<Scored>>>,
) -> anyhow::Result<()> {
    let mut sink = Sink::new(args, model, thresholds)?;
    for message in scored {
        let Some(batch) = message else {
            return sink.finish();
        };
        match sink.batch(batch) {
            Ok(()) => {}
            Err(err) if is_broken_pipe(&err) => return Ok(()),
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

/// What scoring leaves out: pingbacks and trackbacks (unless asked for),
/// and comments without text (deleted, or cut off in a truncated page),
/// which stay in their thread as the parents of their replies.
#[derive(Default)]
struct LeftOut {
    pings: usize,
    /// `thread/comment` of each comment without text.
    blank: Vec<String>,
}

impl LeftOut {
    /// The thread as it is scored: without its pings unless `include_pings`.
    fn scored_part(&mut self, mut thread: Thread, include_pings: bool) -> Thread {
        if !include_pings {
            let before = thread.comments.len();
            thread
                .comments
                .retain(|comment| comment.status != CommentStatus::Ping);
            self.pings += before - thread.comments.len();
        }
        thread
    }

    /// One line on stderr for each kind of comment left out.
    fn report(&self) {
        if !self.blank.is_empty() {
            let shown = 10;
            let more = match self.blank.len().saturating_sub(shown) {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            eprintln!(
                "referee: {} comment(s) without text not scored (deleted, or cut off in the input): {}{more}",
                self.blank.len(),
                self.blank[..self.blank.len().min(shown)].join(", ")
            );
        }
        if self.pings > 0 {
            eprintln!(
                "referee: {} pingback(s) and trackback(s) not scored (--include-pings scores them)",
                self.pings
            );
        }
    }
}

/// The thread and scores to show, those of the comments with text, and
/// `thread/comment` of each comment without text.
fn without_blank(
    mut thread: Thread,
    scores: Vec<CommentScore>,
) -> (Thread, Vec<CommentScore>, Vec<String>) {
    if !thread.comments.iter().any(|c| c.is_blank()) {
        return (thread, scores, Vec::new());
    }
    let mut blank = Vec::new();
    let (comments, scores): (Vec<_>, Vec<_>) = std::mem::take(&mut thread.comments)
        .into_iter()
        .zip(scores)
        .filter(|(comment, _)| {
            let is_blank = comment.is_blank();
            if is_blank {
                blank.push(format!("{}/{}", thread.id, comment.id));
            }
            !is_blank
        })
        .unzip();
    thread.comments = comments;
    (thread, scores, blank)
}

/// A review threshold above the reject threshold of the same label would
/// reject comments without flagging them. Both given on the command line:
/// refused, naming both. One given against the model's own: the model's is
/// moved to it, so the flag given is obeyed.
fn check_order(thresholds: &mut Thresholds, args: &ScoreArgs) -> anyhow::Result<()> {
    for label in Label::ALL {
        let t = thresholds.get_mut(label);
        if t.review <= t.reject {
            continue;
        }
        match (sets(&args.review_at, label), sets(&args.reject_at, label)) {
            (true, true) => bail!(
                "--review-at {label}={} is above --reject-at {label}={}: \
                 a review threshold must be at or below the reject threshold of its label",
                t.review,
                t.reject,
            ),
            (true, false) => t.reject = t.review,
            (false, true) => t.review = t.reject,
            (false, false) => {}
        }
    }
    Ok(())
}

/// True when one of the `[LABEL=]X` specs sets `label`.
fn sets(specs: &[String], label: Label) -> bool {
    specs.iter().any(|spec| match spec.split_once('=') {
        Some((name, _)) => parse_labels(&[name.to_string()]).is_ok_and(|l| l.contains(&label)),
        None => !spec.trim().is_empty(),
    })
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// True when the comment crossed the reject threshold of a `--fail-on` label.
fn crosses_reject(score: &CommentScore, fail_on: &[Label], thresholds: &Thresholds) -> bool {
    fail_on
        .iter()
        .any(|&label| score.scores.get(label) >= thresholds.get(label).reject)
}

/// Parses label names such as `abuse,ad_hominem` (also `ad-hominem`, `all`).
pub fn parse_labels(names: &[String]) -> anyhow::Result<Vec<Label>> {
    let mut labels = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if name == "all" {
            labels.extend(Label::ALL);
            continue;
        }
        let label: Label = name.replace('-', "_").parse().map_err(|_| {
            anyhow::anyhow!("unknown label {name:?}; expected abuse, ad_hominem, off_topic or all")
        })?;
        labels.push(label);
    }
    Ok(labels)
}

/// Applies `X` (every label) or `LABEL=X` overrides to one side of the thresholds.
fn apply_overrides(
    thresholds: &mut Thresholds,
    specs: &[String],
    side: impl Fn(&mut referee_train::Threshold) -> &mut f32,
    flag: &str,
) -> anyhow::Result<()> {
    for spec in specs.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let (labels, value) = match spec.split_once('=') {
            Some((name, value)) => (
                parse_labels(&[name.to_string()]).with_context(|| flag.to_string())?,
                value,
            ),
            None => (Label::ALL.to_vec(), spec),
        };
        let value: f32 = value
            .trim()
            .parse()
            .ok()
            .filter(|v: &f32| (0.0..=1.0).contains(v))
            .ok_or_else(|| {
                anyhow::anyhow!("{flag}: {value:?} is not a probability between 0 and 1")
            })?;
        for label in labels {
            *side(thresholds.get_mut(label)) = value;
        }
    }
    Ok(())
}

/// One line of `--format jsonl` output: the score, and the comment's
/// status when it is not `approved` (pending, spam, trash, deleted, ping).
#[derive(Serialize)]
struct ScoreLine<'a> {
    #[serde(flatten)]
    score: &'a CommentScore,
    #[serde(skip_serializing_if = "CommentStatus::is_approved")]
    status: CommentStatus,
}

/// Where scored threads go: JSON Lines or the table for people.
enum Sink<'a> {
    Jsonl(BufWriter<io::StdoutLock<'static>>),
    Table(table::TableWriter<'a>),
}

impl<'a> Sink<'a> {
    fn new(args: &ScoreArgs, model: &'a Model, thresholds: &'a Thresholds) -> anyhow::Result<Self> {
        let stdout = io::stdout().lock();
        Ok(match args.format {
            OutputFormat::Jsonl => Sink::Jsonl(BufWriter::with_capacity(1 << 16, stdout)),
            OutputFormat::Table => {
                let colour = match args.color {
                    ColorChoice::Always => true,
                    ColorChoice::Never => false,
                    ColorChoice::Auto => {
                        io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                    }
                };
                Sink::Table(table::TableWriter::new(
                    stdout,
                    model,
                    thresholds,
                    colour,
                    args.explain,
                ))
            }
        })
    }

    /// Writes a batch of scored threads in order and flushes it.
    fn batch(&mut self, batch: Vec<Scored>) -> anyhow::Result<()> {
        for scored in batch {
            match (&mut *self, scored.output) {
                (Sink::Jsonl(out), Output::Jsonl(lines)) => out.write_all(&lines)?,
                (Sink::Table(table), Output::Table(thread, scores)) => {
                    table.thread(&thread, &scores)?
                }
                _ => bail!("scores were rendered for another output format"),
            }
        }
        if let Sink::Jsonl(out) = self {
            out.flush()?;
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        match self {
            Sink::Jsonl(mut out) => out.flush()?,
            Sink::Table(table) => table.finish()?,
        }
        Ok(())
    }
}

/// The action as a word for people.
pub fn action_word(action: Action) -> &'static str {
    match action {
        Action::Approve => "approve",
        Action::Review => "review",
        Action::Reject => "reject",
    }
}
