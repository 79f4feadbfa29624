//! What one client can take from `referee serve`: scoring work, memory,
//! connections. Every test runs a server on loopback and stays bounded in
//! requests and time.

mod support;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use referee_serve::{model_file_loader, Limits, ModelHandle, ServerConfig};
use serde_json::{json, Value};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const ANALYZE: &str = "/v1alpha1/comments:analyze";

/// The model shipped in the repository: scoring costs what it costs in
/// production.
fn shipped_model() -> ModelHandle {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/default.refm");
    ModelHandle::from_file(path, model_file_loader()).expect("models/default.refm loads")
}

/// A comment of `sentences` short sentences with `entries` context entries
/// of about 200 bytes, asking for spans.
fn spans_request(sentences: usize, entries: usize) -> Value {
    json!({
        "comment": {"text": "You are wrong. ".repeat(sentences)},
        "context": {"entries": vec![json!({"text": "I read the article twice. ".repeat(8)}); entries]},
        "languages": ["en"],
        "spanAnnotations": true,
        "requestedAttributes": {"TOXICITY": {}}
    })
}

fn assert_invalid(reply: &Reply, needle: &str) {
    assert_eq!(
        reply.status,
        400,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let body = reply.json();
    assert_eq!(body["error"]["status"], "INVALID_ARGUMENT");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains(needle), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sentences_times_entries_is_refused_or_scored_well_under_a_second() {
    let server = Running::start(ServerConfig::new(shipped_model())).await;
    let client = client();

    // 800 sentences with 800 entries: once ran past the timeout.
    let started = Instant::now();
    let reply = post(&client, &server.url(ANALYZE), &spans_request(800, 800)).await;
    assert_invalid(&reply, "--max-context-entries");
    // Within the entry cap, the work budget refuses it before scoring.
    let reply = post(&client, &server.url(ANALYZE), &spans_request(200, 100)).await;
    assert_invalid(&reply, "--max-work");
    let reply = post(&client, &server.url(ANALYZE), &spans_request(800, 0)).await;
    assert_invalid(&reply, "--max-span-sentences");
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "refused before scoring: {:?}",
        started.elapsed()
    );

    // A request within every cap is scored in well under a second.
    let started = Instant::now();
    let reply = post(&client, &server.url(ANALYZE), &spans_request(20, 20)).await;
    let elapsed = started.elapsed();
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let spans = &reply.json()["attributeScores"]["TOXICITY"]["spanScores"];
    assert_eq!(spans.as_array().unwrap().len(), 20);
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_request_frees_its_worker_at_once() {
    // One worker: a job that kept running after its 504 would hold up
    // every request behind it.
    let config = ServerConfig::new(ModelHandle::fixed(Arc::new(SlowScorer {
        delay: Duration::from_millis(20),
        when_text_has: "slowly",
    })))
    .workers(1)
    .request_timeout(Duration::from_millis(300));
    let server = Running::start(config).await;
    let client = client();
    let normal = json!({"comment": {"text": "hello there"}, "languages": ["en"],
                        "requestedAttributes": {"TOXICITY": {}}});
    let mut usual = Duration::ZERO;
    for _ in 0..5 {
        let started = Instant::now();
        assert_eq!(
            post(&client, &server.url(ANALYZE), &normal).await.status,
            200
        );
        usual = usual.max(started.elapsed());
    }

    // 150 sentences at 20 ms each: 3 s of scoring, cut at 300 ms.
    let slow = json!({"comment": {"text": "Say it slowly. ".repeat(150)}, "languages": ["en"],
                      "spanAnnotations": true, "requestedAttributes": {"TOXICITY": {}}});
    let reply = post(&client, &server.url(ANALYZE), &slow).await;
    assert_eq!(
        reply.status,
        504,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.json()["error"]["status"], "DEADLINE_EXCEEDED");

    // The worker is free again within one model call.
    for _ in 0..10 {
        let started = Instant::now();
        let reply = post(&client, &server.url(ANALYZE), &normal).await;
        assert_eq!(reply.status, 200);
        let elapsed = started.elapsed();
        assert!(
            elapsed < usual + Duration::from_millis(150),
            "{elapsed:?} after a 504 (usually {usual:?})"
        );
    }
    server.stop().await.unwrap();
}

/// Peak resident memory of this process, in MiB.
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |kib| kib / 1024)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attributes_times_sentences_is_refused_and_memory_stays_small() {
    let server = Running::start(ServerConfig::new(ModelHandle::fixed(keyword_scorer()))).await;
    let client = client();
    let spelling = |i: usize| -> String {
        // Every mix of upper and lower case of "toxicity".
        "toxicity"
            .chars()
            .enumerate()
            .map(|(b, c)| {
                if i >> b & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect()
    };
    // 256 spellings of one attribute and 60,000 sentences in about 900 KB:
    // as spans, once a response of tens of gigabytes.
    let attributes: serde_json::Map<String, Value> =
        (0..256).map(|i| (spelling(i), json!({}))).collect();
    let body = json!({"comment": {"text": "Hi. ".repeat(60_000)}, "languages": ["en"],
                      "spanAnnotations": true, "requestedAttributes": attributes});
    let reply = post(&client, &server.url(ANALYZE), &body).await;
    assert_invalid(&reply, "--max-attributes");

    // Within the attribute cap, spellings collapse to one attribute.
    let attributes: serde_json::Map<String, Value> =
        (0..32).map(|i| (spelling(i), json!({}))).collect();
    let body = json!({"comment": {"text": "Hi. You idiot. ".repeat(50)}, "languages": ["en"],
                      "spanAnnotations": true, "requestedAttributes": attributes});
    let reply = post(&client, &server.url(ANALYZE), &body).await;
    assert_eq!(reply.status, 200);
    let scores = reply.json()["attributeScores"].clone();
    assert_eq!(scores.as_object().unwrap().len(), 1, "{scores}");
    assert_eq!(
        scores["TOXICITY"]["spanScores"].as_array().unwrap().len(),
        100
    );

    // Every distinct attribute with the most spans stays under the
    // response cap, and a lower cap is a 400 before the response is built.
    let all: serde_json::Map<String, Value> = referee_serve::attributes::ATTRIBUTES
        .iter()
        .flat_map(|(name, _)| [name.to_string(), format!("{name}_EXPERIMENTAL")])
        .map(|name| (name, json!({})))
        .collect();
    let body = json!({"comment": {"text": "Hi. ".repeat(200)}, "languages": ["en"],
                      "spanAnnotations": true, "requestedAttributes": all});
    let reply = post(&client, &server.url(ANALYZE), &body).await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.len() < Limits::default().max_response_bytes);
    server.stop().await.unwrap();

    let small = Limits {
        max_response_bytes: 64 * 1024,
        ..Limits::default()
    };
    let server =
        Running::start(ServerConfig::new(ModelHandle::fixed(keyword_scorer())).limits(small)).await;
    let reply = post(&client, &server.url(ANALYZE), &body).await;
    assert_invalid(&reply, "--max-response-bytes");
    server.stop().await.unwrap();

    let peak = peak_rss_mib();
    assert!(peak < 200, "peak resident memory {peak} MiB");
}

/// Sends nothing (`http2` false), or only HTTP/2's preface and settings.
async fn idle_connection(addr: std::net::SocketAddr, http2: bool) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    if http2 {
        stream
            .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0")
            .await
            .unwrap();
    }
    stream
}

/// Reads until the server closes the connection; `None` if it does not
/// within `limit`.
async fn closed_within(mut stream: TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut sink = Vec::new();
    match tokio::time::timeout(limit, stream.read_to_end(&mut sink)).await {
        Ok(_) => Some(started.elapsed()),
        Err(_) => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_are_closed_while_requests_keep_answering() {
    referee_serve::raise_fd_limit();
    let idle_timeout = Duration::from_millis(800);
    let server = Running::start(
        ServerConfig::new(ModelHandle::fixed(keyword_scorer())).idle_timeout(idle_timeout),
    )
    .await;
    let opened = Instant::now();
    let mut idle = Vec::with_capacity(2_000);
    for i in 0..2_000 {
        idle.push(idle_connection(server.addr, i % 4 == 0).await);
    }
    let watchers: Vec<_> = idle
        .into_iter()
        .map(|s| tokio::spawn(closed_within(s, Duration::from_secs(10))))
        .collect();

    // Normal requests answer all along.
    let client = client();
    let body = json!({"comment": {"text": "hello"}, "languages": ["en"],
                      "requestedAttributes": {"TOXICITY": {}}});
    let until = Instant::now() + idle_timeout + Duration::from_millis(400);
    let mut answered = 0;
    while Instant::now() < until {
        let started = Instant::now();
        let reply = tokio::time::timeout(
            Duration::from_secs(2),
            post(&client, &server.url(ANALYZE), &body),
        )
        .await
        .expect("a normal request answers while idle connections are open");
        assert_eq!(reply.status, 200);
        assert!(started.elapsed() < Duration::from_millis(500));
        answered += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(answered >= 10);

    let mut closed = 0;
    for watcher in watchers {
        let after = watcher
            .await
            .unwrap()
            .expect("idle connection closed by the server");
        assert!(opened.elapsed() >= idle_timeout);
        assert!(after <= Duration::from_secs(10));
        closed += 1;
    }
    assert_eq!(closed, 2_000);
    // The server still answers new connections.
    let reply = post(&support::client(), &server.url(ANALYZE), &body).await;
    assert_eq!(reply.status, 200);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_connection_limit_new_connections_wait_instead_of_failing() {
    let idle_timeout = Duration::from_millis(400);
    let server = Running::start(
        ServerConfig::new(ModelHandle::fixed(keyword_scorer()))
            .idle_timeout(idle_timeout)
            .max_connections(20),
    )
    .await;
    let mut idle = Vec::new();
    for _ in 0..40 {
        idle.push(idle_connection(server.addr, false).await);
    }
    // Twenty are served, twenty wait in the backlog; a new client waits for
    // the idle ones to be closed, then is answered.
    let started = Instant::now();
    let body = json!({"comment": {"text": "hello"}, "languages": ["en"],
                      "requestedAttributes": {"TOXICITY": {}}});
    let reply = tokio::time::timeout(
        Duration::from_secs(10),
        post(&client(), &server.url(ANALYZE), &body),
    )
    .await
    .expect("answered once slots free up");
    assert_eq!(reply.status, 200);
    assert!(
        started.elapsed() >= idle_timeout,
        "waited for a free slot: {:?}",
        started.elapsed()
    );
    for stream in idle {
        assert!(closed_within(stream, Duration::from_secs(10))
            .await
            .is_some());
    }
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_body_over_the_limit_gets_413_at_once() {
    let server = Running::start(ServerConfig::new(ModelHandle::fixed(keyword_scorer()))).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let started = Instant::now();
    stream
        .write_all(b"POST /v1alpha1/comments:analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{")
        .await
        .unwrap();
    // Read the answer without sending the rest of the body.
    let mut reply = Vec::new();
    let mut chunk = [0u8; 4096];
    while !String::from_utf8_lossy(&reply).contains("}}") {
        let n = tokio::time::timeout(Duration::from_secs(2), stream.read(&mut chunk))
            .await
            .expect("answered without waiting for the body")
            .unwrap();
        if n == 0 {
            break;
        }
        reply.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&reply);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("OUT_OF_RANGE"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(1));
    server.stop().await.unwrap();
}
