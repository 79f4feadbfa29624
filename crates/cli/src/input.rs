//! Turning `[FILE|-]` and `--input-format` into a stream of threads.

use std::path::Path;

use referee_thread::{InputFormat, Source, Thread, Threads};

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

/// A page read as plain text that has text but no comment found in it: the
/// message that says so, naming `--input-format` and the formats. Any other
/// format, or a thread with comments or no text at all, gives `None`.
pub fn no_comments_found(format: InputFormat, thread: &Thread) -> Option<String> {
    let has_text = thread.text.is_some() || thread.title.is_some();
    (format == InputFormat::Text && thread.comments.is_empty() && has_text).then(|| {
        format!(
            "no comment found in {} (read as text): if it holds comments, name its format with --input-format ({})",
            thread.id,
            InputFormat::names()
        )
    })
}
