//! `decode_suggest` on arbitrary bytes: never panics; refusals are 400s.
#![no_main]

use libfuzzer_sys::fuzz_target;
use referee_serve::budget::Limits;
use referee_serve::perspective::decode_suggest;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = decode_suggest(data, &Limits::default()) {
        assert_eq!(e.code.as_u16(), 400);
    }
});
