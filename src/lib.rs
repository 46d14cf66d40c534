//! # siamese-ser
//!
//! Few-shot speech-emotion recognition with the Siamese network and distance loss of
//! Feng & Chaspari, *A Siamese Neural Network with Modified Distance Loss for Transfer Learning
//! in Speech Emotion Recognition*, in plain Rust that runs natively and in WebAssembly.
//!
//! ## The big picture
//!
//! ```text
//! CSV text ──data::parse_csv──▶ Dataset ──data::normalize──▶ z-scores
//!                                                  │
//!            train::Trainer (pair BCE + distance loss, Adam, frozen layers)
//!                                                  │
//!                                 model::SiameseNet ──▶ classify::References ──▶ eval (UAR)
//!                                                  │
//!           protocol::{oodt, idt, finetune} (the paper's experiments), weights (JSON file)
//! ```
//!
//! The core does no file or network I/O and knows nothing of wasm: callers hand it text and
//! get values back. `main.rs` (the CLI) reads files; the browser binding hands over what the
//! page loaded.
//!
//! ## Modules
//! - [`data`]: CSV parsing, feature sets, emotions, file-name conventions, standardisation,
//!   speaker splits, pair sampling.
//! - [`model`]: dense layers, activations, losses, Adam, the Siamese network.
//! - [`config`]: the training settings.
//! - [`method`]: the paper's method and the regularised one (their training settings).
//! - [`train`]: the stepwise trainer.
//! - [`classify`]: log-similarity classification against labelled references.
//! - [`eval`]: confusion matrix, recall, UAR.
//! - [`stats`]: means, intervals and paired tests for the reports.
//! - [`pca`]: two-dimensional projections for the embedding map.
//! - [`baseline`]: the logistic-regression baseline shown beside every Siamese figure.
//! - [`fewshot`]: one few-shot fine-tuning on a target table (the page's main flow).
//! - [`protocol`]: OODT, IDT and k-shot fine-tuning, as in the paper.
//! - [`recognizer`]: network + standardisation + references, and how they are trained.
//! - [`recordings`]: WAV files and microphone clips as feature rows; predicting an utterance
//!   among one person's clips; the held-out estimate of a model fine-tuned on them.
//! - [`weights`]: the versioned weights file.
//! - [`report`]: records shared by the CLI and the page.
//! - [`rng`]: seeded random streams.
//! - [`limits`]: every limit on what the engine accepts.
//! - `wasm` (wasm32 only): the browser binding, the one file that uses wasm-bindgen.

pub mod audio;
pub mod baseline;
pub mod classify;
pub mod config;
pub mod data;
pub mod error;
pub mod eval;
pub mod fewshot;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod limits;
pub mod method;
pub mod model;
pub mod pca;
pub mod protocol;
pub mod recognizer;
pub mod recordings;
pub mod report;
pub mod rng;
pub mod stats;
pub mod train;
pub mod weights;

/// The browser binding (wasm32 only).
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, ErrorKind, Result};
