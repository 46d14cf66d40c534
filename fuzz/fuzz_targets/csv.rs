//! CSV text, both shapes and feature sets (siamese_ser::fuzzing::csv).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| siamese_ser::fuzzing::csv(data));
