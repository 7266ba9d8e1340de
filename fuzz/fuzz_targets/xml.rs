//! `cargo +nightly fuzz run xml`: the body is `teikit::fuzz::targets::xml`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| teikit::fuzz::targets::xml(data));
