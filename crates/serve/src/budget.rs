//! What one request may cost: caps on what it asks for ([`Limits`]), the
//! scoring work it is allowed ([`Budget`]), and the deadline that stops that
//! work once the client has been answered ([`Cancel`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::http::StatusCode;
use referee_thread::Thread;

use crate::error::{ApiError, Status};

/// Work units charged for scoring one comment on top of its text: the fixed
/// cost of a comment, worth about this many bytes of text (measured with
/// the shipped model: about 270 ns per byte of context and 25 µs per
/// comment on one core of a busy machine).
pub const COMMENT_WORK: u64 = 100;

/// Caps on a single request. A request over one of them gets a 400
/// `INVALID_ARGUMENT` naming the cap, before any scoring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Most entries in `requestedAttributes` (or a suggestion's
    /// `attributeScores`), spellings counted as sent. Default: 32.
    pub max_attributes: usize,
    /// Most `context.entries`. Default: 100.
    pub max_context_entries: usize,
    /// Most sentences in a comment that asks for `spanAnnotations`.
    /// Default: 200.
    pub max_span_sentences: usize,
    /// Most scoring work per request, in bytes of text scored: every
    /// comment scored counts its length plus [`COMMENT_WORK`], and span
    /// annotations score each sentence again with the whole context.
    /// Default: 4 MiB.
    pub max_work: u64,
    /// Largest response body; a request whose response would be larger is
    /// refused before the response is built. Default: 8 MiB.
    pub max_response_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_attributes: 32,
            max_context_entries: 100,
            max_span_sentences: 200,
            max_work: 4 << 20,
            max_response_bytes: 8 << 20,
        }
    }
}

impl Limits {
    /// Refuses `count` items of `what` above `max` (the option that sets it
    /// is named so an operator can find it).
    pub(crate) fn cap(count: usize, max: usize, what: &str, option: &str) -> Result<(), ApiError> {
        if count > max {
            return Err(ApiError::invalid(format!(
                "{what}: {count} is over the limit of {max} ({option})"
            )));
        }
        Ok(())
    }

    /// Refuses a response of `bytes` above [`Limits::max_response_bytes`];
    /// `hint` tells the client what to ask for instead.
    pub(crate) fn check_response(&self, bytes: usize, hint: &str) -> Result<(), ApiError> {
        if bytes > self.max_response_bytes {
            return Err(ApiError::invalid(format!(
                "the response would be over {} bytes (--max-response-bytes): {hint}",
                self.max_response_bytes
            )));
        }
        Ok(())
    }
}

/// The work of scoring every comment of `thread` (see [`Limits::max_work`]).
pub fn thread_work(thread: &Thread) -> u64 {
    let post =
        thread.title.as_deref().map_or(0, str::len) + thread.text.as_deref().map_or(0, str::len);
    thread.comments.iter().fold(post as u64, |sum, c| {
        sum + c.text.len() as u64 + COMMENT_WORK
    })
}

/// Tells scoring to stop: set when the request's deadline passes or the
/// request is dropped. Cheap to clone; every clone sees the same flag.
#[derive(Debug, Clone)]
pub struct Cancel {
    deadline: Option<Instant>,
    cancelled: Arc<AtomicBool>,
}

impl Cancel {
    /// Never cancelled unless [`Cancel::cancel`] is called.
    pub fn never() -> Cancel {
        Cancel {
            deadline: None,
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Cancelled at `deadline`, or earlier by [`Cancel::cancel`].
    pub fn at(deadline: Instant) -> Cancel {
        Cancel {
            deadline: Some(deadline),
            ..Cancel::never()
        }
    }

    /// Stops the work now.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// True once cancelled or past the deadline.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed) || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// A 504 once cancelled.
    pub fn check(&self) -> Result<(), ApiError> {
        if self.is_cancelled() {
            return Err(ApiError::new(
                StatusCode::GATEWAY_TIMEOUT,
                Status::DeadlineExceeded,
                "scoring stopped: the request's deadline passed",
            ));
        }
        Ok(())
    }

    /// A guard that cancels when dropped: held by the request, so work for
    /// a request that timed out or was dropped stops.
    pub fn on_drop(&self) -> CancelOnDrop {
        CancelOnDrop(self.clone())
    }
}

/// Cancels its [`Cancel`] when dropped.
#[derive(Debug)]
pub struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// The scoring work one request may still do, and its cancellation.
#[derive(Debug)]
pub struct Budget {
    left: u64,
    max: u64,
    cancel: Cancel,
}

impl Budget {
    /// A budget of `limits.max_work`, stopped by `cancel`.
    pub fn new(limits: &Limits, cancel: Cancel) -> Budget {
        Budget {
            left: limits.max_work,
            max: limits.max_work,
            cancel,
        }
    }

    /// Refuses, before any scoring, a request whose planned `work` is over
    /// the budget; `why` says where the work comes from.
    pub fn plan(&self, work: u64, why: impl FnOnce() -> String) -> Result<(), ApiError> {
        if work > self.left {
            return Err(ApiError::invalid(format!(
                "scoring this request means scoring {work} bytes of text ({}), over the limit of {} (--max-work)",
                why(),
                self.max
            )));
        }
        Ok(())
    }

    /// Takes `work` from the budget before doing it: a 504 once cancelled,
    /// a 400 when the budget is spent.
    pub fn charge(&mut self, work: u64) -> Result<(), ApiError> {
        self.cancel.check()?;
        self.plan(work, || "more than planned".to_owned())?;
        self.left -= work;
        Ok(())
    }

    /// The work done so far.
    pub fn spent(&self) -> u64 {
        self.max - self.left
    }

    /// The request's cancellation.
    pub fn cancel(&self) -> &Cancel {
        &self.cancel
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn charges_stop_at_the_budget_and_at_cancellation() {
        let limits = Limits {
            max_work: 1_000,
            ..Limits::default()
        };
        let mut budget = Budget::new(&limits, Cancel::never());
        assert!(budget.plan(1_000, String::new).is_ok());
        let err = budget.plan(1_001, || "3 sentences".into()).unwrap_err();
        assert!(err.message.contains("3 sentences") && err.message.contains("--max-work"));
        budget.charge(600).unwrap();
        assert_eq!(budget.charge(600).unwrap_err().code, 400);
        assert_eq!(budget.spent(), 600);

        let cancel = Cancel::never();
        let mut budget = Budget::new(&limits, cancel.clone());
        drop(cancel.on_drop());
        assert_eq!(budget.charge(1).unwrap_err().code, 504);

        let past = Cancel::at(Instant::now() - Duration::from_millis(1));
        assert!(past.is_cancelled());
        assert!(!Cancel::at(Instant::now() + Duration::from_secs(60)).is_cancelled());
    }

    #[test]
    fn thread_work_counts_text_and_comments() {
        let thread = crate::context::thread_for(
            "t",
            "four",
            &crate::perspective::CommentContext::Entries(vec!["ab".into()]),
        );
        assert_eq!(thread_work(&thread), 6 + 2 * COMMENT_WORK);
    }
}
