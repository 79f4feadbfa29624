//! Detection never panics, and reading in the detected format never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use referee_thread::{detect, read_bytes};

fuzz_target!(|data: &[u8]| {
    let _format = detect(data);
    let _ = read_bytes("fuzz", data, None);
});
