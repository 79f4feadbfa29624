//! `referee threads`: any input format to JSON Lines threads.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use crate::args::ThreadsArgs;
use crate::input;

pub fn run(args: &ThreadsArgs) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = false;
    for thread in input::open(&args.input)? {
        match thread {
            Ok(thread) => {
                referee_thread::write_jsonl(&mut out, &thread)?;
                out.flush()?;
            }
            Err(err) if !args.strict => {
                failed = true;
                eprintln!("referee: {err}");
            }
            Err(err) => return Err(err.into()),
        }
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
