//! The weights file: a round trip changes nothing, and every kind of damage is named.

mod common;
use serde_json::Value;
use siamese_ser::Error;
use siamese_ser::config::{ModelConfig, NormalizationConfig, TrainConfig};
use siamese_ser::recognizer::{Recognizer, ReferencePolicy};

fn trained() -> Recognizer {
    let ds = common::ravdess();
    let cfg = TrainConfig { epochs: 3, ..TrainConfig::pretrain() };
    let mut t = Recognizer::start_pretraining(
        &ds,
        &ModelConfig::default(),
        &NormalizationConfig::default(),
        &cfg,
        ReferencePolicy::Rows { per_class: Some(10) },
    )
    .unwrap();
    t.run().unwrap();
    t.finish()
}

#[test]
fn round_trip_is_exact() {
    let r = trained();
    let json = r.to_json();
    let back = Recognizer::from_json(&json).unwrap();
    assert_eq!(back, r, "every weight, statistic, reference and record survives");
    let ds = common::ravdess();
    assert_eq!(back.classify(&ds).unwrap(), r.classify(&ds).unwrap());
    assert_eq!(back.to_json(), json, "writing again gives the same text");
    assert_eq!(r.references.labels.len(), 40, "10 references per emotion");
    assert_eq!(r.history.len(), 1);
    assert_eq!(r.history[0].kind, "pretrain");
    assert_eq!(r.history[0].corpora[0].rows, 768);
}

fn damaged(edit: impl Fn(&mut Value)) -> Error {
    let mut v: Value = serde_json::from_str(&trained().to_json()).unwrap();
    edit(&mut v);
    Recognizer::from_json(&v.to_string()).expect_err("damage must be caught")
}

#[test]
fn wrong_files_are_named() {
    assert!(
        matches!(Recognizer::from_json("not json"), Err(Error::WeightsFormat(m)) if m.contains("not a siamese-ser weights file"))
    );
    assert!(
        matches!(Recognizer::from_json("{}"), Err(Error::WeightsFormat(m)) if m.contains("not a siamese-ser weights file"))
    );
    let truncated = &trained().to_json()[..5000];
    assert!(matches!(Recognizer::from_json(truncated), Err(Error::WeightsFormat(_))));
    assert_eq!(damaged(|v| v["version"] = 3.into()), Error::WeightsVersion { found: 3, supported: 2 });
    assert_eq!(damaged(|v| v["version"] = 0.into()), Error::WeightsVersion { found: 0, supported: 2 });
}

#[test]
fn version_1_files_still_load() {
    // Format 1: the 64 IS09 features, no pooled speaker statistics, no baseline.
    let r = trained();
    let mut v: Value = serde_json::from_str(&r.to_json()).unwrap();
    v["version"] = 1.into();
    let obj = v.as_object_mut().unwrap();
    obj.remove("speaker_stats");
    obj.remove("baseline");
    let old = Recognizer::from_json(&v.to_string()).unwrap();
    assert_eq!(old.scaler.speaker_stats, None);
    assert_eq!(old.baseline, None);
    assert_eq!(old.net, r.net);
    // Every RAVDESS speaker has 32 rows, so no row needs the missing statistics.
    let ds = common::ravdess();
    assert_eq!(old.classify(&ds).unwrap(), r.classify(&ds).unwrap());
}

#[test]
fn shapes_values_and_names_are_checked() {
    let e = damaged(|v| {
        v["layers"][1]["weights"].as_array_mut().unwrap().pop();
    });
    assert_eq!(e, Error::WeightsShape { what: "extractor.1.weights".into(), expected: 64 * 32, found: 64 * 32 - 1 });

    // 1e39 is finite as JSON but overflows f32 to infinity.
    let e = damaged(|v| v["layers"][2]["bias"][0] = serde_json::json!(1e39));
    assert_eq!(e, Error::WeightsNonFinite { what: "layer \"extractor.2\"".into() });

    let e = damaged(|v| {
        v["layers"].as_array_mut().unwrap().remove(3);
    });
    assert!(matches!(e, Error::WeightsShape { expected: 5, found: 4, .. }), "{e:?}");

    let e = damaged(|v| v["layers"][0]["outputs"] = 63.into());
    assert!(matches!(&e, Error::WeightsFormat(m) if m.contains("extractor.0")), "{e:?}");

    let e = damaged(|v| v["model"]["extractor"] = serde_json::json!([64, 32, 8]));
    assert!(matches!(&e, Error::WeightsFormat(m) if m.contains("extractor.2")), "{e:?}");

    let e = damaged(|v| v["stats"]["std"][3] = serde_json::json!(-1.0));
    assert!(matches!(&e, Error::WeightsFormat(m) if m.contains("negative")), "{e:?}");

    let e = damaged(|v| v["feature_names"][1] = v["feature_names"][0].clone());
    assert!(matches!(&e, Error::WeightsFormat(m) if m.contains("appears twice")), "{e:?}");
    let e = damaged(|v| {
        v["feature_names"].as_array_mut().unwrap().pop();
    });
    assert_eq!(e, Error::WeightsShape { what: "feature_names".into(), expected: 64, found: 63 });
    let e = damaged(|v| {
        v["version"] = 1.into();
        v["feature_names"][0] = "loudness".into();
    });
    assert!(matches!(&e, Error::WeightsFormat(m) if m.contains("64 IS09")), "{e:?}");

    let e = damaged(|v| {
        v["baseline"]["weights"].as_array_mut().unwrap().pop();
    });
    assert_eq!(e, Error::WeightsShape { what: "baseline.weights".into(), expected: 64, found: 63 });
    let e = damaged(|v| v["speaker_stats"]["mean"][0] = serde_json::json!(1e39));
    assert_eq!(e, Error::WeightsNonFinite { what: "speaker_stats.mean".into() });

    let e = damaged(|v| {
        v["references"]["x"][0].as_array_mut().unwrap().pop();
    });
    assert_eq!(e, Error::WeightsShape { what: "references.x[0]".into(), expected: 64, found: 63 });

    let e = damaged(|v| v["references"]["labels"][0] = "bored".into());
    assert!(matches!(e, Error::WeightsFormat(_)), "{e:?}");

    let e = damaged(|v| v["normalization"]["clip"] = serde_json::json!(0.0));
    assert!(matches!(&e, Error::WeightsFormat(m) if m.contains("normalisation")), "{e:?}");

    // The card's measurements are UARs, a few per training run.
    let metric = |value: f64| serde_json::json!({ "name": "oodt_uar", "value": value, "on": "rows" });
    let e = damaged(|v| v["history"][0]["metrics"] = serde_json::json!([metric(3.5)]));
    assert!(matches!(&e, Error::WeightsFormat(m) if m.contains("\"oodt_uar\" is 3.5, not a UAR")), "{e:?}");
    let e = damaged(|v| v["history"][0]["metrics"] = serde_json::json!([metric(-0.2)]));
    assert!(matches!(&e, Error::WeightsFormat(m) if m.contains("history[0]")), "{e:?}");
    let e = damaged(|v| v["history"][0]["metrics"] = serde_json::Value::Array(vec![metric(0.5); 300]));
    assert!(matches!(&e, Error::WeightsFormat(m) if m.contains("300 measurements; at most 16")), "{e:?}");

    let e = damaged(|v| v["surprise"] = 1.into());
    assert!(matches!(&e, Error::WeightsFormat(m) if m.contains("surprise")), "{e:?}");
}

#[test]
fn speaker_means_store_no_individual_rows() {
    let ds = common::ravdess();
    let cfg = TrainConfig { epochs: 1, ..TrainConfig::pretrain() };
    let r = Recognizer::start_pretraining(
        &ds,
        &ModelConfig::default(),
        &NormalizationConfig::default(),
        &cfg,
        ReferencePolicy::SpeakerMeans,
    )
    .unwrap()
    .finish();
    assert_eq!(r.references.labels.len(), 24 * 4, "one mean per speaker and emotion");
    // The first reference is the mean of speaker 01's angry rows, standardised.
    let z = r.standardize(&ds).unwrap();
    let rows: Vec<usize> = (0..ds.len())
        .filter(|&i| ds.speaker[i].as_deref() == Some("01") && ds.emotion[i] == Some(siamese_ser::data::Emotion::Angry))
        .collect();
    assert_eq!(rows.len(), 8);
    let mean = z.select(ndarray::Axis(0), &rows).mean_axis(ndarray::Axis(0)).unwrap();
    for (a, b) in r.references.x.row(0).iter().zip(mean.iter()) {
        assert!((a - b).abs() <= 5e-4, "{a} vs {b}");
    }
    let back = Recognizer::from_json(&r.to_json()).unwrap();
    assert_eq!(back.references, r.references);
}

#[test]
fn a_prediction_depends_only_on_the_model_and_its_own_speaker() {
    let r = trained();
    let ds = common::ravdess();
    // Row 0 alone, and row 0 among every row of the other 23 speakers.
    let spk = ds.speaker[0].clone();
    let others: Vec<usize> = std::iter::once(0).chain((0..ds.len()).filter(|&i| ds.speaker[i] != spk)).collect();
    let alone = r.predict(&ds.select(&[0])).unwrap();
    let among = r.predict(&ds.select(&others)).unwrap();
    assert_eq!(alone[0], among[0], "other speakers' rows change nothing");
    assert_eq!(alone[0].standardised_by, siamese_ser::data::normalize::ScaledBy::Model);
    // With its own speaker's 32 rows it is scaled by them instead.
    let own = r.predict(&ds).unwrap();
    assert_eq!(own[0].standardised_by, siamese_ser::data::normalize::ScaledBy::Speaker);
}

/// Files that are not weights files are named for a person, without the JSON parser's words.
#[test]
fn files_that_are_not_json_say_what_they_are() {
    let message = |text: &str| match Recognizer::from_json(text) {
        Err(e @ Error::WeightsFormat(_)) => e.to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(message(""), "the weights file could not be read: the file is empty");
    assert_eq!(message(" \n\t\n"), "the weights file could not be read: the file holds only blank space");
    let csv = format!("{}\n{}\n", common::our_header(), common::our_row("a.wav", "01", "angry", 1.0));
    assert_eq!(
        message(&csv),
        "the weights file could not be read: it is not a siamese-ser weights file (JSON); it starts with \
         \"file,speaker,emotion,pcm_RMSenergy_sma_a…\""
    );
    assert_eq!(
        message("hello"),
        "the weights file could not be read: it is not a siamese-ser weights file (JSON); it starts with \"hello\""
    );
    // A picture or a WAV file read as text (the page reads files as UTF-8, lossily).
    for binary in ["\u{fffd}PNG\r\n\u{1a}\n\0\0\0\rIHDR", "RIFF$\0\0\0WAVEfmt \u{10}\0\0\0"] {
        assert_eq!(
            message(binary),
            "the weights file could not be read: it is not a siamese-ser weights file (JSON); it starts with binary data"
        );
    }
    for text in ["", "x", "1,2,3"] {
        let m = message(text);
        assert!(!m.contains("EOF") && !m.contains("expected value") && !m.contains("line 1"), "{m}");
    }
    // JSON that is not an object.
    assert_eq!(
        message("[1, 2, 3]"),
        "the weights file could not be read: it is JSON, but not a siamese-ser weights file (one JSON object)"
    );
    // A JSON file broken part-way keeps its line and column.
    let json = trained().to_json();
    let m = message(&json[..5000]);
    assert!(m.contains("the JSON text ends part-way through, at line 1, column 5000"), "{m}");
    let m = message("{\n  \"format\": \"siamese-ser-weights\",\n  \"version\": 2,,\n}");
    assert!(m.starts_with("the weights file could not be read: it is not valid JSON at line 3, column 16: "), "{m}");
}
