//! Training settings: one serde struct with documented defaults and one `validate()`.
//!
//! The page passes a partial JSON object (`{"epochs": 100}`); every missing field takes its
//! default. The architecture ([`ModelConfig`]) and the standardisation
//! ([`NormalizationConfig`]) belong to a model and travel in its weights file; a
//! [`TrainConfig`] describes one training run and is stored there too, as a record.

pub use crate::data::NormalizationConfig;
use crate::error::{Error, Result};
use crate::model::AdamConfig;
pub use crate::model::ModelConfig;
use serde::{Deserialize, Serialize};

/// Largest number of epochs accepted (a guard against typing one zero too many).
pub const MAX_EPOCHS: usize = crate::limits::LIMITS.epochs;
/// Largest batch accepted, in pairs.
pub const MAX_BATCH_PAIRS: usize = crate::limits::LIMITS.batch_pairs;
/// Largest input noise (in standard deviations of the standardised features).
pub const MAX_INPUT_NOISE: f64 = 10.0;

/// Reads settings (any of the config structs) from JSON text, with messages for a person: the
/// size is checked first, and serde's wording ("invalid type: floating point `1e+20`, expected
/// u64") becomes "1e20 is not a whole number from 0 to 18446744073709551615". Unknown fields
/// are errors naming the field.
pub fn settings_from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    crate::limits::check_settings(text)?;
    serde_json::from_str(text).map_err(|e| Error::BadSettings { message: friendly(&e.to_string()) })
}

/// serde_json's message, in words for the person who typed the setting.
fn friendly(message: &str) -> String {
    // "… at line 1 column N" of a one-line object means nothing to a person.
    let m = message.split(" at line ").next().unwrap_or(message);
    let expected = |what: &str| -> Option<&'static str> {
        Some(match what {
            "u64" => "a whole number from 0 to 18446744073709551615",
            "u32" => "a whole number from 0 to 4294967295",
            "usize" => "a whole number of 0 or more",
            "f64" | "f32" => "a number",
            "a boolean" => "true or false",
            "a string" => "text in quotes",
            _ => return None,
        })
    };
    if let Some(rest) = m.strip_prefix("invalid type: ") {
        // "floating point `1e+20`, expected u64", "string \"two\", expected usize"
        if let Some((found, want)) = rest.split_once(", expected ") {
            let value = found.split_once('`').map_or(found, |(_, v)| v.trim_end_matches('`'));
            let value = value.split_once('"').map_or(value, |(_, v)| v.trim_end_matches('"'));
            if let Some(w) = expected(want.trim()) {
                return format!("{} is not {w}", value.replace("e+", "e"));
            }
        }
    }
    if let Some(rest) = m.strip_prefix("invalid value: integer `") {
        if let Some((v, want)) = rest.split_once("`, expected ") {
            if let Some(w) = expected(want.trim()) {
                return format!("{v} is not {w}");
            }
        }
    }
    m.to_string()
}

/// One training run: pretraining, an IDT fold or a fine-tuning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Passes over the labelled rows; an epoch is ⌈rows / batch_pairs⌉ batches, so every row
    /// anchors at least one pair per epoch. Default 240 (the fine-tuning budget; see
    /// [`TrainConfig::pretrain`]).
    pub epochs: usize,
    /// Pairs per batch, half same-emotion and half different. Default 32.
    pub batch_pairs: usize,
    /// Adam learning rate for the pair loss. Default 1e-3.
    pub learning_rate: f64,
    /// Seed for pair sampling (and for the initial weights when training from scratch).
    /// Default 42. Same seed, same data, same settings ⇒ the same weights, bit for bit.
    pub seed: u64,
    /// Extractor layers, counted from the input, whose weights stay fixed. Default 0.
    pub frozen_layers: usize,
    /// Apply the distance loss (Eq. 1) to the extractor at the end of each batch. Default false.
    pub distance_loss: bool,
    /// Adam learning rate of the distance-loss step (it has its own Adam state, so its scale
    /// does not disturb the pair loss's moment estimates). Default 1e-3.
    pub distance_learning_rate: f64,
    /// Margin m₀ below which the distance loss switches to its tangent extension (see
    /// [`DistanceLoss`](crate::model::DistanceLoss)). Default 0.05.
    pub distance_min_margin: f64,
    /// Decoupled weight decay λ of the pair loss's optimiser (AdamW; weights, not biases).
    /// Default 0, the paper's plain Adam.
    pub weight_decay: f64,
    /// Standard deviation of Gaussian noise added to the standardised inputs of every batch
    /// (a fresh draw each batch, from its own seeded stream). Default 0, none.
    pub input_noise: f64,
    /// Fine-tuning only: keep the model's references (for a pretrained model, source rows)
    /// beside the labelled rows, as references and as training rows, so that a few target rows
    /// add to what the model knows instead of replacing it. Default false, the paper's (the
    /// labelled rows replace the references).
    pub keep_references: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 240,
            batch_pairs: 32,
            learning_rate: 1e-3,
            seed: 42,
            frozen_layers: 0,
            distance_loss: false,
            distance_learning_rate: 1e-3,
            distance_min_margin: 0.05,
            weight_decay: 0.0,
            input_noise: 0.0,
            keep_references: false,
        }
    }
}

impl TrainConfig {
    /// The budget for training from scratch on a corpus (pretraining, IDT folds): 64 pairs a
    /// batch, learning rate 3e-3; 40 epochs are 1,000 steps on TESS's 1,600 rows and 480 on an
    /// IDT fold's 736 RAVDESS rows. (Chosen on TESS → RAVDESS over 3 seeds: 3e-3 gave higher
    /// OODT and IDT UAR than 1e-3 and 3e-4; 20–160 epochs were within seed noise. README.)
    pub fn pretrain() -> TrainConfig {
        TrainConfig { epochs: 40, batch_pairs: 64, learning_rate: 3e-3, ..TrainConfig::default() }
    }

    /// The budget for fine-tuning on a few labelled rows: 32 pairs a batch, 240 epochs
    /// (240 steps for the 8 rows of a k = 2 draw).
    pub fn finetune() -> TrainConfig {
        TrainConfig::default()
    }

    /// Adam settings of the pair loss.
    pub fn adam(&self) -> AdamConfig {
        AdamConfig { lr: self.learning_rate, weight_decay: self.weight_decay, ..AdamConfig::default() }
    }

    /// Adam settings of the distance loss.
    pub fn distance_adam(&self) -> AdamConfig {
        AdamConfig { lr: self.distance_learning_rate, ..AdamConfig::default() }
    }

    /// Rejects settings that cannot work for a network with `extractor_layers` extractor layers.
    pub fn validate(&self, extractor_layers: usize) -> Result<()> {
        if self.epochs == 0 || self.epochs > MAX_EPOCHS {
            return Err(Error::setting("epochs", self.epochs, format!("an integer from 1 to {MAX_EPOCHS}")));
        }
        if self.batch_pairs < 2 || self.batch_pairs > MAX_BATCH_PAIRS {
            return Err(Error::setting(
                "batch_pairs",
                self.batch_pairs,
                format!("an integer from 2 to {MAX_BATCH_PAIRS}"),
            ));
        }
        self.adam().validate("learning_rate")?;
        self.distance_adam().validate("distance_learning_rate")?;
        if self.frozen_layers > extractor_layers {
            return Err(Error::setting(
                "frozen_layers",
                self.frozen_layers,
                format!("0 to {extractor_layers} (the extractor has {extractor_layers} layers)"),
            ));
        }
        if self.distance_loss && self.frozen_layers == extractor_layers {
            return Err(Error::setting(
                "frozen_layers",
                self.frozen_layers,
                "fewer than all extractor layers when the distance loss is on: it trains only the extractor",
            ));
        }
        // At least 1e-3: the rule's gradient is bounded by 1/m₀², and with D_d + D_s ≥ 1e-12
        // (MIN_DISTANCE_SUM) its square stays finite in f32, inside Adam.
        if !(self.distance_min_margin.is_finite() && self.distance_min_margin >= 1e-3 && self.distance_min_margin < 1.0)
        {
            return Err(Error::setting("distance_min_margin", self.distance_min_margin, "a number in [0.001, 1)"));
        }
        if !(self.input_noise.is_finite() && (0.0..=MAX_INPUT_NOISE).contains(&self.input_noise)) {
            return Err(Error::setting(
                "input_noise",
                self.input_noise,
                format!("a number from 0 to {MAX_INPUT_NOISE}"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_errors_are_in_words() {
        let e = settings_from_json::<TrainConfig>(r#"{"seed": 1e20}"#).unwrap_err().to_string();
        assert!(e.ends_with("1e20 is not a whole number from 0 to 18446744073709551615"), "{e}");
        let e = settings_from_json::<TrainConfig>(r#"{"epochs": "two"}"#).unwrap_err().to_string();
        assert!(e.contains("two is not a whole number of 0 or more"), "{e}");
        let e = settings_from_json::<TrainConfig>(r#"{"epochs": -3}"#).unwrap_err().to_string();
        assert!(e.contains("-3 is not a whole number of 0 or more"), "{e}");
        let e = settings_from_json::<TrainConfig>(r#"{"epoch": 3}"#).unwrap_err().to_string();
        assert!(e.contains("unknown field `epoch`") && !e.contains("line 1"), "{e}");
        assert!(settings_from_json::<TrainConfig>(&" ".repeat(crate::limits::LIMITS.settings_bytes + 1)).is_err());
    }

    #[test]
    fn partial_json_takes_defaults() {
        let c: TrainConfig = serde_json::from_str(r#"{"epochs": 7, "distance_loss": true}"#).unwrap();
        assert_eq!(c.epochs, 7);
        assert!(c.distance_loss);
        assert_eq!(c.batch_pairs, TrainConfig::default().batch_pairs);
        assert!(serde_json::from_str::<TrainConfig>(r#"{"epoch": 7}"#).is_err(), "typos are caught");
    }

    #[test]
    fn absurd_settings_are_rejected_by_name() {
        let cases: Vec<(TrainConfig, &str)> = vec![
            (TrainConfig { epochs: 0, ..Default::default() }, "epochs"),
            (TrainConfig { epochs: MAX_EPOCHS + 1, ..Default::default() }, "epochs"),
            (TrainConfig { batch_pairs: 1, ..Default::default() }, "batch_pairs"),
            (TrainConfig { learning_rate: f64::NAN, ..Default::default() }, "learning_rate"),
            (TrainConfig { learning_rate: -1.0, ..Default::default() }, "learning_rate"),
            (TrainConfig { frozen_layers: 4, ..Default::default() }, "frozen_layers"),
            (TrainConfig { frozen_layers: 3, distance_loss: true, ..Default::default() }, "frozen_layers"),
            (TrainConfig { distance_min_margin: 1.5, ..Default::default() }, "distance_min_margin"),
            (TrainConfig { distance_learning_rate: f64::INFINITY, ..Default::default() }, "distance_learning_rate"),
            (TrainConfig { weight_decay: f64::NAN, ..Default::default() }, "weight_decay"),
            (TrainConfig { weight_decay: 2000.0, ..Default::default() }, "weight_decay"),
            (TrainConfig { input_noise: -0.1, ..Default::default() }, "input_noise"),
            (TrainConfig { input_noise: 11.0, ..Default::default() }, "input_noise"),
        ];
        for (c, name) in cases {
            match c.validate(3) {
                Err(Error::InvalidSetting { name: n, .. }) => assert_eq!(n, name),
                other => panic!("{name}: {other:?}"),
            }
        }
        assert!(TrainConfig::default().validate(3).is_ok());
        assert!(TrainConfig::pretrain().validate(3).is_ok());
    }
}
