//! The binary model file: `MAGIC`, a little-endian `u16` format version, a
//! `u32` header length, the JSON header, the lexical weights, the rehearsal
//! blocks, and a CRC32 of everything before it.
//!
//! Lexical weights, version 2: `u32` buckets, `u8` labels, one `f32` scale
//! per label, then per bucket one `i16` per label (weight = value × its
//! label's scale): the layout [`LexicalTable`] scores from, read in one
//! pass. Version 1 stored one block per label instead (`u32` length, `f32`
//! scale, `i16` weights); it is still read. Rehearsal block per label:
//! `u32` rows, `u16` columns, then per row a `u8` target and `f32` values.

use crate::error::{Result, TrainError};
use crate::table::LexicalTable;

/// First bytes of every model file.
pub const MAGIC: &[u8; 8] = b"REFMODEL";
/// The format version this build writes and the newest it reads.
pub const FORMAT_VERSION: u16 = 2;
/// The first version with interleaved lexical weights.
pub const INTERLEAVED_VERSION: u16 = 2;

/// The scale that quantises `weights` to `i16`: the largest magnitude
/// maps to `i16::MAX`.
fn quantisation_scale(weights: impl Iterator<Item = f32>) -> f32 {
    let max = weights.fold(0.0f32, |m, w| m.max(w.abs()));
    if max > 0.0 {
        max / i16::MAX as f32
    } else {
        1.0
    }
}

/// `weight` quantised with `scale`.
fn quantise(weight: f32, scale: f32) -> i16 {
    (weight / scale)
        .round()
        .clamp(i16::MIN as f32, i16::MAX as f32) as i16
}

/// Appends little-endian values to a buffer.
#[derive(Default)]
pub struct Writer {
    /// The bytes written so far.
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }
    pub fn u16(&mut self, v: u16) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    pub fn raw(&mut self, v: &[u8]) {
        self.bytes.extend_from_slice(v);
    }

    /// Writes weights quantised to `i16` with one scale (version 1).
    #[cfg(test)]
    pub fn quantised(&mut self, weights: &[f32]) {
        let scale = quantisation_scale(weights.iter().copied());
        self.u32(weights.len() as u32);
        self.f32(scale);
        for &w in weights {
            self.bytes
                .extend_from_slice(&quantise(w, scale).to_le_bytes());
        }
    }

    /// Writes the lexical weights interleaved, each label quantised to
    /// `i16` with its own scale.
    pub fn interleaved(&mut self, table: &LexicalTable) {
        let labels = table.intercepts().len();
        let weights = table.interleaved();
        let scales: Vec<f32> = (0..labels)
            .map(|l| quantisation_scale(weights[l..].iter().step_by(labels).copied()))
            .collect();
        self.u32(table.buckets() as u32);
        self.u8(labels as u8);
        for &scale in &scales {
            self.f32(scale);
        }
        self.bytes.reserve(weights.len() * 2);
        for row in weights.chunks_exact(labels) {
            for (&w, &scale) in row.iter().zip(&scales) {
                self.bytes
                    .extend_from_slice(&quantise(w, scale).to_le_bytes());
            }
        }
    }

    /// Appends the CRC32 of everything written and returns the bytes.
    pub fn finish(mut self) -> Vec<u8> {
        let crc = crc32fast::hash(&self.bytes);
        self.u32(crc);
        self.bytes
    }
}

/// Reads little-endian values, refusing to run past the end.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    source: &'a str,
}

impl<'a> Reader<'a> {
    /// Checks magic, CRC and version, and returns a reader positioned after
    /// the version, with the version.
    pub fn open(bytes: &'a [u8], source: &'a str) -> Result<(Reader<'a>, u16)> {
        let fail = |message: String| TrainError::ModelFormat {
            source_name: source.to_string(),
            message,
        };
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(fail("not a referee model file (bad magic bytes)".into()));
        }
        if bytes.len() < MAGIC.len() + 2 + 4 + 4 {
            return Err(fail(format!("truncated: only {} bytes", bytes.len())));
        }
        let version = u16::from_le_bytes([bytes[8], bytes[9]]);
        if version > FORMAT_VERSION {
            return Err(fail(format!(
                "format version {version} is newer than this build reads (up to {FORMAT_VERSION}); upgrade referee"
            )));
        }
        if version == 0 {
            return Err(fail("format version 0 is not a valid version".into()));
        }
        let (body, tail) = bytes.split_at(bytes.len() - 4);
        let stored = u32::from_le_bytes(tail.try_into().expect("four bytes"));
        let actual = crc32fast::hash(body);
        if stored != actual {
            return Err(fail(format!(
                "checksum mismatch (stored {stored:08x}, computed {actual:08x}): the file is corrupt or truncated"
            )));
        }
        Ok((
            Reader {
                bytes: body,
                at: MAGIC.len() + 2,
                source,
            },
            version,
        ))
    }

    /// An error about this file at the current offset.
    pub fn error(&self, message: impl std::fmt::Display) -> TrainError {
        TrainError::ModelFormat {
            source_name: self.source.to_string(),
            message: format!("{message} (at byte {})", self.at),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.bytes.len() - self.at < n {
            return Err(self.error(format!("truncated: needed {n} more bytes")));
        }
        let out = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(out)
    }

    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    pub fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("two bytes"),
        ))
    }
    pub fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("four bytes"),
        ))
    }
    pub fn f32(&mut self) -> Result<f32> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("four bytes"),
        ))
    }
    pub fn raw(&mut self, n: usize) -> Result<&'a [u8]> {
        self.take(n)
    }

    /// Reads weights written by [`Writer::quantised`].
    pub fn quantised(&mut self) -> Result<Vec<f32>> {
        let n = self.u32()? as usize;
        let scale = self.f32()?;
        let raw = self.take(
            n.checked_mul(2)
                .ok_or_else(|| self.error("weight count overflows"))?,
        )?;
        Ok(raw
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]) as f32 * scale)
            .collect())
    }

    /// Reads weights written by [`Writer::interleaved`]: `labels` weights
    /// per bucket.
    pub fn interleaved(&mut self, labels: usize) -> Result<Vec<f32>> {
        let buckets = self.u32()? as usize;
        let stored = self.u8()? as usize;
        if stored != labels {
            return Err(self.error(format!(
                "lexical weights for {stored} labels, expected {labels}"
            )));
        }
        let mut scales = Vec::with_capacity(labels);
        for _ in 0..labels {
            scales.push(self.f32()?);
        }
        let n = buckets
            .checked_mul(labels)
            .and_then(|n| n.checked_mul(2).map(|bytes| (n, bytes)));
        let Some((n, bytes)) = n else {
            return Err(self.error("weight count overflows"));
        };
        let raw = self.take(bytes)?;
        let mut weights = Vec::with_capacity(n);
        for row in raw.chunks_exact(2 * labels) {
            for (pair, &scale) in row.chunks_exact(2).zip(&scales) {
                weights.push(i16::from_le_bytes([pair[0], pair[1]]) as f32 * scale);
            }
        }
        Ok(weights)
    }

    /// Fails unless every byte before the checksum was read.
    pub fn finish(&self) -> Result<()> {
        if self.at != self.bytes.len() {
            return Err(self.error(format!(
                "{} unexpected trailing bytes",
                self.bytes.len() - self.at
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let mut w = Writer::default();
        w.raw(MAGIC);
        w.u16(FORMAT_VERSION);
        w.quantised(&[0.5, -1.0, 0.0, 0.25]);
        w.finish()
    }

    #[test]
    fn round_trips_quantised_weights() {
        let bytes = sample();
        let (mut r, v) = Reader::open(&bytes, "test").unwrap();
        assert_eq!(v, FORMAT_VERSION);
        let w = r.quantised().unwrap();
        r.finish().unwrap();
        for (a, b) in w.iter().zip([0.5, -1.0, 0.0, 0.25]) {
            assert!((a - b).abs() < 1e-4);
        }
    }

    #[test]
    fn interleaved_weights_quantise_each_label_as_its_own_block() {
        let layers = [0.5f32, -3.0, 0.001].map(|scale| crate::SparseLogistic {
            weights: (0..50).map(|b| scale * (b as f32 - 20.0).sin()).collect(),
            intercept: 0.0,
        });
        let mut w = Writer::default();
        w.raw(MAGIC);
        w.u16(FORMAT_VERSION);
        w.interleaved(&LexicalTable::from_layers(&layers));
        for layer in &layers {
            w.quantised(&layer.weights);
        }
        let bytes = w.finish();
        let (mut r, _) = Reader::open(&bytes, "test").unwrap();
        let table = LexicalTable::from_interleaved(r.interleaved(3).unwrap(), [0.0; 3]);
        for l in 0..3 {
            assert_eq!(table.layer(l).weights, r.quantised().unwrap());
        }
        r.finish().unwrap();
    }

    #[test]
    fn refuses_damage() {
        let bytes = sample();
        let mut flipped = bytes.clone();
        flipped[14] ^= 1;
        let err = Reader::open(&flipped, "m").err().unwrap().to_string();
        assert!(err.contains("checksum"), "{err}");
        let err = Reader::open(&bytes[..bytes.len() - 3], "m")
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("checksum") || err.contains("truncated"),
            "{err}"
        );
        let err = Reader::open(b"hello world, this is text", "m")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("magic"), "{err}");
    }
}
