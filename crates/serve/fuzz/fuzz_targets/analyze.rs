//! `decode_analyze` and scoring on arbitrary bytes (run with
//! `-max_len=65536`): never panics; every refusal is a 400
//! INVALID_ARGUMENT with a message; an accepted request is scored by the
//! shipped model within its work budget, and its response is within the
//! response cap.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use referee_serve::analysis::score_analyze;
use referee_serve::budget::{Budget, Cancel, Limits};
use referee_serve::perspective::decode_analyze;

static MODEL: LazyLock<referee_train::Model> = LazyLock::new(|| {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../models/default.refm");
    referee_train::Model::load(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
});

/// Tighter than the defaults, so that inputs of 64 KB reach every cap.
static LIMITS: LazyLock<Limits> = LazyLock::new(|| Limits {
    max_attributes: 8,
    max_context_entries: 20,
    max_span_sentences: 40,
    max_work: 256 * 1024,
    max_response_bytes: 16 * 1024,
});

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

fuzz_target!(|data: &[u8]| {
    let limits = &*LIMITS;
    let request = match decode_analyze(data, limits) {
        Ok(request) => request,
        Err(e) => {
            assert_eq!(e.code.as_u16(), 400);
            assert!(!e.message.is_empty());
            return;
        }
    };
    assert!(!request.text.trim().is_empty());
    for span in referee_serve::text::sentences(&request.text) {
        assert!(span.begin <= span.end);
        assert!(request.text.is_char_boundary(span.byte_begin));
        assert!(request.text.is_char_boundary(span.byte_end));
    }
    let text_units = utf16_len(&request.text);
    let mut budget = Budget::new(limits, Cancel::never());
    match score_analyze(&*MODEL, request, limits, &mut budget) {
        Ok((response, _)) => {
            assert!(budget.spent() <= limits.max_work);
            let body = serde_json::to_vec(&response).unwrap();
            assert!(body.len() <= limits.max_response_bytes, "{} bytes", body.len());
            for scores in response.attribute_scores.values() {
                assert!((0.0..=1.0).contains(&scores.summary_score.value));
                for span in scores.span_scores.iter().flatten() {
                    assert!(span.begin < span.end && span.end <= text_units);
                    assert!((0.0..=1.0).contains(&span.score.value));
                }
            }
        }
        Err(e) => {
            assert_eq!(e.code.as_u16(), 400, "{e}");
            assert!(!e.message.is_empty());
        }
    }
});
