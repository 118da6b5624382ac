//! libFuzzer entry point for `hiveaudit::fuzzing::targets::sniff`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hiveaudit::fuzzing::targets::sniff(data));
