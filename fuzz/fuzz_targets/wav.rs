//! A WAV file from arbitrary header fields: decode, resample to 16 kHz, IS09.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| siamese_ser::fuzzing::wav(data));
