//! Client libraries that Perspective's users already run, driven unmodified
//! against `referee serve` on loopback: the npm `perspective-api-client`
//! and Google's API client library for Python (discovery-based), each
//! with only its address (and key) changed.
//!
//! `tests/client/install.sh` installs them. When one is missing the test is
//! reported as ignored, with the reason printed, and under CI (`CI` set) it
//! runs and fails instead.

mod support;

use std::path::{Path, PathBuf};
use std::process::{ExitCode, Output};

use libtest_mimic::{Arguments, Failed, Trial};
use referee_serve::{ApiKeys, ModelHandle, ServerConfig};
use serde_json::Value;
use support::*;

const KEY: &str = "test-key";

fn harness_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/client")
}

/// A client-library test, ignored (with the reason printed) when its
/// library is not installed, unless under CI.
fn client_test(name: &str, installed: &Path, run: fn() -> Result<(), Failed>) -> Trial {
    let missing = !installed.exists();
    let under_ci = std::env::var_os("CI").is_some();
    if missing {
        let how = format!("run {}/install.sh", harness_dir().display());
        if under_ci {
            println!(
                "{name}: {} is missing under CI; the test fails ({how})",
                installed.display()
            );
        } else {
            println!(
                "SKIPPED {name}: {} is not installed; {how}",
                installed.display()
            );
        }
    }
    Trial::test(name, run).with_ignored_flag(missing && !under_ci)
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let dir = harness_dir();
    let tests = vec![
        client_test(
            "perspective_api_client_npm_package_works_unmodified",
            &dir.join("node_modules/perspective-api-client"),
            perspective_api_client,
        ),
        client_test(
            "google_api_python_client_works_by_changing_one_url",
            &dir.join(".venv/bin/python"),
            google_api_python_client,
        ),
    ];
    libtest_mimic::run(&args, tests).exit_code()
}

/// Runs `program script` against a server accepting [`KEY`]; its stdout,
/// parsed as JSON.
fn drive(program: &Path, script: &str) -> Result<Value, Failed> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let config = ServerConfig::new(ModelHandle::fixed(keyword_scorer()))
            .api_keys(ApiKeys::parse(KEY).unwrap());
        let server = Running::start(config).await;
        let output: std::io::Result<Output> = tokio::process::Command::new(program)
            .arg(harness_dir().join(script))
            .env("REFEREE_URL", format!("http://{}", server.addr))
            .env("REFEREE_KEY", KEY)
            // Loopback only, whatever proxy the environment names.
            .env_remove("http_proxy")
            .env_remove("HTTP_PROXY")
            .env_remove("https_proxy")
            .env_remove("HTTPS_PROXY")
            .env_remove("all_proxy")
            .env_remove("ALL_PROXY")
            .output()
            .await;
        server.stop().await?;
        let output = output.map_err(|e| format!("cannot run {}: {e}", program.display()))?;
        if !output.status.success() {
            return Err(format!(
                "{script} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        serde_json::from_slice(&output.stdout).map_err(|e| {
            format!(
                "{script} printed no JSON ({e}): {}",
                String::from_utf8_lossy(&output.stdout)
            )
            .into()
        })
    })
}

fn check(ok: bool, what: &str, out: &Value) -> Result<(), Failed> {
    if ok {
        Ok(())
    } else {
        Err(format!("{what}: {out}").into())
    }
}

fn perspective_api_client() -> Result<(), Failed> {
    let out = drive(Path::new("node"), "analyze.js")?;
    for key in ["plain", "attributes", "resource"] {
        assert_schema("AnalyzeCommentResponse", &out[key]);
    }
    let score = |v: &Value| v["summaryScore"]["value"].as_f64().unwrap_or(-1.0);
    check(
        score(&out["plain"]["attributeScores"]["TOXICITY"]) > 0.9,
        "an insult scores high",
        &out,
    )?;
    let attrs = &out["attributes"]["attributeScores"];
    check(
        attrs.as_object().map(|a| a.len()) == Some(3) && score(&attrs["TOXICITY"]) < 0.5,
        "three attributes, a friendly comment scores low",
        &out,
    )?;
    let resource = &out["resource"];
    check(
        resource["clientToken"] == "token-1",
        "client token echoed",
        &out,
    )?;
    // Below its 0.99 threshold, TOXICITY is left out; OFF_TOPIC answers.
    check(
        resource["attributeScores"].get("TOXICITY").is_none()
            && score(&resource["attributeScores"]["OFF_TOPIC"]) > 0.5,
        "thresholds and context honoured",
        &out,
    )?;
    // The library surfaces Google-shaped errors through its own error types.
    check(
        out["unknown"]["status"] == 400
            && out["unknown"]["error"]
                .as_str()
                .is_some_and(|e| e.contains("FLIRTATION")),
        "an unknown attribute is a 400 naming it",
        &out,
    )?;
    check(out["denied"]["status"] == 403, "a wrong key is a 403", &out)
}

fn google_api_python_client() -> Result<(), Failed> {
    let python = harness_dir().join(".venv/bin/python");
    let out = drive(&python, "discovery.py")?;
    assert_schema("AnalyzeCommentResponse", &out["analyze"]);
    let toxicity = out["analyze"]["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
        .as_f64()
        .unwrap_or(-1.0);
    check(toxicity > 0.9, "analyze scores the sample's comment", &out)?;
    assert_schema("SuggestCommentScoreResponse", &out["suggest"]);
    check(
        out["suggest"]["clientToken"] == "moderator-1",
        "suggestscore is acknowledged",
        &out,
    )?;
    check(
        out["unknown_attribute"]["status"] == 400
            && out["unknown_attribute"]["reason"]
                .as_str()
                .is_some_and(|r| r.contains("FLIRTATION")),
        "an unknown attribute raises HttpError 400 naming it",
        &out,
    )?;
    check(
        out["wrong_key"]["status"] == 403
            && out["wrong_key"]["reason"]
                .as_str()
                .is_some_and(|r| r.contains("API key")),
        "a wrong key raises HttpError 403",
        &out,
    )
}
