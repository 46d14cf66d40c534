//! Analytic gradients against central finite differences, in f64, for every parameter of the
//! paper's network: the pair BCE, the distance loss (on both sides of its D_d ≤ D_s rule), and
//! both with 0–3 frozen extractor layers.

use ndarray::{Array1, Array2};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use siamese_ser::model::{ModelConfig, SiameseNet};

struct Case {
    net: SiameseNet<f64>,
    x: Array2<f64>,
    pairs: Vec<(usize, usize)>,
    same: Vec<bool>,
}

fn case(seed: u64) -> Case {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut net: SiameseNet<f64> = SiameseNet::new(&ModelConfig::default(), &mut rng);
    // Non-zero biases so their gradients are exercised away from the initial symmetry.
    for l in net.layers_mut() {
        l.b.mapv_inplace(|_| rng.random_range(-0.1..0.1));
    }
    let x = Array2::from_shape_simple_fn((6, 64), || rng.random_range(-2.0..2.0));
    // Rows reused across pairs, as in a few-shot batch; both orders of a pair appear.
    let pairs = vec![(0, 1), (1, 0), (0, 2), (3, 4), (4, 5), (2, 5), (1, 3), (5, 0), (2, 2 + 1), (4, 1)];
    let same = vec![true, true, false, true, false, true, false, false, true, false];
    Case { net, x, pairs, same }
}

/// Mutable access to parameter `idx` of layer `k` (weights first, row-major, then bias).
fn param(n: &mut SiameseNet<f64>, k: usize, idx: usize) -> &mut f64 {
    let l = n.layers_mut().swap_remove(k);
    let nw = l.w.len();
    if idx < nw { &mut l.w.as_slice_mut().unwrap()[idx] } else { &mut l.b[idx - nw] }
}

/// Compares the gradient `loss` accumulates with central differences of its value, for every
/// parameter; layers below `frozen` must get exactly zero.
fn check(c: &Case, frozen: usize, loss: &dyn Fn(&SiameseNet<f64>, &mut SiameseNet<f64>) -> f64, what: &str) {
    let mut grads = c.net.zeros_like();
    loss(&c.net, &mut grads);
    let h = 1e-6;
    let mut scratch = c.net.zeros_like();
    let mut net = c.net.clone();
    let n_layers = net.layers().len();
    let mut checked = 0;
    for k in 0..n_layers {
        let g = grads.layers()[k].clone();
        let frozen_layer = k < frozen;
        for idx in 0..g.w.len() + g.b.len() {
            let analytic = if idx < g.w.len() { g.w.as_slice().unwrap()[idx] } else { g.b[idx - g.w.len()] };
            if frozen_layer {
                assert_eq!(analytic, 0.0, "{what}: frozen layer {k} got a gradient");
                continue;
            }
            let orig = *param(&mut net, k, idx);
            *param(&mut net, k, idx) = orig + h;
            let up = loss(&net, &mut scratch);
            *param(&mut net, k, idx) = orig - h;
            let down = loss(&net, &mut scratch);
            *param(&mut net, k, idx) = orig;
            let fd = (up - down) / (2.0 * h);
            let tol = 1e-6 + 1e-5 * analytic.abs().max(fd.abs());
            assert!(
                (analytic - fd).abs() <= tol,
                "{what}: layer {k} parameter {idx}: analytic {analytic:e}, finite difference {fd:e}"
            );
            checked += 1;
        }
    }
    let trainable: usize = c.net.layers().iter().skip(frozen).map(|l| l.len()).sum();
    assert_eq!(checked, trainable);
}

#[test]
fn pair_bce_every_parameter() {
    let c = case(1);
    for frozen in 0..=3 {
        let f = |n: &SiameseNet<f64>, g: &mut SiameseNet<f64>| {
            n.bce_backward(0, c.x.view(), &c.pairs, &c.same, g, frozen).bce
        };
        check(&c, frozen, &f, &format!("BCE, {frozen} frozen"));
    }
}

#[test]
fn distance_loss_every_extractor_parameter() {
    let c = case(2);
    for frozen in 0..=2 {
        let f = |n: &SiameseNet<f64>, g: &mut SiameseNet<f64>| {
            let l = n.distance_backward(0, c.x.view(), &c.pairs, &c.same, 0.01, g, frozen).expect("defined");
            assert!(!l.clamped, "this case is meant to use Eq. (1) itself (margin {})", l.margin);
            l.value
        };
        check(&c, frozen, &f, &format!("distance, {frozen} frozen"));
        // The head gets nothing from the distance loss.
        let mut g = c.net.zeros_like();
        f(&c.net, &mut g);
        assert!(g.head.w.iter().chain(g.out.w.iter()).all(|&v| v == 0.0));
    }
}

#[test]
fn distance_loss_under_the_dd_le_ds_rule() {
    let c = case(3);
    // m₀ = 0.99 forces the tangent extension on this random batch.
    let f = |n: &SiameseNet<f64>, g: &mut SiameseNet<f64>| {
        let l = n.distance_backward(0, c.x.view(), &c.pairs, &c.same, 0.99, g, 0).expect("defined");
        assert!(l.clamped);
        l.value
    };
    check(&c, 0, &f, "distance (clamped)");
}

#[test]
fn f32_agrees_with_f64() {
    let c = case(4);
    let to32 = |a: &Array2<f64>| a.mapv(|v| v as f32);
    let net32 = SiameseNet {
        extractor: c
            .net
            .extractor
            .iter()
            .map(|l| siamese_ser::model::Dense { w: to32(&l.w), b: l.b.mapv(|v| v as f32) })
            .collect(),
        head: siamese_ser::model::Dense { w: to32(&c.net.head.w), b: c.net.head.b.mapv(|v| v as f32) },
        out: siamese_ser::model::Dense { w: to32(&c.net.out.w), b: c.net.out.b.mapv(|v| v as f32) },
    };
    let z64: Array1<f64> = c.net.pair_logits(c.x.view(), &c.pairs);
    let z32 = net32.pair_logits(to32(&c.x).view(), &c.pairs);
    for (a, b) in z64.iter().zip(z32.iter()) {
        assert!((a - *b as f64).abs() < 1e-4 * (1.0 + a.abs()), "{a} vs {b}");
    }
}
