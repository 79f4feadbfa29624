//! `referee`: score blog and forum comments for abuse, ad hominem attacks and
//! off-topic remarks from the command line, label them, retrain, evaluate and
//! serve the Perspective API.

mod args;
mod eval;
mod input;
mod label;
mod labels_check;
mod model;
mod score;
mod serve;
mod table;
mod threads;
mod train;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use args::{Cli, Command, LabelsCommand};

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose, cli.quiet);
    match run(cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let _ = writeln!(io::stderr(), "referee: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Score(args) => score::run(&args),
        Command::Threads(args) => threads::run(&args),
        Command::Label(args) => label::run(&args),
        Command::Labels(LabelsCommand::Check(args)) => labels_check::run(&args),
        Command::Train(args) => train::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Completions(args) => {
            let mut cmd = Cli::command();
            clap_complete::generate(args.shell, &mut cmd, "referee", &mut io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man(args) => {
            std::fs::create_dir_all(&args.out)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", args.out.display()))?;
            clap_mangen::generate_to(Cli::command(), &args.out).map_err(|e| {
                anyhow::anyhow!("cannot write man pages to {}: {e}", args.out.display())
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Logs go to stderr; `RUST_LOG` wins over `-v`/`-q`.
fn init_logging(verbose: u8, quiet: bool) {
    use tracing_subscriber::EnvFilter;
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "debug",
        (false, _) => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .with_target(false)
        .init();
}

/// A closed stdout (`referee score big.xml | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
