//! `referee label` driven by a script on stdin, and `referee labels check`.

mod common;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

const THREAD: &str = "004_78f8e4c4d4f43946";

/// A project directory with a copy of one structured seed thread and an
/// empty labels directory.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("labels")).unwrap();
        fs::copy(
            common::file(&format!("seeds/{THREAD}.jsonl")),
            dir.path().join("thread.jsonl"),
        )
        .unwrap();
        Project { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn label_args(&self) -> Vec<String> {
        vec![
            "label".into(),
            common::arg(&self.path("thread.jsonl")),
            "--labels-dir".into(),
            common::arg(&self.path("labels")),
            "--by".into(),
            "tester".into(),
        ]
    }

    fn label(&self, answers: &str) -> common::Run {
        let args = self.label_args();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        common::run(&args, answers.as_bytes())
    }

    fn check(&self) -> common::Run {
        let labels = common::arg(&self.path("labels"));
        let threads = common::arg(&self.path("labels/threads"));
        common::run(
            &[
                "labels",
                "check",
                "--labels",
                &labels,
                "--threads",
                &threads,
            ],
            b"",
        )
    }

    /// The records of labels/tester.jsonl, in file order.
    fn records(&self) -> Vec<Value> {
        read_records(&self.path("labels/tester.jsonl"))
    }
}

fn read_records(path: &Path) -> Vec<Value> {
    let text = fs::read_to_string(path).unwrap();
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "no half-written line: {text:?}"
    );
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a record ({e}): {l}")))
        .collect()
}

fn labels_of(record: &Value) -> (bool, bool, bool) {
    (
        record["abuse"].as_bool().unwrap(),
        record["ad_hominem"].as_bool().unwrap(),
        record["off_topic"].as_bool().unwrap(),
    )
}

#[test]
fn a_scripted_session_appends_one_record_per_answer_and_keeps_the_thread() {
    let project = Project::new();
    let run = project.label("o congratulations only\nn\ns\nah a test note\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("Tower Hamlets: victory for Lutfur Rahman"),
        "shows the post title"
    );
    assert!(run.stdout.contains("Thank Allah"), "shows the comment");

    let records = project.records();
    let got: Vec<(&str, (bool, bool, bool))> = records
        .iter()
        .map(|r| (r["comment"].as_str().unwrap(), labels_of(r)))
        .collect();
    assert_eq!(
        got,
        [
            ("c1", (false, false, true)),
            ("c2", (false, false, false)),
            ("c4", (true, true, false)),
        ]
    );
    assert_eq!(records[0]["note"], "congratulations only");
    assert_eq!(records[0]["by"], "tester");
    assert_eq!(records[0]["thread"], THREAD);

    // The thread the labels refer to is kept beside them.
    let kept = fs::read_to_string(project.path(&format!("labels/threads/{THREAD}.jsonl"))).unwrap();
    assert!(kept.contains("\"Muna Rai\""), "{kept}");

    let check = project.check();
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

#[test]
fn undo_restores_the_previous_judgement_and_asks_again() {
    let project = Project::new();
    // Label c1 as abuse, then correct it to none in a second session.
    assert_eq!(project.label("a first look\nq\n").code, 0);
    let run = project.label("h second look\nu\nn\nq\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("is abuse again"), "{}", run.stdout);

    let records = project.records();
    let got: Vec<(&str, (bool, bool, bool))> = records
        .iter()
        .map(|r| (r["comment"].as_str().unwrap(), labels_of(r)))
        .collect();
    assert_eq!(
        got,
        [
            ("c1", (true, false, false)),  // first session
            ("c1", (false, true, false)),  // second session
            ("c1", (true, false, false)),  // undo: back to the first judgement
            ("c1", (false, false, false)), // asked again: none
        ]
    );
}

#[test]
fn undo_with_nothing_before_withdraws_the_label() {
    let project = Project::new();
    let run = project.label("o chit-chat\nu\nq\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records = project.records();
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["withdrawn"], true);
    assert_eq!(project.check().code, 0);
}

#[test]
fn a_bad_scripted_answer_stops_with_the_line_and_keeps_what_was_saved() {
    let project = Project::new();
    let run = project.label("n\nyes\nn\n");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("<stdin>: line 2: unknown answer \"yes\""),
        "{}",
        run.stderr
    );
    assert_eq!(project.records().len(), 1);
}

#[test]
fn a_killed_session_leaves_a_valid_file_and_the_next_one_goes_on() {
    let project = Project::new();
    let args = project.label_args();
    let mut child = common::referee()
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"a first\nn\n").unwrap();
    stdin.flush().unwrap();
    let file = project.path("labels/tester.jsonl");
    let started = Instant::now();
    while fs::read_to_string(&file)
        .map(|t| t.lines().count())
        .unwrap_or(0)
        < 2
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "answers were not saved"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // Killed while waiting for the third answer: the two given are on disk.
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    assert_eq!(project.records().len(), 2);

    let run = project.label("s\ns\no banter\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records = project.records();
    assert_eq!(records.len(), 3);
    assert_eq!(records[2]["comment"], "c3");
}

#[test]
fn labels_check_passes_on_the_projects_labels() {
    let run = common::run(&["labels", "check"], b"");
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(" 0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn labels_check_reports_each_problem_with_file_and_line() {
    let project = Project::new();
    assert_eq!(project.label("n\n").code, 0);
    let record = |comment: &str, abuse: bool, note: &str| {
        format!(
            r#"{{"thread":"{THREAD}","comment":"{comment}","abuse":{abuse},"ad_hominem":false,"off_topic":false,{note}"by":"other","at":"2026-01-01T00:00:00Z"}}"#
        )
    };
    let other = [
        record("c1", true, r#""note":"slur","#), // contradicts tester's "none"
        record("c2", true, ""),                  // positive without a note
        record("c99", false, ""),                // no such comment
    ]
    .join("\n");
    fs::write(project.path("labels/other.jsonl"), other + "\n").unwrap();

    let run = project.check();
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    let tester = common::arg(&project.path("labels/tester.jsonl"));
    let other = common::arg(&project.path("labels/other.jsonl"));
    assert_eq!(
        lines,
        [
            format!(
                "error: {other}:3: {THREAD}/c99 is not a comment of any thread kept in the project"
            ),
            format!("error: {tester}:1: {THREAD}/c1 is labelled none here but abuse in {other}:1"),
            format!("warning: {other}:2: {THREAD}/c2 is labelled abuse without a note saying why"),
        ]
    );
    assert!(
        run.stderr.contains(" 2 errors, 1 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn labels_check_fails_on_warnings_only_when_strict() {
    let project = Project::new();
    assert_eq!(project.label("n\n").code, 0);
    let unexplained = format!(
        r#"{{"thread":"{THREAD}","comment":"c2","abuse":true,"ad_hominem":false,"off_topic":false,"by":"other","at":"2026-01-01T00:00:00Z"}}"#
    );
    fs::write(project.path("labels/other.jsonl"), unexplained + "\n").unwrap();

    let run = project.check();
    assert_eq!(
        run.code, 0,
        "a warning alone passes: {}{}",
        run.stdout, run.stderr
    );
    assert!(run.stdout.starts_with("warning: "), "{}", run.stdout);
    assert!(
        run.stderr.contains(" 0 errors, 1 warnings"),
        "{}",
        run.stderr
    );

    let labels = common::arg(&project.path("labels"));
    let threads = common::arg(&project.path("labels/threads"));
    let strict = common::run(
        &[
            "labels",
            "check",
            "--strict",
            "--labels",
            &labels,
            "--threads",
            &threads,
        ],
        b"",
    );
    assert_eq!(strict.code, 1, "{}{}", strict.stdout, strict.stderr);
}

#[test]
fn labels_check_names_the_line_of_an_unreadable_label_file() {
    let project = Project::new();
    fs::write(project.path("labels/broken.jsonl"), "{\"thread\":\"t\"}\n").unwrap();
    let run = project.check();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("broken.jsonl:1: expected a label record"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_different_thread_under_the_same_id_is_refused_before_any_question() {
    let project = Project::new();
    let original = fs::read_to_string(project.path("thread.jsonl")).unwrap();
    let altered = original.replace("Thank Allah", "Thank goodness");
    fs::create_dir_all(project.path("labels/threads")).unwrap();
    fs::write(
        project.path(&format!("labels/threads/{THREAD}.jsonl")),
        altered,
    )
    .unwrap();

    let run = project.label("n\n");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("already keeps a thread") && run.stderr.contains("comment c1 differs"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("[a]buse"), "no question was asked");
    assert!(!project.path("labels/tester.jsonl").exists());
}

#[test]
fn a_users_labels_and_models_stay_out_of_git_and_the_projects_stay_in() {
    let ignored = |path: &str| -> Option<bool> {
        let status = std::process::Command::new("git")
            .args(["check-ignore", "--quiet", "--no-index", path])
            .current_dir(common::root())
            .status()
            .ok()?;
        // 0: ignored, 1: not ignored, anything else: not a git checkout.
        match status.code() {
            Some(0) => Some(true),
            Some(1) => Some(false),
            _ => None,
        }
    };
    if ignored("labels/seeds.jsonl").is_none() {
        eprintln!("skipped: git is not installed or this is not a git checkout");
        return;
    }
    for path in [
        "labels/alice.jsonl",
        "labels/threads/a-post.jsonl",
        "models/site.refm",
        "models/site.card.md",
    ] {
        assert_eq!(ignored(path), Some(true), "{path} is a user's own");
    }
    for path in [
        "labels/seeds.jsonl",
        "labels/README.md",
        "labels/LABELLING.md",
        "labels/threads/000_bccf75438b1c52af.jsonl",
        "models/default.refm",
        "models/default.card.md",
    ] {
        assert_eq!(ignored(path), Some(false), "{path} is the project's");
    }
}
