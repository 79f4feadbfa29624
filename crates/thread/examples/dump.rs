//! Reads a file (or `-` for standard input) and prints its threads as JSON
//! Lines: `cargo run -p referee-thread --example dump -- FILE [FORMAT]`.

use std::io::Write;

use referee_thread::{open, write_jsonl, InputFormat, Source};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let source = Source::from_arg(&args.next().unwrap_or_else(|| "-".into()));
    let format = args
        .next()
        .map(|name| name.parse::<InputFormat>())
        .transpose()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for thread in open(&source, format)? {
        match thread {
            Ok(thread) => write_jsonl(&mut out, &thread)?,
            Err(err) => eprintln!("error: {err}"),
        }
    }
    out.flush()?;
    Ok(())
}
