//! Every limit of `siamese_ser::limits::LIMITS`, at the limit and one past it. Byte limits on
//! whole files are checked with smaller `Limits` values where the code takes them (the same
//! comparison), and at their real value where it does not.

mod common;
use siamese_ser::Error;
use siamese_ser::audio::decode_wav;
use siamese_ser::audio::wav::{check_length, check_rate};
use siamese_ser::config::{ModelConfig, TrainConfig};
use siamese_ser::data::{LIMITS, Limits, parse_csv_with_limits};
use siamese_ser::fewshot::FewShotConfig;
use siamese_ser::protocol::ProtocolConfig;
use siamese_ser::recognizer::Recognizer;
use std::io::Cursor;

fn csv(rows: usize, file: &str) -> String {
    let mut t = common::our_header();
    for i in 0..rows {
        t += "\n";
        t += &common::our_row(
            if i == 0 { file } else { "f" },
            "1",
            ["angry", "happy", "sad", "fearful"][i % 4],
            i as f32,
        );
    }
    t + "\n"
}

fn too_large(e: Error) -> (&'static str, usize, usize) {
    match e {
        Error::TooLarge { what, actual, limit } => (what, actual, limit),
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn csv_bytes_rows_columns_and_cells() {
    let text = csv(4, "a");
    let at = Limits { csv_bytes: text.len(), ..LIMITS };
    assert!(parse_csv_with_limits(&text, "c", &at).is_ok());
    let past = Limits { csv_bytes: text.len() - 1, ..LIMITS };
    assert_eq!(too_large(parse_csv_with_limits(&text, "c", &past).unwrap_err()).1, text.len());

    let rows = Limits { csv_rows: 4, ..LIMITS };
    assert!(parse_csv_with_limits(&text, "c", &rows).is_ok());
    let rows = Limits { csv_rows: 3, ..LIMITS };
    assert_eq!(too_large(parse_csv_with_limits(&text, "c", &rows).unwrap_err()), ("the number of rows", 4, 3));

    // 3 label columns + 64 features = 67 columns.
    let cols = Limits { csv_columns: 67, ..LIMITS };
    assert!(parse_csv_with_limits(&text, "c", &cols).is_ok());
    let cols = Limits { csv_columns: 66, ..LIMITS };
    assert_eq!(too_large(parse_csv_with_limits(&text, "c", &cols).unwrap_err()).1, 67);

    let long = "x".repeat(LIMITS.csv_field_bytes);
    assert!(parse_csv_with_limits(&csv(4, &long), "c", &LIMITS).is_ok());
    let longer = "x".repeat(LIMITS.csv_field_bytes + 1);
    match parse_csv_with_limits(&csv(4, &longer), "c", &LIMITS).unwrap_err() {
        Error::LongField { line: 2, bytes, limit } => assert_eq!((bytes, limit), (4097, 4096)),
        other => panic!("{other:?}"),
    }
    let header = format!("{},{}\n", common::our_header(), "y".repeat(LIMITS.csv_field_bytes + 1));
    assert!(too_large(parse_csv_with_limits(&header, "c", &LIMITS).unwrap_err()).0.contains("column name"));
}

#[test]
fn a_header_of_a_million_columns_is_refused_at_once() {
    let header = vec!["c"; 1_000_000].join(",");
    let started = std::time::Instant::now();
    let (_, actual, limit) = too_large(parse_csv_with_limits(&header, "c", &LIMITS).unwrap_err());
    assert_eq!((actual, limit), (1_000_000, LIMITS.csv_columns));
    // Not a timing assertion on the code's speed, only that it did not take the O(n²) path:
    // the old duplicate check took over 20 s on this header.
    assert!(started.elapsed().as_secs() < 20);
}

fn wav(channels: u16, rate: u32, frames: usize) -> Vec<u8> {
    let spec =
        hound::WavSpec { channels, sample_rate: rate, bits_per_sample: 8, sample_format: hound::SampleFormat::Int };
    let mut buf = Cursor::new(Vec::new());
    let mut w = hound::WavWriter::new(&mut buf, spec).unwrap();
    for i in 0..frames * channels as usize {
        w.write_sample(((i * 37) % 200) as i32 - 100).unwrap();
    }
    w.finalize().unwrap();
    buf.into_inner()
}

#[test]
fn wav_rates_channels_and_lengths() {
    assert!(check_rate(LIMITS.min_sample_rate).is_ok() && check_rate(LIMITS.max_sample_rate).is_ok());
    assert!(check_rate(LIMITS.min_sample_rate - 1).is_err() && check_rate(LIMITS.max_sample_rate + 1).is_err());
    assert!(decode_wav(&wav(1, 8000, 100)).is_ok());
    assert!(decode_wav(&wav(1, 7999, 100)).unwrap_err().to_string().contains("7999 Hz is not supported"));
    assert!(decode_wav(&wav(1, 384_000, 100)).is_ok());
    assert!(decode_wav(&wav(1, 384_001, 100)).is_err());
    assert!(decode_wav(&wav(LIMITS.max_channels, 16000, 10)).is_ok());
    let e = decode_wav(&wav(LIMITS.max_channels + 1, 16000, 10)).unwrap_err();
    assert!(e.to_string().contains("33 channels"), "{e}");

    // Seconds: 600 s at 8 kHz is accepted, one sample more is not.
    let at = (LIMITS.max_seconds * 8000.0) as usize;
    assert!(check_length(at, 8000).is_ok());
    assert!(matches!(check_length(at + 1, 8000), Err(Error::AudioLength { .. })));
    // Samples: 10 minutes at 48 kHz; at 96 kHz that is 5 minutes.
    assert!(check_length(LIMITS.max_frames, 48_000).is_ok());
    assert!(check_length(LIMITS.max_frames + 1, 96_000).unwrap_err().to_string().contains("300 s at this rate"));
    // A real file one sample past ten minutes (8 kHz, 8-bit: 4.8 MB) is refused from its header.
    let e = decode_wav(&wav(1, 8000, at + 1)).unwrap_err();
    assert!(matches!(e, Error::AudioLength { .. }), "{e}");
    assert!(decode_wav(&wav(1, 8000, at)).is_ok());
}

#[test]
fn a_wav_header_that_lies_is_refused_before_allocating() {
    // 300 bytes whose header claims 10,000,019 Hz, or an hour of audio: refused from the header.
    let mut lying_rate = wav(1, 16000, 200);
    lying_rate[24..28].copy_from_slice(&10_000_019u32.to_le_bytes());
    lying_rate[28..32].copy_from_slice(&10_000_019u32.to_le_bytes()); // byte rate, consistent
    let e = decode_wav(&lying_rate).unwrap_err();
    assert!(e.to_string().contains("10000019 Hz"), "{e}");
    let mut lying_length = wav(1, 16000, 200);
    let n = lying_length.len();
    lying_length[n - 200 - 4..n - 200].copy_from_slice(&(3600 * 16000u32).to_le_bytes());
    let e = decode_wav(&lying_length).unwrap_err();
    assert!(e.to_string().contains("promises 57600000 samples"), "{e}");
}

#[test]
fn weights_size_and_references() {
    let at = "x".repeat(LIMITS.weights_bytes);
    assert!(
        matches!(Recognizer::from_json(&at), Err(Error::WeightsFormat(_))),
        "at the limit: read, and refused as JSON"
    );
    let past = "x".repeat(LIMITS.weights_bytes + 1);
    assert!(matches!(Recognizer::from_json(&past), Err(Error::TooLarge { .. })));

    // A model of 2 features can hold 200,000 references within the byte limit.
    let ds = common::ravdess();
    let two = siamese_ser::data::FeatureSet::Names(vec![ds.features[0].clone(), ds.features[1].clone()]);
    let text = include_str!("../data/ravdess_16k.csv");
    let (ds2, _) = siamese_ser::data::parse_csv_with(text, "r", &two, &LIMITS).unwrap();
    let cfg = TrainConfig { epochs: 1, ..TrainConfig::pretrain() };
    let r = Recognizer::start_pretraining(&ds2, &ModelConfig::default(), &Default::default(), &cfg, Default::default())
        .unwrap()
        .finish();
    let mut v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    let with = |v: &mut serde_json::Value, n: usize| {
        v["references"]["x"] = serde_json::json!(vec![[0.5, -0.5]; n]);
        v["references"]["labels"] = serde_json::json!((0..n).map(|i| ["angry", "sad"][i % 2]).collect::<Vec<_>>());
        v.to_string()
    };
    assert!(Recognizer::from_json(&with(&mut v, LIMITS.weights_references)).is_ok());
    let e = Recognizer::from_json(&with(&mut v, LIMITS.weights_references + 1)).unwrap_err();
    assert!(e.to_string().contains("200001 references"), "{e}");
}

#[test]
fn model_and_training_settings() {
    let ok = |m: ModelConfig| m.validate().is_ok();
    assert!(ok(ModelConfig { inputs: LIMITS.model_inputs, ..Default::default() }));
    assert!(!ok(ModelConfig { inputs: LIMITS.model_inputs + 1, ..Default::default() }));
    assert!(ok(ModelConfig { extractor: vec![8; LIMITS.model_layers], ..Default::default() }));
    assert!(!ok(ModelConfig { extractor: vec![8; LIMITS.model_layers + 1], ..Default::default() }));
    assert!(ok(ModelConfig { head: LIMITS.model_width, ..Default::default() }));
    assert!(!ok(ModelConfig { head: LIMITS.model_width + 1, ..Default::default() }));

    let t = |c: TrainConfig| c.validate(3).is_ok();
    assert!(t(TrainConfig { epochs: LIMITS.epochs, ..Default::default() }));
    assert!(!t(TrainConfig { epochs: LIMITS.epochs + 1, ..Default::default() }));
    assert!(t(TrainConfig { batch_pairs: LIMITS.batch_pairs, ..Default::default() }));
    assert!(!t(TrainConfig { batch_pairs: LIMITS.batch_pairs + 1, ..Default::default() }));

    let f = |c: FewShotConfig| c.validate(3).is_ok();
    assert!(f(FewShotConfig { speakers: LIMITS.draw_speakers, ..Default::default() }));
    assert!(!f(FewShotConfig { speakers: LIMITS.draw_speakers + 1, ..Default::default() }));
    assert!(f(FewShotConfig { samples_per_emotion: LIMITS.samples_per_emotion, ..Default::default() }));
    assert!(!f(FewShotConfig { samples_per_emotion: LIMITS.samples_per_emotion + 1, ..Default::default() }));

    assert!(siamese_ser::limits::check_settings(&" ".repeat(LIMITS.settings_bytes)).is_ok());
    assert!(siamese_ser::limits::check_settings(&" ".repeat(LIMITS.settings_bytes + 1)).is_err());
}

#[test]
fn experiment_grid_settings() {
    let p = |c: ProtocolConfig| c.validate().is_ok();
    let d = ProtocolConfig::default;
    let ks = |n: usize| Some((1..=n).collect::<Vec<usize>>());
    assert!(p(ProtocolConfig { speakers: ks(LIMITS.grid_speakers), repeats: 10, ..d() }));
    assert!(!p(ProtocolConfig { speakers: ks(LIMITS.grid_speakers + 1), ..d() }));
    // Each k once: a repeated one would run its cells twice.
    let e = ProtocolConfig { speakers: Some(vec![2, 4, 2]), ..d() }.validate().unwrap_err();
    assert!(e.to_string().contains("2 is given twice, the second time as value 3"), "{e}");
    assert!(p(ProtocolConfig { frozen: vec![0; LIMITS.grid_frozen], ..d() }));
    assert!(!p(ProtocolConfig { frozen: vec![0; LIMITS.grid_frozen + 1], ..d() }));
    assert!(p(ProtocolConfig { repeats: LIMITS.repeats, ..d() }));
    assert!(!p(ProtocolConfig { repeats: LIMITS.repeats + 1, ..d() }));
    assert!(p(ProtocolConfig { pretrain_seeds: LIMITS.pretrain_seeds, ..d() }));
    assert!(!p(ProtocolConfig { pretrain_seeds: LIMITS.pretrain_seeds + 1, ..d() }));
    assert!(p(ProtocolConfig { samples_per_emotion: LIMITS.samples_per_emotion, ..d() }));
    assert!(!p(ProtocolConfig { samples_per_emotion: LIMITS.samples_per_emotion + 1, ..d() }));
    // Runs in all: 50 values of k × 1 frozen × 2 × 1,000 repeats = 100,000.
    let runs = |n| ProtocolConfig { speakers: ks(n), frozen: vec![0], repeats: 1000, ..d() };
    assert!(p(runs(LIMITS.finetune_runs / 2000)));
    let e = runs(LIMITS.finetune_runs / 2000 + 1).validate().unwrap_err();
    assert!(e.to_string().contains("102000"), "{e}");
}
