//! `decode_analyze` on arbitrary bytes: never panics, and every refusal is a
//! 400 INVALID_ARGUMENT with a message; an accepted request has non-blank text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use referee_serve::perspective::decode_analyze;

fuzz_target!(|data: &[u8]| {
    match decode_analyze(data) {
        Ok(request) => {
            assert!(!request.text.trim().is_empty());
            for span in referee_serve::text::sentences(&request.text) {
                assert!(span.begin <= span.end);
                assert!(request.text.is_char_boundary(span.byte_begin));
                assert!(request.text.is_char_boundary(span.byte_end));
            }
        }
        Err(e) => {
            assert_eq!(e.code.as_u16(), 400);
            assert!(!e.message.is_empty());
        }
    }
});
