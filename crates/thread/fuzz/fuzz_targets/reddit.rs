//! The reddit reader never panics, and what it reads survives a round trip
//! through the JSON Lines writer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use referee_thread::{read_bytes, write_jsonl, InputFormat};

fuzz_target!(|data: &[u8]| {
    if let Ok(threads) = read_bytes("fuzz", data, Some(InputFormat::Reddit)) {
        let mut out = Vec::new();
        for thread in &threads {
            write_jsonl(&mut out, thread).expect("writing to memory succeeds");
        }
        if !threads.is_empty() {
            let back = read_bytes("fuzz", &out, Some(InputFormat::Jsonl)).expect("written threads read back");
            assert_eq!(back, threads);
        }
    }
});
