//! Prometheus metrics, in the text exposition format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// Counters and the latency histogram of one server.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    actions: Mutex<BTreeMap<&'static str, u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
    reloads: Mutex<BTreeMap<&'static str, u64>>,
}

impl Metrics {
    /// Records one answered request.
    pub fn observe_request(&self, route: &'static str, status: u16, latency: Duration) {
        *lock(&self.requests).entry((route, status)).or_default() += 1;
        let seconds = latency.as_secs_f64();
        for (bucket, bound) in self.buckets.iter().zip(BUCKETS) {
            if seconds <= bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_micros
            .fetch_add(latency.as_micros() as u64, Ordering::Relaxed);
    }

    /// Records the suggested action of one scored comment.
    pub fn observe_action(&self, action: &'static str) {
        *lock(&self.actions).entry(action).or_default() += 1;
    }

    /// Records a model reload outcome (`swapped` or `refused`).
    pub fn observe_reload(&self, outcome: &'static str) {
        *lock(&self.reloads).entry(outcome).or_default() += 1;
    }

    /// The metrics in Prometheus text format; `model_version` labels an info gauge.
    pub fn render(&self, model_version: &str) -> String {
        let mut out = String::with_capacity(2048);
        out.push_str(
            "# HELP referee_requests_total Requests answered, by route and HTTP status.\n",
        );
        out.push_str("# TYPE referee_requests_total counter\n");
        for ((route, status), n) in lock(&self.requests).iter() {
            let _ = writeln!(
                out,
                "referee_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str("# HELP referee_request_duration_seconds Time to answer a request.\n");
        out.push_str("# TYPE referee_request_duration_seconds histogram\n");
        for (bucket, bound) in self.buckets.iter().zip(BUCKETS) {
            let _ = writeln!(
                out,
                "referee_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            );
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let sum = self.latency_sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(
            out,
            "referee_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(out, "referee_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "referee_request_duration_seconds_count {count}");
        out.push_str(
            "# HELP referee_comments_scored_total Comments scored, by suggested action.\n",
        );
        out.push_str("# TYPE referee_comments_scored_total counter\n");
        for (action, n) in lock(&self.actions).iter() {
            let _ = writeln!(
                out,
                "referee_comments_scored_total{{action=\"{action}\"}} {n}"
            );
        }
        out.push_str("# HELP referee_model_reloads_total Model file reloads, by outcome.\n");
        out.push_str("# TYPE referee_model_reloads_total counter\n");
        for (outcome, n) in lock(&self.reloads).iter() {
            let _ = writeln!(
                out,
                "referee_model_reloads_total{{outcome=\"{outcome}\"}} {n}"
            );
        }
        out.push_str("# HELP referee_model_info The model serving now.\n");
        out.push_str("# TYPE referee_model_info gauge\n");
        let version = model_version.replace('\\', "\\\\").replace('"', "\\\"");
        let _ = writeln!(out, "referee_model_info{{version=\"{version}\"}} 1");
        out
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_cumulative_buckets() {
        let m = Metrics::default();
        m.observe_request(
            "/v1alpha1/comments:analyze",
            200,
            Duration::from_micros(700),
        );
        m.observe_request("/v1alpha1/comments:analyze", 200, Duration::from_millis(30));
        m.observe_request(
            "/v1alpha1/comments:analyze",
            400,
            Duration::from_micros(100),
        );
        m.observe_action("reject");
        let text = m.render("m-1");
        assert!(text.contains(
            "referee_requests_total{route=\"/v1alpha1/comments:analyze\",status=\"200\"} 2\n"
        ));
        assert!(text.contains("status=\"400\"} 1\n"));
        assert!(text.contains("referee_request_duration_seconds_bucket{le=\"0.001\"} 2\n"));
        assert!(text.contains("referee_request_duration_seconds_bucket{le=\"0.05\"} 3\n"));
        assert!(text.contains("referee_request_duration_seconds_count 3\n"));
        assert!(text.contains("referee_comments_scored_total{action=\"reject\"} 1\n"));
        assert!(text.contains("referee_model_info{version=\"m-1\"} 1\n"));
    }
}
