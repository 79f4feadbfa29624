//! Perspective's wire format (Comment Analyzer v1alpha1) and the pure
//! decoders that turn request bytes into checked requests.
//!
//! Decoding never panics: every malformed input becomes a 400
//! `INVALID_ARGUMENT` [`ApiError`] whose message names the offending field.

use crate::attributes::{resolve, Label};
use crate::budget::Limits;
use crate::error::ApiError;
use crate::json;
use crate::text::strip_html;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `TextEntry` as sent by clients.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TextEntry {
    /// The text.
    #[serde(default)]
    pub text: Option<String>,
    /// `PLAIN_TEXT`, `HTML` or `TEXT_TYPE_UNSPECIFIED`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

impl TextEntry {
    /// The entry as plain text (HTML stripped when `type` is `HTML`).
    fn plain(&self, field: &str) -> Result<String, ApiError> {
        let text = self.text.as_deref().unwrap_or("");
        match self.kind.as_deref() {
            None | Some("PLAIN_TEXT") | Some("TEXT_TYPE_UNSPECIFIED") => Ok(text.to_owned()),
            Some("HTML") => Ok(strip_html(text)),
            Some(other) => Err(ApiError::invalid(format!(
                "{field}.type: invalid value {other:?} (expected PLAIN_TEXT or HTML)"
            ))),
        }
    }
}

/// `ArticleAndParentComment` as sent by clients.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireArticleAndParent {
    /// The post the comment was left on.
    #[serde(default, deserialize_with = "json::optional")]
    pub article: Option<TextEntry>,
    /// The comment replied to.
    #[serde(default, alias = "parent_comment", deserialize_with = "json::optional")]
    pub parent_comment: Option<TextEntry>,
}

/// `Context` as sent by clients.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireContext {
    /// Article and parent comment.
    #[serde(
        default,
        alias = "article_and_parent_comment",
        deserialize_with = "json::optional"
    )]
    pub article_and_parent_comment: Option<WireArticleAndParent>,
    /// Preceding comments.
    #[serde(default, deserialize_with = "json::optional_list")]
    pub entries: Option<Vec<TextEntry>>,
}

/// `AttributeParameters` as sent by clients.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireAttributeParameters {
    /// Only `PROBABILITY` (or unset) is supported.
    #[serde(default, alias = "score_type")]
    pub score_type: Option<String>,
    /// Scores below this are left out of the response.
    #[serde(default, alias = "score_threshold")]
    pub score_threshold: Option<f64>,
}

/// `AnalyzeCommentRequest` as sent by clients (camelCase, with the
/// snake_case spellings that Google's JSON mapping also accepts).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireAnalyzeRequest {
    /// The comment.
    #[serde(default, deserialize_with = "json::optional")]
    pub comment: Option<TextEntry>,
    /// Its context.
    #[serde(default, deserialize_with = "json::optional")]
    pub context: Option<WireContext>,
    /// Attributes to score.
    #[serde(
        default,
        alias = "requested_attributes",
        deserialize_with = "json::optional_map"
    )]
    pub requested_attributes: Option<BTreeMap<String, WireAttributeParameters>>,
    /// Languages of the comment.
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    /// Echoed back.
    #[serde(default, alias = "client_token")]
    pub client_token: Option<String>,
    /// Never store this comment.
    #[serde(default, alias = "do_not_store")]
    pub do_not_store: Option<bool>,
    /// Ask for per-sentence scores.
    #[serde(default, alias = "span_annotations")]
    pub span_annotations: Option<bool>,
    /// Drop attributes that cannot be answered instead of failing.
    #[serde(default, alias = "drop_unsupported_attributes")]
    pub drop_unsupported_attributes: Option<bool>,
    /// Accepted and ignored.
    #[serde(default, alias = "session_id")]
    pub session_id: Option<String>,
    /// Accepted and ignored.
    #[serde(default, alias = "community_id")]
    pub community_id: Option<String>,
}

/// `AttributeScores` as sent in a suggestion.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireAttributeScores {
    /// Score of the whole comment.
    #[serde(default, alias = "summary_score", deserialize_with = "json::optional")]
    pub summary_score: Option<WireScore>,
    /// Accepted; span-level suggestions are not learned from.
    #[serde(default, alias = "span_scores")]
    pub span_scores: Option<Vec<serde_json::Value>>,
}

/// `Score` as sent in a suggestion.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WireScore {
    /// The value, a probability.
    #[serde(default)]
    pub value: Option<f64>,
    /// Only `PROBABILITY` (or unset) is supported.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// `SuggestCommentScoreRequest` as sent by clients.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireSuggestRequest {
    /// The comment.
    #[serde(default, deserialize_with = "json::optional")]
    pub comment: Option<TextEntry>,
    /// Its context.
    #[serde(default, deserialize_with = "json::optional")]
    pub context: Option<WireContext>,
    /// The moderator's scores.
    #[serde(
        default,
        alias = "attribute_scores",
        deserialize_with = "json::optional_map"
    )]
    pub attribute_scores: Option<BTreeMap<String, WireAttributeScores>>,
    /// Languages of the comment.
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    /// Echoed back.
    #[serde(default, alias = "client_token")]
    pub client_token: Option<String>,
    /// Accepted and ignored.
    #[serde(default, alias = "session_id")]
    pub session_id: Option<String>,
    /// Accepted and ignored.
    #[serde(default, alias = "community_id")]
    pub community_id: Option<String>,
}

/// What a comment was written in reply to, as plain text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CommentContext {
    /// No context given.
    #[default]
    None,
    /// The post and, for a reply, the parent comment.
    ArticleAndParent {
        /// The post.
        article: Option<String>,
        /// The comment replied to.
        parent: Option<String>,
    },
    /// The preceding comments, oldest first.
    Entries(Vec<String>),
}

/// One requested attribute, resolved to the label that answers it.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestedAttribute {
    /// The name as the client spelled it (the response key).
    pub name: String,
    /// The label behind it.
    pub label: Label,
    /// Scores below this are left out.
    pub threshold: Option<f64>,
}

/// A checked analyze request.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalyzeRequest {
    /// The comment as plain text (never empty).
    pub text: String,
    /// Its context.
    pub context: CommentContext,
    /// Attributes to answer (may be empty when unsupported ones were dropped).
    pub attributes: Vec<RequestedAttribute>,
    /// Effective languages: as requested, or else as detected.
    pub languages: Vec<String>,
    /// Languages detected from the text (empty when the client named them).
    pub detected_languages: Vec<String>,
    /// Echoed back.
    pub client_token: Option<String>,
    /// Per-sentence scores asked for.
    pub span_annotations: bool,
    /// The client asked that nothing be stored.
    pub do_not_store: bool,
}

/// A checked suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestRequest {
    /// The comment as plain text (never empty).
    pub text: String,
    /// Its context.
    pub context: CommentContext,
    /// The moderator's scores per attribute, as sent.
    pub scores: Vec<(String, Label, f64)>,
    /// Languages as sent.
    pub languages: Vec<String>,
    /// Echoed back.
    pub client_token: Option<String>,
}

/// Languages this server scores.
pub const SUPPORTED_LANGUAGES: &[&str] = &["en"];

/// Decodes and checks the body of `comments:analyze` within `limits`.
pub fn decode_analyze(bytes: &[u8], limits: &Limits) -> Result<AnalyzeRequest, ApiError> {
    let wire: WireAnalyzeRequest = json::parse_body(bytes)?;
    let text = comment_text(wire.comment.as_ref())?;
    let context = decode_context(wire.context.as_ref(), limits)?;
    let drop_unsupported = wire.drop_unsupported_attributes.unwrap_or(false);
    let requested = wire.requested_attributes.unwrap_or_default();
    if requested.is_empty() {
        return Err(ApiError::invalid(
            "requestedAttributes must name at least one attribute",
        ));
    }
    Limits::cap(
        requested.len(),
        limits.max_attributes,
        "requestedAttributes",
        "--max-attributes",
    )?;
    // Spellings of one attribute collapse to its canonical name.
    let mut attributes: Vec<RequestedAttribute> = Vec::with_capacity(requested.len());
    for (name, params) in requested {
        if let Some(kind) = params.score_type.as_deref() {
            if !matches!(kind, "PROBABILITY" | "SCORE_TYPE_UNSPECIFIED") {
                return Err(ApiError::invalid(format!(
                    "requestedAttributes.{name}.scoreType: unsupported score type {kind:?} (only PROBABILITY)"
                )));
            }
        }
        if let Some(t) = params.score_threshold {
            if !(0.0..=1.0).contains(&t) {
                return Err(ApiError::invalid(format!(
                    "requestedAttributes.{name}.scoreThreshold: {t} is not in [0, 1]"
                )));
            }
        }
        let Some(resolved) = resolve(&name) else {
            if drop_unsupported {
                continue;
            }
            return Err(ApiError::invalid(format!(
                "unknown requested attribute {name:?}"
            )));
        };
        let attribute = RequestedAttribute {
            name: resolved.name,
            label: resolved.label,
            threshold: params.score_threshold,
        };
        match attributes.iter().find(|a| a.name == attribute.name) {
            None => attributes.push(attribute),
            Some(same) if same.threshold == attribute.threshold => {}
            Some(same) => {
                return Err(ApiError::invalid(format!(
                    "requestedAttributes: {name:?} and another spelling of {} ask for different scoreThresholds",
                    same.name
                )))
            }
        }
    }
    // Detection only runs when the client names no language.
    let (languages, detected_languages) = match wire.languages {
        Some(langs) if !langs.is_empty() => (langs, Vec::new()),
        _ => {
            let detected = detect_language(&text);
            (detected.clone(), detected)
        }
    };
    let unsupported: Vec<&str> = languages
        .iter()
        .map(String::as_str)
        .filter(|l| !is_supported_language(l))
        .collect();
    if !unsupported.is_empty() {
        if drop_unsupported {
            attributes.clear();
        } else {
            let attribute = attributes
                .first()
                .map_or("requested attributes", |a| &a.name);
            return Err(ApiError::invalid(format!(
                "attribute {attribute} does not support request languages: {}",
                unsupported.join(",")
            )));
        }
    }
    Ok(AnalyzeRequest {
        text,
        context,
        attributes,
        languages,
        detected_languages,
        client_token: wire.client_token,
        span_annotations: wire.span_annotations.unwrap_or(false),
        do_not_store: wire.do_not_store.unwrap_or(false),
    })
}

/// Decodes and checks the body of `comments:suggestscore` within `limits`.
pub fn decode_suggest(bytes: &[u8], limits: &Limits) -> Result<SuggestRequest, ApiError> {
    let wire: WireSuggestRequest = json::parse_body(bytes)?;
    let text = comment_text(wire.comment.as_ref())?;
    let context = decode_context(wire.context.as_ref(), limits)?;
    let given = wire.attribute_scores.unwrap_or_default();
    if given.is_empty() {
        return Err(ApiError::invalid("attributeScores must not be empty"));
    }
    Limits::cap(
        given.len(),
        limits.max_attributes,
        "attributeScores",
        "--max-attributes",
    )?;
    let mut scores: Vec<(String, Label, f64)> = Vec::with_capacity(given.len());
    for (name, attr) in given {
        let resolved = resolve(&name)
            .ok_or_else(|| ApiError::invalid(format!("unknown attribute {name:?}")))?;
        let score = attr.summary_score.ok_or_else(|| {
            ApiError::invalid(format!(
                "attributeScores.{name}.summaryScore is required (span-only suggestions are not supported)"
            ))
        })?;
        if let Some(kind) = score.kind.as_deref() {
            if !matches!(kind, "PROBABILITY" | "SCORE_TYPE_UNSPECIFIED") {
                return Err(ApiError::invalid(format!(
                    "attributeScores.{name}.summaryScore.type: unsupported score type {kind:?} (only PROBABILITY)"
                )));
            }
        }
        let value = score.value.ok_or_else(|| {
            ApiError::invalid(format!(
                "attributeScores.{name}.summaryScore.value is required"
            ))
        })?;
        if !(0.0..=1.0).contains(&value) {
            return Err(ApiError::invalid(format!(
                "attributeScores.{name}.summaryScore.value: {value} is not in [0, 1]"
            )));
        }
        match scores.iter().find(|(n, _, _)| *n == resolved.name) {
            None => scores.push((resolved.name, resolved.label, value)),
            Some((_, _, same)) if *same == value => {}
            Some((canonical, _, _)) => {
                return Err(ApiError::invalid(format!(
                    "attributeScores: {name:?} and another spelling of {canonical} give different scores"
                )))
            }
        }
    }
    let languages = wire.languages.unwrap_or_default();
    if let Some(lang) = languages.iter().find(|l| !is_supported_language(l)) {
        return Err(ApiError::invalid(format!(
            "unsupported language {lang:?} (supported: en)"
        )));
    }
    Ok(SuggestRequest {
        text,
        context,
        scores,
        languages,
        client_token: wire.client_token,
    })
}

fn comment_text(entry: Option<&TextEntry>) -> Result<String, ApiError> {
    let entry = entry.ok_or_else(|| ApiError::invalid("comment is required"))?;
    let text = entry.plain("comment")?;
    if text.trim().is_empty() {
        return Err(ApiError::invalid("comment.text must be non-empty"));
    }
    Ok(text)
}

fn decode_context(
    context: Option<&WireContext>,
    limits: &Limits,
) -> Result<CommentContext, ApiError> {
    let Some(context) = context else {
        return Ok(CommentContext::None);
    };
    match (&context.article_and_parent_comment, &context.entries) {
        (Some(_), Some(_)) => Err(ApiError::invalid(
            "context: give only one of articleAndParentComment and entries",
        )),
        (Some(ap), None) => {
            let article = optional_text(
                ap.article.as_ref(),
                "context.articleAndParentComment.article",
            )?;
            let parent = optional_text(
                ap.parent_comment.as_ref(),
                "context.articleAndParentComment.parentComment",
            )?;
            Ok(CommentContext::ArticleAndParent { article, parent })
        }
        (None, Some(entries)) => {
            Limits::cap(
                entries.len(),
                limits.max_context_entries,
                "context.entries",
                "--max-context-entries",
            )?;
            let mut texts = Vec::with_capacity(entries.len());
            for (i, entry) in entries.iter().enumerate() {
                if let Some(text) = optional_text(Some(entry), &format!("context.entries[{i}]"))? {
                    texts.push(text);
                }
            }
            Ok(CommentContext::Entries(texts))
        }
        (None, None) => Ok(CommentContext::None),
    }
}

fn optional_text(entry: Option<&TextEntry>, field: &str) -> Result<Option<String>, ApiError> {
    match entry {
        None => Ok(None),
        Some(e) => {
            let text = e.plain(field)?;
            Ok((!text.trim().is_empty()).then_some(text))
        }
    }
}

/// True for a language tag whose primary subtag is supported (`en`, `en-GB`, `EN_us`).
pub fn is_supported_language(tag: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or("");
    SUPPORTED_LANGUAGES
        .iter()
        .any(|l| l.eq_ignore_ascii_case(primary))
}

/// The language of `text` when it is reliably detectable, else English.
fn detect_language(text: &str) -> Vec<String> {
    let code = match whatlang::detect(text) {
        Some(info) if info.is_reliable() && info.lang() != whatlang::Lang::Eng => {
            iso639_1(info.lang())
                .unwrap_or(info.lang().code())
                .to_owned()
        }
        _ => "en".to_owned(),
    };
    vec![code]
}

/// Two-letter codes of the languages clients most often send.
fn iso639_1(lang: whatlang::Lang) -> Option<&'static str> {
    use whatlang::Lang::*;
    Some(match lang {
        Eng => "en",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Nld => "nl",
        Rus => "ru",
        Pol => "pl",
        Swe => "sv",
        Dan => "da",
        Fin => "fi",
        Ces => "cs",
        Tur => "tr",
        Ara => "ar",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Hin => "hi",
        Ind => "id",
        Ukr => "uk",
        _ => return None,
    })
}

/// `Score` in a response.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    /// A probability.
    pub value: f32,
    /// Always `PROBABILITY`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

impl Score {
    /// A probability score.
    pub fn probability(value: f32) -> Self {
        Score {
            value,
            kind: "PROBABILITY",
        }
    }
}

/// `SpanScore` in a response.
#[derive(Debug, Clone, Serialize)]
pub struct SpanScore {
    /// UTF-16 offset of the span's start.
    pub begin: usize,
    /// UTF-16 offset one past its end.
    pub end: usize,
    /// Its score.
    pub score: Score,
}

/// `AttributeScores` in a response.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttributeScores {
    /// Score of the whole comment.
    pub summary_score: Score,
    /// Per-sentence scores, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span_scores: Option<Vec<SpanScore>>,
}

/// `AnalyzeCommentResponse`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyzeResponse {
    /// Scores per requested attribute (those at or above their threshold).
    pub attribute_scores: BTreeMap<String, AttributeScores>,
    /// Effective languages.
    pub languages: Vec<String>,
    /// Detected languages (left out when the client named the languages).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub detected_languages: Vec<String>,
    /// Echoed from the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

/// `SuggestCommentScoreResponse`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SuggestResponse {
    /// Echoed from the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    /// Languages as sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requested_languages: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyze(json: serde_json::Value) -> Result<AnalyzeRequest, ApiError> {
        decode_analyze(json.to_string().as_bytes(), &Limits::default())
    }

    #[test]
    fn decodes_the_documented_example() {
        let req = analyze(serde_json::json!({
            "comment": {"text": "What kind of idiot name is foo?"},
            "languages": ["en"],
            "requestedAttributes": {"TOXICITY": {}},
            "clientToken": "abc"
        }))
        .unwrap();
        assert_eq!(req.text, "What kind of idiot name is foo?");
        assert_eq!(req.attributes.len(), 1);
        assert_eq!(req.attributes[0].label, Label::Abuse);
        assert_eq!(req.languages, ["en"]);
        assert_eq!(req.client_token.as_deref(), Some("abc"));
    }

    #[test]
    fn strips_html_comments_and_context() {
        let req = analyze(serde_json::json!({
            "comment": {"text": "<p>hello <i>there</i></p>", "type": "HTML"},
            "context": {"articleAndParentComment": {
                "article": {"text": "<h1>Post</h1>", "type": "HTML"},
                "parentComment": {"text": "first"}}},
            "requestedAttributes": {"OFF_TOPIC": {}}
        }))
        .unwrap();
        assert_eq!(req.text, "hello there");
        assert_eq!(
            req.context,
            CommentContext::ArticleAndParent {
                article: Some("Post".into()),
                parent: Some("first".into())
            }
        );
    }

    #[test]
    fn rejects_what_perspective_rejects() {
        let cases = [
            (
                serde_json::json!({"requestedAttributes": {"TOXICITY": {}}}),
                "comment is required",
            ),
            (
                serde_json::json!({"comment": {"text": "  "}, "requestedAttributes": {"TOXICITY": {}}}),
                "non-empty",
            ),
            (
                serde_json::json!({"comment": {"text": "hi"}}),
                "at least one attribute",
            ),
            (
                serde_json::json!({"comment": {"text": "hi"}, "requestedAttributes": {"FLIRTATION": {}}}),
                "FLIRTATION",
            ),
            (
                serde_json::json!({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["de"]}),
                "languages: de",
            ),
            (
                serde_json::json!({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {"scoreType": "RAW"}}}),
                "RAW",
            ),
            (
                serde_json::json!({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {"scoreThreshold": 2}}}),
                "not in [0, 1]",
            ),
            (
                serde_json::json!({"comment": {"text": 5}, "requestedAttributes": {"TOXICITY": {}}}),
                "invalid JSON",
            ),
            (
                serde_json::json!({"comment": {"text": "hi", "type": "PDF"}, "requestedAttributes": {"TOXICITY": {}}}),
                "PDF",
            ),
            (
                serde_json::json!({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}},
                "context": {"entries": [], "articleAndParentComment": {}}}),
                "only one",
            ),
        ];
        for (body, needle) in cases {
            let err = analyze(body.clone()).unwrap_err();
            assert_eq!(err.code, 400, "{body}");
            assert!(err.message.contains(needle), "{body}: {}", err.message);
        }
    }

    #[test]
    fn drop_unsupported_attributes_drops_instead_of_failing() {
        let req = analyze(serde_json::json!({
            "comment": {"text": "hi"},
            "requestedAttributes": {"TOXICITY": {}, "FLIRTATION": {}},
            "dropUnsupportedAttributes": true
        }))
        .unwrap();
        assert_eq!(req.attributes.len(), 1);
        let req = analyze(serde_json::json!({
            "comment": {"text": "hi"}, "languages": ["fr"],
            "requestedAttributes": {"TOXICITY": {}},
            "dropUnsupportedAttributes": true
        }))
        .unwrap();
        assert!(req.attributes.is_empty());
    }

    #[test]
    fn invalid_utf8_and_deep_nesting_are_400() {
        let limits = Limits::default();
        let err = decode_analyze(b"{\"comment\":{\"text\":\"\xff\"}}", &limits).unwrap_err();
        assert!(err.message.contains("UTF-8"), "{}", err.message);
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(
            decode_analyze(deep.as_bytes(), &limits).unwrap_err().code,
            400
        );
        let hidden = format!(
            r#"{{"comment":{{"text":"hi"}},"requestedAttributes":{{"TOXICITY":{{}}}},"x":{}{}}}"#,
            "[".repeat(5_000),
            "]".repeat(5_000)
        );
        let err = decode_analyze(hidden.as_bytes(), &limits).unwrap_err();
        assert!(err.message.contains("deeper than 128"), "{}", err.message);
    }

    #[test]
    fn arrays_are_not_read_as_messages() {
        let limits = Limits::default();
        let by_position = br#"[{"text":"hi"},null,{"TOXICITY":{}},["en"]]"#;
        let err = decode_analyze(by_position, &limits).unwrap_err();
        assert!(err.message.contains("JSON object"), "{}", err.message);
        let nested = br#"{"comment":["hi"],"requestedAttributes":{"TOXICITY":{}}}"#;
        assert_eq!(decode_analyze(nested, &limits).unwrap_err().code, 400);
        let suggestion = br#"[{"text":"hi"},null,{"TOXICITY":{"summaryScore":{"value":1}}}]"#;
        assert_eq!(decode_suggest(suggestion, &limits).unwrap_err().code, 400);
    }

    #[test]
    fn attribute_spellings_collapse_to_one_canonical_name() {
        let req = analyze(serde_json::json!({
            "comment": {"text": "hi"}, "languages": ["en"],
            "requestedAttributes": {"toxicity": {}, "TOXICITY": {}, "Toxicity": {},
                                    "insult_experimental": {"scoreThreshold": 0.5}}
        }))
        .unwrap();
        let mut names: Vec<&str> = req.attributes.iter().map(|a| a.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["INSULT_EXPERIMENTAL", "TOXICITY"]);
        let err = analyze(serde_json::json!({
            "comment": {"text": "hi"}, "languages": ["en"],
            "requestedAttributes": {"toxicity": {"scoreThreshold": 0.2}, "TOXICITY": {}}
        }))
        .unwrap_err();
        assert!(
            err.message.contains("different scoreThresholds"),
            "{}",
            err.message
        );
    }

    #[test]
    fn caps_on_attributes_and_entries_are_400s_naming_the_option() {
        let limits = Limits {
            max_attributes: 2,
            max_context_entries: 3,
            ..Limits::default()
        };
        let body = serde_json::json!({
            "comment": {"text": "hi"}, "languages": ["en"],
            "requestedAttributes": {"a": {}, "b": {}, "c": {}}
        });
        let err = decode_analyze(body.to_string().as_bytes(), &limits).unwrap_err();
        assert!(err.message.contains("--max-attributes"), "{}", err.message);
        let body = serde_json::json!({
            "comment": {"text": "hi"}, "languages": ["en"],
            "context": {"entries": [{"text": "1"}, {"text": "2"}, {"text": "3"}, {"text": "4"}]},
            "requestedAttributes": {"TOXICITY": {}}
        });
        let err = decode_analyze(body.to_string().as_bytes(), &limits).unwrap_err();
        assert!(
            err.message
                .contains("context.entries: 4 is over the limit of 3"),
            "{}",
            err.message
        );
    }

    #[test]
    fn detects_non_english_when_no_language_given() {
        let err = analyze(serde_json::json!({
            "comment": {"text": "Das ist ein sehr schöner Tag und ich freue mich auf das Wochenende mit meiner Familie."},
            "requestedAttributes": {"TOXICITY": {}}
        }))
        .unwrap_err();
        assert!(err.message.contains("de"), "{}", err.message);
    }

    #[test]
    fn language_tags_match_by_primary_subtag() {
        assert!(is_supported_language("en"));
        assert!(is_supported_language("en-GB"));
        assert!(is_supported_language("EN_us"));
        assert!(!is_supported_language("de"));
        assert!(!is_supported_language(""));
    }

    #[test]
    fn decodes_a_suggestion() {
        let limits = Limits::default();
        let req = decode_suggest(
            serde_json::json!({
                "comment": {"text": "you are a clown"},
                "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
                "clientToken": "t"
            })
            .to_string()
            .as_bytes(),
            &limits,
        )
        .unwrap();
        assert_eq!(req.scores, [("TOXICITY".to_owned(), Label::Abuse, 1.0)]);
        let err = decode_suggest(br#"{"comment":{"text":"x"},"attributeScores":{}}"#, &limits)
            .unwrap_err();
        assert!(err.message.contains("must not be empty"));
    }
}
