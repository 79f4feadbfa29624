//! Any bytes, read as (lossy) UTF-8, featurise without panicking into a
//! valid vector; explanations and thread context features too.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use referee_text::{context_features, CommentView, Featuriser, ThreadView, ValidFeatureParams};

fn featuriser() -> &'static Featuriser {
    static FEATURISER: OnceLock<Featuriser> = OnceLock::new();
    FEATURISER.get_or_init(|| Featuriser::new(ValidFeatureParams::default()))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let f = featuriser();
    let v = f.vectorise(&text);
    assert!(v.indices.windows(2).all(|w| w[0] < w[1]));
    assert!(v.indices.iter().all(|&i| (i as usize) < f.dimension()));
    assert!(v.values.iter().all(|x| x.is_finite()));
    static WEIGHTS: OnceLock<Vec<f32>> = OnceLock::new();
    let weights = WEIGHTS.get_or_init(|| {
        (0..f.dimension())
            .map(|i| (i % 7) as f32 / 3.0 - 1.0)
            .collect()
    });
    assert!(f.explain(&text, weights, 10).len() <= 10);
    assert!(f.evidence(&text, weights, 3).iter().all(|c| c.weight > 0.0));
    // Split into comments at newlines; each replies to the one before.
    let lines: Vec<&str> = text.split('\n').take(50).collect();
    let view = ThreadView {
        post_title: lines.first().copied(),
        post_text: None,
        post_author: lines.get(1).copied(),
        comments: lines
            .iter()
            .enumerate()
            .map(|(i, line)| CommentView {
                author: lines.get(i + 2).copied(),
                parent: i.checked_sub(1 + i % 3),
                text: line,
            })
            .collect(),
    };
    let features = context_features(&view);
    assert_eq!(features.len(), view.comments.len());
    assert!(features.iter().all(|f| f.values.iter().all(|v| v.is_finite())));
});
