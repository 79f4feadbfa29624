//! Handler of this subcommand; being written.

use std::process::ExitCode;

pub fn run(_args: &crate::args::TrainArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("this subcommand is not available in this build")
}
