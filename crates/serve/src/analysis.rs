//! Answering an analyze request with a model: the comment scored in its
//! context, per-sentence spans, thresholds applied, all within the
//! request's [`Budget`]. No HTTP here.

use referee_thread::Thread;
use referee_train::{CommentScore, Scores};

use crate::budget::{thread_work, Budget, Limits, COMMENT_WORK};
use crate::context::{thread_for, COMMENT_ID};
use crate::error::ApiError;
use crate::model::Scorer;
use crate::perspective::{
    AnalyzeRequest, AnalyzeResponse, AttributeScores, CommentContext, Score, SpanScore,
};
use crate::text::{sentences, Span};

/// Scores one analyze request: the comment in its context, and each of its
/// sentences when spans are asked for. What the request would cost (spans,
/// scoring work, response size) is checked against `limits` and `budget`
/// before any scoring, and the budget is charged, and its cancellation
/// checked, before every model call.
pub fn score_analyze(
    scorer: &dyn Scorer,
    request: AnalyzeRequest,
    limits: &Limits,
    budget: &mut Budget,
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
    let spans = if request.span_annotations {
        let spans = sentences(&request.text);
        Limits::cap(
            spans.len(),
            limits.max_span_sentences,
            "spanAnnotations: sentences in the comment",
            "--max-span-sentences",
        )?;
        Some(spans)
    } else {
        None
    };
    let span_count = spans.as_ref().map_or(0, Vec::len);
    // Each sentence is scored in the comment's place: the context again,
    // plus the sentence.
    let context_work = thread_work(&thread) - (request.text.len() as u64 + COMMENT_WORK);
    let span_work: u64 = match &spans {
        Some(spans) if spans.len() > 1 => spans
            .iter()
            .map(|s| context_work + COMMENT_WORK + (s.byte_end - s.byte_begin) as u64)
            .sum(),
        _ => 0,
    };
    budget.plan(thread_work(&thread) + span_work, || {
        format!(
            "{} context entries, {} sentences scored for spans",
            context_entries(&request.context),
            span_count
        )
    })?;
    limits.check_response(
        response_size_bound(&response, request.attributes.len(), spans.as_deref()),
        "ask for fewer attributes, or spans of a shorter comment",
    )?;

    let comment = last_score(scorer, &thread, budget)?;
    let spans = match spans {
        Some(spans) => Some(span_scores(
            scorer,
            spans,
            &request.text,
            &request.context,
            &comment,
            budget,
        )?),
        None => None,
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

fn context_entries(context: &CommentContext) -> usize {
    match context {
        CommentContext::None => 0,
        CommentContext::ArticleAndParent { article, parent } => {
            usize::from(article.is_some()) + usize::from(parent.is_some())
        }
        CommentContext::Entries(entries) => entries.len(),
    }
}

/// An upper bound on the size in bytes of the response's JSON: every attribute
/// with its summary and all its spans, the languages and the client token
/// escaped at worst.
fn response_size_bound(
    response: &AnalyzeResponse,
    attributes: usize,
    spans: Option<&[Span]>,
) -> usize {
    // `{"begin":B,"end":E,"score":{"value":V,"type":"PROBABILITY"}},` with
    // V at most 15 characters.
    const SPAN: usize = 64;
    // `"NAME_EXPERIMENTAL":{"summaryScore":{…},"spanScores":[]},`
    const ATTRIBUTE: usize = 128;
    let digits = |n: usize| n.checked_ilog10().map_or(1, |d| d as usize + 1);
    let per_attribute = ATTRIBUTE
        + spans.map_or(0, |spans| {
            spans
                .iter()
                .map(|s| SPAN + digits(s.begin) + digits(s.end))
                .sum()
        });
    // A string escapes to at most 6 bytes per byte (`\u00XX`).
    let strings = |list: &[String]| list.iter().map(|l| 6 * l.len() + 3).sum::<usize>();
    128 + attributes * per_attribute
        + strings(&response.languages)
        + strings(&response.detected_languages)
        + response
            .client_token
            .as_ref()
            .map_or(0, |t| 6 * t.len() + 16)
}

fn last_score(
    scorer: &dyn Scorer,
    thread: &Thread,
    budget: &mut Budget,
) -> Result<CommentScore, ApiError> {
    budget.charge(thread_work(thread))?;
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
    spans: Vec<Span>,
    text: &str,
    context: &CommentContext,
    whole: &CommentScore,
    budget: &mut Budget,
) -> Result<Vec<(Span, Scores)>, ApiError> {
    if spans.len() <= 1 {
        return Ok(spans.into_iter().map(|s| (s, whole.scores)).collect());
    }
    spans
        .into_iter()
        .map(|span| {
            let thread = thread_for("analyze", &text[span.byte_begin..span.byte_end], context);
            last_score(scorer, &thread, budget).map(|s| (span, s.scores))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Cancel;
    use crate::perspective::decode_analyze;
    use referee_train::{Action, Scores};
    use std::sync::atomic::{AtomicUsize, Ordering};

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
        let limits = Limits::default();
        let request = decode_analyze(body.to_string().as_bytes(), &limits).unwrap();
        let mut budget = Budget::new(&limits, Cancel::never());
        score_analyze(&ByLength, request, &limits, &mut budget)
            .unwrap()
            .0
    }

    /// Counts its calls, and cancels the request at the `cancel_at`th.
    struct Counting {
        calls: AtomicUsize,
        cancel_at: usize,
        cancel: Cancel,
    }

    impl Counting {
        fn new(cancel_at: usize, cancel: Cancel) -> Self {
            Counting {
                calls: AtomicUsize::new(0),
                cancel_at,
                cancel,
            }
        }
        fn calls(&self) -> usize {
            self.calls.load(Ordering::Relaxed)
        }
    }

    impl Scorer for Counting {
        fn score_thread(&self, thread: &Thread) -> Vec<CommentScore> {
            if self.calls.fetch_add(1, Ordering::Relaxed) + 1 == self.cancel_at {
                self.cancel.cancel();
            }
            ByLength.score_thread(thread)
        }
        fn version(&self) -> String {
            "counting".into()
        }
        fn checksum(&self) -> String {
            String::new()
        }
        fn card(&self) -> serde_json::Value {
            serde_json::Value::Null
        }
    }

    fn spans_request(sentences: usize, entries: usize) -> serde_json::Value {
        serde_json::json!({
            "comment": {"text": "Short one. ".repeat(sentences)},
            "context": {"entries": vec![serde_json::json!({"text": "an earlier comment"}); entries]},
            "languages": ["en"], "spanAnnotations": true,
            "requestedAttributes": {"TOXICITY": {}, "INSULT": {}}
        })
    }

    fn run(
        scorer: &dyn Scorer,
        body: &serde_json::Value,
        limits: &Limits,
        cancel: Cancel,
    ) -> Result<AnalyzeResponse, ApiError> {
        let request = decode_analyze(body.to_string().as_bytes(), limits)?;
        let mut budget = Budget::new(limits, cancel);
        score_analyze(scorer, request, limits, &mut budget).map(|(r, _)| r)
    }

    #[test]
    fn the_planned_work_is_the_work_charged() {
        let body = spans_request(5, 3);
        // Whole comment: 3 entries + the comment; then 5 sentences of 10
        // bytes, each with the 3 entries.
        let entries = 3 * ("an earlier comment".len() as u64 + COMMENT_WORK);
        let whole = entries + "Short one. ".repeat(5).len() as u64 + COMMENT_WORK;
        let planned = whole + 5 * (entries + 10 + COMMENT_WORK);
        let exact = Limits {
            max_work: planned,
            ..Limits::default()
        };
        let scorer = Counting::new(0, Cancel::never());
        let response = run(&scorer, &body, &exact, Cancel::never()).unwrap();
        assert_eq!(
            response.attribute_scores["TOXICITY"]
                .span_scores
                .as_ref()
                .unwrap()
                .len(),
            5
        );
        assert_eq!(scorer.calls(), 6);

        let short = Limits {
            max_work: planned - 1,
            ..exact
        };
        let scorer = Counting::new(0, Cancel::never());
        let err = run(&scorer, &body, &short, Cancel::never()).unwrap_err();
        assert_eq!(err.code, 400);
        assert!(
            err.message.contains("3 context entries, 5 sentences"),
            "{}",
            err.message
        );
        assert_eq!(scorer.calls(), 0, "refused before any scoring");
    }

    #[test]
    fn too_many_span_sentences_or_too_large_a_response_is_refused_up_front() {
        let scorer = Counting::new(0, Cancel::never());
        let limits = Limits {
            max_span_sentences: 4,
            ..Limits::default()
        };
        let err = run(&scorer, &spans_request(5, 0), &limits, Cancel::never()).unwrap_err();
        assert!(
            err.message.contains("--max-span-sentences"),
            "{}",
            err.message
        );
        let limits = Limits {
            max_response_bytes: 1_000,
            ..Limits::default()
        };
        let err = run(&scorer, &spans_request(5, 0), &limits, Cancel::never()).unwrap_err();
        assert!(
            err.message.contains("--max-response-bytes"),
            "{}",
            err.message
        );
        assert_eq!(scorer.calls(), 0);
        // The bound holds: the response of a request within it is smaller.
        let limits = Limits::default();
        let response = run(&scorer, &spans_request(5, 0), &limits, Cancel::never()).unwrap();
        let request = decode_analyze(spans_request(5, 0).to_string().as_bytes(), &limits).unwrap();
        let spans = sentences(&request.text);
        let bound = response_size_bound(&response, 2, Some(&spans));
        assert!(serde_json::to_vec(&response).unwrap().len() <= bound);
    }

    #[test]
    fn cancellation_stops_span_scoring_at_the_next_sentence() {
        let cancel = Cancel::never();
        let scorer = Counting::new(3, cancel.clone());
        let err = run(&scorer, &spans_request(50, 2), &Limits::default(), cancel).unwrap_err();
        assert_eq!(err.code, 504);
        assert_eq!(scorer.calls(), 3, "no model call after the cancellation");
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
