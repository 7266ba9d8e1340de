//! `cargo +nightly fuzz run export`: the body is `teikit::fuzz::targets::export`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| teikit::fuzz::targets::export(data));
