//! Shared by the integration tests and the load benchmark: a keyword test
//! double of the model (with a file format, so hot reload can be
//! exercised), an in-process server on a loopback port, and an HTTP client.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use referee_serve::{Loader, Scorer, ServerConfig};
use referee_thread::Thread;
use referee_train::{CommentScore, Label, Reason, Scores, Thresholds};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// A stand-in model: a comment is abusive when it contains one of `words`;
/// an abusive comment that says "you" is an ad hominem attack; a comment
/// sharing no word with the post or its parent is off topic.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeywordScorer {
    pub version: String,
    pub words: Vec<String>,
}

fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .collect()
}

impl Scorer for KeywordScorer {
    fn score_thread(&self, thread: &Thread) -> Vec<CommentScore> {
        let thresholds = Thresholds::default();
        thread
            .comments
            .iter()
            .map(|comment| {
                let words = words_of(&comment.text);
                let hits: Vec<String> = words
                    .iter()
                    .filter(|w| self.words.contains(w))
                    .cloned()
                    .collect();
                let abusive = !hits.is_empty();
                let addressed = words.iter().any(|w| w == "you");
                let mut context_words = thread.text.as_deref().map(words_of).unwrap_or_default();
                let parent = comment
                    .parent
                    .as_ref()
                    .and_then(|p| thread.comments.iter().find(|c| &c.id == p));
                if let Some(parent) = parent {
                    context_words.extend(words_of(&parent.text));
                }
                let has_context = !context_words.is_empty();
                let off_topic = has_context && !words.iter().any(|w| context_words.contains(w));
                let scores = Scores {
                    abuse: if abusive { 0.95 } else { 0.05 },
                    ad_hominem: if abusive && addressed { 0.9 } else { 0.1 },
                    off_topic: if off_topic { 0.8 } else { 0.1 },
                };
                let flags = thresholds.flags(&scores);
                let reasons = flags
                    .iter()
                    .map(|&label| {
                        let evidence = if label == Label::Abuse {
                            hits.clone()
                        } else {
                            vec![]
                        };
                        Reason {
                            label,
                            phrases: evidence.len(),
                            evidence,
                        }
                    })
                    .collect();
                CommentScore {
                    thread: thread.id.clone(),
                    id: comment.id.clone(),
                    author: comment.author.clone(),
                    scores,
                    action: thresholds.action(&scores),
                    flags,
                    reasons,
                    context: has_context,
                    explanation: None,
                }
            })
            .collect()
    }

    fn version(&self) -> String {
        self.version.clone()
    }

    fn checksum(&self) -> String {
        format!("words:{}", self.words.join(","))
    }

    fn card(&self) -> serde_json::Value {
        serde_json::json!({"kind": "keyword test double", "words": self.words.len()})
    }
}

/// The default stand-in model.
pub fn keyword_scorer() -> Arc<dyn Scorer> {
    Arc::new(KeywordScorer {
        version: "kw-1".into(),
        words: vec!["idiot".into(), "stupid".into(), "moron".into()],
    })
}

/// The keyword model, taking `delay` per thread whose comments contain
/// `when_text_has` (every thread when it is empty).
pub struct SlowScorer {
    pub delay: std::time::Duration,
    pub when_text_has: &'static str,
}

impl Scorer for SlowScorer {
    fn score_thread(&self, thread: &Thread) -> Vec<CommentScore> {
        if thread
            .comments
            .iter()
            .any(|c| c.text.contains(self.when_text_has))
        {
            std::thread::sleep(self.delay);
        }
        keyword_scorer().score_thread(thread)
    }
    fn version(&self) -> String {
        "slow".into()
    }
    fn checksum(&self) -> String {
        String::new()
    }
    fn card(&self) -> Value {
        Value::Null
    }
}

/// Writes a stand-in model file.
pub fn write_model(path: &Path, version: &str, words: &[&str]) {
    let model = KeywordScorer {
        version: version.into(),
        words: words.iter().map(|w| w.to_string()).collect(),
    };
    // Write then rename, as a trainer does, so a reader never sees half a file.
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, serde_json::to_vec(&model).unwrap()).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Loads stand-in model files.
pub fn keyword_loader() -> Loader {
    Arc::new(|path: &Path| {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        let model: KeywordScorer = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        Ok(Arc::new(model) as Arc<dyn Scorer>)
    })
}

/// A server running on a loopback port.
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<referee_serve::Result<()>>,
}

impl Running {
    pub async fn start(config: ServerConfig) -> Running {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(referee_serve::serve(config, listener, async {
            let _ = stopped.await;
        }));
        Running {
            addr,
            stop: Some(stop),
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Stops the server and waits for it to finish.
    pub async fn stop(mut self) -> referee_serve::Result<()> {
        let _ = self.stop.take().unwrap().send(());
        self.task.await.unwrap()
    }
}

pub type HttpClient = Client<HttpConnector, Full<Bytes>>;

pub fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

/// A response, read whole.
pub struct Reply {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn version(&self) -> &str {
        self.headers
            .get("x-referee-model-version")
            .expect("every response names the model version")
            .to_str()
            .unwrap()
    }
}

pub async fn send(
    client: &HttpClient,
    method: &str,
    url: &str,
    body: impl Into<Bytes>,
    headers: &[(&str, &str)],
) -> Result<Reply, String> {
    let mut req = axum::http::Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req.body(Full::new(body.into())).unwrap();
    let resp = client.request(req).await.map_err(|e| e.to_string())?;
    let (parts, body) = resp.into_parts();
    let body = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
    Ok(Reply {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body,
    })
}

pub async fn post(client: &HttpClient, url: &str, body: &serde_json::Value) -> Reply {
    send(client, "POST", url, body.to_string(), &[])
        .await
        .unwrap()
}

/// Validates `instance` against a schema of Perspective's OpenAPI document,
/// with unknown properties forbidden so misspelt fields are caught.
pub fn assert_schema(schema_name: &str, instance: &Value) {
    let yaml = std::fs::read_to_string(spec_path()).expect("the Perspective OpenAPI spec");
    let mut spec: Value = serde_norway::from_str(&yaml).unwrap();
    let schemas = spec["components"]["schemas"].as_object_mut().unwrap();
    for schema in schemas.values_mut() {
        let obj = schema.as_object_mut().unwrap();
        if obj.contains_key("properties") && !obj.contains_key("additionalProperties") {
            obj.insert("additionalProperties".into(), Value::Bool(false));
        }
    }
    let root = json!({
        "$ref": format!("#/components/schemas/{schema_name}"),
        "components": spec["components"],
    });
    let validator = jsonschema::validator_for(&root).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{instance} is not a valid {schema_name}: {errors:?}"
    );
}

fn spec_path() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        here.join("../../../shared/specs/perspective-commentanalyzer-v1alpha1.openapi.yaml"),
        here.join("../../../../shared/specs/perspective-commentanalyzer-v1alpha1.openapi.yaml"),
    ];
    candidates.into_iter().find(|p| p.exists()).expect(
        "shared/specs/perspective-commentanalyzer-v1alpha1.openapi.yaml beside the repository",
    )
}
