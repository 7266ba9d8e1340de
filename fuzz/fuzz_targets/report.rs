//! `cargo +nightly fuzz run report`: the body is `teikit::fuzz::targets::report`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| teikit::fuzz::targets::report(data));
