//! Reading label files: strict about every complete line, forgiving only of
//! the unterminated fragment a crash can leave at the very end.

use std::fs;
use std::path::{Path, PathBuf};

use crate::time::Timestamp;
use crate::{Error, LabelRecord, Result};

/// A label record and where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The label file.
    pub path: PathBuf,
    /// 1-based line number within the file.
    pub line: usize,
    /// The record on that line.
    pub record: LabelRecord,
}

/// Reads every record of one label file, in file order.
///
/// Blank lines are skipped. Any other line that is not a label record is an
/// error naming `file:line`, except an unterminated last line that does not
/// parse: that is a write cut short by a crash and is left out.
pub fn read_file(path: &Path) -> Result<Vec<LabelRecord>> {
    Ok(read_entries(path)?
        .into_iter()
        .map(|entry| entry.record)
        .collect())
}

/// Reads one label file keeping the line number of every record.
pub fn read_entries(path: &Path) -> Result<Vec<Entry>> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_entries(path, &bytes)
}

/// Reads every `*.jsonl` file directly in `dir`, sorted by file name;
/// subdirectories (such as `labels/threads/`) are not entered.
pub fn read_dir(dir: &Path) -> Result<Vec<(PathBuf, LabelRecord)>> {
    Ok(read_dir_entries(dir)?
        .into_iter()
        .map(|entry| (entry.path, entry.record))
        .collect())
}

/// Like [`read_dir`], keeping the line number of every record.
pub fn read_dir_entries(dir: &Path) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for path in label_files(dir)? {
        entries.extend(read_entries(&path)?);
    }
    Ok(entries)
}

/// The `*.jsonl` files directly in `dir`, sorted by name.
pub fn label_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for item in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let item = item.map_err(|e| Error::io(dir, e))?;
        let path = item.path();
        let is_file =
            item.file_type().map_err(|e| Error::io(&path, e))?.is_file() || path.is_file();
        if is_file && path.extension().is_some_and(|ext| ext == "jsonl") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Parses the bytes of a label file named `path` (used in errors).
pub fn parse_entries(path: &Path, bytes: &[u8]) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    let mut lines = bytes.split(|&b| b == b'\n').enumerate().peekable();
    while let Some((index, raw)) = lines.next() {
        let is_last = lines.peek().is_none();
        let line = index + 1;
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match parse_line(path, line, raw) {
            Ok(record) => entries.push(Entry {
                path: path.to_path_buf(),
                line,
                record,
            }),
            // No newline after it: a record cut short by a crash.
            Err(_) if is_last => break,
            Err(err) => return Err(err),
        }
    }
    Ok(entries)
}

/// Parses and validates one line.
pub(crate) fn parse_line(path: &Path, line: usize, raw: &[u8]) -> Result<LabelRecord> {
    let fail = |message: String| Error::Parse {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = std::str::from_utf8(raw)
        .map_err(|e| fail(format!("not UTF-8 at byte {} of the line", e.valid_up_to())))?;
    let record: LabelRecord = serde_json::from_str(text).map_err(|e| {
        fail(format!(
            "expected a label record {{\"thread\",\"comment\",\"abuse\",\"ad_hominem\",\"off_topic\",\"by\",\"at\"}}: {e}"
        ))
    })?;
    validate(&record).map_err(fail)?;
    Ok(record)
}

/// Checks what a reader requires beyond the JSON shape: non-empty ids and
/// labeller, and an RFC 3339 `at`.
pub(crate) fn validate(record: &LabelRecord) -> std::result::Result<(), String> {
    for (field, value) in [
        ("thread", &record.thread),
        ("comment", &record.comment),
        ("by", &record.by),
    ] {
        if value.trim().is_empty() {
            return Err(format!("{field:?} is empty"));
        }
    }
    Timestamp::parse(&record.at).map_err(|e| format!("\"at\": {e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"thread":"t1","comment":"c1","abuse":false,"ad_hominem":true,"off_topic":false,"note":"n","by":"ann","at":"2026-01-31T12:00:00Z"}"#;

    fn parse(text: &str) -> Result<Vec<Entry>> {
        parse_entries(Path::new("labels/ann.jsonl"), text.as_bytes())
    }

    #[test]
    fn keeps_line_numbers_and_skips_blank_lines() {
        let entries = parse(&format!("{GOOD}\n\n  \n{GOOD}\n")).unwrap();
        let lines: Vec<usize> = entries.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 4]);
        assert!(entries[0].record.ad_hominem);
    }

    #[test]
    fn an_unterminated_last_record_is_kept_when_whole() {
        assert_eq!(parse(GOOD).unwrap().len(), 1);
    }

    #[test]
    fn a_torn_last_line_is_left_out() {
        let torn = &GOOD[..40];
        let entries = parse(&format!("{GOOD}\n{torn}")).unwrap();
        assert_eq!(entries.len(), 1);
    }

    #[test]
    fn a_torn_line_followed_by_more_is_an_error_naming_the_line() {
        let torn = &GOOD[..40];
        let err = parse(&format!("{GOOD}\n{torn}\n{GOOD}\n"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("labels/ann.jsonl:2: expected a label record"),
            "{err}"
        );
    }

    #[test]
    fn missing_fields_and_bad_values_name_the_line_and_field() {
        let cases = [
            (r#"{"thread":"t1","comment":"c1"}"#, "missing field `abuse`"),
            (&GOOD.replace("true", "\"yes\""), "invalid type"),
            (
                &GOOD.replace("2026-01-31T12:00:00Z", "last week"),
                "\"at\": invalid timestamp \"last week\"",
            ),
            (
                &GOOD.replace(r#""by":"ann""#, r#""by":" ""#),
                "\"by\" is empty",
            ),
            (
                &GOOD.replace(r#""thread":"t1""#, r#""thread":"""#),
                "\"thread\" is empty",
            ),
        ];
        for (line, want) in cases {
            let err = parse(&format!("{line}\n")).unwrap_err().to_string();
            assert!(err.starts_with("labels/ann.jsonl:1: "), "{err}");
            assert!(err.contains(want), "{err} lacks {want}");
        }
    }

    #[test]
    fn invalid_utf8_is_an_error_not_a_panic() {
        let err = parse_entries(Path::new("x.jsonl"), b"{\"thread\":\"\xff\"}\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("x.jsonl:1: not UTF-8"), "{err}");
    }
}
