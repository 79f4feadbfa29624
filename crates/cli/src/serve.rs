//! `referee serve`: the Perspective-compatible HTTP server.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use referee_serve::{model_file_loader, ApiKeys, Limits, ModelHandle, ServerConfig};

use crate::args::ServeArgs;

/// Serves until Ctrl-C or SIGTERM.
pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let model = match &args.model {
        // A model file is watched and reloaded when it changes.
        Some(path) => ModelHandle::from_file(path, model_file_loader())?,
        None => ModelHandle::fixed(Arc::new(crate::model::shipped()?)),
    };
    let mut config = ServerConfig::new(model)
        .body_limit(args.max_body)
        .request_timeout(Duration::from_millis(args.timeout_ms))
        .concurrency(args.concurrency)
        .idle_timeout(Duration::from_millis(args.idle_timeout_ms))
        .max_connections(args.max_connections)
        .limits(Limits {
            max_attributes: args.max_attributes,
            max_context_entries: args.max_context_entries,
            max_span_sentences: args.max_span_sentences,
            max_work: args.max_work,
            max_response_bytes: args.max_response_bytes,
        });
    if let Some(path) = &args.api_keys {
        let keys = ApiKeys::from_file(path).context("cannot read the API key file")?;
        if keys.is_empty() {
            tracing::warn!(file = %path.display(), "the API key file has no keys: every API request will be refused");
        }
        config = config.api_keys(keys);
    }
    if let Some(url) = &args.public_url {
        config = config.public_url(url);
    }
    if let Some(dir) = &args.suggestions {
        config = config.suggestions(dir);
    }
    config.check().context("invalid server settings")?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let addr = listener.local_addr().context("listening socket")?;
        eprintln!(
            "referee: serving model {} on http://{addr} (Ctrl-C to stop)",
            config.model().current().version
        );
        referee_serve::serve(config, listener, referee_serve::shutdown_signal())
            .await
            .context("server failed")
    })?;
    Ok(ExitCode::SUCCESS)
}
