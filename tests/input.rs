//! End-to-end tests of what `referee threads` and `referee score` make of
//! each reader's statuses, pingbacks, comments without text, and input that
//! cannot be read.

mod common;

use common::{arg, file, run};
use serde_json::Value;

const FIXTURES: &str = "crates/thread/tests/fixtures";

fn fixture(name: &str) -> String {
    arg(&file(&format!("{FIXTURES}/{name}")))
}

/// `(id, status)` of every comment of every thread `referee threads` prints.
fn comment_statuses(threads: &[Value]) -> Vec<(String, String)> {
    threads
        .iter()
        .flat_map(|thread| thread["comments"].as_array().unwrap().iter())
        .map(|comment| {
            (
                comment["id"].as_str().unwrap().to_owned(),
                comment["status"].as_str().unwrap_or("approved").to_owned(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|&(id, status)| (id.to_owned(), status.to_owned()))
        .collect()
}

#[test]
fn threads_gives_each_fixture_its_threads_comments_and_statuses() {
    let wxr = run(&["threads", &fixture("export.wxr")], b"");
    assert_eq!(wxr.code, 0, "{}", wxr.stderr);
    let threads = wxr.json_lines();
    assert_eq!(
        threads.len(),
        2,
        "a post and a page; the attachment is skipped"
    );
    assert_eq!(
        comment_statuses(&threads),
        pairs(&[
            ("11", "approved"),
            ("13", "pending"),
            ("12", "approved"),
            ("15", "trash"),
            ("14", "spam"),
            ("16", "ping"),
            ("17", "ping"),
        ])
    );

    let page = run(&["threads", &fixture("post-de-bold-authors.html")], b"");
    assert_eq!(page.code, 0, "{}", page.stderr);
    assert_eq!(
        comment_statuses(&page.json_lines()),
        pairs(&[
            ("11", "approved"),
            ("12", "approved"),
            ("13", "approved"),
            ("14", "ping"),
            ("15", "ping"),
        ])
    );

    let disqus = run(&["threads", &fixture("export-disqus.xml")], b"");
    assert_eq!(
        comment_statuses(&disqus.json_lines()),
        pairs(&[
            ("9001", "approved"),
            ("9002", "approved"),
            ("9004", "deleted"),
            ("9003", "spam"),
        ])
    );

    let crawl = run(&["threads", &fixture("crawl.jsonl")], b"");
    assert_eq!(crawl.code, 0, "{}", crawl.stderr);
    let threads = crawl.json_lines();
    let sizes: Vec<usize> = threads
        .iter()
        .map(|t| t["comments"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [3, 2], "comments grouped by the page of their url");
}

#[test]
fn pings_are_left_out_of_scoring_unless_asked_for() {
    let out = run(&["score", "--format", "jsonl", &fixture("export.wxr")], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines = out.json_lines();
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["11", "13", "12", "15", "14"]);
    assert!(
        out.stderr
            .contains("2 pingback(s) and trackback(s) not scored (--include-pings scores them)"),
        "{}",
        out.stderr
    );

    let all = run(
        &[
            "score",
            "--format",
            "jsonl",
            "--include-pings",
            &fixture("export.wxr"),
        ],
        b"",
    );
    assert_eq!(all.code, 0, "{}", all.stderr);
    let lines = all.json_lines();
    assert_eq!(lines.len(), 7);
    assert_eq!(lines[5]["status"], "ping");
    assert!(!all.stderr.contains("pingback"), "{}", all.stderr);
}

#[test]
fn score_output_carries_the_status_of_comments_not_approved() {
    let out = run(&["score", "--format", "jsonl", &fixture("export.wxr")], b"");
    let lines = out.json_lines();
    let status = |id: &str| {
        let line = lines.iter().find(|l| l["id"] == id).expect("scored");
        line.get("status").cloned()
    };
    assert_eq!(
        status("11"),
        None,
        "approved comments keep the contract's fields"
    );
    assert_eq!(status("13"), Some("pending".into()));
    assert_eq!(status("15"), Some("trash".into()));
    assert_eq!(status("14"), Some("spam".into()));

    let table = run(&["score", &fixture("export.wxr")], b"");
    assert_eq!(table.code, 0, "{}", table.stderr);
    for marked in ["13 (pending)", "14 (spam)", "15 (trash)"] {
        assert!(table.stdout.contains(marked), "{marked}: {}", table.stdout);
    }
}

#[test]
fn comments_without_text_are_reported_not_scored() {
    // A page cut off inside its second comment.
    let page = r#"<html><body><ol class="commentlist">
<li class="comment" id="li-comment-1"><div id="comment-1"><div class="comment-author"><cite class="fn">Ann</cite></div><p>The bins were not collected again.</p></div></li>
<li class="comment" id="li-comment-2"><div id="comment-2"><div class="comment-author"><cite class="fn">Bob</cite></div>"#;
    let out = run(&["score", "--format", "jsonl", "-"], page.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ids: Vec<String> = out
        .json_lines()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["1"]);
    assert!(
        out.stderr.contains(
            "1 comment(s) without text not scored (deleted, or cut off in the input): stdin-"
        ) && out.stderr.trim_end().ends_with("/2"),
        "{}",
        out.stderr
    );

    // A removed Reddit comment, in a dump with one bad line.
    let dump = run(
        &[
            "score",
            "--format",
            "jsonl",
            &fixture("reddit-pushshift.jsonl"),
        ],
        b"",
    );
    assert_eq!(dump.code, 2, "the bad line makes the exit status 2");
    let ids: Vec<String> = dump
        .json_lines()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["k1a01", "k1a02", "k1a05"], "{}", dump.stderr);
    assert!(
        dump.stderr.contains("reddit-pushshift.jsonl:4)"),
        "{}",
        dump.stderr
    );
    assert!(
        dump.stderr
            .contains("not scored (deleted, or cut off in the input): pier1/k1a03"),
        "{}",
        dump.stderr
    );
    assert!(
        dump.stderr.contains("1 unreadable input record(s) skipped"),
        "{}",
        dump.stderr
    );
}

#[test]
fn a_fatal_error_is_not_counted_as_a_skipped_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.xml");
    std::fs::write(
        &path,
        "<?xml version=\"1.0\"?><rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><item><wp:post_id>1</wp:post_id><wp:comment><wp:comment_id>1",
    )
    .unwrap();
    let out = run(&["score", &arg(&path)], b"");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("truncated export"), "{}", out.stderr);
    assert!(!out.stderr.contains("skipped"), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn json_errors_name_the_line_or_byte_not_serdes_column() {
    let out = run(
        &["score", "--input-format", "jsonl", "-"],
        b"{\"text\":\"fine\"}\n{\"text\": \"cut\n",
    );
    assert!(out.stderr.contains("(<stdin>:2)"), "{}", out.stderr);
    assert!(!out.stderr.contains("column"), "{}", out.stderr);

    let out = run(
        &["score", "-"],
        b"[{\"kind\": \"Listing\", \"data\": {\"children\": [",
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("(<stdin>, byte "), "{}", out.stderr);
    assert!(!out.stderr.contains("column"), "{}", out.stderr);
}

#[test]
fn binary_input_says_it_looks_binary() {
    let out = run(
        &["score", "-"],
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00comments.jsonl",
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("looks binary"), "{}", out.stderr);
}

#[test]
fn json_lines_with_parent_ids_are_not_taken_for_reddit() {
    let out = run(
        &["score", "--format", "jsonl", &fixture("crawl.jsonl")],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines = out.json_lines();
    assert_eq!(lines.len(), 5);
    assert_eq!(
        lines[1]["thread"],
        "https://harbourtown.example/2021/05/crossing/"
    );
    assert_eq!(lines[1]["context"], true, "a reply is read with its parent");

    // What detection gets wrong can be named.
    let wrong = run(&["score", "-"], b"[1, 2, 3]\n");
    assert_eq!(wrong.code, 2);
    assert!(
        wrong.stderr.contains("--input-format")
            && wrong
                .stderr
                .contains("text, wxr, wordpress-html, disqus, reddit, jsonl"),
        "{}",
        wrong.stderr
    );
}

#[test]
fn a_review_threshold_above_the_reject_threshold_is_refused() {
    let input = b"{\"text\":\"You are simply a nobody\"}\n";
    let out = run(
        &[
            "score",
            "--reject-at",
            "abuse=0.3",
            "--review-at",
            "abuse=0.5",
            "-",
        ],
        input,
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("--review-at abuse=0.5")
            && out.stderr.contains("--reject-at abuse=0.3"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    // Against the model's own reject threshold, the flag given wins.
    let out = run(&["score", "--review-at", "abuse=0.99", "-"], input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("abuse 0.99/0.99"), "{}", out.stdout);
    let out = run(&["score", "--reject-at", "abuse=0.01", "-"], input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("abuse 0.01/0.01"), "{}", out.stdout);
}
