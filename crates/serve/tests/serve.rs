//! End-to-end tests of `referee serve`: Perspective's documented requests,
//! error shapes, API keys, limits, suggestion storage, hot reload under load,
//! slow clients and shutdown. Client libraries are driven in `clients.rs`.

mod support;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use referee_serve::{router, ApiKeys, AppState, ModelHandle, ServerConfig};
use serde_json::{json, Value};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

const ANALYZE: &str = "/v1alpha1/comments:analyze";
const SUGGEST: &str = "/v1alpha1/comments:suggestscore";

fn config() -> ServerConfig {
    ServerConfig::new(ModelHandle::fixed(keyword_scorer()))
}

/// Sends one request through the router in-process.
async fn call(config: &ServerConfig, method: &str, uri: &str, body: impl Into<Body>) -> Reply {
    let app = router(AppState::new(config).unwrap());
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap();
    let resp = app.oneshot(req).await.unwrap();
    let (parts, body) = resp.into_parts();
    Reply {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body: body.collect().await.unwrap().to_bytes(),
    }
}

async fn analyze(config: &ServerConfig, body: Value) -> Reply {
    call(config, "POST", ANALYZE, body.to_string()).await
}

fn assert_google_error(reply: &Reply, code: u16, status: &str) {
    assert_eq!(
        reply.status,
        code,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let body = reply.json();
    assert_eq!(body["error"]["code"], code, "{body}");
    assert_eq!(body["error"]["status"], status, "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
    reply.version();
}

#[tokio::test]
async fn documented_requests_get_schema_valid_responses() {
    let config = config();
    // The request of Perspective's getting-started guide.
    let reply = analyze(
        &config,
        json!({"comment": {"text": "What kind of idiot name is foo?"},
               "languages": ["en"],
               "requestedAttributes": {"TOXICITY": {}}}),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.version(), "kw-1");
    let body = reply.json();
    assert_schema("AnalyzeCommentResponse", &body);
    let toxicity = &body["attributeScores"]["TOXICITY"]["summaryScore"];
    assert_eq!(toxicity["type"], "PROBABILITY");
    assert!(toxicity["value"].as_f64().unwrap() > 0.9);
    assert_eq!(body["languages"], json!(["en"]));

    // Every attribute of the mapping table, experimental variants included.
    let reply = analyze(
        &config,
        json!({"comment": {"text": "you stupid moron"},
               "requestedAttributes": {"TOXICITY": {}, "SEVERE_TOXICITY": {}, "INSULT": {},
                 "PROFANITY": {}, "THREAT": {}, "IDENTITY_ATTACK": {}, "TOXICITY_EXPERIMENTAL": {},
                 "ATTACK_ON_AUTHOR": {}, "ATTACK_ON_COMMENTER": {}, "OFF_TOPIC": {}},
               "clientToken": "abc", "doNotStore": true, "sessionId": "s", "communityId": "c"}),
    )
    .await;
    let body = reply.json();
    assert_schema("AnalyzeCommentResponse", &body);
    assert_eq!(body["attributeScores"].as_object().unwrap().len(), 10);
    assert_eq!(body["clientToken"], "abc");
    assert!(
        body["attributeScores"]["ATTACK_ON_AUTHOR"]["summaryScore"]["value"]
            .as_f64()
            .unwrap()
            > 0.8
    );
    assert!(
        body["attributeScores"]["OFF_TOPIC"]["summaryScore"]["value"]
            .as_f64()
            .unwrap()
            < 0.5
    );

    // The suggestion example of the API reference.
    let reply = call(
        &config,
        "POST",
        SUGGEST,
        json!({"comment": {"text": "What kind of idiot name is foo?"},
               "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.8}}},
               "languages": ["en"], "clientToken": "t-9"})
        .to_string(),
    )
    .await;
    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_schema("SuggestCommentScoreResponse", &body);
    assert_eq!(body["clientToken"], "t-9");
    assert_eq!(reply.headers["x-referee-suggestion-stored"], "false");
}

#[tokio::test]
async fn threshold_spans_and_context_are_honoured() {
    let config = config();
    let reply = analyze(
        &config,
        json!({"comment": {"text": "Nice bread. You idiot! 😀 ok"},
               "requestedAttributes": {"TOXICITY": {"scoreThreshold": 0.5}, "OFF_TOPIC": {"scoreThreshold": 0.5}},
               "spanAnnotations": true}),
    )
    .await;
    let body = reply.json();
    assert_schema("AnalyzeCommentResponse", &body);
    // OFF_TOPIC (0.1) is below its threshold and left out.
    assert_eq!(body["attributeScores"].as_object().unwrap().len(), 1);
    let spans = body["attributeScores"]["TOXICITY"]["spanScores"]
        .as_array()
        .unwrap();
    let ranges: Vec<(u64, u64, bool)> = spans
        .iter()
        .map(|s| {
            (
                s["begin"].as_u64().unwrap(),
                s["end"].as_u64().unwrap(),
                s["score"]["value"].as_f64().unwrap() > 0.5,
            )
        })
        .collect();
    // UTF-16 offsets: the emoji counts two.
    assert_eq!(ranges, [(0, 11, false), (12, 22, true), (23, 28, false)]);

    // The article and parent comment reach the model's context features.
    let ask = |text: &str| {
        json!({"comment": {"text": text},
               "context": {"articleAndParentComment": {
                   "article": {"text": "<p>How to bake <b>sourdough</b> bread</p>", "type": "HTML"},
                   "parentComment": {"text": "Which flour works best?"}}},
               "requestedAttributes": {"OFF_TOPIC": {}}})
    };
    let on_topic = analyze(&config, ask("Rye flour is lovely in sourdough"))
        .await
        .json();
    let off_topic = analyze(&config, ask("My cat likes football")).await.json();
    let value = |b: &Value| {
        b["attributeScores"]["OFF_TOPIC"]["summaryScore"]["value"]
            .as_f64()
            .unwrap()
    };
    assert!(value(&on_topic) < 0.5, "{on_topic}");
    assert!(value(&off_topic) > 0.5, "{off_topic}");
    // Preceding entries are context too.
    let entries = analyze(
        &config,
        json!({"comment": {"text": "football again"},
               "context": {"entries": [{"text": "football is great"}]},
               "requestedAttributes": {"OFF_TOPIC": {}}}),
    )
    .await;
    assert_eq!(entries.status, 200);
}

#[tokio::test]
async fn bad_input_gets_google_errors_not_crashes() {
    let config = config();
    let ok_attrs = json!({"TOXICITY": {}});
    let cases: Vec<(Body, u16, &str)> = vec![
        ("{not json".into(), 400, "INVALID_ARGUMENT"),
        (json!({"comment": {"text": 42}, "requestedAttributes": ok_attrs}).to_string().into(), 400, "INVALID_ARGUMENT"),
        (json!({"comment": {"text": ""}, "requestedAttributes": ok_attrs}).to_string().into(), 400, "INVALID_ARGUMENT"),
        (json!({"comment": {"text": "hi"}, "requestedAttributes": {"LIKELY_TO_REJECT": {}}}).to_string().into(), 400, "INVALID_ARGUMENT"),
        (json!({"comment": {"text": "hi"}, "requestedAttributes": ok_attrs, "languages": ["ja"]}).to_string().into(), 400, "INVALID_ARGUMENT"),
        (json!([1, 2, 3]).to_string().into(), 400, "INVALID_ARGUMENT"),
        // A message is an object, never an array read by position.
        (json!([{"text": "hi"}, null, {"TOXICITY": {}}, ["en"]]).to_string().into(), 400, "INVALID_ARGUMENT"),
        // Nesting is limited in fields the server does not read, too.
        (format!(r#"{{"comment":{{"text":"hi"}},"requestedAttributes":{{"TOXICITY":{{}}}},"x":{}{}}}"#,
                 "[".repeat(5000), "]".repeat(5000)).into(), 400, "INVALID_ARGUMENT"),
        (b"{\"comment\":{\"text\":\"caf\xe9\"}}".to_vec().into(), 400, "INVALID_ARGUMENT"),
        (format!("{}{}", "{\"a\":".repeat(5000), "}".repeat(5000)).into(), 400, "INVALID_ARGUMENT"),
        (vec![b' '; 10 * 1024 * 1024].into(), 413, "OUT_OF_RANGE"),
    ];
    for (body, code, status) in cases {
        let reply = call(&config, "POST", ANALYZE, body).await;
        assert_google_error(&reply, code, status);
    }
    let reply = call(&config, "POST", "/v1alpha1/comments:nope", "{}").await;
    assert_google_error(&reply, 404, "NOT_FOUND");
    let reply = call(&config, "GET", ANALYZE, Body::empty()).await;
    assert_eq!(reply.status, 405);
    reply.version();
    let reply = call(
        &config,
        "POST",
        SUGGEST,
        json!({"comment": {"text": "x"}}).to_string(),
    )
    .await;
    assert_google_error(&reply, 400, "INVALID_ARGUMENT");

    // Unsupported attributes are dropped when the client asks for that.
    let reply = analyze(
        &config,
        json!({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}, "SPAM": {}},
               "dropUnsupportedAttributes": true}),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json()["attributeScores"].as_object().unwrap().len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_scoring_times_out_with_504_and_the_server_stays_up() {
    let config = ServerConfig::new(ModelHandle::fixed(Arc::new(SlowScorer {
        delay: Duration::from_millis(400),
        when_text_has: "",
    })))
    .request_timeout(Duration::from_millis(100))
    .workers(1);
    let body = json!({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}});
    let reply = analyze(&config, body.clone()).await;
    assert_google_error(&reply, 504, "DEADLINE_EXCEEDED");
    let reply = call(&config, "GET", "/healthz", Body::empty()).await;
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn api_keys_are_checked_where_clients_send_them() {
    let config = config().api_keys(ApiKeys::parse("# staff\nsecret-1\n").unwrap());
    let body =
        json!({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}}).to_string();
    let missing = call(&config, "POST", ANALYZE, body.clone()).await;
    assert_google_error(&missing, 403, "PERMISSION_DENIED");
    let wrong = call(
        &config,
        "POST",
        &format!("{ANALYZE}?key=nope"),
        body.clone(),
    )
    .await;
    assert_google_error(&wrong, 403, "PERMISSION_DENIED");
    let query = call(
        &config,
        "POST",
        &format!("{ANALYZE}?alt=json&key=secret-1"),
        body.clone(),
    )
    .await;
    assert_eq!(query.status, 200);

    let app = router(AppState::new(&config).unwrap());
    let req = Request::post(ANALYZE)
        .header("x-goog-api-key", "secret-1")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(app.oneshot(req).await.unwrap().status(), 200);

    // Health and metrics stay open for probes and scrapers.
    assert_eq!(
        call(&config, "GET", "/healthz", Body::empty()).await.status,
        200
    );
    assert_eq!(
        call(&config, "GET", "/metrics", Body::empty()).await.status,
        200
    );
    assert_eq!(
        call(&config, "GET", "/v1/model", Body::empty())
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn native_endpoints_score_jsonl_and_describe_the_model() {
    let config = config();
    let lines = concat!(
        r#"{"id":"c1","text":"Sourdough needs time","thread":"t1","post":{"title":"Bread","text":"sourdough bread"}}"#,
        "\n",
        r#"{"id":"c2","text":"you idiot, sourdough is easy","thread":"t1","parent":"c1"}"#,
        "\n",
        r#"{"id":"t2","text":"post","comments":[{"id":"a","text":"stupid"}]}"#,
        "\n"
    );
    let reply = call(&config, "POST", "/v1/score", lines).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.headers["content-type"], "application/x-ndjson");
    let out: Vec<Value> = std::str::from_utf8(&reply.body)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<(&str, &str)> = out
        .iter()
        .map(|v| (v["thread"].as_str().unwrap(), v["id"].as_str().unwrap()))
        .collect();
    assert_eq!(ids, [("t1", "c1"), ("t1", "c2"), ("t2", "a")]);
    assert_eq!(out[1]["action"], "reject");
    assert_eq!(out[1]["flags"], json!(["abuse", "ad_hominem"]));
    assert!(out[0]["scores"]["abuse"].as_f64().unwrap() < 0.5);

    let bad = call(&config, "POST", "/v1/score", "{\"text\":\"ok\"}\n{oops\n").await;
    assert_google_error(&bad, 400, "INVALID_ARGUMENT");
    assert!(bad.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("(request body:2)"));

    let model = call(&config, "GET", "/v1/model", Body::empty())
        .await
        .json();
    assert_eq!(model["version"], "kw-1");
    assert_eq!(model["checksum"], "words:idiot,stupid,moron");
    assert_eq!(model["card"]["kind"], "keyword test double");
}

#[tokio::test]
async fn native_scores_of_the_shipped_model_explain_flags_in_plain_words() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let model = referee_train::Model::load(&repo.join("models/default.refm")).unwrap();
    let config = ServerConfig::new(ModelHandle::fixed(Arc::new(model)));
    let thread = std::fs::read_to_string(repo.join("seeds/000_bccf75438b1c52af.jsonl")).unwrap();
    let reply = call(&config, "POST", "/v1/score", thread).await;
    assert_eq!(reply.status, 200);
    let names: Vec<String> = referee_train::context_feature_names()
        .into_iter()
        .zip(
            referee_train::context_feature_descriptions()
                .iter()
                .copied(),
        )
        .filter(|(name, description)| name != description)
        .map(|(name, _)| name)
        .collect();
    let mut flags = 0;
    for line in std::str::from_utf8(&reply.body).unwrap().lines() {
        let score: Value = serde_json::from_str(line).unwrap();
        for reason in score["reasons"].as_array().unwrap() {
            let evidence = reason["evidence"].as_array().unwrap();
            assert!(!evidence.is_empty(), "a flag without evidence: {line}");
            for shown in evidence {
                assert!(!names.iter().any(|n| n == shown), "{shown} is internal");
            }
            flags += 1;
        }
        for name in names.iter().filter(|n| n.contains(['_', ' '])) {
            assert!(!line.contains(name.as_str()), "{name} in {line}");
        }
    }
    assert!(flags > 0, "the seed thread has flags");
}

#[tokio::test]
async fn metrics_count_requests_and_actions() {
    let state = AppState::new(&config()).unwrap();
    let app = router(state);
    for text in ["you idiot", "nice post"] {
        let req = Request::post(ANALYZE)
            .body(Body::from(
                json!({"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}})
                    .to_string(),
            ))
            .unwrap();
        app.clone().oneshot(req).await.unwrap();
    }
    app.clone()
        .oneshot(Request::post(ANALYZE).body(Body::from("x")).unwrap())
        .await
        .unwrap();
    let resp = app
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let text = String::from_utf8(
        resp.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(
        text.contains(
            "referee_requests_total{route=\"/v1alpha1/comments:analyze\",status=\"200\"} 2"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "referee_requests_total{route=\"/v1alpha1/comments:analyze\",status=\"400\"} 1"
        ),
        "{text}"
    );
    assert!(
        text.contains("referee_comments_scored_total{action=\"reject\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("referee_comments_scored_total{action=\"approve\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("referee_request_duration_seconds_count 3"),
        "{text}"
    );
}

#[tokio::test]
async fn suggestions_become_labels_only_when_storage_is_on() {
    let dir = tempfile::tempdir().unwrap();
    let suggestion = json!({
        "comment": {"text": "You clown, learn to read"},
        "context": {"articleAndParentComment": {"article": {"text": "Reading list"}, "parentComment": {"text": "I disagree"}}},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1.0}}, "ATTACK_ON_COMMENTER": {"summaryScore": {"value": 0.9}}},
        "clientToken": "c"
    })
    .to_string();
    let off = call(&config(), "POST", SUGGEST, suggestion.clone()).await;
    assert_eq!(off.headers["x-referee-suggestion-stored"], "false");

    let config = config().suggestions(dir.path());
    let on = call(&config, "POST", SUGGEST, suggestion).await;
    assert_eq!(on.status, 200);
    assert_eq!(on.headers["x-referee-suggestion-stored"], "true");
    let labels = referee_labels::read_file(&dir.path().join("suggestions.jsonl")).unwrap();
    assert_eq!(labels.len(), 1);
    assert!(labels[0].abuse && labels[0].ad_hominem && !labels[0].off_topic);
    assert_eq!(labels[0].comment, "comment");
    let threads = std::fs::read_to_string(dir.path().join("threads/suggestions.jsonl")).unwrap();
    let thread: referee_thread::Thread = serde_json::from_str(threads.trim()).unwrap();
    assert_eq!(thread.id, labels[0].thread);
    assert_eq!(thread.text.as_deref(), Some("Reading list"));
    assert_eq!(thread.comments.len(), 2);
    assert_eq!(thread.comments[1].parent.as_deref(), Some("parent"));
}

/// A stand-in for `referee train --labels DIR`: the words of comments
/// labelled abusive join the model's word list.
fn retrain(labels_dir: &Path, model: &Path, version: &str) {
    let mut words = vec!["idiot".to_owned(), "stupid".to_owned(), "moron".to_owned()];
    let threads = std::fs::read_to_string(labels_dir.join("threads/suggestions.jsonl")).unwrap();
    let labels = referee_labels::latest(
        referee_labels::read_file(&labels_dir.join("suggestions.jsonl")).unwrap(),
    );
    for line in threads.lines() {
        let thread: referee_thread::Thread = serde_json::from_str(line).unwrap();
        let abusive = labels.iter().any(|l| l.thread == thread.id && l.abuse);
        if abusive {
            for c in thread.comments.iter().filter(|c| c.id == "comment") {
                words.extend(c.text.split_whitespace().map(|w| w.to_lowercase()));
            }
        }
    }
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    write_model(model, version, &words);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestion_retrain_and_reload_without_a_failed_request() {
    let dir = tempfile::tempdir().unwrap();
    let model_path = dir.path().join("model.json");
    let labels_dir = dir.path().join("labels");
    write_model(&model_path, "kw-1", &["idiot"]);
    let handle = ModelHandle::from_file(&model_path, keyword_loader()).unwrap();
    let server = Running::start(
        ServerConfig::new(handle)
            .suggestions(&labels_dir)
            .watch_interval(Duration::from_millis(50)),
    )
    .await;
    let url = server.url(ANALYZE);
    let request = json!({"comment": {"text": "clown"}, "requestedAttributes": {"TOXICITY": {}}});

    // Clients keep analysing while the model is corrected and refitted.
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(AtomicUsize::new(0));
    let mut loops = Vec::new();
    for _ in 0..4 {
        let (stop, failures, url, request) =
            (stop.clone(), failures.clone(), url.clone(), request.clone());
        loops.push(tokio::spawn(async move {
            let client = client();
            let mut versions = Vec::new();
            for _ in 0..20_000 {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                match send(&client, "POST", &url, request.to_string(), &[]).await {
                    Ok(r) if r.status == 200 => versions.push(r.version().to_owned()),
                    _ => {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            versions
        }));
    }

    let client = client();
    let before = post(&client, &url, &request).await;
    assert_eq!(before.version(), "kw-1");
    let before_score = before.json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
        .as_f64()
        .unwrap();
    assert!(before_score < 0.5);

    let suggestion = json!({"comment": {"text": "clown"},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}}});
    let stored = post(&client, &server.url(SUGGEST), &suggestion).await;
    assert_eq!(stored.headers["x-referee-suggestion-stored"], "true");
    retrain(&labels_dir, &model_path, "kw-2");

    let mut after = None;
    for _ in 0..100 {
        let reply = post(&client, &url, &request).await;
        if reply.version() == "kw-2" {
            after = Some(reply);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let after = after.expect("the refitted model is served within 5 s");
    let after_score = after.json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
        .as_f64()
        .unwrap();
    assert!(after_score > 0.5, "{after_score}");

    // A corrupt model file is refused; the refitted model keeps serving.
    std::fs::write(&model_path, b"{ truncated").unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(post(&client, &url, &request).await.version(), "kw-2");
    let metrics = send(&client, "GET", &server.url("/metrics"), "", &[])
        .await
        .unwrap();
    let metrics = String::from_utf8(metrics.body.to_vec()).unwrap();
    assert!(
        metrics.contains("referee_model_reloads_total{outcome=\"refused\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("referee_model_reloads_total{outcome=\"swapped\"} 1"),
        "{metrics}"
    );

    stop.store(true, Ordering::Relaxed);
    let mut seen = Vec::new();
    for l in loops {
        seen.extend(l.await.unwrap());
    }
    assert_eq!(failures.load(Ordering::Relaxed), 0);
    assert!(seen.len() > 10, "the clients kept calling");
    assert!(seen.iter().all(|v| v == "kw-1" || v == "kw-2"));
    server.stop().await.unwrap();
}

/// Trains a real model on the project's seed labels, or refits `prior` on
/// the labels in `labels` (threads under `labels/threads`), and saves it.
fn fit_real_model(
    labels: &Path,
    threads: &[std::path::PathBuf],
    prior: Option<&referee_train::Model>,
    out: &Path,
) {
    use referee_train::ParamGuard;
    let threads = referee_train::read_thread_dirs(threads).unwrap();
    let hand = referee_train::read_hand_labels(labels, threads, 3.0).unwrap();
    let (data, sources) = referee_train::assemble(
        hand,
        &labels.display().to_string(),
        vec![],
        referee_train::Synthesis {
            exchanges: false,
            transplants: false,
            seed: 0,
        },
    );
    let info = referee_train::TrainInfo {
        created: referee_train::today(),
        command: "serve integration test".into(),
        sources,
    };
    // A small grid keeps the test fast; the pipeline is the one `referee train` runs.
    let params = referee_train::TrainParams::new()
        .folds(2)
        .alphas(vec![1e-4])
        .refit_alphas(vec![3e-3])
        .max_iterations(30)
        .check()
        .unwrap();
    let started = std::time::Instant::now();
    let trained = referee_train::train(&data, &params, prior, info, &|_| {}).unwrap();
    eprintln!("fitted in {:.1} s", started.elapsed().as_secs_f64());
    trained.model.save(out).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_model_learns_from_suggestions_without_a_restart() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = tempfile::tempdir().unwrap();
    let model_path = dir.path().join("site.refm");
    fit_real_model(
        &repo.join("labels"),
        &[repo.join("seeds")],
        None,
        &model_path,
    );

    // Suggestions go beside the project's labels (`--suggestions labels`),
    // so a refit sees both the seed labels and the corrections.
    let suggestions = dir.path().join("labels");
    std::fs::create_dir_all(&suggestions).unwrap();
    std::fs::copy(
        repo.join("labels/seeds.jsonl"),
        suggestions.join("seeds.jsonl"),
    )
    .unwrap();
    let handle = ModelHandle::from_file(&model_path, referee_serve::model_file_loader()).unwrap();
    let first_version = handle.current().version.clone();
    let server = Running::start(
        ServerConfig::new(handle)
            .suggestions(&suggestions)
            .watch_interval(Duration::from_millis(100)),
    )
    .await;
    let url = server.url(ANALYZE);
    let target = "Flapdoodle merchants like this should be banned from the comments";
    let request = json!({"comment": {"text": target}, "requestedAttributes": {"TOXICITY": {}}});

    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(AtomicUsize::new(0));
    let looping = {
        let (stop, failures, url, request) =
            (stop.clone(), failures.clone(), url.clone(), request.clone());
        tokio::spawn(async move {
            let client = client();
            let mut n = 0;
            for _ in 0..100_000 {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                match send(&client, "POST", &url, request.to_string(), &[]).await {
                    Ok(r) if r.status == 200 => n += 1,
                    _ => {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            n
        })
    };

    let client = client();
    let score = |reply: &Reply| {
        reply.json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
            .as_f64()
            .unwrap()
    };
    let before = post(&client, &url, &request).await;
    assert_eq!(before.version(), first_version);
    let before_score = score(&before);

    // Moderators correct the model: this comment is abusive, that one is not.
    for (text, value) in [
        (target, 1.0),
        ("Lovely photos of the harbour, thanks for posting", 0.0),
    ] {
        let reply = post(
            &client,
            &server.url(SUGGEST),
            &json!({"comment": {"text": text},
                    "context": {"articleAndParentComment": {"article": {"text": "Harbour walk"}}},
                    "attributeScores": {"TOXICITY": {"summaryScore": {"value": value}}}}),
        )
        .await;
        assert_eq!(reply.headers["x-referee-suggestion-stored"], "true");
    }

    // Refit the served model on the suggestions, as `referee train` does.
    let prior = referee_train::Model::load(&model_path).unwrap();
    let refit = {
        let (suggestions, model_path, repo) =
            (suggestions.clone(), model_path.clone(), repo.clone());
        tokio::task::spawn_blocking(move || {
            let threads = [repo.join("seeds"), suggestions.join("threads")];
            fit_real_model(&suggestions, &threads, Some(&prior), &model_path)
        })
    };
    refit.await.unwrap();

    let mut after = None;
    for _ in 0..100 {
        let reply = post(&client, &url, &request).await;
        if reply.version() != first_version {
            after = Some(reply);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let after = after.expect("the refitted model is served within 5 s, without a restart");
    let after_score = score(&after);
    assert!(
        after_score > before_score,
        "the correction moved the score up: {before_score} -> {after_score}"
    );

    stop.store(true, Ordering::Relaxed);
    let served = looping.await.unwrap();
    assert!(served > 0);
    assert_eq!(
        failures.load(Ordering::Relaxed),
        0,
        "no request failed during the swap"
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off_and_shutdown_is_graceful() {
    let server = Running::start(config().read_timeout(Duration::from_millis(300))).await;

    // Headers that never finish: the connection is closed.
    let mut slow = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(b"POST /v1alpha1/comments:analyze HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut buf)).await;
    assert!(
        read.is_ok(),
        "a client that never finishes its headers is disconnected"
    );

    // A body that never finishes: 408 in Google's shape.
    let mut slow = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(b"POST /v1alpha1/comments:analyze HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"comm").await.unwrap();
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut buf))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("DEADLINE_EXCEEDED"), "{text}");

    // Still serving, then stops cleanly.
    let reply = send(&client(), "GET", &server.url("/healthz"), "", &[])
        .await
        .unwrap();
    assert_eq!(reply.json()["status"], "ok");
    let addr = server.addr;
    server.stop().await.unwrap();
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no longer listening"
    );
}

#[tokio::test]
async fn the_discovery_document_points_google_clients_back_here() {
    let config = config().api_keys(ApiKeys::parse("k").unwrap());
    for uri in [
        "/$discovery/rest?version=v1alpha1",
        "/%24discovery/rest?version=v1alpha1&key=k",
        "/discovery/v1/apis/commentanalyzer/v1alpha1/rest",
    ] {
        let app = router(AppState::new(&config).unwrap());
        let req = Request::builder()
            .uri(uri)
            .header("host", "referee.internal:8080")
            .body(Body::empty())
            .unwrap();
        let resp = app.oneshot(req).await.unwrap();
        assert_eq!(resp.status(), 200, "{uri}");
        let body: Value =
            serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
        assert_eq!(body["rootUrl"], "http://referee.internal:8080/", "{uri}");
        assert_eq!(body["id"], "commentanalyzer:v1alpha1");
    }
    let reply = call(&config, "GET", "/$discovery/rest?version=v2", Body::empty()).await;
    assert_google_error(&reply, 404, "NOT_FOUND");
    let public = config.public_url("https://referee.example.org/");
    let reply = call(
        &public,
        "GET",
        "/$discovery/rest?version=v1alpha1",
        Body::empty(),
    )
    .await;
    assert_eq!(reply.json()["baseUrl"], "https://referee.example.org/");
}

#[tokio::test]
async fn google_query_parameters_are_accepted_and_honoured() {
    let config = config();
    let body = json!({"comment": {"text": "you idiot"}, "languages": ["en"],
                      "requestedAttributes": {"TOXICITY": {}, "INSULT": {}}, "clientToken": "c"})
    .to_string();
    let uri = |query: &str| format!("{ANALYZE}?{query}");
    let plain = call(
        &config,
        "POST",
        &uri("key=x&alt=json&%24.xgafv=2&quotaUser=u&prettyPrint=false"),
        body.clone(),
    )
    .await;
    assert_eq!(plain.status, 200);
    assert!(!plain.body.contains(&b'\n'));
    let pretty = call(&config, "POST", &uri("prettyPrint=true"), body.clone()).await;
    assert!(pretty.body.contains(&b'\n'));
    assert_eq!(pretty.json(), plain.json());
    let partial = call(
        &config,
        "POST",
        &uri("fields=attributeScores/*/summaryScore/value,clientToken"),
        body.clone(),
    )
    .await;
    assert_eq!(
        partial.json(),
        json!({"attributeScores": {"INSULT": {"summaryScore": {"value": 0.95}},
                                   "TOXICITY": {"summaryScore": {"value": 0.95}}},
               "clientToken": "c"})
    );
    for bad in ["alt=proto", "prettyPrint=yes", "fields=a(b", "%24.xgafv=9"] {
        let reply = call(&config, "POST", &uri(bad), body.clone()).await;
        assert_google_error(&reply, 400, "INVALID_ARGUMENT");
    }
    let suggestion = json!({"comment": {"text": "x"}, "clientToken": "t",
                            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}}});
    let reply = call(
        &config,
        "POST",
        &format!("{SUGGEST}?alt=json&fields=clientToken&prettyPrint=true"),
        suggestion.to_string(),
    )
    .await;
    assert_eq!(reply.json(), json!({"clientToken": "t"}));
}

mod decoding {
    use proptest::prelude::*;
    use referee_serve::perspective;
    use referee_serve::Limits;
    use serde_json::json;

    fn decode_analyze(
        bytes: &[u8],
    ) -> Result<perspective::AnalyzeRequest, referee_serve::ApiError> {
        perspective::decode_analyze(bytes, &Limits::default())
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(serde_json::Value::from),
            ".{0,12}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("comment".to_owned()),
                        Just("text".to_owned()),
                        Just("requestedAttributes".to_owned()),
                        Just("context".to_owned()),
                        Just("type".to_owned()),
                        ".{0,6}".prop_map(String::from)
                    ],
                    inner,
                    0..4
                )
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            if let Err(e) = decode_analyze(&bytes) {
                prop_assert_eq!(e.code, 400);
            }
        }

        #[test]
        fn arbitrary_json_is_accepted_or_a_400(value in json_value()) {
            if let Err(e) = decode_analyze(value.to_string().as_bytes()) {
                prop_assert_eq!(e.code, 400);
                prop_assert!(!e.message.is_empty());
            }
        }

        #[test]
        fn any_nonblank_plain_text_is_accepted_verbatim(text in "[a-zA-Z ,.!?'😀é]{0,60}[a-z][a-zA-Z ,.!?'😀é]{0,60}") {
            let req = decode_analyze(json!({"comment": {"text": text}, "languages": ["en"],
                "requestedAttributes": {"TOXICITY": {}}}).to_string().as_bytes()).unwrap();
            prop_assert_eq!(req.text, text);
        }
    }
}
