//! End-to-end tests of the `referee` binary: scoring every input format,
//! bad input, broken pipes, thresholds and exit codes.

mod common;

use common::{arg, file, referee, run, run_cmd};

const SEED_000: &str = "seeds/000_bccf75438b1c52af.jsonl";

fn score_jsonl(path: &str) -> common::Run {
    score_jsonl_with(path, &[])
}

/// `referee score --format jsonl OPTIONS` on a file of the repository.
fn score_jsonl_with(path: &str, options: &[&str]) -> common::Run {
    run_jsonl(&arg(&file(path)), options)
}

/// `referee score --format jsonl OPTIONS PATH`.
fn run_jsonl(path: &str, options: &[&str]) -> common::Run {
    let mut args = vec!["score", "--format", "jsonl"];
    args.extend(options);
    args.push(path);
    run(&args, b"")
}

#[test]
fn jsonl_output_follows_the_contract_in_input_order() {
    let out = score_jsonl(SEED_000);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let lines = out.json_lines();
    assert_eq!(lines.len(), 60);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["thread"], "000_bccf75438b1c52af");
        assert_eq!(
            line["id"],
            format!("c{}", i + 1),
            "output keeps input order"
        );
        for label in ["abuse", "ad_hominem", "off_topic"] {
            let p = line["scores"][label].as_f64().expect("a score per label");
            assert!(
                (0.0..=1.0).contains(&p),
                "{label} score {p} is a probability"
            );
        }
        assert!(["approve", "review", "reject"].contains(&line["action"].as_str().unwrap()));
        assert!(line["flags"].is_array() && line["reasons"].is_array());
    }
}

#[test]
fn the_badger_exchange_is_flagged_as_abuse() {
    let lines = score_jsonl(SEED_000).json_lines();
    let by_id = |id: &str| {
        lines
            .iter()
            .find(|l| l["id"] == id)
            .expect("comment present")
            .clone()
    };
    for id in ["c18", "c20"] {
        let line = by_id(id);
        assert!(
            line["flags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == "abuse"),
            "{id} should be flagged as abuse: {line}"
        );
        assert_ne!(line["action"], "approve", "{id}: {line}");
    }
    // The question that exposes the code is not abuse.
    let question = by_id("c19");
    assert!(
        !question["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "abuse"),
        "{question}"
    );
}

#[test]
fn the_table_shows_every_comment_and_a_summary() {
    let out = run(
        &["score", &arg(&file("seeds/000_bccf75438b1c52af.txt"))],
        b"",
    );
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert!(
        out.stdout.contains("Thread 000_bccf75438b1c52af"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Muslims, that’s what you wanted"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("most flagged:"), "{}", out.stdout);
    assert!(!out.stdout.contains("\x1b["), "no colour in a pipe");
}

#[test]
fn a_comment_without_context_says_so() {
    let out = run(
        &["score", "--format", "jsonl", "-"],
        b"{\"text\":\"I am a proud Muslim\"}\n",
    );
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let lines = out.json_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["context"], false);
    assert_eq!(lines[0]["action"], "approve", "{}", lines[0]);
}

#[test]
fn every_input_format_is_scored() {
    let dir = file("crates/thread/tests/fixtures");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("reader fixtures exist") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir()
            || name.starts_with("bad")
            || name.starts_with("invalid")
            || name.starts_with("malformed")
        {
            continue;
        }
        let out = run(
            &["score", "--format", "jsonl", "--include-pings", &arg(&path)],
            b"",
        );
        let threads = run(&["threads", &arg(&path)], b"");
        // A fixture may hold a deliberately broken line: both commands
        // report it the same way and go on with the rest.
        assert_eq!(
            out.code, threads.code,
            "{name}: {} / {}",
            out.stderr, threads.stderr
        );
        assert!(
            out.code == 0 || out.stderr.contains("unreadable input record(s) skipped"),
            "{name}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("panicked"), "{name}: {}", out.stderr);
        // Comments without text (deleted, cut off) are reported, not scored.
        let comments: usize = threads
            .json_lines()
            .iter()
            .flat_map(|t| t["comments"].as_array().cloned().unwrap_or_default())
            .filter(|c| !c["text"].as_str().unwrap_or("").trim().is_empty())
            .count();
        assert_eq!(
            out.json_lines().len(),
            comments,
            "{name}: one output line per comment with text"
        );
        seen += 1;
    }
    assert!(seen >= 6, "fixtures for every format, found {seen}");
}

#[test]
fn stdin_is_read_with_dash_and_without_a_file() {
    let input = std::fs::read(file(SEED_000)).unwrap();
    let with_dash = run(&["score", "--format", "jsonl", "-"], &input);
    let without = run(&["score", "--format", "jsonl"], &input);
    assert_eq!(with_dash.code, 0, "{}", with_dash.stderr);
    assert_eq!(with_dash.stdout, without.stdout);
    assert_eq!(with_dash.json_lines().len(), 60);
}

#[test]
fn threads_converts_to_json_lines_that_read_back_the_same() {
    let first = run(
        &["threads", &arg(&file("seeds/003_8e85fc73c985b06a.txt"))],
        b"",
    );
    assert_eq!(first.code, 0, "{}", first.stderr);
    let again = run(
        &["threads", "--input-format", "jsonl", "-"],
        first.stdout.as_bytes(),
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(first.stdout, again.stdout);
}

#[test]
fn a_bad_json_line_is_reported_and_the_rest_is_scored() {
    let input = b"{\"id\":\"a\",\"text\":\"fine comment\"}\n{not json\n{\"id\":\"b\",\"text\":\"another\"}\n";
    let out = run(
        &["score", "--format", "jsonl", "--input-format", "jsonl", "-"],
        input,
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("(<stdin>:2)"),
        "names the line: {}",
        out.stderr
    );
    let ids: Vec<_> = out
        .json_lines()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["a", "b"]);

    let strict = run(
        &[
            "score",
            "--format",
            "jsonl",
            "--input-format",
            "jsonl",
            "--strict",
            "-",
        ],
        input,
    );
    assert_eq!(strict.code, 2);
    assert!(
        strict.json_lines().len() <= 1,
        "strict stops at the bad line"
    );
}

#[test]
fn bad_input_exits_2_with_a_message_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8]); 4] = [
        ("empty.txt", b""),
        ("truncated.xml", b"<?xml version=\"1.0\"?><rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><item><title>x</title><wp:comment><wp:comment_id>1"),
        ("broken.json", b"[{\"kind\": \"Listing\", \"data\": {\"children\": ["),
        ("latin1.txt", b"Caf\xe9 post\n\n1. Someone says:\nna\xefve\n"),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = run(&["score", &arg(&path)], b"");
        assert_eq!(out.code, 2, "{name}: {}", out.stderr);
        assert!(
            out.stderr.starts_with("referee: "),
            "{name}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains(name),
            "{name}: the message names the file: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("panicked"), "{name}: {}", out.stderr);
    }
    let missing = run(&["score", "/nonexistent/thread.txt"], b"");
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("/nonexistent/thread.txt"),
        "{}",
        missing.stderr
    );
}

#[test]
fn a_corrupt_model_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.refm");
    std::fs::write(&path, b"not a model at all").unwrap();
    let out = run(
        &["score", "--model", &arg(&path), "-"],
        b"{\"text\":\"hello\"}\n",
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("broken.refm"), "{}", out.stderr);
}

#[test]
fn fail_on_sets_exit_status_1_when_a_reject_threshold_is_crossed() {
    let input = std::fs::read(file(SEED_000)).unwrap();
    let hit = run(
        &[
            "score",
            "--format",
            "jsonl",
            "--fail-on",
            "abuse",
            "--reject-at",
            "abuse=0.0",
            "-",
        ],
        &input,
    );
    assert_eq!(hit.code, 1, "{}", hit.stderr);
    assert_eq!(hit.json_lines().len(), 60, "all output is still written");
    let miss = run(
        &[
            "score",
            "--format",
            "jsonl",
            "--fail-on",
            "abuse,ad_hominem",
            "--reject-at",
            "1",
            "-",
        ],
        &input,
    );
    assert_eq!(miss.code, 0, "{}", miss.stderr);
    let bad = run(&["score", "--fail-on", "rudeness", "-"], &input);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("rudeness"), "{}", bad.stderr);
}

#[test]
fn threshold_overrides_change_the_action() {
    let input = b"{\"text\":\"You are simply a nobody, an idiot\"}\n";
    let strict = run(
        &[
            "score",
            "--format",
            "jsonl",
            "--review-at",
            "0",
            "--reject-at",
            "0",
            "-",
        ],
        input,
    );
    assert_eq!(strict.json_lines()[0]["action"], "reject");
    let lenient = run(
        &[
            "score",
            "--format",
            "jsonl",
            "--review-at",
            "1",
            "--reject-at",
            "1",
            "-",
        ],
        input,
    );
    assert_eq!(lenient.json_lines()[0]["action"], "approve");
    let out_of_range = run(&["score", "--review-at", "abuse=1.5", "-"], input);
    assert_eq!(out_of_range.code, 2);
    assert!(
        out_of_range.stderr.contains("1.5"),
        "{}",
        out_of_range.stderr
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let input: String = (0..20_000)
        .map(|i| format!("{{\"id\":\"{i}\",\"text\":\"comment number {i}\"}}\n"))
        .collect();
    let mut child = referee()
        .args(["score", "--format", "jsonl", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    writer.join().unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "quiet: {stderr}");
}

#[test]
fn explain_adds_the_evidence_behind_each_score() {
    let out = score_jsonl_with(SEED_000, &["--explain"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines = out.json_lines();
    assert!(
        lines.iter().all(|l| l.get("explanation").is_some()),
        "every line has an explanation"
    );
}

/// Every seed thread in JSON Lines form.
fn seed_threads() -> Vec<String> {
    let mut seeds: Vec<String> = std::fs::read_dir(file("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .map(|p| arg(&p))
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty(), "the seed threads are in seeds/");
    seeds
}

/// The internal names of the context features that have a description of
/// their own: none may reach a user.
fn internal_names() -> Vec<String> {
    referee_train::context_feature_names()
        .into_iter()
        .zip(
            referee_train::context_feature_descriptions()
                .iter()
                .copied(),
        )
        .filter(|(name, description)| name != description)
        .map(|(name, _)| name)
        .collect()
}

/// Fails when `text` shows an internal feature name: compound names
/// anywhere, one-word names ("links") as a whole piece of evidence.
fn assert_no_internal_name(text: &str, whole: &[&str], context: &str) {
    for name in internal_names() {
        if name.contains(['_', ' ']) {
            assert!(!text.contains(&name), "{context} shows {name:?}:\n{text}");
        }
        assert!(!whole.contains(&name.as_str()), "{context} shows {name:?}");
    }
}

#[test]
fn every_flag_on_the_seed_threads_says_why_in_plain_words() {
    let mut flags = 0;
    for seed in seed_threads() {
        for explain in [false, true] {
            let out = run_jsonl(&seed, if explain { &["--explain"] } else { &[] });
            assert_eq!(out.code, 0, "{seed}: {}", out.stderr);
            for line in out.json_lines() {
                let reasons = line["reasons"].as_array().unwrap();
                assert_eq!(reasons.len(), line["flags"].as_array().unwrap().len());
                let mut shown: Vec<&str> = Vec::new();
                for reason in reasons {
                    let evidence = reason["evidence"].as_array().unwrap();
                    assert!(
                        !evidence.is_empty(),
                        "{seed}: a flag without evidence: {line}"
                    );
                    shown.extend(evidence.iter().map(|e| e.as_str().unwrap()));
                    flags += 1;
                }
                if explain {
                    let labels = line["explanation"]["labels"].as_array().unwrap();
                    for label in labels {
                        for c in label["context"].as_array().unwrap() {
                            shown.push(c["name"].as_str().unwrap());
                        }
                    }
                }
                assert_no_internal_name(&line.to_string(), &shown, &seed);
            }
        }
        let table = run(&["score", "--explain", &seed], b"");
        assert_eq!(table.code, 0, "{seed}: {}", table.stderr);
        assert_no_internal_name(&table.stdout, &[], &seed);
    }
    assert!(flags > 20, "the seed threads have flags to explain");

    // Flag everything: the weakest flags still say why.
    let all = score_jsonl_with(SEED_000, &["--review-at", "0"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    for line in all.json_lines() {
        let reasons = line["reasons"].as_array().unwrap();
        assert_eq!(reasons.len(), 3, "{line}");
        for reason in reasons {
            let evidence = reason["evidence"].as_array().unwrap();
            assert!(!evidence.is_empty(), "a flag without evidence: {line}");
            let shown: Vec<&str> = evidence.iter().map(|e| e.as_str().unwrap()).collect();
            assert_no_internal_name(&line.to_string(), &shown, SEED_000);
            // What a comment shares little with is said once: by name
            // (post, parent, thread) rather than also as the distance.
            let in_general = shown.contains(&"shares little with the post (or what it answers)");
            let by_name = shown
                .iter()
                .any(|e| e.starts_with("shares little with") && !e.contains("(or what"));
            assert!(!(in_general && by_name), "said twice: {line}");
        }
    }
}

#[test]
fn explain_in_the_table_is_a_readable_block_per_comment() {
    let thread = concat!(
        r#"{"id":"t1","title":"Library hours","text":"The council will close the library on Sundays.","comments":["#,
        r#"{"id":"c1","author":"Ann","text":"Sunday is the only day I can go."},"#,
        r#"{"id":"c2","author":"Bob","parent":"c1","text":"Ann, you are a deluded idiot."}]}"#,
        "\n"
    );
    let out = run(&["score", "--explain", "-"], thread.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let table_end = lines.iter().position(|l| l.starts_with('└')).unwrap();
    assert!(
        lines[..table_end].iter().all(|l| !l.contains('{')),
        "no JSON in the table:\n{}",
        out.stdout
    );
    for (id, author) in [("c1", "Ann"), ("c2", "Bob")] {
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("{id} · {author} · ")))
            .unwrap_or_else(|| panic!("a block for {id}:\n{}", out.stdout));
        assert!(at > table_end, "blocks follow the table");
        let block: Vec<&str> = lines[at + 1..]
            .iter()
            .take_while(|l| !l.is_empty())
            .copied()
            .collect();
        for label in ["abuse", "ad hominem", "off topic"] {
            let heading = block
                .iter()
                .position(|l| {
                    l.starts_with(&format!("  {label} ")) && l.contains(" · its words alone ")
                })
                .unwrap_or_else(|| panic!("{id} explains {label}:\n{}", block.join("\n")));
            let detail = block[heading + 1..]
                .iter()
                .take_while(|l| l.starts_with("    "))
                .collect::<Vec<_>>();
            assert!(
                detail.iter().any(|l| l.starts_with("    words:")),
                "{id} {label}: the words that moved the score:\n{}",
                block.join("\n")
            );
            assert!(
                detail.iter().any(|l| l.starts_with("    context:")),
                "{id} {label}: the context that moved the score:\n{}",
                block.join("\n")
            );
        }
    }
    let block_c2 = &out.stdout[out.stdout.find("c2 · Bob").unwrap()..];
    assert!(block_c2.contains("“idiot”"), "{block_c2}");
}

/// The JSON Lines output of every seed thread on the shipped model, as
/// recorded in tests/golden/seeds.jsonl: speed work must not change a byte
/// of it. When the model or the evidence changes on purpose, rewrite it
/// with `REFEREE_BLESS=1 cargo test --test cli seed_scores` and review the
/// difference.
#[test]
fn seed_scores_are_exactly_the_recorded_ones() {
    let mut output = String::new();
    for seed in seed_threads() {
        let out = run_jsonl(&seed, &[]);
        assert_eq!(out.code, 0, "{seed}: {}", out.stderr);
        output.push_str(&out.stdout);
    }
    let golden = file("tests/golden/seeds.jsonl");
    if std::env::var_os("REFEREE_BLESS").is_some() {
        std::fs::write(&golden, &output).unwrap();
    }
    let recorded = std::fs::read_to_string(&golden).unwrap();
    for (i, (now, then)) in output.lines().zip(recorded.lines()).enumerate() {
        assert_eq!(
            now,
            then,
            "line {} of tests/golden/seeds.jsonl differs; if the shipped model or \
             the evidence changed on purpose, rerun with REFEREE_BLESS=1",
            i + 1
        );
    }
    assert_eq!(output.lines().count(), recorded.lines().count());
    assert!(output == recorded, "same lines, different bytes");
}

#[test]
fn completions_and_man_pages_come_from_the_cli_definition() {
    let bash = run(&["completions", "bash"], b"");
    assert_eq!(bash.code, 0);
    assert!(bash.stdout.contains("--fail-on"));
    let dir = tempfile::tempdir().unwrap();
    let man = run_cmd(referee().args(["man", "--out", &arg(dir.path())]), b"");
    assert_eq!(man.code, 0, "{}", man.stderr);
    let page = std::fs::read_to_string(dir.path().join("referee.1")).unwrap();
    assert!(page.contains("referee"));
    assert!(dir.path().join("referee-score.1").exists());
}

#[test]
fn one_line_of_text_is_one_comment() {
    let out = run(&["score", "--format", "jsonl", "-"], b"You are an idiot\n");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines = out.json_lines();
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    assert_eq!(lines[0]["id"], "c1");
}

#[test]
fn a_text_page_without_comments_is_reported() {
    let page = b"A title\n\nThe post, and nothing that looks like a comment.\n";
    let out = run(&["score", "--format", "jsonl", "-"], page);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.trim().is_empty());
    assert!(
        out.stderr.contains("no comment found") && out.stderr.contains("--input-format"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("wxr, wordpress-html"), "{}", out.stderr);
    let strict = run(&["score", "--strict", "--format", "jsonl", "-"], page);
    assert_eq!(strict.code, 2, "{}", strict.stderr);
    let threads = run(&["threads", "--strict", "-"], page);
    assert_eq!(threads.code, 2, "{}", threads.stderr);
}
