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

    #[test]
    fn weights_reader_never_panics(text in ".{0,300}") {
        let _ = Recognizer::from_json(&text);
        let _ = Recognizer::from_json(&format!("{{\"format\":\"siamese-ser-weights\",\"version\":1,{text}"));
    }

    #[test]
    fn features_of_any_finite_audio(samples in proptest::collection::vec(-1.0f32..1.0, 0..3000), rate in prop_oneof![Just(8000u32), Just(16000), Just(44100)]) {
        if let Ok(f) = features(&samples, rate) {
            prop_assert_eq!(f.len(), 64);
            prop_assert!(f.iter().all(|v| v.is_finite()));
        }
    }
}
