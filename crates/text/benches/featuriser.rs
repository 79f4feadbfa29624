//! Throughput of the featuriser on realistic comments, stage by stage:
//! analysis (normalising, tokenising, stemming), vectorising (analysis and
//! hashing), explanations and evidence from the text, and as scoring reads
//! them from a comment analysed once (evidence, sentence vectors), and the
//! context features of a thread.
//!
//! Comments come from the seed threads (`seeds/*.txt`, one per non-empty
//! line) and, when present, the public corpora in `shared/data` beside the repository
//! (`REFEREE_DATA` overrides): OLID and Davidson tweets. Without any of
//! them, comments are generated. Run with
//! `cargo bench -p referee-text --bench featuriser`.

use std::fs;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use referee_text::{
    context_features, sentences, Analysed, CommentView, Featuriser, Scratch, SparseVector,
    ThreadView, ValidFeatureParams,
};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn data_dir() -> PathBuf {
    std::env::var_os("REFEREE_DATA").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")),
        PathBuf::from,
    )
}

/// Real comments, or generated ones when no data is around.
fn comments() -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(dir) = fs::read_dir(repo_root().join("seeds")) {
        let mut paths: Vec<_> = dir.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        {
            let text = fs::read_to_string(path).unwrap_or_default();
            out.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| l.len() > 20)
                    .map(String::from),
            );
        }
    }
    let data = data_dir();
    if let Ok(olid) = fs::read_to_string(data.join("olid/olid-training-v1.0.tsv")) {
        out.extend(
            olid.lines()
                .skip(1)
                .take(3000)
                .filter_map(|l| l.split('\t').nth(1))
                .map(String::from),
        );
    }
    if let Ok(davidson) = fs::read_to_string(data.join("davidson/labeled_data.csv")) {
        out.extend(
            davidson
                .lines()
                .skip(1)
                .take(3000)
                .filter_map(|l| l.splitn(7, ',').nth(6))
                .map(|t| t.trim_matches('"').to_string()),
        );
    }
    if out.len() < 100 {
        let words = [
            "the", "council", "you", "idiot", "Rahman", "said", "what", "a", "lot", "of", "them",
            "sh1t", "stuuupid", "is", "not", "British", "mayor", "election", "why", "?",
        ];
        let mut state = 12345u64;
        for _ in 0..2000 {
            let mut comment = String::new();
            while comment.len() < 300 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                comment.push_str(words[(state >> 33) as usize % words.len()]);
                comment.push(' ');
            }
            out.push(comment);
        }
    }
    out
}

/// Comments of about `size` bytes: real comments joined and cut.
fn sized(comments: &[String], size: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for comment in comments.iter().cycle().take(comments.len() * 4) {
        current.push_str(comment);
        current.push(' ');
        if current.len() >= size {
            let mut end = size;
            while !current.is_char_boundary(end) {
                end -= 1;
            }
            current.truncate(end);
            out.push(std::mem::take(&mut current));
            if out.len() == 2000 {
                break;
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let featuriser = Featuriser::new(ValidFeatureParams::default());
    let all = comments();
    let sample: Vec<String> = all
        .iter()
        .step_by((all.len() / 2000).max(1))
        .cloned()
        .collect();
    let sized_300 = sized(&all, 300);

    let mut group = c.benchmark_group("featuriser");
    for (name, set) in [
        ("vectorise_300_bytes", &sized_300),
        ("vectorise_corpus_mix", &sample),
    ] {
        group.throughput(Throughput::Elements(set.len() as u64));
        group.bench_function(name, |b| {
            let mut scratch = Scratch::default();
            let mut out = SparseVector::default();
            b.iter(|| {
                for text in set.iter() {
                    featuriser.vectorise_with(text, &mut scratch, &mut out);
                    std::hint::black_box(&out);
                }
            })
        });
    }
    group.throughput(Throughput::Elements(sized_300.len() as u64));
    group.bench_function("analyse_300_bytes", |b| {
        let mut scratch = Scratch::default();
        b.iter(|| {
            for text in sized_300.iter() {
                std::hint::black_box(featuriser.analyse_with(text, &mut scratch));
            }
        })
    });
    let weights: Vec<f32> = (0..featuriser.dimension())
        .map(|i| ((i % 7) as f32 - 3.0) / 10.0)
        .collect();
    let few = &sized_300[..100.min(sized_300.len())];
    group.throughput(Throughput::Elements(few.len() as u64));
    group.bench_function("explain_300_bytes", |b| {
        b.iter(|| {
            for text in few {
                std::hint::black_box(featuriser.explain(text, &weights, 5));
            }
        })
    });
    group.bench_function("evidence_300_bytes", |b| {
        b.iter(|| {
            for text in few {
                std::hint::black_box(featuriser.evidence(text, &weights, 3));
            }
        })
    });
    // The scoring path: a comment analysed once, then its evidence and its
    // sentences' vectors read from the analysis.
    let analysed: Vec<Analysed> = few
        .iter()
        .map(|text| {
            let mut a = Analysed::default();
            featuriser.analyse_into(text, &mut Scratch::default(), &mut a);
            a
        })
        .collect();
    group.bench_function("evidence_analysed_300_bytes", |b| {
        let mut analysed: Vec<Analysed> = few
            .iter()
            .map(|text| {
                let mut a = Analysed::default();
                featuriser.analyse_into(text, &mut Scratch::default(), &mut a);
                a
            })
            .collect();
        b.iter(|| {
            for a in analysed.iter_mut() {
                let weight = |bucket: u32| weights[bucket as usize];
                std::hint::black_box(featuriser.evidence_analysed(a, weight, 3));
            }
        })
    });
    group.bench_function("sentence_vectors_300_bytes", |b| {
        let mut scratch = Scratch::default();
        let mut out = Vec::new();
        b.iter(|| {
            for (text, a) in few.iter().zip(&analysed) {
                let sentences: Vec<(usize, &str)> = sentences(text).collect();
                featuriser.sentence_vectors(a, &sentences, &mut scratch, &mut out);
                std::hint::black_box(&out);
            }
        })
    });
    // A thread of 200 comments, each replying to the one before.
    let thread: Vec<&str> = sample.iter().take(200).map(String::as_str).collect();
    group.throughput(Throughput::Elements(thread.len() as u64));
    group.bench_function("context_features_thread_200", |b| {
        b.iter_batched(
            || ThreadView {
                post_title: Some("Deputy Mayor marched from his workplace"),
                post_text: Some(all.first().map_or("", String::as_str)),
                post_author: Some("Ted Jeory"),
                comments: thread
                    .iter()
                    .enumerate()
                    .map(|(i, text)| CommentView {
                        author: Some(if i % 2 == 0 { "Badger" } else { "Curious Cat" }),
                        parent: i.checked_sub(1),
                        text,
                    })
                    .collect(),
            },
            |view| context_features(&view),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
