//! libFuzzer entry point for `hiveaudit::fuzzing::targets::base_block`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hiveaudit::fuzzing::targets::base_block(data));
