//! libFuzzer entry point for `hiveaudit::fuzzing::targets::recovery`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hiveaudit::fuzzing::targets::recovery(data));
