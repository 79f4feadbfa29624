//! The jsonl reader never panics, and what it reads survives a round trip
//! through the JSON Lines writer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use referee_thread::InputFormat;
use referee_thread_fuzz::round_trip;

fuzz_target!(|data: &[u8]| round_trip(data, InputFormat::Jsonl));
