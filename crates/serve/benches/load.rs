//! Load benchmark of `referee serve` on loopback: single-comment
//! `comments:analyze` requests at fixed concurrency, then a bounded soak run
//! sampling the process's resident memory.
//!
//! ```text
//! cargo bench -p referee-serve --bench load -- [--model PATH] [--requests N]
//!     [--concurrency C] [--soak-requests N]
//! ```
//!
//! The model is `--model`, else `$REFEREE_MODEL`, else `models/default.refm`;
//! without one the keyword test double is served (and said so), which
//! measures the HTTP layer alone. Server and client share the machine.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use referee_serve::{model_file_loader, ModelHandle, ServerConfig};
use support::{client, keyword_scorer, send, Running};

/// The comments sent in turn, one a line (shared with bench/serve-analyze.lua).
fn comments() -> impl Iterator<Item = &'static str> {
    include_str!("comments.txt").lines()
}

struct Options {
    model: Option<PathBuf>,
    requests: usize,
    concurrency: usize,
    soak_requests: usize,
}

fn options() -> Options {
    let mut o = Options {
        model: std::env::var_os("REFEREE_MODEL").map(PathBuf::from),
        requests: 50_000,
        concurrency: 8,
        soak_requests: 200_000,
    };
    let default_model = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/default.refm");
    if o.model.is_none() && default_model.exists() {
        o.model = Some(default_model);
    }
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().expect("a value after the option");
        match arg.as_str() {
            "--model" => o.model = Some(value().into()),
            "--requests" => o.requests = value().parse().expect("--requests N"),
            "--concurrency" => o.concurrency = value().parse().expect("--concurrency C"),
            "--soak-requests" => o.soak_requests = value().parse().expect("--soak-requests N"),
            _ => {} // cargo bench passes --bench
        }
    }
    o
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

struct Run {
    latencies: Vec<Duration>,
    failures: usize,
    elapsed: Duration,
}

async fn load(url: Arc<String>, requests: usize, concurrency: usize) -> Run {
    let bodies: Arc<Vec<String>> = Arc::new(
        comments()
            .map(|t| {
                serde_json::json!({"comment": {"text": t}, "languages": ["en"],
                                   "requestedAttributes": {"TOXICITY": {}}})
                .to_string()
            })
            .collect(),
    );
    let client = client();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (client, url, bodies) = (client.clone(), url.clone(), bodies.clone());
        let share = requests / concurrency + usize::from(worker < requests % concurrency);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(share);
            let mut failures = 0;
            for i in 0..share {
                let body = bodies[(worker + i) % bodies.len()].clone();
                let t = Instant::now();
                match send(&client, "POST", &url, body, &[]).await {
                    Ok(r) if r.status == 200 => latencies.push(t.elapsed()),
                    _ => failures += 1,
                }
            }
            (latencies, failures)
        }));
    }
    let mut run = Run {
        latencies: Vec::with_capacity(requests),
        failures: 0,
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        let (l, f) = task.await.unwrap();
        run.latencies.extend(l);
        run.failures += f;
    }
    run.elapsed = started.elapsed();
    run
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn report(name: &str, run: &mut Run) {
    run.latencies.sort_unstable();
    let n = run.latencies.len();
    println!(
        "{name}: {n} ok, {} failed in {:.2} s: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        run.failures,
        run.elapsed.as_secs_f64(),
        n as f64 / run.elapsed.as_secs_f64(),
        percentile(&run.latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&run.latencies, 0.99).as_secs_f64() * 1e3,
        run.latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

fn main() {
    let o = options();
    let model = match &o.model {
        Some(path) => {
            println!("model: {}", path.display());
            ModelHandle::from_file(path, model_file_loader()).expect("the model loads")
        }
        None => {
            println!("model: none found; serving the keyword test double (HTTP layer only)");
            ModelHandle::fixed(keyword_scorer())
        }
    };
    println!(
        "machine: {} cores; concurrency {}; loopback",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        o.concurrency
    );
    // The model alone, one comment at a time on one thread: the floor under
    // the server's latency.
    let scorer = model.current().scorer.clone();
    let threads: Vec<referee_thread::Thread> = comments()
        .map(|t| referee_serve::context::thread_for("bench", t, &Default::default()))
        .collect();
    let rounds = 300;
    let started = Instant::now();
    for _ in 0..rounds {
        for thread in &threads {
            std::hint::black_box(scorer.score_thread(thread));
        }
    }
    println!(
        "model alone: {:.0} us per comment",
        started.elapsed().as_secs_f64() * 1e6 / (rounds * threads.len()) as f64
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = Running::start(ServerConfig::new(model)).await;
        let url = Arc::new(server.url("/v1alpha1/comments:analyze"));

        // Warm up connections and caches.
        load(url.clone(), 2_000, o.concurrency).await;
        let mut run = load(url.clone(), o.requests, o.concurrency).await;
        report("analyze", &mut run);

        // Soak: the same load in ten rounds, resident memory after each.
        let round = (o.soak_requests / 10).max(1);
        let mut samples = vec![rss_kib()];
        let mut failures = 0;
        let started = Instant::now();
        for _ in 0..10 {
            let run = load(url.clone(), round, o.concurrency).await;
            failures += run.failures;
            samples.push(rss_kib());
        }
        println!(
            "soak: {} requests in {:.1} s, {failures} failed; RSS MiB per round: {}",
            round * 10,
            started.elapsed().as_secs_f64(),
            samples
                .iter()
                .map(|k| format!("{:.1}", *k as f64 / 1024.0))
                .collect::<Vec<_>>()
                .join(" ")
        );
        server.stop().await.unwrap();
    });
}
