//! Principal component analysis to two dimensions, for the page's picture of the embedding
//! space (what a Siamese network learns: rows of one emotion close together).
//!
//! The two leading eigenvectors of the covariance matrix are found by power iteration with
//! deflation, from a fixed start and with a fixed sign (the largest component positive), so the
//! same rows always give the same picture.

use ndarray::{Array1, Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

/// Rows projected on their first two principal components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// `(x, y)` of each row.
    pub points: Vec<[f32; 2]>,
    /// Share of the total variance along each of the two components.
    pub explained: [f64; 2],
}

/// Projects the rows of `x` `(rows, dims)` on their first two principal components. Fewer than
/// two rows, or rows without spread, project to the origin.
pub fn project_2d(x: ArrayView2<f32>) -> Projection {
    let (n, d) = x.dim();
    if n < 2 || d == 0 {
        return Projection { points: vec![[0.0; 2]; n], explained: [0.0; 2] };
    }
    let xf = x.mapv(f64::from);
    let mean = xf.mean_axis(Axis(0)).expect("at least two rows");
    let centred = &xf - &mean;
    let cov = centred.t().dot(&centred) / (n as f64 - 1.0);
    let total: f64 = cov.diag().sum();
    let mut rest = cov.clone();
    let mut axes = Vec::new();
    let mut explained = [0.0; 2];
    for slot in &mut explained {
        let (value, vector) = leading(&rest);
        *slot = if total > 0.0 { (value / total).max(0.0) } else { 0.0 };
        // Deflate: remove this component.
        let outer = vector.view().insert_axis(Axis(1)).dot(&vector.view().insert_axis(Axis(0)));
        rest = &rest - &(outer * value);
        axes.push(vector);
    }
    let points = centred
        .rows()
        .into_iter()
        .map(|r| [r.dot(&axes[0]) as f32, if d > 1 { r.dot(&axes[1]) as f32 } else { 0.0 }])
        .collect();
    Projection { points, explained }
}

/// The leading eigenvalue and unit eigenvector of the symmetric matrix `m` (power iteration).
fn leading(m: &Array2<f64>) -> (f64, Array1<f64>) {
    let d = m.nrows();
    // A fixed start with a component along every axis.
    let mut v = Array1::from_shape_fn(d, |i| 1.0 + 0.1 * i as f64);
    v /= v.dot(&v).sqrt();
    let mut value = 0.0;
    for _ in 0..500 {
        let w = m.dot(&v);
        let norm = w.dot(&w).sqrt();
        if norm < 1e-300 {
            return (0.0, v);
        }
        let next = &w / norm;
        let change = (&next - &v).mapv(f64::abs).sum();
        v = next;
        value = v.dot(&m.dot(&v));
        if change < 1e-12 {
            break;
        }
    }
    // A fixed sign: the largest component positive.
    let big = v.iter().copied().fold(0.0f64, |a, b| if b.abs() > a.abs() { b } else { a });
    if big < 0.0 {
        v.mapv_inplace(|x| -x);
    }
    (value, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_directions_of_most_spread() {
        // Points spread along (1, 1, 0) a lot and along (1, −1, 0) a little.
        let rows: Vec<[f32; 3]> = (0..50)
            .map(|i| {
                let (a, b) = ((i as f32 - 25.0) / 5.0, ((i * 7 % 11) as f32 - 5.0) / 10.0);
                [a + b, a - b, 0.0]
            })
            .collect();
        let x = Array2::from_shape_fn((50, 3), |(i, j)| rows[i][j]);
        let p = project_2d(x.view());
        assert!(p.explained[0] > 0.95 && p.explained[1] > 0.0 && p.explained[0] + p.explained[1] <= 1.0 + 1e-9);
        // The first coordinate follows a (up to the fixed sign), the second b.
        let first: Vec<f32> = p.points.iter().map(|q| q[0]).collect();
        assert!(first.windows(2).all(|w| (w[1] - w[0]).abs() > 0.1), "monotone along the main direction");
        assert_eq!(project_2d(x.view()), p, "the same rows, the same picture");
        assert_eq!(project_2d(Array2::<f32>::zeros((1, 3)).view()).points, vec![[0.0, 0.0]]);
    }
}
