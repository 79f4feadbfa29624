//! `referee label`: walk the comments of a thread, show each with its post,
//! its parent and the model's scores, and append one durable label record
//! per answer.
//!
//! Answers are read one line per comment, from the terminal or from a
//! script on stdin:
//!
//! - `a`, `h`, `o` (combinable: `ah`): abuse, ad hominem, off topic; text
//!   after a space is the note (`ah attacks his family`);
//! - `n`: none of the three;
//! - `s`: skip; `q`: quit;
//! - `u`: undo the last answer of this session. The undo is itself appended:
//!   a record restoring the judgement that was in force before (or, when
//!   there was none, a withdrawal, after which the comment counts as
//!   unlabelled). The walk then goes back to that comment.
//!
//! Comments come in reading order, or with `--uncertain` the ones whose
//! scores lie closest to a review threshold first (active learning).
//!
//! The thread is kept in `labels/threads/<id>.jsonl` (written atomically
//! before its first label) so that every label refers to a thread kept in
//! the project.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use referee_labels::{LabelRecord, LabelWriter, Labels};
use referee_thread::{Comment, Source, Thread};
use referee_train::{CommentScore, Label, Model, ScoreOptions, Thresholds};

use crate::args::LabelArgs;
use crate::labels_check::read_threads;
use crate::{input, model};

/// Characters of the post and of the parent shown above a comment.
const EXCERPT: usize = 240;

pub fn run(args: &LabelArgs) -> anyhow::Result<ExitCode> {
    let user = labeller(args)?;
    let label_file = args
        .labels
        .clone()
        .unwrap_or_else(|| args.labels_dir.join(format!("{}.jsonl", file_safe(&user))));

    let source = input::source(&args.input);
    let (threads, input_errors) = read_input(args)?;
    if threads.is_empty() {
        bail!("{source}: no thread to label");
    }
    let model = load_model(args)?;
    let mut items = walk_order(&threads, model.as_ref());
    if args.uncertain {
        let Some(model) = &model else {
            bail!("--uncertain needs a model to rank comments by; pass --model PATH");
        };
        sort_by_uncertainty(&mut items, model.thresholds());
    }

    let mut answers = Answers::open(&source)?;
    let mut session = Session::start(args, &label_file, user, &threads)?;
    let out = io::stdout();
    let mut out = out.lock();
    let mut pos = 0;
    while pos < items.len() {
        let item = &items[pos];
        let thread = &threads[item.thread];
        let comment = &thread.comments[item.comment];
        show(
            &mut out,
            pos,
            items.len(),
            thread,
            comment,
            item.score.as_ref(),
            &session,
        )?;
        let answer = ask(&mut out, &mut answers)?;
        match answer {
            Answer::Labels(labels, note) => {
                session.record(thread, comment, labels, note, pos)?;
                writeln!(out, "saved: {labels}")?;
                pos += 1;
            }
            Answer::Skip => pos += 1,
            Answer::Undo => match session.undo()? {
                Some((back_to, restored)) => {
                    writeln!(out, "undone: {restored}")?;
                    pos = back_to;
                }
                None => writeln!(out, "nothing to undo in this session")?,
            },
            Answer::Quit => break,
        }
    }
    writeln!(
        out,
        "{} records appended to {}",
        session.saved,
        label_file.display()
    )?;
    Ok(if input_errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prompts until a valid answer (on a terminal) or fails on an invalid one
/// (in a script, naming the line). The end of input is [`Answer::Quit`].
fn ask(out: &mut impl Write, answers: &mut Answers) -> anyhow::Result<Answer> {
    loop {
        write!(
            out,
            "[a]buse [h] ad hominem [o]ff topic (e.g. ah NOTE), [n]one, [s]kip, [u]ndo, [q]uit > "
        )?;
        out.flush()?;
        let Some(line) = answers.next_line()? else {
            return Ok(Answer::Quit);
        };
        if !answers.interactive {
            writeln!(out, "{line}")?;
        }
        match parse_answer(&line) {
            Ok(Answer::Labels(labels, None)) if labels.any() && answers.interactive => {
                write!(out, "note (why?) > ")?;
                out.flush()?;
                let note = answers.next_line()?.unwrap_or_default();
                let note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
                return Ok(Answer::Labels(labels, note));
            }
            Ok(answer) => return Ok(answer),
            Err(message) if answers.interactive => writeln!(out, "{message}")?,
            Err(message) => bail!("{}: line {}: {message}", answers.name, answers.line),
        }
    }
}

/// The labeller's name: `--by`, else `$USER`.
fn labeller(args: &LabelArgs) -> anyhow::Result<String> {
    let user = args
        .by
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    user.context("who is labelling? pass --by NAME (or set $USER)")
}

/// A name usable as a file name: anything but letters, digits, `.`, `-`
/// and `_` becomes `_`.
fn file_safe(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.starts_with('.') {
        format!("_{safe}")
    } else {
        safe
    }
}

/// Every readable thread of the input; unreadable parts are reported and
/// counted.
fn read_input(args: &LabelArgs) -> anyhow::Result<(Vec<Thread>, usize)> {
    let mut threads = Vec::new();
    let mut errors = 0;
    for thread in input::open(&args.input)? {
        match thread {
            Ok(thread) if thread.comments.is_empty() => {
                eprintln!("referee: thread {} has no comments", thread.id)
            }
            Ok(thread) => threads.push(thread),
            Err(err) => {
                errors += 1;
                eprintln!("referee: {err}");
            }
        }
    }
    Ok((threads, errors))
}

/// The model given with `--model`, else the shipped one; labelling goes on
/// without scores when there is no shipped model.
fn load_model(args: &LabelArgs) -> anyhow::Result<Option<Model>> {
    match model::load_default_or(args.model.as_deref()) {
        Ok(model) => Ok(Some(model)),
        Err(err) if args.model.is_none() => {
            eprintln!("referee: {err:#}; labelling without scores");
            Ok(None)
        }
        Err(err) => Err(err),
    }
}

/// One comment to ask about.
struct Item {
    thread: usize,
    comment: usize,
    score: Option<CommentScore>,
}

/// Every comment in reading order, with the model's scores.
fn walk_order(threads: &[Thread], model: Option<&Model>) -> Vec<Item> {
    let mut items = Vec::new();
    for (t, thread) in threads.iter().enumerate() {
        let mut scores = model
            .map(|m| m.score_thread(thread, &ScoreOptions::default()))
            .unwrap_or_default()
            .into_iter();
        for c in 0..thread.comments.len() {
            items.push(Item {
                thread: t,
                comment: c,
                score: scores.next(),
            });
        }
    }
    items
}

/// How far the comment is from a decision: the smallest distance of any
/// label's score to that label's review threshold. Smaller is less sure.
fn margin(score: &CommentScore, thresholds: &Thresholds) -> f32 {
    Label::ALL
        .into_iter()
        .map(|label| (score.scores.get(label) - thresholds.get(label).review).abs())
        .fold(f32::INFINITY, f32::min)
}

/// Most uncertain first (active learning); ties keep reading order.
fn sort_by_uncertainty(items: &mut [Item], thresholds: &Thresholds) {
    items.sort_by(|a, b| {
        let m = |item: &Item| {
            item.score
                .as_ref()
                .map_or(f32::INFINITY, |s| margin(s, thresholds))
        };
        m(a).total_cmp(&m(b))
    });
}

/// What the labeller said about one comment.
#[derive(Debug, PartialEq)]
enum Answer {
    Labels(Labels, Option<String>),
    Skip,
    Undo,
    Quit,
}

/// `KEYS [NOTE]`: keys `a`, `h`, `o` (any combination), `n`, `s`, `u`, `q`.
fn parse_answer(line: &str) -> Result<Answer, String> {
    let line = line.trim();
    let (keys, note) = match line.split_once(char::is_whitespace) {
        Some((keys, note)) => (
            keys,
            Some(note.trim().to_string()).filter(|n| !n.is_empty()),
        ),
        None => (line, None),
    };
    let expected = "expected a, h, o (combined like ah, then an optional note), n, s, u or q";
    let keys = keys.to_ascii_lowercase();
    match keys.as_str() {
        "" => return Err(format!("empty answer: {expected}")),
        "n" => return Ok(Answer::Labels(Labels::NONE, note)),
        "s" => return Ok(Answer::Skip),
        "u" => return Ok(Answer::Undo),
        "q" => return Ok(Answer::Quit),
        _ => {}
    }
    let mut labels = Labels::NONE;
    for key in keys.chars() {
        let slot = match key {
            'a' => &mut labels.abuse,
            'h' => &mut labels.ad_hominem,
            'o' => &mut labels.off_topic,
            _ => return Err(format!("unknown answer {line:?}: {expected}")),
        };
        if *slot {
            return Err(format!("{key:?} given twice in {line:?}"));
        }
        *slot = true;
    }
    Ok(Answer::Labels(labels, note))
}

/// Where answers come from: stdin, or the terminal when the thread itself
/// is piped in on stdin.
struct Answers {
    reader: Box<dyn BufRead>,
    name: String,
    line: usize,
    interactive: bool,
}

impl Answers {
    fn open(source: &Source) -> anyhow::Result<Answers> {
        if *source == Source::Stdin {
            let tty = File::open("/dev/tty")
                .context("the thread is read from stdin, so answers must come from a terminal, and there is none")?;
            return Ok(Answers {
                reader: Box::new(BufReader::new(tty)),
                name: "/dev/tty".into(),
                line: 0,
                interactive: true,
            });
        }
        let stdin = io::stdin();
        Ok(Answers {
            interactive: stdin.is_terminal(),
            reader: Box::new(BufReader::new(stdin)),
            name: "<stdin>".into(),
            line: 0,
        })
    }

    /// The next line without its line ending, or `None` at the end.
    fn next_line(&mut self) -> anyhow::Result<Option<String>> {
        let mut line = String::new();
        let n = self
            .reader
            .read_line(&mut line)
            .with_context(|| format!("cannot read answers from {}", self.name))?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        Ok(Some(line.trim_end_matches(['\n', '\r']).to_string()))
    }
}

/// One answer of this session, for undo.
struct Done {
    pos: usize,
    thread: String,
    comment: String,
    /// The judgement in force before the answer.
    before: Option<LabelRecord>,
}

/// The label file being appended to and what is known about the comments.
struct Session {
    writer: LabelWriter,
    user: String,
    /// The judgement in force per (thread, comment), from every label file.
    current: HashMap<(String, String), LabelRecord>,
    /// Threads to write, by id, before their first label.
    to_keep: HashMap<String, PathBuf>,
    done: Vec<Done>,
    saved: usize,
}

impl Session {
    /// Reads the labels in force and checks, before any question, that every
    /// thread can be kept in the project.
    fn start(
        args: &LabelArgs,
        label_file: &Path,
        user: String,
        threads: &[Thread],
    ) -> anyhow::Result<Session> {
        let mut to_keep = HashMap::new();
        for thread in threads {
            if let Some(path) = where_to_keep(&args.labels_dir, thread)? {
                to_keep.insert(thread.id.clone(), path);
            }
        }
        let mut records = Vec::new();
        if args.labels_dir.is_dir() {
            records.extend(
                referee_labels::read_dir(&args.labels_dir)
                    .with_context(|| {
                        format!("cannot read the labels in {}", args.labels_dir.display())
                    })?
                    .into_iter()
                    .map(|(_, record)| record),
            );
        }
        let outside = label_file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let in_dir = same_dir(&outside, &args.labels_dir);
        if label_file.is_file() && !in_dir {
            records.extend(referee_labels::read_file(label_file)?);
        }
        let current = referee_labels::latest(records)
            .into_iter()
            .map(|r| ((r.thread.clone(), r.comment.clone()), r))
            .collect();
        let writer = LabelWriter::open(label_file)
            .with_context(|| format!("cannot open {} to append labels", label_file.display()))?;
        Ok(Session {
            writer,
            user,
            current,
            to_keep,
            done: Vec::new(),
            saved: 0,
        })
    }

    fn current(&self, thread: &str, comment: &str) -> Option<&LabelRecord> {
        self.current.get(&(thread.to_string(), comment.to_string()))
    }

    /// Appends the labeller's judgement of `comment` (keeping the thread in
    /// the project first).
    fn record(
        &mut self,
        thread: &Thread,
        comment: &Comment,
        labels: Labels,
        note: Option<String>,
        pos: usize,
    ) -> anyhow::Result<()> {
        if let Some(path) = self.to_keep.remove(&thread.id) {
            keep_thread(&path, thread)?;
        }
        let mut record = LabelRecord::new(&thread.id, &comment.id, labels, &self.user);
        record.note = note;
        self.append(&record)?;
        let key = (thread.id.clone(), comment.id.clone());
        let before = self.current.insert(key.clone(), record);
        self.done.push(Done {
            pos,
            thread: key.0,
            comment: key.1,
            before,
        });
        Ok(())
    }

    /// Takes back the last answer of the session by appending a record that
    /// restores what was in force before it. Returns where the walk goes
    /// back to and what was restored.
    fn undo(&mut self) -> anyhow::Result<Option<(usize, String)>> {
        let Some(done) = self.done.pop() else {
            return Ok(None);
        };
        let key = (done.thread.clone(), done.comment.clone());
        let what = format!("{}/{}", done.thread, done.comment);
        match done.before {
            Some(before) => {
                let restored = LabelRecord {
                    by: self.user.clone(),
                    at: referee_labels::now_rfc3339(),
                    ..before
                };
                self.append(&restored)?;
                let message = format!("{what} is {} again", restored.labels());
                self.current.insert(key, restored);
                Ok(Some((done.pos, message)))
            }
            None => {
                self.append(&LabelRecord::withdrawal(
                    &done.thread,
                    &done.comment,
                    &self.user,
                ))?;
                self.current.remove(&key);
                Ok(Some((done.pos, format!("{what} is unlabelled again"))))
            }
        }
    }

    fn append(&mut self, record: &LabelRecord) -> anyhow::Result<()> {
        self.writer
            .append(record)
            .with_context(|| format!("cannot append to {}", self.writer.path().display()))?;
        self.saved += 1;
        Ok(())
    }
}

/// True when `a` and `b` name the same directory.
fn same_dir(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| {
        let p = if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        };
        p.canonicalize().ok()
    };
    matches!((canon(a), canon(b)), (Some(x), Some(y)) if x == y)
}

/// Where `thread` must be written so that labels refer to a thread kept in
/// the project: `None` when `seeds/<id>.jsonl` next to the labels directory
/// or `<labels>/threads/<id>.jsonl` already holds it, else the latter path.
/// A kept copy with fewer comments is to be replaced by the fuller one; a
/// copy whose comments disagree with the thread's is an error, since the
/// labels would then point at different comments.
fn where_to_keep(labels_dir: &Path, thread: &Thread) -> anyhow::Result<Option<PathBuf>> {
    let name = format!("{}.jsonl", file_safe(&thread.id));
    let project = labels_dir.parent().unwrap_or(Path::new(""));
    let seed = project.join("seeds").join(&name);
    let kept = labels_dir.join("threads").join(&name);
    for path in [&seed, &kept] {
        if !path.is_file() {
            continue;
        }
        let stored = read_threads(path)?;
        let Some(stored) = stored.iter().find(|t| t.id == thread.id) else {
            continue;
        };
        match compare(stored, thread) {
            Fit::Covers => return Ok(None),
            Fit::Extends if *path == kept => break,
            Fit::Extends => return Ok(None),
            Fit::Conflicts(id) => bail!(
                "{} already keeps a thread {:?} whose comment {id} differs from the input's; \
                 labels would point at different comments (give the input another file name, or label the kept file)",
                path.display(),
                thread.id
            ),
        }
    }
    Ok(Some(kept))
}

/// Writes `thread` to `path` atomically (JSON Lines thread form).
fn keep_thread(path: &Path, thread: &Thread) -> anyhow::Result<()> {
    let mut bytes = Vec::new();
    referee_thread::write_jsonl(&mut bytes, thread)?;
    referee_labels::write_bytes_atomic(path, &bytes)
        .with_context(|| format!("cannot keep the thread in {}", path.display()))
}

/// How a kept thread relates to the one being labelled.
#[derive(Debug, PartialEq)]
enum Fit {
    /// The kept thread has every comment of the new one, word for word.
    Covers,
    /// The new thread has every kept comment and more.
    Extends,
    /// This comment id has different text in the two.
    Conflicts(String),
}

fn compare(stored: &Thread, new: &Thread) -> Fit {
    let stored_text: HashMap<&str, &str> = stored
        .comments
        .iter()
        .map(|c| (c.id.as_str(), c.text.as_str()))
        .collect();
    let mut missing = false;
    for comment in &new.comments {
        match stored_text.get(comment.id.as_str()) {
            Some(text) if *text == comment.text => {}
            Some(_) => return Fit::Conflicts(comment.id.clone()),
            None => missing = true,
        }
    }
    if !missing {
        Fit::Covers
    } else if new.comments.len() > stored.comments.len() {
        Fit::Extends
    } else {
        // Each has comments the other lacks.
        let id = new
            .comments
            .iter()
            .find(|c| !stored_text.contains_key(c.id.as_str()))
            .map(|c| c.id.clone())
            .unwrap_or_default();
        Fit::Conflicts(id)
    }
}

/// Prints one comment with what a moderator needs to judge it.
fn show(
    out: &mut impl Write,
    pos: usize,
    total: usize,
    thread: &Thread,
    comment: &Comment,
    score: Option<&CommentScore>,
    session: &Session,
) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "── {}/{total}  thread {}", pos + 1, thread.id)?;
    match (&thread.title, &thread.text) {
        (Some(title), _) => writeln!(out, "post: {}", excerpt(title, EXCERPT))?,
        (None, Some(text)) => writeln!(out, "post: {}", excerpt(text, EXCERPT))?,
        (None, None) => {}
    }
    let parent = comment
        .parent
        .as_ref()
        .and_then(|id| thread.comments.iter().find(|c| &c.id == id));
    if let Some(parent) = parent {
        writeln!(
            out,
            "in reply to {}{}: {}",
            parent.id,
            by(parent),
            excerpt(&parent.text, EXCERPT)
        )?;
    }
    writeln!(out, "{}{}:", comment.id, by(comment))?;
    for line in comment.text.lines() {
        writeln!(out, "  {line}")?;
    }
    if let Some(score) = score {
        write!(out, "model:")?;
        for label in Label::ALL {
            let flag = if score.flags.contains(&label) {
                "*"
            } else {
                ""
            };
            write!(out, " {label} {:.2}{flag}", score.scores.get(label))?;
        }
        writeln!(out, " -> {}", score.action)?;
        for reason in score.reasons.iter().filter(|r| !r.evidence.is_empty()) {
            writeln!(out, "  {}", crate::table::reason_line(reason))?;
        }
    }
    if let Some(current) = session.current(&thread.id, &comment.id) {
        writeln!(
            out,
            "labelled: {} (by {}, {})",
            current.labels(),
            current.by,
            current.at
        )?;
    }
    Ok(())
}

fn by(comment: &Comment) -> String {
    comment
        .author
        .as_ref()
        .map(|a| format!(" by {a}"))
        .unwrap_or_default()
}

/// The text on one line, cut to `max` characters.
fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_combine_keys_and_carry_a_note() {
        let ah = Labels {
            abuse: true,
            ad_hominem: true,
            ..Labels::NONE
        };
        assert_eq!(parse_answer("ah"), Ok(Answer::Labels(ah, None)));
        assert_eq!(
            parse_answer(" HA  mocks his family "),
            Ok(Answer::Labels(ah, Some("mocks his family".into())))
        );
        assert_eq!(parse_answer("n"), Ok(Answer::Labels(Labels::NONE, None)));
        assert_eq!(parse_answer("s"), Ok(Answer::Skip));
        assert_eq!(parse_answer("u"), Ok(Answer::Undo));
        assert_eq!(parse_answer("q"), Ok(Answer::Quit));
    }

    #[test]
    fn bad_answers_say_what_is_expected() {
        for bad in ["", "x", "ax", "aa", "sq"] {
            let err = parse_answer(bad).unwrap_err();
            assert!(
                err.contains("expected") || err.contains("twice"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_safe("ann"), "ann");
        assert_eq!(file_safe("../etc/x y"), "_.._etc_x_y");
    }

    fn thread(comments: &[(&str, &str)]) -> Thread {
        Thread {
            id: "t".into(),
            comments: comments
                .iter()
                .map(|(id, text)| Comment {
                    id: id.to_string(),
                    text: text.to_string(),
                    ..Comment::default()
                })
                .collect(),
            ..Thread::default()
        }
    }

    #[test]
    fn kept_threads_are_compared_comment_by_comment() {
        let kept = thread(&[("c1", "a"), ("c2", "b")]);
        assert_eq!(compare(&kept, &thread(&[("c1", "a")])), Fit::Covers);
        assert_eq!(
            compare(&kept, &thread(&[("c1", "a"), ("c2", "b"), ("c3", "c")])),
            Fit::Extends
        );
        assert_eq!(
            compare(&kept, &thread(&[("c1", "a"), ("c2", "B")])),
            Fit::Conflicts("c2".into())
        );
        assert_eq!(
            compare(&kept, &thread(&[("c1", "a"), ("c9", "z")])),
            Fit::Conflicts("c9".into())
        );
    }

    #[test]
    fn threads_are_kept_once_and_replaced_by_fuller_versions() {
        let project = tempfile::tempdir().unwrap();
        let labels = project.path().join("labels");
        let short = thread(&[("c1", "a")]);
        let long = thread(&[("c1", "a"), ("c2", "b")]);

        let path = where_to_keep(&labels, &short)
            .unwrap()
            .expect("not kept yet");
        assert_eq!(path, labels.join("threads/t.jsonl"));
        keep_thread(&path, &short).unwrap();
        assert_eq!(where_to_keep(&labels, &short).unwrap(), None);
        assert_eq!(where_to_keep(&labels, &long).unwrap(), Some(path.clone()));
        keep_thread(&path, &long).unwrap();
        assert_eq!(where_to_keep(&labels, &short).unwrap(), None);

        // A seed next to the labels directory counts as kept.
        let other = Thread {
            id: "seed".into(),
            ..short.clone()
        };
        std::fs::create_dir(project.path().join("seeds")).unwrap();
        keep_thread(&project.path().join("seeds/seed.jsonl"), &other).unwrap();
        assert_eq!(where_to_keep(&labels, &other).unwrap(), None);
    }

    #[test]
    fn uncertain_comments_come_first() {
        let score = |abuse: f32| CommentScore {
            thread: "t".into(),
            id: "c".into(),
            author: None,
            scores: referee_train::Scores {
                abuse,
                ad_hominem: 0.0,
                off_topic: 0.0,
            },
            flags: vec![],
            action: referee_train::Action::Approve,
            reasons: vec![],
            context: true,
            explanation: None,
        };
        let mut items: Vec<Item> = [0.3, 0.45, 0.99, 0.6]
            .into_iter()
            .enumerate()
            .map(|(i, p)| Item {
                thread: 0,
                comment: i,
                score: Some(score(p)),
            })
            .collect();
        sort_by_uncertainty(&mut items, &Thresholds::default());
        let order: Vec<usize> = items.iter().map(|i| i.comment).collect();
        assert_eq!(order, [1, 3, 0, 2]);
    }

    #[test]
    fn excerpts_are_one_line_and_cut_on_characters() {
        assert_eq!(excerpt("a\n b", 10), "a b");
        assert_eq!(excerpt("ééééé", 3), "ééé…");
    }
}
