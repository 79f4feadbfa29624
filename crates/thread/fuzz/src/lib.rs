//! What every reader's fuzz target checks.

use referee_thread::{read_bytes, write_jsonl, InputFormat};

/// Reading `data` as `format` never panics, and what it reads survives a
/// round trip through the JSON Lines writer.
pub fn round_trip(data: &[u8], format: InputFormat) {
    if let Ok(threads) = read_bytes("fuzz", data, Some(format)) {
        let mut out = Vec::new();
        for thread in &threads {
            write_jsonl(&mut out, thread).expect("writing to memory succeeds");
        }
        if !threads.is_empty() {
            let back = read_bytes("fuzz", &out, Some(InputFormat::Jsonl))
                .expect("written threads read back");
            assert_eq!(back, threads);
        }
    }
}
