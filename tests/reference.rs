//! The batched, embed-each-row-once implementation against a slow, obvious one that runs the
//! extractor separately for each side of each pair (ndarray's `reference_mat_mul` pattern).

use ndarray::{Array1, Array2, ArrayView1};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use siamese_ser::model::{Dense, ModelConfig, SiameseNet};

/// One row through one layer and a ReLU, by loops.
fn dense_relu(l: &Dense<f64>, x: ArrayView1<f64>) -> Array1<f64> {
    Array1::from_shape_fn(l.outputs(), |o| {
        let mut s = l.b[o];
        for i in 0..l.inputs() {
            s += x[i] * l.w[[i, o]];
        }
        s.max(0.0)
    })
}

/// P(same) logit of one pair, computed from scratch.
fn naive_logit(net: &SiameseNet<f64>, a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    let embed = |x: ArrayView1<f64>| net.extractor.iter().fold(x.to_owned(), |h, l| dense_relu(l, h.view()));
    let d = (&embed(a) - &embed(b)).mapv(f64::abs);
    let h = dense_relu(&net.head, d.view());
    net.out.b[0] + h.iter().zip(net.out.w.column(0)).map(|(h, w)| h * w).sum::<f64>()
}

#[test]
fn batched_logits_and_loss_equal_the_naive_loop() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
    let net: SiameseNet<f64> = SiameseNet::new(&ModelConfig::default(), &mut rng);
    let x = Array2::from_shape_simple_fn((9, 64), || rng.random_range(-3.0..3.0));
    let pairs: Vec<(usize, usize)> = (0..40).map(|_| (rng.random_range(0..9), rng.random_range(0..9))).collect();
    let same: Vec<bool> = (0..40).map(|_| rng.random_bool(0.5)).collect();

    let batched = net.pair_logits(x.view(), &pairs);
    let mut naive_loss = 0.0;
    for (p, &(i, j)) in pairs.iter().enumerate() {
        let z = naive_logit(&net, x.row(i), x.row(j));
        assert!((batched[p] - z).abs() < 1e-10, "pair {p}: {} vs {z}", batched[p]);
        let y = if same[p] { 1.0 } else { 0.0 };
        let prob = 1.0 / (1.0 + (-z).exp());
        naive_loss -= y * prob.ln() + (1.0 - y) * (1.0 - prob).ln();
    }
    naive_loss /= pairs.len() as f64;
    let mut g = net.zeros_like();
    let stats = net.bce_backward(0, x.view(), &pairs, &same, &mut g, 0);
    assert!((stats.bce - naive_loss).abs() < 1e-10, "{} vs {naive_loss}", stats.bce);
}
