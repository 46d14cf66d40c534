//! Summary statistics for the reports: mean and standard deviation, Student-t confidence
//! intervals, and the Wilcoxon signed-rank test for paired comparisons.
//!
//! - [`interval`] is the two-sided 95 % t-interval of a mean, mean ± t₀.₉₇₅(n − 1)·s/√n, over
//!   values that are independent replicates (in the protocols: one value per pretraining seed).
//! - [`wilcoxon`] is the two-sided signed-rank test of "the paired differences are symmetric
//!   about 0". Zero differences are dropped (Wilcoxon's convention), tied magnitudes get their
//!   average rank, and the p-value is exact: the distribution of the positive-rank sum over all
//!   2ⁿ sign assignments of the observed ranks, computed by dynamic programming (so it is also
//!   exact, conditionally on the ranks, when there are ties).
//!
//! The special functions (log-gamma, the regularised incomplete beta) are the textbook ones:
//! Lanczos's approximation and the continued fraction of the incomplete beta, evaluated by the
//! modified Lentz method.

use serde::{Deserialize, Serialize};

/// Mean and sample standard deviation (n − 1; 0 for a single value; NaN for none).
pub fn mean_std(v: &[f64]) -> (f64, f64) {
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let m = v.iter().sum::<f64>() / v.len() as f64;
    if v.len() < 2 {
        return (m, 0.0);
    }
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64;
    (m, var.sqrt())
}

/// A mean with its spread and 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub mean: f64,
    /// Sample standard deviation of the values.
    pub std: f64,
    /// Two-sided 95 % t-interval of the mean; `None` with fewer than two values.
    pub ci95: Option<[f64; 2]>,
    /// Number of values.
    pub n: usize,
}

/// Mean, standard deviation and 95 % t-interval of `v`.
pub fn interval(v: &[f64]) -> Estimate {
    let (mean, std) = mean_std(v);
    let n = v.len();
    let ci95 = (n >= 2).then(|| {
        let half = t_quantile_975(n - 1) * std / (n as f64).sqrt();
        [mean - half, mean + half]
    });
    Estimate { mean, std, ci95, n }
}

/// A paired comparison: differences `a − b` summarised, with the signed-rank test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairedTest {
    /// Mean difference and its 95 % t-interval.
    pub mean: f64,
    pub ci95: Option<[f64; 2]>,
    /// Pairs where `a` was higher / lower.
    pub wins: usize,
    pub losses: usize,
    /// Pairs compared.
    pub n: usize,
    /// Two-sided Wilcoxon signed-rank p-value (1 when every difference is 0).
    pub p_value: f64,
}

/// Compares paired values: `diffs[i] = a_i − b_i`.
pub fn paired(diffs: &[f64]) -> PairedTest {
    let e = interval(diffs);
    PairedTest {
        mean: e.mean,
        ci95: e.ci95,
        wins: diffs.iter().filter(|&&d| d > 0.0).count(),
        losses: diffs.iter().filter(|&&d| d < 0.0).count(),
        n: diffs.len(),
        p_value: wilcoxon(diffs),
    }
}

/// Two-sided p-value of the Wilcoxon signed-rank test of the differences `d` (see the module
/// docs). Differences within 1e-12 of zero count as zero.
pub fn wilcoxon(d: &[f64]) -> f64 {
    let Some((w2, rank2)) = signed_ranks(d) else { return 1.0 };
    if rank2.len() > 1000 {
        return wilcoxon_normal(w2, &rank2);
    }
    wilcoxon_exact(w2, &rank2)
}

/// The doubled positive-rank sum and the doubled ranks of the non-zero differences (`None` if
/// every difference is zero).
fn signed_ranks(d: &[f64]) -> Option<(usize, Vec<usize>)> {
    let mut nz: Vec<f64> = d.iter().copied().filter(|x| x.abs() > 1e-12 && x.is_finite()).collect();
    let n = nz.len();
    if n == 0 {
        return None;
    }
    nz.sort_by(|a, b| a.abs().total_cmp(&b.abs()));
    // Doubled average ranks (integers even with ties): ranks i+1 … j of a tie group average to
    // (i + 1 + j) / 2, so twice that is an integer.
    let mut rank2 = vec![0usize; n];
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && (nz[j].abs() - nz[i].abs()).abs() <= 1e-12 {
            j += 1;
        }
        for r in &mut rank2[i..j] {
            *r = i + 1 + j;
        }
        i = j;
    }
    let w2: usize = (0..n).filter(|&k| nz[k] > 0.0).map(|k| rank2[k]).sum();
    Some((w2, rank2))
}

/// The exact p-value by dynamic programming over sign assignments.
fn wilcoxon_exact(w2: usize, rank2: &[usize]) -> f64 {
    let total2: usize = rank2.iter().sum();
    // dist[s] = P(positive doubled-rank sum = s) under random signs.
    let mut dist = vec![0.0f64; total2 + 1];
    dist[0] = 1.0;
    let mut reach = 0;
    for &r in rank2 {
        for s in (0..=reach).rev() {
            let p = dist[s] * 0.5;
            dist[s] = p;
            dist[s + r] += p;
        }
        reach += r;
    }
    let lower: f64 = dist[..=w2].iter().sum();
    let upper: f64 = dist[w2..].iter().sum();
    (2.0 * lower.min(upper)).min(1.0)
}

/// Normal approximation with tie correction and continuity correction (very large n).
fn wilcoxon_normal(w2: usize, rank2: &[usize]) -> f64 {
    let w = w2 as f64 / 2.0;
    let n = rank2.len() as f64;
    let mu = n * (n + 1.0) / 4.0;
    let mut ties = 0.0;
    let mut i = 0;
    while i < rank2.len() {
        let j = rank2[i..].iter().take_while(|&&r| r == rank2[i]).count();
        let t = j as f64;
        ties += t * t * t - t;
        i += j;
    }
    let sigma = (n * (n + 1.0) * (2.0 * n + 1.0) / 24.0 - ties / 48.0).sqrt();
    if sigma == 0.0 {
        return 1.0;
    }
    let z = ((w - mu).abs() - 0.5).max(0.0) / sigma;
    (2.0 * normal_sf(z)).min(1.0)
}

/// P(Z > z) for a standard normal Z.
fn normal_sf(z: f64) -> f64 {
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

/// Complementary error function (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom (`df` ≥ 1).
pub fn t_quantile_975(df: usize) -> f64 {
    let df = df.max(1) as f64;
    // P(T > t) = ½ I_{df/(df+t²)}(df/2, ½); find t with P(T > t) = 0.025 by bisection
    // (the tail is monotone in t).
    let tail = |t: f64| 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
    let (mut lo, mut hi) = (0.0f64, 1000.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if tail(mid) > 0.025 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (i, g) in G.iter().enumerate().skip(1) {
        a += g / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The regularised incomplete beta function I_x(a, b).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    // The continued fraction converges fast for x < (a + 1)/(a + b + 2); use the symmetry
    // I_x(a, b) = 1 − I_{1−x}(b, a) otherwise.
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

/// The continued fraction of the incomplete beta (modified Lentz).
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=300 {
        let m = m as f64;
        let m2 = 2.0 * m;
        // Even step.
        let aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        // Odd step.
        let aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_scipy() {
        // scipy.stats.t.ppf(0.975, df)
        for (df, want) in [
            (1, 12.706204736174694),
            (2, 4.302652729749462),
            (4, 2.7764451051977934),
            (9, 2.262157162798205),
            (19, 2.0930240544083087),
            (99, 1.9842169515864174),
        ] {
            let got = t_quantile_975(df);
            assert!((got - want).abs() < 1e-9, "df {df}: {got} vs {want}");
        }
    }

    #[test]
    fn interval_of_known_values() {
        // mean 2, s = 1, n = 3: 2 ± 4.3027·1/√3.
        let e = interval(&[1.0, 2.0, 3.0]);
        assert_eq!((e.mean, e.std, e.n), (2.0, 1.0, 3));
        let [lo, hi] = e.ci95.unwrap();
        assert!((hi - 2.0 - 4.302652729749462 / 3f64.sqrt()).abs() < 1e-9);
        assert!((2.0 - lo - (hi - 2.0)).abs() < 1e-12);
        assert_eq!(interval(&[5.0]).ci95, None);
    }

    #[test]
    fn wilcoxon_matches_scipy() {
        // scipy.stats.wilcoxon(d): exact for small n without ties.
        let d = [0.5, -0.2, 0.3, 0.1, 0.7, -0.4, 0.25, 0.9];
        assert!((wilcoxon(&d) - 0.1484375).abs() < 1e-12, "{}", wilcoxon(&d));
        // scipy.stats.wilcoxon(d, method='exact') on 60 normal draws (seed 1, mean 0.1).
        let d60 = [
            0.445584, 0.921618, 0.430437, -1.203157, 1.005356, 0.546375, -0.436953, 0.681118, 0.464572, 0.394132,
            0.128422, 0.646713, -0.636454, -0.06291, -0.382119, 0.698846, 0.139722, -0.192457, -0.681908, -0.157192,
            0.108142, -0.175603, 1.394064, 1.106724, -2.611162, -1.789013, -0.074772, -0.32219, 0.313643, 0.317322,
            2.217839, -1.012021, -0.277605, 2.142772, 0.746703, 0.763063, -0.414006, -1.548075, 0.267465, 0.209014,
            -1.127352, -0.583227, 0.027956, -0.844752, 0.00173, 0.195483, 0.135586, -0.406292, 0.693748, 0.991167,
            0.420848, -0.71823, 0.831652, -0.40144, 0.979161, -0.971787, 1.014467, 0.079937, -1.148749, -0.213899,
        ];
        assert!((wilcoxon(&d60) - 0.4986392320591142).abs() < 1e-9, "{}", wilcoxon(&d60));
    }

    #[test]
    fn wilcoxon_edge_cases_by_hand() {
        // All positive, n = 5: only one of 32 sign patterns is as extreme on each side.
        assert!((wilcoxon(&[1.0, 2.0, 3.0, 4.0, 5.0]) - 2.0 / 32.0).abs() < 1e-12);
        assert_eq!(wilcoxon(&[0.0, 0.0]), 1.0);
        // Ties: |d| = 1, 1 (ranks 1.5, 1.5) both positive: P(W+ ≥ 3) = 1/4, two-sided 1/2.
        assert!((wilcoxon(&[1.0, 1.0]) - 0.5).abs() < 1e-12);
        // Symmetric data: p = 1.
        assert!((wilcoxon(&[-1.0, 1.0, -2.0, 2.0]) - 1.0).abs() < 1e-12);
        // The normal approximation (used above n = 1000) agrees with the exact test on a large
        // sample with many ties.
        let d: Vec<f64> = (0..400).map(|i| ((i * 37 % 101) as f64 - 47.0) / 10.0).collect();
        let (w2, ranks) = signed_ranks(&d).unwrap();
        let (exact, normal) = (wilcoxon_exact(w2, &ranks), wilcoxon_normal(w2, &ranks));
        assert!(exact < 0.9 && (exact - normal).abs() < 0.01, "exact {exact}, normal {normal}");
    }

    #[test]
    fn paired_counts_wins_and_losses() {
        let p = paired(&[0.1, -0.05, 0.2, 0.0]);
        assert_eq!((p.wins, p.losses, p.n), (2, 1, 4));
        assert!((p.mean - 0.0625).abs() < 1e-12);
        assert!(p.p_value > 0.0 && p.p_value <= 1.0);
    }
}
