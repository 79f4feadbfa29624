//! Runs the `referee` binary on files or stdin and captures what it prints.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository root (where models/, seeds/ and labels/ are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A seed thread or fixture, by path relative to the repository root.
pub fn file(relative: &str) -> PathBuf {
    root().join(relative)
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The stdout lines parsed as JSON.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

/// A `referee` command with a clean environment, run from the repository root.
pub fn referee() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_referee"));
    cmd.current_dir(root())
        .env_remove("REFEREE_MODEL")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "160");
    cmd
}

/// Runs `referee ARGS` with `stdin` as its input.
pub fn run(args: &[&str], stdin: &[u8]) -> Run {
    run_cmd(referee().args(args), stdin)
}

/// Runs a prepared command with `stdin` as its input.
pub fn run_cmd(cmd: &mut Command, stdin: &[u8]) -> Run {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the referee binary starts");
    let mut input = child.stdin.take().expect("stdin is piped");
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().expect("the referee binary runs");
    writer.join().expect("stdin writer finishes");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// A path as a string argument.
pub fn arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
