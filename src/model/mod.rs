//! The Siamese network of the paper, written on ndarray: layers, activations, losses, optimiser.
//!
//! Everything here is generic over [`Float`] so the same code runs in `f32` (training, the
//! browser) and in `f64` (the finite-difference gradient checks in `tests/gradients.rs`).

pub mod activation;
pub mod dense;
pub mod gemm;
pub mod loss;
pub mod optim;
pub mod siamese;

use ndarray::{ArrayView2, ArrayViewMut2};

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
    /// `C ← A·B + β·C` (ndarray's product; `f32` in the browser uses [`gemm::blocked`]).
    fn mat_mul(a: ArrayView2<Self>, b: ArrayView2<Self>, beta: Self, mut c: ArrayViewMut2<Self>) {
        ndarray::linalg::general_mat_mul(Self::one(), &a, &b, beta, &mut c);
    }
}

impl Float for f32 {
    fn of(x: f64) -> Self {
        x as f32
    }
    fn f64(self) -> f64 {
        self as f64
    }
    #[cfg(target_arch = "wasm32")]
    fn mat_mul(a: ArrayView2<f32>, b: ArrayView2<f32>, beta: f32, c: ArrayViewMut2<f32>) {
        gemm::blocked(a, b, beta, c);
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
