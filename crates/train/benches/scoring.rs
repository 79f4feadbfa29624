//! Scoring with the shipped model (`models/default.refm`), stage by stage:
//! a thread's features (vectors of the comments and their sentences, and
//! the context features), scores alone, scores with the evidence of every
//! flag, full explanations, and the JSON Lines output. The evidence costs
//! the difference between "with_reasons" and "scores_only". The comments
//! are those of the seed threads (`seeds/*.jsonl`), in their threads and
//! one by one. Run with `cargo bench -p referee-train --bench scoring`.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use referee_thread::Thread;
use referee_train::{read_thread_file, Model, ScoreOptions, ThreadFeatures};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The seed threads, sorted by file name.
fn seed_threads() -> Vec<Thread> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(repo_root().join("seeds"))
        .map(|dir| dir.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "jsonl"));
    paths.sort();
    paths
        .iter()
        .flat_map(|p| read_thread_file(p).unwrap_or_default())
        .collect()
}

/// Every comment of `threads` as a thread of its own, without post or
/// parent: how a stream of single comments arrives.
fn single_comments(threads: &[Thread]) -> Vec<Thread> {
    threads
        .iter()
        .flat_map(|t| &t.comments)
        .map(|c| Thread {
            id: c.id.clone(),
            comments: vec![referee_thread::Comment {
                parent: None,
                ..c.clone()
            }],
            ..Thread::default()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let model_path = repo_root().join("models/default.refm");
    let model = match Model::load(&model_path) {
        Ok(model) => model,
        Err(err) => {
            eprintln!("skipping the scoring benches: {err}");
            return;
        }
    };
    let threads = seed_threads();
    if threads.is_empty() {
        eprintln!("skipping the scoring benches: no seed threads in seeds/");
        return;
    }
    let singles = single_comments(&threads);
    let comments = singles.len() as u64;
    let scores_only = ScoreOptions {
        omit_reasons: true,
        ..ScoreOptions::default()
    };
    let explained = ScoreOptions {
        explain: true,
        ..ScoreOptions::default()
    };

    let mut group = c.benchmark_group("scoring");
    group.sample_size(10);
    group.throughput(Throughput::Elements(comments));
    group.bench_function("seed_threads_features", |b| {
        b.iter(|| {
            for thread in &threads {
                std::hint::black_box(ThreadFeatures::new(model.featuriser(), thread));
            }
        })
    });
    for (name, set, options) in [
        ("seed_threads_scores_only", &threads, &scores_only),
        (
            "seed_threads_with_reasons",
            &threads,
            &ScoreOptions::default(),
        ),
        ("seed_threads_explained", &threads, &explained),
        ("single_comments_scores_only", &singles, &scores_only),
        (
            "single_comments_with_reasons",
            &singles,
            &ScoreOptions::default(),
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                for thread in set.iter() {
                    std::hint::black_box(model.score_thread(thread, options));
                }
            })
        });
    }
    let scored: Vec<_> = threads
        .iter()
        .flat_map(|t| model.score_thread(t, &ScoreOptions::default()))
        .collect();
    group.bench_function("output_jsonl", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            out.clear();
            for score in &scored {
                serde_json::to_writer(&mut out, score).expect("scores serialise");
                out.push(b'\n');
            }
            std::hint::black_box(&out);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
