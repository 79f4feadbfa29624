//! `referee train`: fit a model from scratch on hand labels and public
//! corpora, or refit a model on hand labels alone.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use referee_train::{
    assemble, read_hand_labels, read_thread_dirs, sample_threads, today, train, write_threads,
    Corpus, LabelledThread, Model, ParamGuard, SourceCard, Synthesis, TrainInfo, TrainParams,
    Trained, ValidTrainParams,
};

use crate::args::{sample_size, SampleSize, TrainArgs};

/// Weight of a hand label in the lexical layer, relative to a corpus row.
pub(crate) const HAND_WEIGHT: f32 = 3.0;

/// Parses `--corpus NAME=PATH` values.
pub(crate) fn parse_corpora(values: &[String]) -> anyhow::Result<Vec<Corpus>> {
    values
        .iter()
        .map(|v| {
            v.parse::<Corpus>()
                .with_context(|| format!("bad --corpus {v:?}"))
        })
        .collect()
}

/// Reads the hand labels and the threads they refer to. A missing labels
/// directory is no labels when corpora are given.
pub(crate) fn read_hand(
    labels: &Path,
    threads: &[PathBuf],
    required: bool,
) -> anyhow::Result<Vec<LabelledThread>> {
    if !labels.is_dir() {
        if required {
            anyhow::bail!("no labels directory {}", labels.display());
        }
        return Ok(Vec::new());
    }
    let threads = read_thread_dirs(threads).context("cannot read the labelled threads")?;
    read_hand_labels(labels, threads, HAND_WEIGHT)
        .with_context(|| format!("cannot read the labels in {}", labels.display()))
}

/// Reads every corpus, keeping at most as many threads of each as `sample`
/// gives it.
pub(crate) fn read_corpora(
    corpora: &[Corpus],
    sample: &[SampleSize],
    seed: u64,
    progress: &dyn Fn(&str),
) -> anyhow::Result<Vec<(Corpus, Vec<LabelledThread>)>> {
    corpora
        .iter()
        .map(|c| {
            progress(&format!("reading {c}"));
            let mut threads = c
                .read()
                .with_context(|| format!("cannot read corpus {c}"))?;
            if let Some(n) = sample_size(sample, c.name()) {
                threads = sample_threads(threads, n, seed);
            }
            tracing::info!("{}: {} threads", c.name(), threads.len());
            Ok((c.clone(), threads))
        })
        .collect()
}

/// A spinner on a terminal, nothing in a pipe.
pub(crate) fn progress_bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}").expect("a valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}

/// The command line, for the model card.
/// A progress callback: the message goes to the bar when there is one, and
/// to the debug log always.
pub(crate) fn report_to(bar: &Option<ProgressBar>) -> impl Fn(&str) + '_ {
    move |msg: &str| {
        if let Some(bar) = bar {
            bar.set_message(msg.to_string());
        }
        tracing::debug!("{msg}");
    }
}

/// Trains on `data`, recording the sources and this command line in the
/// model card, and clears the progress bar when done.
pub(crate) fn fit(
    data: &[LabelledThread],
    params: &ValidTrainParams,
    prior: Option<&Model>,
    sources: Vec<SourceCard>,
    bar: &Option<ProgressBar>,
) -> anyhow::Result<Trained> {
    let info = TrainInfo {
        created: today(),
        command: command_line(),
        sources,
    };
    let trained = train(data, params, prior, info, &report_to(bar)).context("training failed")?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(trained)
}

fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("referee {}", args.join(" "))
}

pub fn run(args: &TrainArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let corpora = parse_corpora(&args.training.corpus)?;
    let bar = progress_bar();
    let progress = report_to(&bar);
    let prior = if corpora.is_empty() {
        Some(crate::model::load_default_or(args.model.as_deref())?)
    } else {
        None
    };
    let hand = read_hand(
        &args.training.labels,
        &args.training.threads,
        prior.is_some(),
    )?;
    if prior.is_some() && hand.is_empty() {
        anyhow::bail!(
            "no hand labels in {} to refit on (give --corpus NAME=PATH to train from scratch)",
            args.training.labels.display()
        );
    }
    let read = read_corpora(
        &corpora,
        &args.training.sample,
        args.training.seed,
        &progress,
    )?;
    let synthesis = Synthesis {
        seed: args.training.seed,
        ..Synthesis::default()
    };
    let (data, sources): (Vec<LabelledThread>, Vec<SourceCard>) = assemble(
        hand,
        &args.training.labels.display().to_string(),
        read,
        synthesis,
    );
    if let Some(path) = &args.threads_out {
        let n = write_threads(path, &data)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("referee: wrote {n} labelled threads to {}", path.display());
    }
    let params = TrainParams::new().seed(args.training.seed).check()?;
    let trained = fit(&data, &params, prior.as_ref(), sources, &bar)?;
    trained
        .model
        .save(&args.out)
        .with_context(|| format!("cannot write model {}", args.out.display()))?;
    let card_path = card_path(&args.out);
    std::fs::write(&card_path, trained.model.card_markdown())
        .with_context(|| format!("cannot write model card {}", card_path.display()))?;
    print!("{}", trained.report);
    eprintln!(
        "referee: wrote {} (model {}, {} bytes) and {} in {:.1}s",
        args.out.display(),
        trained.model.version(),
        trained.model.to_bytes().len(),
        card_path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `models/site.refm` -> `models/site.card.md`.
pub(crate) fn card_path(model: &Path) -> PathBuf {
    model.with_extension("card.md")
}
