//! Where threads come from, and the one entry point that reads them.

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use crate::format::{detect, InputFormat, DETECT_LEN};
use crate::jsonl::JsonlReader;
use crate::wxr::WxrReader;
use crate::{disqus, reddit, text, wordpress_html, Error, Result, Thread};

/// Where the input is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file.
    Path(PathBuf),
    /// Standard input.
    Stdin,
}

impl Source {
    /// `-` means standard input, anything else a path.
    pub fn from_arg(arg: &str) -> Source {
        if arg == "-" {
            Source::Stdin
        } else {
            Source::Path(PathBuf::from(arg))
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Path(path) => write!(f, "{}", path.display()),
            Source::Stdin => f.write_str("<stdin>"),
        }
    }
}

/// The threads of one input, read as the iteration goes where the format
/// allows it (JSON Lines and WXR), all at once otherwise.
///
/// For JSON Lines a line that cannot be read yields one `Err` and the
/// iteration goes on; for the other formats an error is the last item.
pub struct Threads {
    inner: Box<dyn Iterator<Item = Result<Thread>> + Send>,
    format: InputFormat,
}

impl Threads {
    /// The format the input is read as (given, or detected).
    pub fn format(&self) -> InputFormat {
        self.format
    }
}

impl Iterator for Threads {
    type Item = Result<Thread>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next()
    }
}

impl fmt::Debug for Threads {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Threads")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// Opens `source` and reads its threads, in `format` or the one [`detect`]ed
/// from the first bytes.
///
/// Fails at once when the input cannot be opened, is empty, or (for the
/// formats read whole) cannot be read; later errors come from the iterator.
pub fn open(source: &Source, format: Option<InputFormat>) -> Result<Threads> {
    let input = source.to_string();
    match source {
        Source::Path(path) => {
            let file = File::open(path).map_err(|err| Error::Io {
                input: input.clone(),
                source: err,
            })?;
            read(input, stem(path), file, format)
        }
        Source::Stdin => read(input, None, io::stdin(), format),
    }
}

/// Reads all threads of `content`. `name` names the input in errors and
/// gives the thread id of single-thread formats (its file stem; `-` means
/// standard input, whose thread id is derived from a hash of the content).
/// The first error is returned, including a bad JSON Lines line.
pub fn read_str(name: &str, content: &str, format: Option<InputFormat>) -> Result<Vec<Thread>> {
    read_bytes(name, content.as_bytes(), format)
}

/// Reads all threads of `content` given as bytes (as received by a server),
/// like [`read_str`]; invalid UTF-8 is reported with its byte offset.
pub fn read_bytes(name: &str, content: &[u8], format: Option<InputFormat>) -> Result<Vec<Thread>> {
    let (input, stem) = if name == "-" {
        (Source::Stdin.to_string(), None)
    } else {
        (name.to_owned(), stem(Path::new(name)))
    };
    read(input, stem, Cursor::new(content.to_vec()), format)?.collect()
}

fn stem(path: &Path) -> Option<String> {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
}

/// A reader of a format read whole: (input name, thread id, content) to
/// threads and errors, in the order they are to be reported.
type ReadWhole = fn(&str, &str, &str) -> Vec<Result<Thread>>;

fn read<R: Read + Send + 'static>(
    input: String,
    stem: Option<String>,
    mut reader: R,
    format: Option<InputFormat>,
) -> Result<Threads> {
    let io_error = |input: &str, err| Error::Io {
        input: input.to_owned(),
        source: err,
    };
    let mut head = Vec::with_capacity(DETECT_LEN);
    (&mut reader)
        .take(DETECT_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|err| io_error(&input, err))?;
    if head.len() < DETECT_LEN && head.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty { input });
    }
    if let Some(offset) = head.iter().position(|&b| b == 0) {
        return Err(Error::Binary {
            input,
            offset: offset as u64,
        });
    }
    let threads = match format {
        Some(format) => read_as(input, stem, head, reader, format)?,
        None => {
            let format = detect(&head);
            let threads = read_as(input, stem, head, reader, format)
                .map_err(|err| err.detected_as(format))?;
            Threads {
                inner: Box::new(FirstErrorHint {
                    inner: threads.inner,
                    format,
                    first: true,
                }),
                format,
            }
        }
    };
    Ok(threads)
}

/// Adds to the first item of a detected format, when it is an error that
/// ends the input or one about the first line, that the format was detected
/// and how to name another.
struct FirstErrorHint {
    inner: Box<dyn Iterator<Item = Result<Thread>> + Send>,
    format: InputFormat,
    first: bool,
}

impl Iterator for FirstErrorHint {
    type Item = Result<Thread>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.inner.next()?;
        let first = std::mem::replace(&mut self.first, false);
        Some(match item {
            Err(err) if first && (!err.is_recoverable() || err.line_number() == Some(1)) => {
                Err(err.detected_as(self.format))
            }
            item => item,
        })
    }
}

fn read_as<R: Read + Send + 'static>(
    input: String,
    stem: Option<String>,
    head: Vec<u8>,
    reader: R,
    format: InputFormat,
) -> Result<Threads> {
    let io_error = |input: &str, err| Error::Io {
        input: input.to_owned(),
        source: err,
    };
    let mut reader = BufReader::with_capacity(1 << 16, Cursor::new(head).chain(reader));
    let read_whole: ReadWhole = match format {
        InputFormat::Jsonl => {
            let inner = Box::new(JsonlReader::new(input, reader));
            return Ok(Threads { inner, format });
        }
        InputFormat::Wxr => {
            let inner = Box::new(WxrReader::new(input, reader));
            return Ok(Threads { inner, format });
        }
        InputFormat::Text => |_, id, content| vec![text::read(id, content)],
        InputFormat::WordpressHtml => |_, id, content| vec![Ok(wordpress_html::read(id, content))],
        InputFormat::Disqus => |input, _, content| match disqus::read(input, content) {
            Ok(threads) => threads.into_iter().map(Ok).collect(),
            Err(err) => vec![Err(err)],
        },
        InputFormat::Reddit => |input, _, content| reddit::read(input, content),
    };
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|err| io_error(&input, err))?;
    let content = String::from_utf8(bytes).map_err(|err| Error::Utf8 {
        input: input.clone(),
        offset: err.utf8_error().valid_up_to() as u64,
    })?;
    let content = content.strip_prefix('\u{feff}').unwrap_or(&content);
    if content.trim().is_empty() {
        return Err(Error::Empty { input });
    }
    let id = stem.unwrap_or_else(|| content_id(content));
    let inner = Box::new(read_whole(&input, &id, content).into_iter());
    Ok(Threads { inner, format })
}

/// `stdin-` and 8 hex digits of a stable hash of the content.
fn content_id(content: &str) -> String {
    format!("stdin-{:08x}", crc32fast::hash(content.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_blank_inputs_are_errors() {
        for content in ["", " \n\t\n"] {
            let err = read_str("-", content, None).unwrap_err();
            assert_eq!(err.to_string(), "empty input (<stdin>)");
        }
    }

    #[test]
    fn stdin_ids_are_a_stable_hash_of_the_content() {
        let a = read_str("-", "Title\n\nBody\n", Some(InputFormat::Text)).unwrap();
        let b = read_str("-", "Title\n\nBody\n", Some(InputFormat::Text)).unwrap();
        assert_eq!(a[0].id, b[0].id);
        assert!(
            a[0].id.starts_with("stdin-") && a[0].id.len() == 14,
            "{}",
            a[0].id
        );
        let named = read_str("dir/002_abc.txt", "Title\n\nBody\n", None).unwrap();
        assert_eq!(named[0].id, "002_abc");
    }

    #[test]
    fn invalid_utf8_names_the_byte() {
        let source = Source::Path(PathBuf::from("/nonexistent/x.txt"));
        let err = open(&source, None).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot read /nonexistent/x.txt"),
            "{err}"
        );
        let err = read(
            "bad.txt".into(),
            None,
            Cursor::new(b"Title\n\xc3(".to_vec()),
            None,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "invalid utf-8 (bad.txt, byte 6)");
    }

    #[test]
    fn source_from_arg_and_display() {
        assert_eq!(Source::from_arg("-"), Source::Stdin);
        assert_eq!(Source::from_arg("-").to_string(), "<stdin>");
        assert_eq!(Source::from_arg("a/b.xml").to_string(), "a/b.xml");
    }
}
