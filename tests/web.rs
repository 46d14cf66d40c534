//! The binding layer in headless Chromium (`make test-wasm-browser`): what the worker calls,
//! with the values and errors it gets back. The maths is tested natively.
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use siamese_ser::wasm::{FineTune, Model, PaperRun, Table, random_seed, take_panic_message};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const MODEL: &str = include_str!("../www/models/tess.json");
const RAVDESS: &str = include_str!("../data/ravdess_16k.csv");

fn json(v: JsValue) -> Value {
    serde_wasm_bindgen::from_value(v).expect("a plain JS object")
}

fn message(e: JsValue) -> String {
    js_sys::Error::from(e).message().into()
}

/// The `kind` property the page places errors by.
fn kind(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"kind".into()).unwrap().as_string().unwrap_or_default()
}

fn settings(s: &str) -> JsValue {
    js_sys::JSON::parse(s).expect("valid JSON")
}

#[wasm_bindgen_test]
fn a_model_loads_and_describes_itself() {
    let m = Model::from_json(MODEL).unwrap();
    let card = json(m.card().unwrap());
    assert_eq!(card["trained_on"][0]["name"], "tess");
    assert_eq!(card["trained_on"][0]["rows"], 1600);
    assert_eq!(card["parameters"], 7057);
    assert_eq!(card["metrics"][0]["name"], "oodt_uar");
    assert_eq!(Model::from_json(&m.to_json()).unwrap().to_json(), m.to_json(), "round trip");
    let e = Model::from_json("{\"format\": \"x\"}").err().unwrap();
    assert_eq!(kind(&e), "weights");
    let e = message(e);
    assert!(e.contains("not a siamese-ser weights file"), "{e}");
    assert_eq!(m.feature_names().len(), 64);
    assert_eq!(card["has_baseline"], true);
}

#[wasm_bindgen_test]
fn tables_parse_and_errors_name_line_and_column() {
    let t = Table::parse(RAVDESS, "ravdess_16k.csv", None).unwrap();
    assert_eq!(t.rows(), 768);
    let s = json(t.summary().unwrap());
    assert_eq!(s["speakers"], 24);
    assert_eq!(s["per_emotion"], serde_json::json!([192, 192, 192, 192]));
    let bad = RAVDESS.lines().take(3).collect::<Vec<_>>().join("\n").replacen(",happy,", ",grumpy,", 1);
    let e = Table::parse(&bad, "bad.csv", None).err().unwrap();
    assert_eq!(kind(&e), "input");
    let e = message(e);
    assert!(e.contains("line 2, column 4") && e.contains("grumpy"), "{e}");
    // A table read with a model's columns: the same 64 here.
    let m = Model::from_json(MODEL).unwrap();
    assert_eq!(Table::parse(RAVDESS, "ravdess_16k.csv", Some(m.feature_names())).unwrap().rows(), 768);
    let e = Table::parse(RAVDESS, "r.csv", Some(vec!["loudness".into()])).err().unwrap();
    assert!(message(e).contains("lacks 1 of the 1 feature columns"));
    let m = Model::from_json(MODEL).unwrap();
    assert_eq!(json(m.overlap(&t).unwrap()), serde_json::json!([]));
    let eval = json(m.evaluate(&t).unwrap());
    assert_eq!(eval["rows"], 768);
}

#[wasm_bindgen_test]
fn fine_tuning_steps_finishes_and_exports() {
    let m = Model::from_json(MODEL).unwrap();
    let t = Table::parse(RAVDESS, "ravdess_16k.csv", None).unwrap();
    let mut ft =
        FineTune::new(&m, &t, settings(r#"{"speakers": 2, "train": {"epochs": 30, "distance_loss": true}}"#)).unwrap();
    assert_eq!(ft.epochs(), 30);
    assert_eq!(json(ft.labelled().unwrap()).as_array().unwrap().len(), 8);
    let first = json(ft.step(5).unwrap());
    assert_eq!(first.as_array().unwrap().len(), 5);
    assert!(first[0]["distance"].is_number());
    while !ft.done() {
        ft.step(100).unwrap();
    }
    let outcome = json(ft.finish().unwrap());
    // Unseen speakers: 24 − 4 development speakers − 2 drawn = 18, 32 rows each.
    assert_eq!(outcome["after"]["unseen"]["rows"], 576);
    assert_eq!(outcome["after"]["seen"]["rows"], 56);
    assert!(outcome["baseline"]["unseen"]["uar"].is_number(), "the baseline on the same rows");
    assert_eq!(outcome["epochs"].as_array().unwrap().len(), 30);
    assert_eq!(outcome["steps"], 30);
    let csv = ft.outcome_csv("tess.json", "ravdess_16k.csv").unwrap();
    assert!(csv.starts_with("measure,part,emotion,predicted,before,after,baseline\nsetting,,engine,,"), "{csv}");
    assert!(csv.contains("setting,,model,,tess.json,,"), "{csv}");
    // One table: every line has the same 7 columns (none of these cells is quoted).
    assert!(csv.lines().all(|l| l.split(',').count() == 7), "{csv}");
    assert!(csv.contains("\nconfusion,unseen_speakers,angry,happy,"), "{csv}");
    let tuned = ft.model().unwrap();
    let card = json(tuned.card().unwrap());
    assert_eq!(card["fine_tuned"][0]["rows"], 8);
    let predicted = json(tuned.predict(&t).unwrap());
    assert_eq!(predicted["rows"].as_array().unwrap().len(), 768);
    assert_eq!(predicted["totals"]["rows"], 768);
    assert_eq!(predicted["totals"]["labelled"], 768);
    assert_eq!(predicted["labelled"]["rows"], 768);
    assert!(predicted["baseline"]["uar"].is_number(), "the baseline beside the UAR");
    assert_eq!(
        predicted["overlap"],
        serde_json::json!(["ravdess"]),
        "fine-tuned on RAVDESS rows, so it has seen the corpus"
    );
    assert_eq!(json(m.predict(&t).unwrap())["overlap"], serde_json::json!([]), "the TESS model never saw RAVDESS");
    assert!(predicted["csv"].as_str().unwrap().lines().count() == 769);
}

#[wasm_bindgen_test]
fn bad_settings_are_errors_naming_the_setting() {
    let m = Model::from_json(MODEL).unwrap();
    let t = Table::parse(RAVDESS, "ravdess_16k.csv", None).unwrap();
    let e = message(FineTune::new(&m, &t, settings(r#"{"train": {"epoch": 3}}"#)).err().unwrap());
    assert!(e.contains("unknown field `epoch`"), "{e}");
    let e = FineTune::new(&m, &t, settings(r#"{"train": {"learning_rate": -1}}"#)).err().unwrap();
    assert_eq!(kind(&e), "setting");
    let field = |name: &str| js_sys::Reflect::get(&e, &name.into()).unwrap().as_string().unwrap();
    assert_eq!(field("setting"), "learning_rate");
    // The value given and what is allowed, for the page to put after the field's label.
    assert_eq!(field("value"), "-1");
    assert!(field("expected").contains("(0, 1]"), "{}", field("expected"));
    let e = FineTune::new(&m, &t, settings(r#"{"speakers": 99}"#)).err().unwrap();
    assert_eq!(kind(&e), "data");
    let e = message(e);
    assert!(e.contains("99 speakers"), "{e}");
    let e = message(FineTune::new(&m, &t, settings(r#"{"speakers": "two"}"#)).err().unwrap());
    assert!(e.contains("fine-tuning settings"), "{e}");
}

#[wasm_bindgen_test]
fn the_paper_experiment_steps_unit_by_unit() {
    let m = Model::from_json(MODEL).unwrap();
    let t = Table::parse(RAVDESS, "ravdess_16k.csv", None).unwrap();
    let cfg = r#"{"repeats": 1, "speakers": [2], "frozen": [0], "idt": {"epochs": 2, "batch_pairs": 64}}"#;
    let mut run = PaperRun::from_model(&m, &t, settings(cfg)).unwrap();
    // The given model (1 seed) and its baseline; 20 evaluation speakers × (1 fold + its
    // baseline); 2 runs; 1 draw baseline.
    assert_eq!(run.total(), 2 + 20 * 2 + 2 + 1);
    let p = json(run.step().unwrap());
    assert_eq!(p["done"], 1);
    assert!(p["what"].as_str().unwrap().starts_with("OODT"));
    assert!(run.report().is_err(), "no report before the end");
    while !run.done() {
        run.step().unwrap();
    }
    let r = json(run.report().unwrap());
    assert!(r["table1"]["oodt"].as_f64().unwrap() > 0.25);
    assert_eq!(r["grid"].as_array().unwrap().len(), 2);
    assert!(r["baselines"]["logistic_regression"]["idt"].as_f64().unwrap() > 0.25);
    assert!(run.grid_csv().unwrap().lines().nth(1).unwrap().starts_with("speakers,frozen,distance_loss"));
}

#[wasm_bindgen_test]
fn seeds_and_panics() {
    assert_ne!(random_seed().unwrap(), random_seed().unwrap());
    assert_eq!(take_panic_message(), None);
}

#[wasm_bindgen_test]
fn recordings_become_a_table_and_predict_live_clips() {
    use siamese_ser::wasm::{Listener, Recordings};
    let wav = include_bytes!("fixtures/audio/03-01-05-02-01-01-03.wav");
    let mut rec = Recordings::new();
    let info = json(rec.add_wav("03-01-05-02-01-01-03.wav", wav).unwrap());
    assert_eq!(info["emotion"], "angry");
    assert_eq!(info["speaker"], "03");
    assert_eq!(info["sample_rate"], 16000);
    let e = message(rec.add_wav("notes.wav", b"hello").err().unwrap());
    assert!(e.contains("notes.wav") && e.contains("RIFF"), "{e}");
    // A microphone clip at 48 kHz: converted to 16 kHz before its features.
    let clip: Vec<f32> = (0..48000).map(|i| 0.2 * ((i as f32) * 0.05).sin()).collect();
    rec.add_clip("happy-1", &clip, 48000, "happy", "me").unwrap();
    assert!(rec.add_clip("x", &clip, 48000, "grumpy", "me").is_err());
    rec.set_label(1, "sad", "me").unwrap();
    let t = rec.table().unwrap();
    let s = json(t.summary().unwrap());
    assert_eq!(s["per_emotion"], serde_json::json!([1, 0, 1, 0]));
    assert!(rec.to_csv().unwrap().lines().count() == 3);
    let m = Model::from_json(MODEL).unwrap();
    let p = json(rec.predict_clip(&m, &clip, 48000, "me").unwrap());
    let total: f64 = p["probabilities"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).sum();
    assert!((total - 1.0).abs() < 1e-6);
    assert_eq!(rec.next_clip_name("happy").unwrap(), "happy-2");
    assert_eq!(rec.counts(), vec![1, 0, 1, 0]);
    // The held-out estimate, one fold per call: two labelled clips, two folds.
    let mut h =
        siamese_ser::wasm::HeldOut::new(&m, &t, settings(r#"{"train": {"epochs": 3, "keep_references": true}}"#))
            .unwrap();
    assert_eq!(h.folds(), 2);
    h.step().unwrap();
    assert_eq!(h.folds_done(), 1);
    h.step().unwrap();
    assert!(h.done());
    let e = json(h.estimate().unwrap());
    assert_eq!(e["tuned"]["rows"], 2);
    assert_eq!(e["chance"], 0.25);
    rec.remove(0).unwrap();
    assert!(rec.remove(7).is_err());

    let mut l = Listener::new(48000).unwrap();
    let mut silence_then_tone = vec![0.0f32; 24000];
    silence_then_tone.extend(&clip);
    silence_then_tone.extend(vec![0.0f32; 48000]);
    let utterances: usize = silence_then_tone.chunks(2048).map(|c| l.push(c).length() as usize).sum();
    assert_eq!(utterances, 1);
    assert!(Listener::new(10).is_err());
}

#[wasm_bindgen_test]
fn tables_load_in_slices_and_limits_come_from_the_engine() {
    use siamese_ser::wasm::{TableLoad, limits};
    let mut load = TableLoad::start(RAVDESS.to_string(), "ravdess_16k.csv", None).unwrap();
    let mut steps = 0;
    while !load.step(100).unwrap() {
        steps += 1;
        assert!(load.bytes_done() < load.bytes_total());
    }
    assert_eq!(steps, 7, "768 rows in slices of 100");
    assert_eq!(load.finish().unwrap().rows(), 768);
    let l = json(limits().unwrap());
    assert_eq!(l["csv_bytes"], 256 * 1024 * 1024);
    assert_eq!(l["max_sample_rate"], 384_000);
    let e = TableLoad::start("{\"format\": 1}".into(), "x.csv", None).err().unwrap();
    assert_eq!(kind(&e), "input");
    assert!(message(e).contains("not a CSV file"));
}

/// The browser's matrix product (`simd128` lanes) against the sum written out, in the same
/// order, so the bits must agree; every layout the network uses, with remainders of the 4 × 8
/// block, and C in rows (written with vector stores) or in columns (lane by lane).
#[wasm_bindgen_test]
fn the_wasm_matrix_product_is_the_plain_sum() {
    use ndarray::{Array2, ShapeBuilder};
    use siamese_ser::model::gemm::blocked;
    let filled =
        |r: usize, c: usize, s: f32| Array2::from_shape_fn((r, c), |(i, j)| ((i * 31 + j * 7) as f32 * 0.37 + s).sin());
    for &(m, k, n) in &[(45, 64, 64), (32, 16, 16), (16, 32, 16), (7, 5, 9), (32, 16, 1)] {
        for beta in [0.0f32, 1.0, 0.5] {
            let (a, at, b, bt, c0) =
                (filled(m, k, 0.1), filled(k, m, 0.2), filled(k, n, 0.3), filled(n, k, 0.4), filled(m, n, 0.5));
            let in_columns = || {
                let mut c = Array2::from_shape_vec((m, n).f(), vec![0.0; m * n]).unwrap();
                c.assign(&c0);
                c
            };
            let products = [(a.view(), b.view()), (at.t(), b.view()), (a.view(), bt.t())];
            for ((a, b), mut got) in products.into_iter().flat_map(|p| [(p, c0.clone()), (p, in_columns())]) {
                blocked(a, b, beta, got.view_mut());
                for i in 0..m {
                    for j in 0..n {
                        let mut s = 0.0f32;
                        for p in 0..k {
                            s += a[[i, p]] * b[[p, j]];
                        }
                        let want = if beta == 0.0 { s } else { beta * c0[[i, j]] + s };
                        assert_eq!(got[[i, j]].to_bits(), want.to_bits(), "{m}×{k}×{n} β {beta} at ({i}, {j})");
                    }
                }
            }
        }
    }
}
