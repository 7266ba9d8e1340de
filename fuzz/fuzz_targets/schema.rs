//! `cargo +nightly fuzz run schema`: the body is `teikit::fuzz::targets::schema`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| teikit::fuzz::targets::schema(data));
