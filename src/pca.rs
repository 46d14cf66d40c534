//! Principal component analysis to two dimensions, for the page's picture of the embedding
//! space (what a Siamese network learns: rows of one emotion close together).
//!
//! The two leading eigenvectors of the covariance matrix are found by power iteration with
//! deflation, from a fixed start and with a fixed sign (the largest component positive), so the
//! same rows always give the same picture.

use ndarray::ArrayView2;
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
/// two rows, or rows without spread, project to the origin. (Plain loops over a d × d matrix:
/// d is the embedding width, 16, and this also runs in the browser, where code size counts.)
pub fn project_2d(x: ArrayView2<f32>) -> Projection {
    let (n, d) = x.dim();
    if n < 2 || d == 0 {
        return Projection { points: vec![[0.0; 2]; n], explained: [0.0; 2] };
    }
    let mut mean = vec![0.0f64; d];
    for row in x.rows() {
        for (m, v) in mean.iter_mut().zip(row) {
            *m += *v as f64 / n as f64;
        }
    }
    let centred: Vec<Vec<f64>> =
        x.rows().into_iter().map(|r| r.iter().zip(&mean).map(|(v, m)| *v as f64 - m).collect()).collect();
    let mut cov = vec![vec![0.0f64; d]; d];
    for r in &centred {
        for a in 0..d {
            for b in 0..d {
                cov[a][b] += r[a] * r[b] / (n as f64 - 1.0);
            }
        }
    }
    let total: f64 = (0..d).map(|a| cov[a][a]).sum();
    let mut axes = Vec::new();
    let mut explained = [0.0; 2];
    for slot in &mut explained {
        let (value, vector) = leading(&cov);
        *slot = if total > 0.0 { (value / total).max(0.0) } else { 0.0 };
        // Deflate: remove this component.
        for a in 0..d {
            for b in 0..d {
                cov[a][b] -= value * vector[a] * vector[b];
            }
        }
        axes.push(vector);
    }
    let dot = |u: &[f64], v: &[f64]| u.iter().zip(v).map(|(a, b)| a * b).sum::<f64>();
    let points = centred.iter().map(|r| [dot(r, &axes[0]) as f32, dot(r, &axes[1]) as f32]).collect();
    Projection { points, explained }
}

/// The leading eigenvalue and unit eigenvector of the symmetric matrix `m` (power iteration).
fn leading(m: &[Vec<f64>]) -> (f64, Vec<f64>) {
    let d = m.len();
    let times = |v: &[f64]| -> Vec<f64> { m.iter().map(|row| row.iter().zip(v).map(|(a, b)| a * b).sum()).collect() };
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    // A fixed start with a component along every axis.
    let mut v: Vec<f64> = (0..d).map(|i| 1.0 + 0.1 * i as f64).collect();
    let n0 = norm(&v);
    v.iter_mut().for_each(|x| *x /= n0);
    let mut value = 0.0;
    for _ in 0..500 {
        let w = times(&v);
        let nw = norm(&w);
        if nw < 1e-300 {
            return (0.0, v);
        }
        let next: Vec<f64> = w.iter().map(|x| x / nw).collect();
        let change: f64 = next.iter().zip(&v).map(|(a, b)| (a - b).abs()).sum();
        v = next;
        value = v.iter().zip(times(&v)).map(|(a, b)| a * b).sum();
        if change < 1e-12 {
            break;
        }
    }
    // A fixed sign: the largest component positive.
    let big = v.iter().copied().fold(0.0f64, |a, b| if b.abs() > a.abs() { b } else { a });
    if big < 0.0 {
        v.iter_mut().for_each(|x| *x = -*x);
    }
    (value, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    use ndarray::Array2;

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
