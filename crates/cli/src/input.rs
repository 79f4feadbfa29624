//! Turning `[FILE|-]` and `--input-format` into a stream of threads.

use std::path::Path;

use referee_thread::{Source, Threads};

use crate::args::InputArgs;

/// The source named on the command line; no file or `-` is stdin.
pub fn source(args: &InputArgs) -> Source {
    match args.file.as_deref() {
        None => Source::Stdin,
        Some(path) if path == Path::new("-") => Source::Stdin,
        Some(path) => Source::Path(path.to_path_buf()),
    }
}

/// Opens the input for reading threads.
pub fn open(args: &InputArgs) -> anyhow::Result<Threads> {
    Ok(referee_thread::open(&source(args), args.input_format)?)
}
