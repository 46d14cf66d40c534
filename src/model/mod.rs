//! The Siamese network of the paper, written on ndarray: layers, activations, losses, optimiser.
//!
//! Everything here is generic over [`Float`] so the same code runs in `f32` (training, the
//! browser) and in `f64` (the finite-difference gradient checks in `tests/gradients.rs`).

pub mod activation;
pub mod dense;
pub mod loss;
pub mod optim;
pub mod siamese;

pub use dense::Dense;
pub use loss::DistanceLoss;
pub use optim::{Adam, AdamConfig};
pub use siamese::{BatchStats, ModelConfig, SiameseNet};

/// The floating-point types the model runs in (`f32`, `f64`).
pub trait Float:
    num_traits::Float
    + ndarray::LinalgScalar
    + ndarray::ScalarOperand
    + std::fmt::Debug
    + std::fmt::Display
    + std::ops::AddAssign
    + std::ops::SubAssign
    + std::ops::MulAssign
    + std::ops::DivAssign
    + std::iter::Sum
    + Send
    + Sync
    + 'static
{
    /// Converts from `f64` (rounding for `f32`).
    fn of(x: f64) -> Self;
    /// Converts to `f64`.
    fn f64(self) -> f64;
}

impl Float for f32 {
    fn of(x: f64) -> Self {
        x as f32
    }
    fn f64(self) -> f64 {
        self as f64
    }
}

impl Float for f64 {
    fn of(x: f64) -> Self {
        x
    }
    fn f64(self) -> f64 {
        self
    }
}
