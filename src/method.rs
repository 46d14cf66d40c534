//! Methods: the paper's way of training the Siamese network, and a regularised one that adapts
//! better from a few samples.
//!
//! A method is a set of training settings for the three kinds of run — training from scratch on
//! a source corpus (OODT), training from scratch on the other target speakers (IDT), and
//! fine-tuning on a few labelled rows — over the same network, loss, pair sampling and
//! classification by comparison:
//!
//! - [`Method::Paper`]: the paper's settings (plain Adam; fine-tuning replaces the references
//!   with the labelled rows). The default of `reproduce`, so that Table 1 stays the paper's.
//! - [`Method::Regularised`]: decoupled weight decay (AdamW) against over-fitting a source
//!   corpus of few speakers (Gaussian input noise was tried and not chosen), a longer IDT
//!   budget, and fine-tuning that
//!   keeps the pretrained model's references beside the labelled rows (as references and as
//!   training rows), so that eight labelled rows add to what the model knows instead of
//!   replacing it. Its values were chosen by `siamese-ser select --method regularised` on the
//!   development speakers only ([`REGULARISED`]; README, "Methods").
//!
//! `best` names the method that measured best (today [`Method::Regularised`]); scripts that
//! ask for `best` follow it as it improves.

use crate::config::TrainConfig;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// How the network is trained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The paper's settings.
    #[default]
    Paper,
    /// Weight decay, longer IDT, fine-tuning that keeps the references.
    Regularised,
}

/// The regularised method's values for each kind of run (chosen by `select --method
/// regularised`; README, "Methods").
pub const REGULARISED: RegularisedSettings = RegularisedSettings {
    pretrain: Regularisation { weight_decay: 0.3, input_noise: 0.0, epochs: 40, keep_references: false },
    idt: Regularisation { weight_decay: 0.3, input_noise: 0.0, epochs: 240, keep_references: false },
    finetune: Regularisation { weight_decay: 0.3, input_noise: 0.0, epochs: 60, keep_references: true },
};

/// The values that make [`Method::Regularised`], per kind of run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RegularisedSettings {
    pub pretrain: Regularisation,
    pub idt: Regularisation,
    pub finetune: Regularisation,
}

/// What the regularised method changes in one kind of run (everything else is the paper's).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Regularisation {
    pub weight_decay: f64,
    pub input_noise: f64,
    pub epochs: usize,
    pub keep_references: bool,
}

impl Regularisation {
    /// `paper` with these values.
    fn apply(&self, paper: TrainConfig) -> TrainConfig {
        TrainConfig {
            weight_decay: self.weight_decay,
            input_noise: self.input_noise,
            epochs: self.epochs,
            keep_references: self.keep_references,
            ..paper
        }
    }
}

impl Method {
    /// Every method, in the order `--help` lists them.
    pub const ALL: [Method; 2] = [Method::Paper, Method::Regularised];

    /// The method that measured best (README, "Methods").
    pub const BEST: Method = Method::Regularised;

    /// Parses `paper`, `regularised` (or `regularized`) and `best`.
    pub fn parse(s: &str) -> Result<Method> {
        match s.trim().to_ascii_lowercase().as_str() {
            "paper" => Ok(Method::Paper),
            "regularised" | "regularized" => Ok(Method::Regularised),
            "best" => Ok(Method::BEST),
            _ => Err(Error::setting("method", s, "paper, regularised or best")),
        }
    }

    /// Its name, as `parse` takes it.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Paper => "paper",
            Method::Regularised => "regularised",
        }
    }

    /// One line on what it does.
    pub fn describe(&self) -> &'static str {
        match self {
            Method::Paper => {
                "the paper's settings: plain Adam; fine-tuning replaces the references with the labelled rows"
            }
            Method::Regularised => {
                "weight decay, a longer IDT budget, and fine-tuning that keeps the pretrained \
                 model's references beside the labelled rows"
            }
        }
    }

    /// `paper`, or this method's change of it.
    fn adjust(&self, paper: TrainConfig, regularised: &Regularisation) -> TrainConfig {
        match self {
            Method::Paper => paper,
            Method::Regularised => regularised.apply(paper),
        }
    }

    /// Settings for training from scratch on a source corpus.
    pub fn pretrain(&self) -> TrainConfig {
        self.adjust(TrainConfig::pretrain(), &REGULARISED.pretrain)
    }

    /// Settings for training from scratch on the other target speakers (IDT).
    pub fn idt(&self) -> TrainConfig {
        self.adjust(TrainConfig::pretrain(), &REGULARISED.idt)
    }

    /// Settings for fine-tuning on a few labelled rows (frozen layers and the distance loss
    /// are chosen per run).
    pub fn finetune(&self) -> TrainConfig {
        self.adjust(TrainConfig::finetune(), &REGULARISED.finetune)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_best_is_an_alias() {
        for m in Method::ALL {
            assert_eq!(Method::parse(m.name()).unwrap(), m);
        }
        assert_eq!(Method::parse("best").unwrap(), Method::BEST);
        assert_eq!(Method::parse(" Regularized ").unwrap(), Method::Regularised);
        assert!(Method::parse("magic").is_err());
    }

    #[test]
    fn the_paper_method_is_the_paper_settings_and_every_method_validates() {
        assert_eq!(Method::Paper.pretrain(), TrainConfig::pretrain());
        assert_eq!(Method::Paper.finetune(), TrainConfig::finetune());
        for m in Method::ALL {
            for c in [m.pretrain(), m.idt(), m.finetune()] {
                c.validate(3).unwrap();
            }
        }
        assert!(Method::Regularised.finetune().keep_references);
    }
}
