//! A fully connected layer `y = x·W + b`.

use super::Float;
use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut2, Axis};
use rand::RngExt;

/// Weights `w` `(in, out)` and bias `b` `(out)`. The same type holds gradients and the
/// optimiser's moment estimates.
#[derive(Debug, Clone, PartialEq)]
pub struct Dense<F> {
    pub w: Array2<F>,
    pub b: Array1<F>,
}

impl<F: Float> Dense<F> {
    /// He-uniform weights, U(±√(6 / in)), the usual choice before a ReLU; zero bias.
    pub fn he_uniform<R: rand::Rng + ?Sized>(inputs: usize, outputs: usize, rng: &mut R) -> Dense<F> {
        let limit = (6.0 / inputs as f64).sqrt();
        Dense {
            w: Array2::from_shape_simple_fn((inputs, outputs), || F::of(rng.random_range(-limit..limit))),
            b: Array1::zeros(outputs),
        }
    }

    /// All-zero layer of the same shape (gradient and moment buffers).
    pub fn zeros_like(&self) -> Dense<F> {
        Dense { w: Array2::zeros(self.w.raw_dim()), b: Array1::zeros(self.b.raw_dim()) }
    }

    /// Input width.
    pub fn inputs(&self) -> usize {
        self.w.nrows()
    }

    /// Output width.
    pub fn outputs(&self) -> usize {
        self.w.ncols()
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.w.len() + self.b.len()
    }

    /// True if the layer has no parameters.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `y ← x·W + b`.
    ///
    /// # Shapes
    /// `x` `(batch, in)` → `y` `(batch, out)`; panics if they do not agree (a programming error).
    pub fn forward_into(&self, x: ArrayView2<F>, y: &mut Array2<F>) {
        if y.dim() != (x.nrows(), self.outputs()) {
            *y = Array2::zeros((x.nrows(), self.outputs()));
        }
        y.assign(&self.b.view().insert_axis(Axis(0)).broadcast((x.nrows(), self.outputs())).unwrap());
        F::mat_mul(x, self.w.view(), F::one(), y.view_mut());
    }

    /// `x·W + b` in a new array.
    pub fn forward(&self, x: ArrayView2<F>) -> Array2<F> {
        let mut y = Array2::zeros((x.nrows(), self.outputs()));
        self.forward_into(x, &mut y);
        y
    }

    /// Accumulates `grad.w += xᵀ·dy`, `grad.b += Σ_rows dy`, and if `dx` is given writes
    /// `dx ← dy·Wᵀ`.
    ///
    /// # Shapes
    /// `x` `(batch, in)`, `dy` `(batch, out)`, `dx` `(batch, in)`.
    pub fn backward(&self, x: ArrayView2<F>, dy: ArrayView2<F>, grad: &mut Dense<F>, dx: Option<ArrayViewMut2<F>>) {
        F::mat_mul(x.t(), dy, F::one(), grad.w.view_mut());
        for row in dy.rows() {
            grad.b += &row;
        }
        if let Some(dx) = dx {
            F::mat_mul(dy, self.w.t(), F::zero(), dx);
        }
    }

    /// True if every parameter is finite.
    pub fn is_finite(&self) -> bool {
        self.w.iter().chain(self.b.iter()).all(|v| v.is_finite())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn forward_and_backward_by_hand() {
        let layer = Dense { w: array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], b: array![0.5, -0.5] };
        let x = array![[1.0, 0.0, -1.0]];
        let y = layer.forward(x.view());
        assert_eq!(y, array![[1.0 - 5.0 + 0.5, 2.0 - 6.0 - 0.5]]);
        let dy = array![[1.0, 2.0]];
        let mut g = layer.zeros_like();
        let mut dx = Array2::zeros((1, 3));
        layer.backward(x.view(), dy.view(), &mut g, Some(dx.view_mut()));
        assert_eq!(g.w, array![[1.0, 2.0], [0.0, 0.0], [-1.0, -2.0]]);
        assert_eq!(g.b, array![1.0, 2.0]);
        assert_eq!(dx, array![[5.0, 11.0, 17.0]]);
    }
}
