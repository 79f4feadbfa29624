//! `referee threads`: any input format to JSON Lines threads.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use crate::args::ThreadsArgs;
use crate::input;

pub fn run(args: &ThreadsArgs) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = false;
    let threads = input::open(&args.input)?;
    let format = threads.format();
    for thread in threads {
        match thread {
            Ok(thread) => {
                if let Some(message) = input::no_comments_found(format, &thread) {
                    if args.strict {
                        anyhow::bail!(message);
                    }
                    eprintln!("referee: warning: {message}");
                }
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
