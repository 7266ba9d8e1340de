//! `cargo +nightly fuzz run encode`: the body is `teikit::fuzz::targets::encode`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| teikit::fuzz::targets::encode(data));
