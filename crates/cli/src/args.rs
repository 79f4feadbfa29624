//! The command line, as clap sees it. Every flag of every subcommand lives
//! here, so `--help`, completions and the man page come from one place.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use referee_train::Corpus;

/// Score blog and forum comments for abuse, ad hominem attacks and off-topic
/// remarks, explain why, and learn from moderators' labels.
#[derive(Debug, Parser)]
#[command(
    name = "referee",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// More log output (-v: debug, -vv: trace). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score every comment of every thread read from FILE (or stdin).
    Score(ScoreArgs),
    /// Convert any input format to JSON Lines threads.
    Threads(ThreadsArgs),
    /// Label the comments of a thread, one key per label; answers are saved at once.
    Label(LabelArgs),
    /// Work with the label files.
    #[command(subcommand)]
    Labels(LabelsCommand),
    /// Refit the model on labels/ (seconds), or train from scratch with --corpus.
    Train(TrainArgs),
    /// Cross-validated metrics on held-out folds, or a model evaluated on a labelled file.
    Eval(EvalArgs),
    /// Serve the Perspective API (and referee's own) over HTTP.
    Serve(ServeArgs),
    /// Print shell completions to stdout.
    Completions(CompletionsArgs),
    /// Write the man pages (referee.1 and one per subcommand) to a directory.
    Man(ManArgs),
}

/// Where threads come from and how to read them.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// File to read; `-` or nothing reads stdin.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Input format; detected from the content when not given.
    #[arg(long, value_name = "FORMAT", value_parser = parse_input_format)]
    pub input_format: Option<referee_thread::InputFormat>,
}

fn parse_input_format(s: &str) -> Result<referee_thread::InputFormat, String> {
    s.parse::<referee_thread::InputFormat>()
        .map_err(|e| e.to_string())
}

/// Output format of `referee score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A table for people, with a summary per thread.
    Table,
    /// One JSON object per comment (the JSON Lines contract), flushed per thread.
    Jsonl,
}

/// When to colour the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `referee score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Add the n-grams and context features behind each score.
    #[arg(long)]
    pub explain: bool,
    /// Review threshold: one number for every label, or LABEL=X (repeatable, comma-separated).
    #[arg(long, value_name = "[LABEL=]X", value_delimiter = ',')]
    pub review_at: Vec<String>,
    /// Reject threshold: one number for every label, or LABEL=X (repeatable, comma-separated).
    #[arg(long, value_name = "[LABEL=]X", value_delimiter = ',')]
    pub reject_at: Vec<String>,
    /// Exit with status 1 when any comment crosses the reject threshold of one of these labels.
    #[arg(long, value_name = "LABELS", value_delimiter = ',')]
    pub fail_on: Vec<String>,
    /// Model file; defaults to $REFEREE_MODEL, then the model shipped inside the binary.
    #[arg(long, value_name = "PATH", env = "REFEREE_MODEL")]
    pub model: Option<PathBuf>,
    /// Stop at the first unreadable JSON Lines line instead of reporting it and going on,
    /// and at a text page in which no comment is found instead of warning.
    #[arg(long)]
    pub strict: bool,
    /// Score pingbacks and trackbacks too (left out by default: no one wrote them here).
    #[arg(long)]
    pub include_pings: bool,
    /// When to colour the table.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Scoring threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

/// `referee threads`.
#[derive(Debug, Args)]
pub struct ThreadsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Stop at the first unreadable JSON Lines line, and at a text page in which no comment
    /// is found.
    #[arg(long)]
    pub strict: bool,
}

/// `referee label`.
#[derive(Debug, Args)]
pub struct LabelArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Label file to append to (default: labels/<name>.jsonl).
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,
    /// Directory of the label files and of the threads they refer to.
    #[arg(long, value_name = "DIR", default_value = "labels")]
    pub labels_dir: PathBuf,
    /// Your name, recorded with every label (default: $USER).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Most uncertain comments first (active learning).
    #[arg(long)]
    pub uncertain: bool,
    /// Model whose scores are shown; defaults to $REFEREE_MODEL, then the shipped one.
    #[arg(long, value_name = "PATH", env = "REFEREE_MODEL")]
    pub model: Option<PathBuf>,
}

/// `referee labels ...`.
#[derive(Debug, Subcommand)]
pub enum LabelsCommand {
    /// Check the label files: errors (contradictions, unknown comments) exit 1; warnings
    /// (positives without a note) only with --strict.
    Check(LabelsCheckArgs),
}

/// `referee labels check`.
#[derive(Debug, Args)]
pub struct LabelsCheckArgs {
    /// Directory of the label files.
    #[arg(long, value_name = "DIR", default_value = "labels")]
    pub labels: PathBuf,
    /// Directories of the threads the labels refer to (JSON Lines).
    #[arg(long, value_name = "DIR", num_args = 1.., default_values = ["seeds", "labels/threads"])]
    pub threads: Vec<PathBuf>,
    /// Fail on warnings (positives without a note) too, not only on errors.
    #[arg(long)]
    pub strict: bool,
}

/// What `referee train` and `referee eval` learn from.
#[derive(Debug, Args)]
pub struct TrainingData {
    /// Directory of the label files.
    #[arg(long, value_name = "DIR", default_value = "labels")]
    pub labels: PathBuf,
    /// Directories of the threads the labels refer to (JSON Lines).
    #[arg(long, value_name = "DIR", num_args = 1.., default_values = ["seeds", "labels/threads"])]
    pub threads: Vec<PathBuf>,
    /// A public corpus, NAME=PATH with NAME one of olid, davidson, habernal, toxic-spans,
    /// cat-large, youtube-spam (repeatable);
    /// with one, training starts from scratch instead of refitting the model.
    #[arg(long, value_name = "NAME=PATH")]
    pub corpus: Vec<String>,
    /// Seed for everything random in training.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Keep at most N threads of each corpus, picked by a stable hash; NAME=N for one corpus
    /// (repeatable: `--sample 6000 --sample toxic-spans=12000`).
    #[arg(long, value_name = "N|NAME=N", value_parser = parse_sample_size)]
    pub sample: Vec<SampleSize>,
}

/// One `--sample`: how many threads to keep of every corpus, or of one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SampleSize {
    /// At most this many threads of every corpus without a size of its own.
    Every(usize),
    /// At most this many threads of the corpus of this name.
    Corpus(&'static str, usize),
}

/// The size `sizes` give the corpus called `corpus`: its own, else the
/// size for every corpus (the last given wins), else all of it.
pub fn sample_size(sizes: &[SampleSize], corpus: &str) -> Option<usize> {
    let own = sizes.iter().rev().find_map(|s| match s {
        SampleSize::Corpus(name, n) if *name == corpus => Some(*n),
        _ => None,
    });
    own.or_else(|| {
        sizes.iter().rev().find_map(|s| match s {
            SampleSize::Every(n) => Some(*n),
            SampleSize::Corpus(..) => None,
        })
    })
}

fn parse_sample_size(s: &str) -> Result<SampleSize, String> {
    let count = |n: &str| {
        n.trim()
            .parse::<usize>()
            .map_err(|_| format!("expected N or NAME=N with N a number of threads, got {s:?}"))
    };
    match s.split_once('=') {
        None => count(s).map(SampleSize::Every),
        Some((name, n)) => {
            let corpus = Corpus::named(name, PathBuf::new()).ok_or_else(|| {
                format!(
                    "{name:?} is not a corpus: expected N or NAME=N with NAME one of {}",
                    Corpus::NAMES
                )
            })?;
            Ok(SampleSize::Corpus(corpus.name(), count(n)?))
        }
    }
}

/// `referee train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub training: TrainingData,
    /// Model to refit when no corpus is given; defaults to $REFEREE_MODEL, then the shipped one.
    #[arg(long, value_name = "PATH", env = "REFEREE_MODEL")]
    pub model: Option<PathBuf>,
    /// Where to write the model (its card goes next to it).
    #[arg(long, value_name = "PATH", default_value = "models/site.refm")]
    pub out: PathBuf,
    /// Also write the labelled threads trained on (not the synthetic ones) as JSON Lines.
    #[arg(long, value_name = "FILE")]
    pub threads_out: Option<PathBuf>,
}

/// `referee eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub training: TrainingData,
    /// Number of folds (grouped by thread).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Write SVG precision-recall and reliability curves to this directory.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Write the rows and their fold numbers as JSON Lines (for outside baselines).
    #[arg(long, value_name = "FILE")]
    pub folds_out: Option<PathBuf>,
    /// Evaluate this model as it is (no training) on --data.
    #[arg(long, value_name = "PATH", requires = "data")]
    pub model: Option<PathBuf>,
    /// Labelled JSON Lines file to evaluate --model on.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Leave out the synthetic off-topic transplants (to measure what they add).
    #[arg(long)]
    pub no_transplants: bool,
}

/// `referee serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Model file (reloaded when it changes); defaults to $REFEREE_MODEL, then the shipped one.
    #[arg(long, value_name = "PATH", env = "REFEREE_MODEL")]
    pub model: Option<PathBuf>,
    /// File of accepted API keys, one per line; without it no key is needed.
    #[arg(long, value_name = "FILE")]
    pub api_keys: Option<PathBuf>,
    /// Store moderators' suggestions as labels in this directory (off by default).
    #[arg(long, value_name = "DIR")]
    pub suggestions: Option<PathBuf>,
    /// Largest request body accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    pub max_body: usize,
    /// Per-request time limit, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub timeout_ms: u64,
    /// Requests handled at once; more wait.
    #[arg(long, value_name = "N", default_value_t = 512)]
    pub concurrency: usize,
    /// Close a connection after this long with no request in progress and nothing received, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = referee_serve::DEFAULT_IDLE_TIMEOUT.as_millis() as u64)]
    pub idle_timeout_ms: u64,
    /// Most connections open at once; more wait to be accepted.
    #[arg(long, value_name = "N", default_value_t = referee_serve::DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// Most attributes one request may name.
    #[arg(long, value_name = "N", default_value_t = referee_serve::Limits::default().max_attributes)]
    pub max_attributes: usize,
    /// Most context entries one request may send.
    #[arg(long, value_name = "N", default_value_t = referee_serve::Limits::default().max_context_entries)]
    pub max_context_entries: usize,
    /// Most sentences in a comment that asks for span annotations.
    #[arg(long, value_name = "N", default_value_t = referee_serve::Limits::default().max_span_sentences)]
    pub max_span_sentences: usize,
    /// Most text one request may have scored, in bytes (see docs/serve.md).
    #[arg(long, value_name = "BYTES", default_value_t = referee_serve::Limits::default().max_work)]
    pub max_work: u64,
    /// Address clients reach the server at, for the discovery document (default: the request's Host).
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Largest response body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = referee_serve::Limits::default().max_response_bytes)]
    pub max_response_bytes: usize,
}

/// `referee completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `referee man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Directory to write the pages to.
    #[arg(long, value_name = "DIR", default_value = "man")]
    pub out: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corpus_of_its_own_size_wins_over_the_size_for_every_corpus() {
        let sizes: Vec<SampleSize> = ["6000", "Toxic-Spans=12000", "davidson=9000"]
            .into_iter()
            .map(|s| parse_sample_size(s).unwrap())
            .collect();
        assert_eq!(sample_size(&sizes, "toxic-spans"), Some(12000));
        assert_eq!(sample_size(&sizes, "davidson"), Some(9000));
        assert_eq!(sample_size(&sizes, "olid"), Some(6000));
        assert_eq!(sample_size(&sizes[1..], "olid"), None, "all of it");
        assert_eq!(sample_size(&[], "olid"), None);
    }

    #[test]
    fn bad_sample_sizes_say_what_is_expected() {
        let err = parse_sample_size("tweets=5").unwrap_err();
        assert!(
            err.contains("\"tweets\" is not a corpus") && err.contains("toxic-spans"),
            "{err}"
        );
        let err = parse_sample_size("olid=many").unwrap_err();
        assert!(err.contains("olid=many") && err.contains("number"), "{err}");
        assert!(parse_sample_size("-3").is_err());
    }
}
