//! libFuzzer entry point for `hiveaudit::fuzzing::targets::extract`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hiveaudit::fuzzing::targets::extract(data));
