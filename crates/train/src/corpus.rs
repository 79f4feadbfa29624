//! Readers of the public corpora, from their original release files.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use referee_thread::{Comment, Thread};
use serde::Deserialize;

use crate::data::{LabelledThread, Targets};
use crate::error::{Result, TrainError};
use crate::score::Label;

mod cat_large;
mod groups;
mod toxic_spans;
mod youtube;

pub use cat_large::read_cat_large;
pub use toxic_spans::read_toxic_spans;
pub use youtube::read_youtube;

/// The names of the corpora, as one list for messages.
macro_rules! corpus_names {
    () => {
        "olid, davidson, habernal, toxic-spans, cat-large, youtube-spam"
    };
}

/// What `--corpus` accepts, for error messages.
const CORPUS_NAMES: &str = concat!("NAME=PATH with NAME one of ", corpus_names!());

/// Weight of OLID's rows for ad_hominem (targeted at an individual or
/// not): as much as any corpus row, a third of a hand label. At 0.3 and
/// 0.6 both OLID's and the seed threads' cross-validated ad_hominem
/// ROC-AUC were lower.
pub const OLID_AD_HOMINEM_WEIGHT: f32 = 1.0;

/// A public corpus and where its release files are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Corpus {
    /// OLID (Zampieri et al. 2019): the training TSV.
    Olid(PathBuf),
    /// Davidson et al. 2017: `labeled_data.csv`.
    Davidson(PathBuf),
    /// Habernal et al. 2018: the directory of thread JSON Lines files.
    Habernal(PathBuf),
    /// Toxic Spans (Pavlopoulos et al. 2021): the directory of its three
    /// CSV files.
    ToxicSpans(PathBuf),
    /// CAT-LARGE (Xenos et al. 2021): the directory of `gc.csv` and
    /// `gn.csv`.
    CatLarge(PathBuf),
    /// The YouTube spam collection: the directory of its five CSV files.
    YoutubeSpam(PathBuf),
}

impl FromStr for Corpus {
    type Err = TrainError;

    /// Parses `NAME=PATH` (see [`Corpus::name`] for the names).
    fn from_str(s: &str) -> Result<Corpus> {
        let (name, path) = s.split_once('=').ok_or_else(|| TrainError::InvalidParams {
            name: "corpus",
            value: s.to_string(),
            expected: CORPUS_NAMES,
        })?;
        Corpus::named(name, PathBuf::from(path)).ok_or_else(|| TrainError::InvalidParams {
            name: "corpus",
            value: s.to_string(),
            expected: CORPUS_NAMES,
        })
    }
}

impl fmt::Display for Corpus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.name(), self.path().display())
    }
}

impl Corpus {
    /// Every corpus name, comma-separated, for messages.
    pub const NAMES: &'static str = corpus_names!();

    /// The corpus called `name` (any case, see [`Corpus::name`]) read from
    /// `path`; None when no corpus has that name.
    pub fn named(name: &str, path: PathBuf) -> Option<Corpus> {
        match name.trim().to_ascii_lowercase().as_str() {
            "olid" => Some(Corpus::Olid(path)),
            "davidson" => Some(Corpus::Davidson(path)),
            "habernal" => Some(Corpus::Habernal(path)),
            "toxic-spans" => Some(Corpus::ToxicSpans(path)),
            "cat-large" => Some(Corpus::CatLarge(path)),
            "youtube-spam" => Some(Corpus::YoutubeSpam(path)),
            _ => None,
        }
    }

    /// Short name, used as the data source in reports.
    pub fn name(&self) -> &'static str {
        match self {
            Corpus::Olid(_) => "olid",
            Corpus::Davidson(_) => "davidson",
            Corpus::Habernal(_) => "habernal",
            Corpus::ToxicSpans(_) => "toxic-spans",
            Corpus::CatLarge(_) => "cat-large",
            Corpus::YoutubeSpam(_) => "youtube-spam",
        }
    }

    /// Where it is read from.
    pub fn path(&self) -> &Path {
        match self {
            Corpus::Olid(p)
            | Corpus::Davidson(p)
            | Corpus::Habernal(p)
            | Corpus::ToxicSpans(p)
            | Corpus::CatLarge(p)
            | Corpus::YoutubeSpam(p) => p,
        }
    }

    /// The licence of the data, as its release states it.
    pub fn licence(&self) -> &'static str {
        match self {
            Corpus::Olid(_) => "CC BY 4.0",
            Corpus::Davidson(_) => "MIT",
            Corpus::Habernal(_) => "Apache-2.0",
            Corpus::ToxicSpans(_) => "CC0",
            Corpus::CatLarge(_) => "Apache-2.0 (texts CC BY-SA)",
            Corpus::YoutubeSpam(_) => "CC BY 4.0",
        }
    }

    /// Reads the corpus into labelled threads.
    pub fn read(&self) -> Result<Vec<LabelledThread>> {
        match self {
            Corpus::Olid(p) => read_olid(p),
            Corpus::Davidson(p) => read_davidson(p),
            Corpus::Habernal(p) => read_habernal(p),
            Corpus::ToxicSpans(p) => read_toxic_spans(p),
            Corpus::CatLarge(p) => read_cat_large(p),
            Corpus::YoutubeSpam(p) => read_youtube(p),
        }
    }
}

/// A tweet as a thread of one comment without post or parent, its own
/// fold group.
fn tweet(source: &str, id: String, text: String, targets: Targets) -> LabelledThread {
    single(source, format!("{source}:{id}"), id, text, targets)
}

/// A comment without post or parent as a thread of its own, in fold group
/// `group`.
fn single(
    source: &str,
    group: String,
    id: String,
    text: String,
    targets: Targets,
) -> LabelledThread {
    LabelledThread {
        source: source.to_string(),
        group,
        evaluate: true,
        thread: Thread {
            id: format!("{source}:{id}"),
            comments: vec![Comment {
                id,
                text,
                ..Comment::default()
            }],
            ..Thread::default()
        },
        targets: vec![targets],
    }
}

/// Reads OLID's training TSV: `id tweet subtask_a subtask_b subtask_c`.
/// OFF is abuse; TIN with IND is ad_hominem when the tweet speaks to
/// someone ("you", "your"), and says nothing of ad_hominem otherwise: an
/// insult aimed at an individual named in the third person is mostly aimed
/// at a public figure, which LABELLING.md does not call ad hominem.
pub fn read_olid(path: &Path) -> Result<Vec<LabelledThread>> {
    let text = std::fs::read_to_string(path).map_err(|e| TrainError::io(path, e))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = line.trim_start_matches('\u{feff}');
        if n == 0 && line.starts_with("id\t") || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != 5 {
            return Err(TrainError::parse(
                path,
                line_no,
                format!("expected 5 tab-separated fields, found {}", fields.len()),
            ));
        }
        let abuse = match fields[2] {
            "OFF" => true,
            "NOT" => false,
            other => {
                return Err(TrainError::parse(
                    path,
                    line_no,
                    format!("subtask_a {other:?} is neither OFF nor NOT"),
                ))
            }
        };
        let individual = fields[3] == "TIN" && fields[4] == "IND";
        let mut targets = Targets::NONE.with(Label::Abuse, abuse, 1.0);
        // An insult aimed at "him" or "her" may be aimed at anyone, most
        // often a public figure: abuse perhaps, but not an attack on a
        // participant. Only tweets that speak to someone say ad_hominem.
        if !individual || speaks_to_someone(fields[1]) {
            targets = targets.with(Label::AdHominem, individual, OLID_AD_HOMINEM_WEIGHT);
        }
        out.push(tweet(
            "olid",
            fields[0].to_string(),
            strip_tweet_artefacts(fields[1]),
            targets,
        ));
    }
    Ok(out)
}

/// Whether `text` addresses someone as "you".
fn speaks_to_someone(text: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .any(|w| referee_text::is_second_person(&w.to_lowercase().replace('\u{2019}', "'")))
}

/// Masks Twitter handles as OLID does (`@USER`), so that neither corpus
/// teaches a handle artefact, decodes the few HTML entities of the file, and
/// turns double quotation marks into spaces.
///
/// The marks mostly wrap manual retweets (`"@USER: ..."`), and the corpus
/// labels a tweet by everything it contains, retweeted or not. Kept, they
/// would teach the quoted-text features that quoting a slur is using it,
/// which is what those features exist to avoid.
fn clean_davidson(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '@'
            && chars
                .peek()
                .is_some_and(|n| n.is_alphanumeric() || *n == '_')
        {
            while chars
                .peek()
                .is_some_and(|n| n.is_alphanumeric() || *n == '_')
            {
                chars.next();
            }
            out.push_str("@USER");
        } else if matches!(c, '"' | '\u{201c}' | '\u{201d}') {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#8220;", " ")
        .replace("&#8221;", " ")
}

/// A tweet without what only tweets have: user mentions (`@USER` or a
/// handle), links (`URL` or `http...`) and the retweet mark `RT`. In the
/// tweet corpora nearly every row has them, in comment sections few do, so
/// kept they would teach the model about Twitter rather than about abuse.
pub fn strip_tweet_artefacts(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '@');
            !(bare.len() > 1 && bare.starts_with('@')
                || bare == "URL"
                || bare == "RT"
                || w.starts_with("http://")
                || w.starts_with("https://"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A stable 64-bit hash (FNV-1a) for deterministic sampling and folds.
pub fn stable_hash(s: &str, seed: u64) -> u64 {
    let mut h = 0xcbf29ce484222325u64 ^ seed.wrapping_mul(0x9e3779b97f4a7c15);
    for b in s.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h ^ (h >> 29)
}

/// Reads Davidson et al.'s `labeled_data.csv`. Class 0 (hate) and 1
/// (offensive) are abuse. Positives are 83% of the file; a deterministic
/// sample keeps as many positives as negatives.
pub fn read_davidson(path: &Path) -> Result<Vec<LabelledThread>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| csv_error(path, e))?;
    let headers = reader.headers().map_err(|e| csv_error(path, e))?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| TrainError::parse(path, 1, format!("no {name:?} column")))
    };
    let (class_col, tweet_col) = (column("class")?, column("tweet")?);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, e))?;
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        let id = record.get(0).unwrap_or("").to_string();
        let class = record.get(class_col).unwrap_or("");
        let abuse = match class {
            "0" | "1" => true,
            "2" => false,
            other => {
                return Err(TrainError::parse(
                    path,
                    line,
                    format!("class {other:?} is not 0, 1 or 2"),
                ))
            }
        };
        let text = strip_tweet_artefacts(&clean_davidson(record.get(tweet_col).unwrap_or("")));
        rows.push((id, text, abuse));
    }
    let negatives = rows.iter().filter(|r| !r.2).count();
    let positives = rows.len() - negatives;
    let keep = if positives > negatives {
        negatives as f64 / positives as f64
    } else {
        1.0
    };
    Ok(rows
        .into_iter()
        .filter(|(id, _, abuse)| !abuse || (stable_hash(id, 17) % 1_000_000) as f64 / 1e6 < keep)
        .map(|(id, text, abuse)| {
            tweet(
                "davidson",
                id,
                text,
                Targets::NONE.with(Label::Abuse, abuse, 1.0),
            )
        })
        .collect())
}

/// Opens a CSV file with a header line and finds the named columns (a
/// leading U+FEFF on a header is ignored).
pub(crate) fn csv_columns<const N: usize>(
    path: &Path,
    names: [&str; N],
) -> Result<(csv::Reader<std::fs::File>, [usize; N])> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| csv_error(path, e))?;
    let headers = reader.headers().map_err(|e| csv_error(path, e))?.clone();
    let mut columns = [0; N];
    for (slot, name) in columns.iter_mut().zip(names) {
        *slot = headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .ok_or_else(|| TrainError::parse(path, 1, format!("no {name:?} column")))?;
    }
    Ok((reader, columns))
}

/// A `0`/`1` cell of column `name` as a boolean, or an error naming the
/// file and line.
pub(crate) fn binary_cell(
    path: &Path,
    record: &csv::StringRecord,
    column: usize,
    name: &str,
) -> Result<bool> {
    match record.get(column).unwrap_or("").trim() {
        "1" => Ok(true),
        "0" => Ok(false),
        other => {
            let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
            Err(TrainError::parse(
                path,
                line,
                format!("{name} {other:?} is neither 0 nor 1"),
            ))
        }
    }
}

pub(crate) fn csv_error(path: &Path, e: csv::Error) -> TrainError {
    let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
    TrainError::parse(path, line, e.to_string())
}

#[derive(Deserialize)]
struct RedditComment {
    #[serde(default)]
    author_name: Option<String>,
    #[serde(default)]
    body: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    parent_id: Option<String>,
}

/// The files of `dir` ending in `.extension`, sorted; an error when there
/// are none.
pub(crate) fn files_with_extension(dir: &Path, extension: &str) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| TrainError::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == extension))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(TrainError::Data(format!(
            "no .{extension} files in {}",
            dir.display()
        )));
    }
    Ok(files)
}

/// Whether a Reddit body has no text left to learn from.
pub fn is_removed(body: &str) -> bool {
    matches!(body.trim(), "[removed]" | "[deleted]")
}

/// Reads Habernal et al.'s ChangeMyView threads: in an `_ah_` thread the
/// last comment is an ad hominem attack, every other comment is not.
/// Removed or deleted bodies stay as context and are never examples.
pub fn read_habernal(dir: &Path) -> Result<Vec<LabelledThread>> {
    let files = files_with_extension(dir, "json")?;
    let mut out = Vec::with_capacity(files.len());
    for path in files {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let attack = name.contains("_ah_");
        let text = std::fs::read_to_string(&path).map_err(|e| TrainError::io(&path, e))?;
        let mut comments: Vec<Comment> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let c: RedditComment = serde_json::from_str(line)
                .map_err(|e| TrainError::parse(&path, n + 1, e.to_string()))?;
            let parent = c
                .parent_id
                .as_deref()
                .map(|p| p.trim_start_matches("t1_").to_string())
                .filter(|p| comments.iter().any(|prev| &prev.id == p));
            comments.push(Comment {
                id: c.id,
                author: c.author_name,
                parent,
                text: c.body,
                ..Comment::default()
            });
        }
        let last = comments.len().saturating_sub(1);
        let targets = comments
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if is_removed(&c.text) {
                    Targets::NONE
                } else {
                    Targets::NONE.with(Label::AdHominem, attack && i == last, 1.0)
                }
            })
            .collect();
        out.push(LabelledThread {
            source: "habernal".into(),
            group: format!("habernal:{name}"),
            evaluate: true,
            thread: Thread {
                id: name,
                comments,
                ..Thread::default()
            },
            targets,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_corpus_arguments() {
        assert_eq!(
            "olid=/x/o.tsv".parse::<Corpus>().unwrap(),
            Corpus::Olid("/x/o.tsv".into())
        );
        assert!("imdb=/x".parse::<Corpus>().is_err());
        assert!("olid".parse::<Corpus>().is_err());
    }

    #[test]
    fn olid_rows_and_errors_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("olid.tsv");
        std::fs::write(
            &path,
            "id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c\n1\t@USER you idiot\tOFF\tTIN\tIND\n2\tnice day\tNOT\tNULL\tNULL\n",
        )
        .unwrap();
        let rows = read_olid(&path).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].targets[0].get(Label::Abuse), Some(true));
        assert_eq!(rows[0].targets[0].get(Label::AdHominem), Some(true));
        assert_eq!(rows[1].targets[0].get(Label::OffTopic), None);
        std::fs::write(
            &path,
            "id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c\n1\toops\tMAYBE\tNULL\tNULL\n",
        )
        .unwrap();
        let err = read_olid(&path).unwrap_err().to_string();
        assert!(err.contains("olid.tsv:2") && err.contains("MAYBE"), "{err}");
    }

    #[test]
    fn olid_says_ad_hominem_only_of_insults_spoken_to_someone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("olid.tsv");
        std::fs::write(
            &path,
            "id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c\n\
             1\t@USER You\u{2019}re a clown\tOFF\tTIN\tIND\n\
             2\t@USER He is a clown\tOFF\tTIN\tIND\n\
             3\t@USER you lot are clowns\tOFF\tTIN\tGRP\n",
        )
        .unwrap();
        let rows = read_olid(&path).unwrap();
        let ad_hominem = |i: usize| rows[i].targets[0].get(Label::AdHominem);
        assert_eq!(ad_hominem(0), Some(true));
        assert_eq!(ad_hominem(1), None, "aimed at a third person");
        assert_eq!(ad_hominem(2), Some(false), "aimed at a group");
        assert!(rows
            .iter()
            .all(|r| r.targets[0].get(Label::Abuse) == Some(true)));
    }

    #[test]
    fn davidson_masks_handles_and_balances() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.csv");
        let mut csv = String::from(",count,hate_speech,offensive_language,neither,class,tweet\n");
        for i in 0..40 {
            let class = if i < 4 { 2 } else { 1 };
            csv += &format!("{i},3,0,3,0,{class},\"RT @some_one: row {i}, with comma\"\n");
        }
        std::fs::write(&path, csv).unwrap();
        let rows = read_davidson(&path).unwrap();
        let pos = rows
            .iter()
            .filter(|r| r.targets[0].get(Label::Abuse) == Some(true))
            .count();
        assert_eq!(rows.len() - pos, 4);
        assert!(pos < 15, "{pos} positives kept");
        assert!(rows[0].thread.comments[0].text.starts_with("row"));
    }

    #[test]
    fn tweet_artefacts_carry_no_signal() {
        assert_eq!(
            strip_tweet_artefacts("RT @USER: @USER you idiot URL http://t.co/x"),
            "you idiot"
        );
        assert_eq!(
            strip_tweet_artefacts("URLs and @ signs stay"),
            "URLs and @ signs stay"
        );
    }

    #[test]
    fn davidson_retweet_quotes_are_not_quotations() {
        assert_eq!(
            clean_davidson("&#8220;@a_b: you hoe&#8221; lol\"ok\""),
            " @USER: you hoe  lol ok "
        );
    }

    #[test]
    fn habernal_last_comment_of_ah_thread_is_the_attack() {
        let dir = tempfile::tempdir().unwrap();
        let line = |id: &str, parent: &str, body: &str| {
            format!("{{\"author_name\":\"u{id}\",\"body\":\"{body}\",\"id\":\"{id}\",\"parent_id\":\"t1_{parent}\"}}\n")
        };
        std::fs::write(
            dir.path().join("1_ah_t1_b.json"),
            line("a", "zz", "view") + &line("b", "a", "you are a troll"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("2_ah_t1_d.json"),
            line("c", "zz", "view") + &line("d", "c", "[removed]"),
        )
        .unwrap();
        let threads = read_habernal(dir.path()).unwrap();
        assert_eq!(threads[0].targets[1].get(Label::AdHominem), Some(true));
        assert_eq!(threads[0].targets[0].get(Label::AdHominem), Some(false));
        assert_eq!(threads[0].thread.comments[1].parent.as_deref(), Some("a"));
        assert_eq!(threads[0].thread.comments[0].parent, None);
        assert_eq!(threads[1].targets[1], Targets::NONE);
        std::fs::write(dir.path().join("3_delta_t1_x.json"), "{not json\n").unwrap();
        let err = read_habernal(dir.path()).unwrap_err().to_string();
        assert!(err.contains("3_delta_t1_x.json:1"), "{err}");
    }
}
