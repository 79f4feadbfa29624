//! Writing label files so that a crash or Ctrl-C loses at most the record
//! being written and never leaves a half-written line behind.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::read::{parse_line, validate};
use crate::{Error, LabelRecord, Result};

/// Appends label records to one label file, durably, one at a time.
///
/// Every [`append`](LabelWriter::append) writes one whole line with a single
/// write to a file opened in append mode, then syncs it to disk before
/// returning, so several writers (the `label` command and the server, say)
/// can share a file and a record that was acknowledged survives a crash.
#[derive(Debug)]
pub struct LabelWriter {
    path: PathBuf,
    file: File,
}

impl LabelWriter {
    /// Opens `path` for appending, creating it (and its directory) when
    /// missing.
    ///
    /// A file that does not end with a newline was cut short by an earlier
    /// crash. When its last line is a whole record, the newline is added.
    /// Otherwise the fragment is moved to `<path>.torn` (so no byte is lost)
    /// and cut from the label file, which stays readable.
    pub fn open(path: &Path) -> Result<LabelWriter> {
        let dir = parent_dir(path);
        if !dir.as_os_str().is_empty() && !dir.exists() {
            fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        let existed = path.exists();
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| Error::io(path, e))?;
        if existed {
            repair_tail(path, &mut file)?;
        } else {
            file.sync_all().map_err(|e| Error::io(path, e))?;
            sync_dir(&dir)?;
        }
        Ok(LabelWriter {
            path: path.to_path_buf(),
            file,
        })
    }

    /// The file written to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one record as one line and syncs it to disk.
    pub fn append(&mut self, record: &LabelRecord) -> Result<()> {
        let line = encode(record)?;
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.flush())
            .and_then(|()| self.file.sync_data())
            .map_err(|e| Error::io(&self.path, e))
    }
}

/// Replaces `path` with `records`, one per line, atomically: the records go
/// to a temporary file in the same directory, which is synced and renamed
/// over `path`. Readers see the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, records: &[LabelRecord]) -> Result<()> {
    let mut bytes = Vec::new();
    for record in records {
        bytes.extend_from_slice(encode(record)?.as_bytes());
    }
    write_bytes_atomic(path, &bytes)
}

/// Replaces `path` with `bytes` atomically (temporary file in the same
/// directory, sync, rename, sync of the directory). Creates the directory
/// when missing.
pub fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = parent_dir(path);
    let dir_for_temp = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir.as_path()
    };
    fs::create_dir_all(dir_for_temp).map_err(|e| Error::io(dir_for_temp, e))?;
    let mut temp =
        tempfile::NamedTempFile::new_in(dir_for_temp).map_err(|e| Error::io(dir_for_temp, e))?;
    temp.write_all(bytes)
        .and_then(|()| temp.flush())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| Error::io(temp.path(), e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    sync_dir(dir_for_temp)
}

/// One record as one JSON line, refusing what a reader would reject.
fn encode(record: &LabelRecord) -> Result<String> {
    validate(record).map_err(|reason| Error::Invalid {
        thread: record.thread.clone(),
        comment: record.comment.clone(),
        reason,
    })?;
    let mut line = serde_json::to_string(record).map_err(|source| Error::Encode {
        thread: record.thread.clone(),
        comment: record.comment.clone(),
        source,
    })?;
    line.push('\n');
    Ok(line)
}

/// Makes a file that does not end with a newline end with one, moving a
/// torn last line aside (see [`LabelWriter::open`]).
fn repair_tail(path: &Path, file: &mut File) -> Result<()> {
    let io = |e| Error::io(path, e);
    let len = file.metadata().map_err(io)?.len();
    if len == 0 {
        return Ok(());
    }
    file.seek(SeekFrom::End(-1)).map_err(io)?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last).map_err(io)?;
    if last[0] == b'\n' {
        return Ok(());
    }
    // Find the start of the unterminated last line.
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    file.read_to_end(&mut bytes).map_err(io)?;
    let start = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let tail = &bytes[start..];
    let whole = tail.iter().all(u8::is_ascii_whitespace) || parse_line(path, 0, tail).is_ok();
    if !whole {
        let torn = torn_path(path);
        let mut aside = OpenOptions::new()
            .append(true)
            .create(true)
            .open(&torn)
            .map_err(|e| Error::io(&torn, e))?;
        aside
            .write_all(tail)
            .and_then(|()| aside.write_all(b"\n"))
            .and_then(|()| aside.sync_all())
            .map_err(|e| Error::io(&torn, e))?;
        file.set_len(start as u64).map_err(io)?;
    } else {
        file.write_all(b"\n").map_err(io)?;
    }
    file.sync_all().map_err(io)
}

/// Where the torn tail of `path` is kept: `<path>.torn`.
pub fn torn_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".torn");
    PathBuf::from(name)
}

fn parent_dir(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Syncs a directory so a new or renamed entry in it survives a crash.
fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io(dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_file, Labels};

    fn record(comment: &str) -> LabelRecord {
        LabelRecord::new("t1", comment, Labels::NONE, "ann")
    }

    #[test]
    fn appends_whole_lines_that_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/ann.jsonl");
        let mut writer = LabelWriter::open(&path).unwrap();
        writer.append(&record("c1")).unwrap();
        writer
            .append(&record("c2").with_note("multi\nline note"))
            .unwrap();
        drop(writer);
        let mut writer = LabelWriter::open(&path).unwrap();
        writer.append(&record("c3")).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 3);
        let comments: Vec<String> = read_file(&path)
            .unwrap()
            .into_iter()
            .map(|r| r.comment)
            .collect();
        assert_eq!(comments, ["c1", "c2", "c3"]);
    }

    #[test]
    fn refuses_a_record_a_reader_would_reject() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ann.jsonl");
        let mut writer = LabelWriter::open(&path).unwrap();
        let mut bad = record("c1");
        bad.at = "soon".into();
        let err = writer.append(&bad).unwrap_err().to_string();
        assert!(err.contains("t1/c1") && err.contains("\"soon\""), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "");
    }

    #[test]
    fn adds_the_missing_newline_after_a_whole_record() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ann.jsonl");
        let line = serde_json::to_string(&record("c1")).unwrap();
        fs::write(&path, &line).unwrap();
        LabelWriter::open(&path)
            .unwrap()
            .append(&record("c2"))
            .unwrap();
        assert_eq!(read_file(&path).unwrap().len(), 2);
        assert!(!torn_path(&path).exists());
    }

    #[test]
    fn moves_a_torn_tail_aside_and_keeps_the_file_valid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ann.jsonl");
        let line = serde_json::to_string(&record("c1")).unwrap();
        let torn = &line[..25];
        fs::write(&path, format!("{line}\n{torn}")).unwrap();
        LabelWriter::open(&path)
            .unwrap()
            .append(&record("c2"))
            .unwrap();
        let comments: Vec<String> = read_file(&path)
            .unwrap()
            .into_iter()
            .map(|r| r.comment)
            .collect();
        assert_eq!(comments, ["c1", "c2"]);
        assert_eq!(
            fs::read_to_string(torn_path(&path)).unwrap(),
            format!("{torn}\n")
        );
    }

    #[test]
    fn write_atomic_replaces_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ann.jsonl");
        fs::write(&path, "old contents\n").unwrap();
        write_atomic(&path, &[record("c1"), record("c2")]).unwrap();
        assert_eq!(read_file(&path).unwrap().len(), 2);
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file left behind");
    }
}
