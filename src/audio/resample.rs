//! Sample-rate conversion by band-limited (windowed-sinc) interpolation.
//!
//! The bundled models were trained on features of 16 kHz audio, and IS09 features depend on the
//! sample rate (the data README's note 1), so every recording — a WAV file at 44.1 kHz, the
//! microphone at 48 kHz — is converted to 16 kHz before its features are computed.
//!
//! For a rational ratio L/M (after dividing by the gcd of the two rates), output sample j sits
//! at input position j·M/L; its value is Σₖ x[k]·h(j·M/L − k) with a Kaiser-windowed sinc h
//! whose cut-off is 0.97 × the lower Nyquist frequency (so downsampling does not alias). Only
//! L distinct fractional positions occur, so the L filters are computed once (polyphase).
//! Samples beyond the ends count as zero.
//!
//! When L is large (a rate with no common factor with 16 kHz, such as 24,414 or 44,101 Hz,
//! gives L = 8,000 or 16,000), a table of L filters would be large and slow to build, so the
//! filter is tabulated at [`MAX_PHASES`] fractional positions and interpolated linearly
//! between them: memory and set-up time stay bounded for every rate, and the interpolation
//! error (below 1e-6 of full scale here) is far under the Kaiser window's stop band.

use std::f64::consts::PI;

/// Zero crossings of the sinc on each side (at the lower of the two rates): a sharp cut-off,
/// because the top mel band of IS09 reaches 8 kHz (at 16 zero crossings and a 0.95 cut-off,
/// a 16 → 48 → 16 kHz round trip moved an MFCC mean by 0.44 corpus SDs; now ≤ 0.12).
const HALF_ZEROS: f64 = 32.0;
/// Kaiser window shape: about 85 dB of stop-band attenuation.
const KAISER_BETA: f64 = 8.6;
/// Pass-band edge as a fraction of the lower Nyquist frequency.
const CUTOFF: f64 = 0.97;
/// Most tabulated filter phases.
pub const MAX_PHASES: usize = 1024;

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Modified Bessel function of the first kind, order 0 (power series).
fn bessel_i0(x: f64) -> f64 {
    let (mut sum, mut term, mut k) = (1.0, 1.0, 1.0);
    while term > 1e-12 * sum {
        term *= (x / (2.0 * k)).powi(2);
        sum += term;
        k += 1.0;
    }
    sum
}

/// `samples` at `from` Hz, converted to `to` Hz. Returns the input unchanged if the rates match.
/// Panics if a rate is zero (a programming error: decoders reject such headers).
pub fn resample(samples: &[f32], from: u32, to: u32) -> Vec<f32> {
    assert!(from > 0 && to > 0, "sample rates must be positive");
    if from == to || samples.is_empty() {
        return samples.to_vec();
    }
    let g = gcd(from as u64, to as u64);
    let (up, down) = ((to as u64 / g) as usize, (from as u64 / g) as usize);
    // Cut-off in cycles per input sample.
    let fc = CUTOFF * 0.5 * (to as f64 / from as f64).min(1.0);
    // Half-width of the filter in input samples.
    let half = HALF_ZEROS / (2.0 * fc);
    let taps = 2 * half.ceil() as usize + 1;
    let i0_beta = bessel_i0(KAISER_BETA);
    // Filter for phase p (output position j with j·down mod up = p): tap t multiplies input
    // sample floor(j·down/up) − half_taps + t, at distance d = frac + half_taps − t.
    let half_taps = (taps / 2) as isize;
    // Exact phases when there are few; else MAX_PHASES + 1 tabulated ones to interpolate.
    let exact = up <= MAX_PHASES;
    let table = if exact { up } else { MAX_PHASES + 1 };
    let filters: Vec<Vec<f32>> = (0..table)
        .map(|p| {
            let frac = p as f64 / if exact { up } else { MAX_PHASES } as f64;
            (0..taps)
                .map(|t| {
                    let d = frac + half_taps as f64 - t as f64;
                    if d.abs() >= half {
                        return 0.0;
                    }
                    let sinc = if d == 0.0 { 2.0 * fc } else { (2.0 * PI * fc * d).sin() / (PI * d) };
                    let r = d / half;
                    let window = bessel_i0(KAISER_BETA * (1.0 - r * r).max(0.0).sqrt()) / i0_beta;
                    // 2·fc·sinc_normalised(2·fc·d): unit gain at DC.
                    (sinc * window) as f32
                })
                .collect()
        })
        .collect();
    let n_out = ((samples.len() as u64 * up as u64).div_ceil(down as u64)) as usize;
    let mut out = Vec::with_capacity(n_out);
    let mut h_mixed = vec![0.0f32; taps];
    for j in 0..n_out {
        let pos = j as u64 * down as u64;
        let (base, phase) = ((pos / up as u64) as isize, (pos % up as u64) as usize);
        let h: &[f32] = if exact {
            &filters[phase]
        } else {
            // Between tabulated phases t and t + 1, weight w towards t + 1.
            let x = phase as f64 * MAX_PHASES as f64 / up as f64;
            let t = x.floor() as usize;
            let w = (x - t as f64) as f32;
            for ((m, a), b) in h_mixed.iter_mut().zip(&filters[t]).zip(&filters[t + 1]) {
                *m = a + w * (b - a);
            }
            &h_mixed
        };
        let start = base - half_taps;
        let lo = (-start).max(0) as usize;
        let hi = ((samples.len() as isize - start).min(taps as isize)).max(0) as usize;
        let acc: f32 = if lo < hi {
            let x = &samples[(start + lo as isize) as usize..(start + hi as isize) as usize];
            h[lo..hi].iter().zip(x).map(|(a, b)| a * b).sum()
        } else {
            0.0
        };
        out.push(acc);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(freq: f64, rate: u32, seconds: f64) -> Vec<f32> {
        (0..(rate as f64 * seconds) as usize).map(|i| (2.0 * PI * freq * i as f64 / rate as f64).sin() as f32).collect()
    }

    /// RMS over the middle half (away from the zero-padded ends).
    fn rms_mid(x: &[f32]) -> f64 {
        let m = &x[x.len() / 4..3 * x.len() / 4];
        (m.iter().map(|v| (*v as f64).powi(2)).sum::<f64>() / m.len() as f64).sqrt()
    }

    #[test]
    fn keeps_a_pass_band_tone_and_its_length() {
        for from in [22050, 44100, 48000, 8000] {
            let x = tone(1000.0, from, 0.5);
            let y = resample(&x, from, 16000);
            assert_eq!(y.len(), (x.len() as u64 * 16000).div_ceil(from as u64) as usize);
            let expected = tone(1000.0, 16000, 0.5);
            let err: f64 =
                y[2000..6000].iter().zip(&expected[2000..6000]).map(|(a, b)| (a - b).abs() as f64).fold(0.0, f64::max);
            assert!(err < 2e-3, "{from} Hz: max error {err}");
            assert!((rms_mid(&y) - 0.5f64.sqrt()).abs() < 1e-3);
        }
    }

    #[test]
    fn removes_what_would_alias() {
        // 10 kHz at 48 kHz is above the new Nyquist frequency (8 kHz): it must not fold to 6 kHz.
        let y = resample(&tone(10000.0, 48000, 0.5), 48000, 16000);
        assert!(rms_mid(&y) < 1e-3, "residual {}", rms_mid(&y));
    }

    #[test]
    fn rates_without_a_common_factor_use_the_interpolated_table() {
        // 44,101 Hz and 16 kHz share no factor: 16,000 phases, more than MAX_PHASES.
        for from in [44_101u32, 24_414, 383_999] {
            let g = gcd(from as u64, 16_000);
            assert!(16_000 / g as usize > MAX_PHASES, "{from}");
            let x = tone(1000.0, from, 0.25);
            let y = resample(&x, from, 16000);
            let expected = tone(1000.0, 16000, 0.25);
            let mid = y.len() / 4..3 * y.len() / 4;
            let err = y[mid.clone()].iter().zip(&expected[mid]).map(|(a, b)| (a - b).abs() as f64).fold(0.0, f64::max);
            assert!(err < 2e-3, "{from} Hz: max error {err}");
        }
    }

    #[test]
    fn identity_and_empty() {
        let x = vec![0.1, 0.2, 0.3];
        assert_eq!(resample(&x, 16000, 16000), x);
        assert!(resample(&[], 44100, 16000).is_empty());
    }
}
