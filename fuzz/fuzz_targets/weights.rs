//! A weights file; accepted ones must survive save → load with identical predictions.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| siamese_ser::fuzzing::weights(data));
