//! Settings JSON: protocol, few-shot and training configs.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| siamese_ser::fuzzing::config(data));
