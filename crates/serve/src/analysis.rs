//! Answering an analyze request with a model: the comment scored in its
//! context, per-sentence spans, thresholds applied. No HTTP here.

use referee_thread::Thread;
use referee_train::{CommentScore, Scores};

use crate::context::{thread_for, COMMENT_ID};
use crate::error::ApiError;
use crate::model::Scorer;
use crate::perspective::{
    AnalyzeRequest, AnalyzeResponse, AttributeScores, CommentContext, Score, SpanScore,
};
use crate::text::{sentences, Span};

/// Scores one analyze request: the comment in its context, and each of its
/// sentences when spans are asked for.
pub fn score_analyze(
    scorer: &dyn Scorer,
    request: AnalyzeRequest,
) -> Result<(AnalyzeResponse, Option<&'static str>), ApiError> {
    let mut response = AnalyzeResponse {
        attribute_scores: Default::default(),
        languages: request.languages,
        detected_languages: request.detected_languages,
        client_token: request.client_token,
    };
    if request.attributes.is_empty() {
        return Ok((response, None));
    }
    let thread = thread_for("analyze", &request.text, &request.context);
    let comment = last_score(scorer, &thread)?;
    let spans = if request.span_annotations {
        Some(span_scores(
            scorer,
            &request.text,
            &request.context,
            &comment,
        )?)
    } else {
        None
    };
    for attribute in &request.attributes {
        let value = comment.scores.get(attribute.label);
        if attribute.threshold.is_some_and(|t| f64::from(value) < t) {
            continue;
        }
        let span_scores = spans.as_ref().map(|spans| {
            spans
                .iter()
                .map(|(span, scores)| SpanScore {
                    begin: span.begin,
                    end: span.end,
                    score: Score::probability(scores.get(attribute.label)),
                })
                .collect()
        });
        response.attribute_scores.insert(
            attribute.name.clone(),
            AttributeScores {
                summary_score: Score::probability(value),
                span_scores,
            },
        );
    }
    Ok((response, Some(comment.action.as_str())))
}

fn last_score(scorer: &dyn Scorer, thread: &Thread) -> Result<CommentScore, ApiError> {
    scorer
        .score_thread_without_reasons(thread)
        .into_iter()
        .rev()
        .find(|s| s.id == COMMENT_ID)
        .ok_or_else(|| ApiError::internal("the model returned no score for the comment"))
}

/// Each sentence scored in the comment's place, in the same context. A
/// comment of one sentence reuses the whole comment's scores.
fn span_scores(
    scorer: &dyn Scorer,
    text: &str,
    context: &CommentContext,
    whole: &CommentScore,
) -> Result<Vec<(Span, Scores)>, ApiError> {
    let spans = sentences(text);
    if spans.len() <= 1 {
        return Ok(spans.into_iter().map(|s| (s, whole.scores)).collect());
    }
    spans
        .into_iter()
        .map(|span| {
            let thread = thread_for("analyze", &text[span.byte_begin..span.byte_end], context);
            last_score(scorer, &thread).map(|s| (span, s.scores))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perspective::decode_analyze;
    use referee_train::{Action, Scores};

    /// Scores every comment by its length: longer is worse.
    struct ByLength;

    impl Scorer for ByLength {
        fn score_thread(&self, thread: &Thread) -> Vec<CommentScore> {
            thread
                .comments
                .iter()
                .map(|c| {
                    let v = (c.text.len() as f32 / 100.0).min(1.0);
                    CommentScore {
                        thread: thread.id.clone(),
                        id: c.id.clone(),
                        author: None,
                        scores: Scores {
                            abuse: v,
                            ad_hominem: v / 2.0,
                            off_topic: 0.0,
                        },
                        flags: vec![],
                        action: Action::Approve,
                        reasons: vec![],
                        context: false,
                        explanation: None,
                    }
                })
                .collect()
        }
        fn version(&self) -> String {
            "len".into()
        }
        fn checksum(&self) -> String {
            String::new()
        }
        fn card(&self) -> serde_json::Value {
            serde_json::Value::Null
        }
    }

    fn answer(body: serde_json::Value) -> AnalyzeResponse {
        let request = decode_analyze(body.to_string().as_bytes()).unwrap();
        score_analyze(&ByLength, request).unwrap().0
    }

    #[test]
    fn thresholds_leave_out_low_scores_only() {
        let text = "x".repeat(40); // abuse 0.4, ad_hominem 0.2
        let response = answer(serde_json::json!({
            "comment": {"text": text}, "languages": ["en"],
            "requestedAttributes": {"TOXICITY": {"scoreThreshold": 0.4},
                                    "ATTACK_ON_AUTHOR": {"scoreThreshold": 0.21},
                                    "OFF_TOPIC": {}}
        }));
        let names: Vec<&str> = response
            .attribute_scores
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(names, ["OFF_TOPIC", "TOXICITY"]);
        assert_eq!(
            response.attribute_scores["TOXICITY"].summary_score.value,
            0.4
        );
        assert!(response.attribute_scores["TOXICITY"].span_scores.is_none());
    }

    #[test]
    fn spans_score_each_sentence_in_place() {
        let response = answer(serde_json::json!({
            "comment": {"text": "Short. This sentence is quite a lot longer."},
            "languages": ["en"], "spanAnnotations": true,
            "requestedAttributes": {"TOXICITY": {}}
        }));
        let spans = response.attribute_scores["TOXICITY"]
            .span_scores
            .clone()
            .unwrap();
        assert_eq!(spans.len(), 2);
        assert_eq!((spans[0].begin, spans[0].end), (0, 6));
        assert!(spans[0].score.value < spans[1].score.value);
    }
}
