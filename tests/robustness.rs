//! Bad input never panics: arbitrary text to the CSV parser, arbitrary bytes to the WAV
//! decoder and the weights reader, arbitrary samples to the feature extractor (proptest).

use proptest::prelude::*;
use siamese_ser::audio::{decode_wav, features};
use siamese_ser::data::parse_csv;
use siamese_ser::recognizer::Recognizer;

fn header() -> String {
    let mut h = vec!["file".to_string(), "speaker".into(), "emotion".into()];
    h.extend(siamese_ser::data::feature_names());
    h.join(",")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn csv_parser_never_panics(text in ".{0,400}") {
        let _ = parse_csv(&text, "x");
    }

    #[test]
    fn csv_rows_after_a_valid_header_never_panic(rows in proptest::collection::vec("[-0-9a-z.,;\"' eE+]{0,300}", 0..6)) {
        let text = format!("{}\n{}", header(), rows.join("\n"));
        let _ = parse_csv(&text, "x");
    }

    #[test]
    fn wav_decoder_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut bytes = b"RIFF\x24\x08\x00\x00WAVE".to_vec();
        bytes.extend(tail);
        let _ = decode_wav(&bytes);
    }

    /// Valid headers with any rate, channel count and depth (the fuzz target `wav` goes further,
    /// with fields that lie): decoded within the limits, or refused with a message.
    #[test]
    fn wav_files_of_any_format_decode_or_are_refused(
        rate in prop_oneof![1u32..8000, 8000u32..400_000, Just(8000), Just(384_000), Just(384_001)],
        channels in 1u16..40,
        bits in prop_oneof![Just(8u16), Just(16), Just(24), Just(32)],
        frames in 0usize..200,
    ) {
        let spec = hound::WavSpec { channels, sample_rate: rate, bits_per_sample: bits, sample_format: hound::SampleFormat::Int };
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut w = hound::WavWriter::new(&mut buf, spec).unwrap();
        for i in 0..frames * channels as usize {
            w.write_sample(((i * 7919) % 200) as i32 - 100).unwrap();
        }
        w.finalize().unwrap();
        match decode_wav(&buf.into_inner()) {
            Ok(a) => {
                prop_assert!((8000..=384_000).contains(&rate) && channels <= 32 && frames > 0);
                prop_assert_eq!(a.samples.len(), frames);
                prop_assert!(a.samples.iter().all(|v| v.is_finite() && v.abs() <= 1.0));
            }
            Err(e) => prop_assert!(!(8000..=384_000).contains(&rate) || channels > 32 || frames == 0, "{e}"),
        }
    }

    #[test]
    fn weights_reader_never_panics(text in ".{0,300}") {
        let _ = Recognizer::from_json(&text);
        let _ = Recognizer::from_json(&format!("{{\"format\":\"siamese-ser-weights\",\"version\":1,{text}"));
    }

    #[test]
    fn features_of_any_finite_audio(samples in proptest::collection::vec(-1.0f32..1.0, 0..12000), rate in prop_oneof![Just(8000u32), Just(16000), Just(44100)]) {
        match features(&samples, rate) {
            Ok(f) => {
                prop_assert_eq!(f.len(), 64);
                prop_assert!(f.iter().all(|v| v.is_finite()));
            }
            // Only audio too short for one analysis frame may be refused.
            Err(e) => prop_assert!(samples.len() as f64 / (rate as f64) < 0.1, "{} samples at {rate} Hz: {e}", samples.len()),
        }
    }
}
