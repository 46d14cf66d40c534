//! Helpers shared by the integration tests.
#![allow(dead_code)]

use siamese_ser::data::{Dataset, parse_csv};
use std::path::PathBuf;

/// RAVDESS 16 kHz features, committed in `data/` (CC BY-NC-SA 4.0; see data/README.md).
pub fn ravdess() -> Dataset {
    let text = include_str!("../../data/ravdess_16k.csv");
    parse_csv(text, "ravdess").expect("the committed RAVDESS file parses").0
}

/// `../shared/data/<name>` for each name, if all exist (CI has the folder beside the clone; a
/// fresh clone does not). When one is missing, prints why the calling test is skipped (shown
/// by `make test`, which runs `cargo test -- --show-output`) and returns `None`.
pub fn shared(names: &[&str], test: &str) -> Option<Vec<PathBuf>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    if let Some(missing) = paths.iter().find(|p| !p.exists()) {
        println!(
            "SKIPPED {test}: {} is not here. This test needs ../shared/data beside the clone (TESS features may \
             not be redistributed, so they are not committed); the rest of the suite runs without it.",
            missing.display()
        );
        return None;
    }
    Some(paths)
}

/// Header of our CSV format with the 64 features.
pub fn our_header() -> String {
    let mut h = vec!["file".to_string(), "speaker".into(), "emotion".into()];
    h.extend(siamese_ser::data::feature_names());
    h.join(",")
}

/// A row of our format with every feature set to `v`.
pub fn our_row(file: &str, speaker: &str, emotion: &str, v: f32) -> String {
    let mut r = vec![file.to_string(), speaker.into(), emotion.into()];
    r.extend(std::iter::repeat_n(v.to_string(), 64));
    r.join(",")
}

/// 40 RAVDESS rows, 10 of them relabelled `neutral` or `calm`; `file_column` renames (or, if
/// empty, drops) the file-name column.
pub fn mixed_labels(file_column: &str) -> String {
    let text = include_str!("../../data/ravdess_16k.csv");
    let mut out = Vec::new();
    for (i, line) in text.lines().take(41).enumerate() {
        let mut cells: Vec<String> = line.split(',').map(String::from).collect();
        if i == 0 {
            cells[0] = file_column.into();
        } else if i % 4 == 0 {
            cells[3] = if i % 8 == 0 { "neutral" } else { "calm" }.into();
        }
        if file_column.is_empty() {
            cells.remove(0);
        }
        out.push(cells.join(","));
    }
    out.join("\n")
}

/// A model pretrained for one epoch on the committed RAVDESS rows: enough for tests of what
/// is done with a model's output, not of how good it is.
pub fn one_epoch_model() -> siamese_ser::recognizer::Recognizer {
    use siamese_ser::config::{ModelConfig, NormalizationConfig, TrainConfig};
    use siamese_ser::recognizer::{Recognizer, ReferencePolicy};
    let mut t = Recognizer::start_pretraining(
        &ravdess(),
        &ModelConfig::default(),
        &NormalizationConfig::default(),
        &TrainConfig { epochs: 1, ..TrainConfig::pretrain() },
        ReferencePolicy::default(),
    )
    .expect("the default settings are valid");
    t.run().expect("one epoch trains");
    t.finish()
}
