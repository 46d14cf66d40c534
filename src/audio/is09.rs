//! The 64 IS09 features the paper uses, computed the way openSMILE 3.0.1's
//! `IS09_emotion.conf` computes them, so a model trained on openSMILE CSVs can be fed from
//! audio recorded in the page.
//!
//! The maths was established from the configuration files, openSMILE's component help texts
//! and numerical experiments with the openSMILE library (not from its source); it is written
//! out here step by step. Notation: `sr` sample rate, `N` frame length, `nfft` FFT length,
//! `L = nfft/2`. Everything is computed in f64 (openSMILE uses f32; the difference stays
//! below 1e-5 absolute on every feature, see `tests/audio.rs`).
//!
//! 1. **Input.** openSMILE reads 16-bit PCM as `int16 / 32767`; our decoder yields
//!    `int16 / 32768`, so samples are scaled by 32768/32767 first.
//! 2. **Frames** (cFramer, 25 ms / 10 ms): `N = round(0.025·sr)`, `step = round(0.010·sr)`
//!    (halves up); frame t is samples `[t·step, t·step + N)`; only full frames.
//! 3. **Pre-emphasis** (k = 0.97), inside each frame only: `p[0] = 0.03·x[0]`,
//!    `p[i] = x[i] − 0.97·x[i−1]`.
//! 4. **Hamming window** `0.54 − 0.46·cos(2πi/(N−1))`.
//! 5. **FFT** of the windowed frame, zero-padded at the end to `nfft` = the next power of two
//!    ≥ N; magnitudes `M[k] = |X[k]|`, k = 0..L, unscaled.
//! 6. **Effective rate.** openSMILE converts frequencies and lags with
//!    `sr_eff = nfft / f32(0.025·nfft/N)` (≈ N/0.025, e.g. 44,120 Hz at 44.1 kHz), not `sr`.
//! 7. **RMS energy** `sqrt(mean(y²))` over the N pre-emphasised, windowed samples.
//! 8. **Zero-crossing rate** on the raw frame: the number of i in 1..N−2 with
//!    `x[i−1]·x[i] < 0`, or `x[i] = 0` and `x[i−1]·x[i+1] ≤ 0`; divided by N.
//! 9. **Mel spectrum** (HTK style): 26 triangles, linear in mel `1127·ln(1 + f/700)`, with 28
//!    edges equally spaced in mel from 0 to `min(8000, sr_eff/2)`; bin k sits at
//!    `k·sr_eff/nfft`; bins at or above `round(hi/(sr_eff/nfft))` are unused; the band value
//!    is `32767 · Σ W·M` (magnitudes, HTK's 16-bit scale).
//! 10. **MFCC 1–12**: `c_i = (1 + 11·sin(πi/22)) · sqrt(2/26) · Σ_j ln(max(mel_j, 1)) ·
//!     cos(πi(j + ½)/26)`.
//! 11. **Voicing probability** from the autocorrelation `A = |IDFT(M²)|` over lags 0..L−1,
//!     `r = A/A[0]`: lags from `lo = ⌈sr_eff/500⌉ − 1` to `hi = L − 1`; starting at lag
//!     lo − 1, skip while r does not rise; then the maximum of r over the rest (or `r[hi]` if
//!     it never rises).
//! 12. **F0** from the "cepstrum" `C = IDFT(ln(1 + M²))`: the first lag T in [lo + 2, hi − 1]
//!     that is a strict local maximum above `0.6·(max C[lo+1..hi] + mean |C|)` gives
//!     `F0raw = sr_eff/T`. A frame is voiced if F0raw > 0 and the voicing probability
//!     ≥ 0.55. Voiced frames pass through a running reference m (octave-jump guard):
//!     `m ← F0raw` if m = 0; if `|F0raw − m| < 0.4·m` then output F0raw and
//!     `m ← 0.7·m + 0.3·F0raw`, else output m and `m ← 0.9·m + 0.1·F0raw`. The result is one
//!     frame late: `F0[t] = (x[t−1] + x[t−2])/2` if both are voiced, `x[t−1]` if t−1 and t are
//!     voiced but not t−2, else 0. Unvoiced frames give 0 (the data README's F0 zeros).
//! 13. **Smoothing** (sma, 3 frames): centred mean, edges repeating the end frame.
//! 14. **Deltas** (window 2): `((S[t+1] − S[t−1]) + 2·(S[t+2] − S[t−2]))/10`, edges repeating
//!     the end frame, over the smoothed level extended by one frame equal to the last raw
//!     frame (openSMILE's end-of-input flush).
//! 15. **Functionals**: mean and population standard deviation of the 16 smoothed LLDs and
//!     their 16 deltas over the first `max(n − 2, 1)` frames (the delta level lags two frames
//!     at the end of input).

use crate::error::{Error, Result};
use std::f64::consts::PI;

/// Number of low-level descriptors (energy, MFCC 1–12, ZCR, voicing probability, F0).
pub const N_LLD: usize = 16;
const N_MEL: usize = 26;
const N_CEPS: usize = 12;
const PREEMPHASIS: f64 = 0.97;
const MAX_PITCH: f64 = 500.0;
const VOICING_CUTOFF: f64 = 0.55;
const MEL_HI: f64 = 8000.0;
/// Lowest sample rate accepted (openSMILE's behaviour is verified from 8 kHz up).
pub const MIN_RATE: u32 = 8000;

/// Frame-level output: the smoothed LLDs and their deltas, for the frames the functionals use.
#[derive(Debug, Clone, PartialEq)]
pub struct Lld {
    /// `[frame][16]` smoothed LLDs.
    pub smoothed: Vec<[f64; N_LLD]>,
    /// `[frame][16]` deltas of the smoothed LLDs.
    pub deltas: Vec<[f64; N_LLD]>,
}

/// An IS09 extractor for one sample rate (window, filterbank and DCT computed once).
#[derive(Debug, Clone)]
pub struct Is09 {
    frame: usize,
    step: usize,
    fft: Fft,
    sr_eff: f64,
    window: Vec<f64>,
    /// Per mel band: first FFT bin and the weights from there (already × 32767).
    mel: Vec<(usize, Vec<f64>)>,
    /// `dct[i][j]`, liftering included.
    dct: [[f64; N_MEL]; N_CEPS],
    lag_lo: usize,
    lag_hi: usize,
}

impl Is09 {
    /// An extractor for audio at `sample_rate` Hz (at least 8 kHz).
    pub fn new(sample_rate: u32) -> Result<Is09> {
        if sample_rate < MIN_RATE {
            return Err(Error::Wav(format!(
                "a sample rate of {sample_rate} Hz is too low for IS09 features (its mel bands reach 8 kHz); at least {MIN_RATE} Hz is needed"
            )));
        }
        let sr = sample_rate as f64;
        let frame = (0.025 * sr + 0.5).floor() as usize;
        let step = (0.010 * sr + 0.5).floor() as usize;
        let nfft = frame.next_power_of_two();
        let sr_eff = nfft as f64 / ((0.025 * nfft as f64 / frame as f64) as f32 as f64);
        let window = (0..frame).map(|i| 0.54 - 0.46 * (2.0 * PI * i as f64 / (frame - 1) as f64).cos()).collect();

        let mel_of = |f: f64| 1127.0 * (1.0 + f / 700.0).ln();
        let hi = MEL_HI.min(sr_eff / 2.0);
        let edges: Vec<f64> = (0..N_MEL + 2).map(|b| b as f64 * mel_of(hi) / (N_MEL + 1) as f64).collect();
        let bin_width = sr_eff / nfft as f64;
        let k_hi = ((hi / bin_width) + 0.5).floor() as usize;
        let mel = (0..N_MEL)
            .map(|b| {
                let weights: Vec<(usize, f64)> = (0..=nfft / 2)
                    .filter(|&k| k < k_hi)
                    .map(|k| {
                        let m = mel_of(k as f64 * bin_width);
                        let up = (m - edges[b]) / (edges[b + 1] - edges[b]);
                        let down = (edges[b + 2] - m) / (edges[b + 2] - edges[b + 1]);
                        (k, up.min(down).max(0.0) * 32767.0)
                    })
                    .filter(|&(_, w)| w > 0.0)
                    .collect();
                let first = weights.first().map_or(0, |w| w.0);
                (first, weights.iter().map(|w| w.1).collect())
            })
            .collect();
        let mut dct = [[0.0; N_MEL]; N_CEPS];
        for (i, row) in dct.iter_mut().enumerate() {
            let c = (i + 1) as f64;
            let lift = 1.0 + 11.0 * (PI * c / 22.0).sin();
            for (j, v) in row.iter_mut().enumerate() {
                *v = lift * (2.0 / N_MEL as f64).sqrt() * (PI * c * (j as f64 + 0.5) / N_MEL as f64).cos();
            }
        }
        let lag_lo = (sr_eff / MAX_PITCH).ceil() as usize - 1;
        Ok(Is09 { frame, step, fft: Fft::new(nfft), sr_eff, window, mel, dct, lag_lo, lag_hi: nfft / 2 - 1 })
    }

    /// Frame length and step in samples.
    pub fn framing(&self) -> (usize, usize) {
        (self.frame, self.step)
    }

    /// The unsmoothed LLDs of every full frame of `x`, each sample multiplied by `scale` (one
    /// frame at a time in f64, so a long recording is never copied whole).
    fn raw(&self, x: &[f32], scale: f64) -> Vec<[f64; N_LLD]> {
        let n = if x.len() >= self.frame { (x.len() - self.frame) / self.step + 1 } else { 0 };
        let nfft = self.fft.n;
        let half = nfft / 2;
        let mut out = Vec::with_capacity(n);
        let (mut re, mut im) = (vec![0.0; nfft], vec![0.0; nfft]);
        let mut mag = vec![0.0; half + 1];
        let mut reference = 0.0; // the F0 tracker's running pitch
        let mut voiced = Vec::with_capacity(n);
        let mut frame = vec![0.0f64; self.frame];
        for t in 0..n {
            for (d, &v) in frame.iter_mut().zip(&x[t * self.step..t * self.step + self.frame]) {
                *d = v as f64 * scale;
            }
            let f = &frame[..];
            let mut lld = [0.0; N_LLD];

            // Pre-emphasis inside the frame, window, energy.
            re.fill(0.0);
            im.fill(0.0);
            let mut energy = 0.0;
            for i in 0..self.frame {
                let p = if i == 0 { f[0] * (1.0 - PREEMPHASIS) } else { f[i] - PREEMPHASIS * f[i - 1] };
                let y = p * self.window[i];
                energy += y * y;
                re[i] = y;
            }
            lld[0] = (energy / self.frame as f64).sqrt();

            self.fft.run(&mut re, &mut im, false);
            for k in 0..=half {
                mag[k] = re[k].hypot(im[k]);
            }

            // Mel bands and MFCC 1..12.
            let mut log_mel = [0.0; N_MEL];
            for (b, (first, w)) in self.mel.iter().enumerate() {
                let s: f64 = w.iter().zip(&mag[*first..]).map(|(w, m)| w * m).sum();
                log_mel[b] = s.max(1.0).ln();
            }
            for i in 0..N_CEPS {
                lld[1 + i] = self.dct[i].iter().zip(&log_mel).map(|(d, l)| d * l).sum();
            }

            lld[13] = zero_crossing_rate(f);

            // Autocorrelation and "cepstrum" in one inverse FFT: both spectra are real and
            // symmetric, so their inverse transforms are real; pack one as the imaginary part.
            for k in 0..nfft {
                let m = mag[if k <= half { k } else { nfft - k }];
                re[k] = m * m;
                im[k] = (m * m).ln_1p();
            }
            self.fft.run(&mut re, &mut im, true);
            let (acf, cep) = (&re[..half], &im[..half]);
            lld[14] = self.voicing(acf);
            let raw = self.cepstral_f0(cep);

            // The tracker (its output goes through the one-frame-late rule below).
            let mut x_t = 0.0;
            if raw > 0.0 && lld[14] >= VOICING_CUTOFF {
                if reference == 0.0 {
                    reference = raw;
                }
                if (raw - reference).abs() < 0.4 * reference {
                    x_t = raw;
                    reference = 0.7 * reference + 0.3 * raw;
                } else {
                    x_t = reference;
                    reference = 0.9 * reference + 0.1 * raw;
                }
            }
            voiced.push(x_t);
            out.push(lld);
        }
        for t in 1..n {
            out[t][15] = if voiced[t - 1] > 0.0 && t >= 2 && voiced[t - 2] > 0.0 {
                0.5 * (voiced[t - 1] + voiced[t - 2])
            } else if voiced[t - 1] > 0.0 && voiced[t] > 0.0 {
                voiced[t - 1]
            } else {
                0.0
            };
        }
        out
    }

    /// Voicing probability from the autocorrelation (step 11).
    fn voicing(&self, acf: &[f64]) -> f64 {
        let a0 = acf[0].abs();
        if a0 == 0.0 {
            return 0.0;
        }
        let r = |k: usize| acf[k].abs() / a0;
        let (lo, hi) = (self.lag_lo, self.lag_hi);
        let mut k = lo - 1;
        while k < hi && r(k + 1) <= r(k) {
            k += 1;
        }
        if k == hi { r(hi) } else { (k + 1..=hi).map(r).fold(f64::NEG_INFINITY, f64::max) }
    }

    /// F0 candidate from the cepstral peak (step 12); 0 if none.
    fn cepstral_f0(&self, c: &[f64]) -> f64 {
        let (lo, hi) = (self.lag_lo, self.lag_hi);
        let peak = c[lo + 1..=hi].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mean_abs = c.iter().map(|v| v.abs()).sum::<f64>() / c.len() as f64;
        let threshold = 0.6 * (peak + mean_abs);
        (lo + 2..hi)
            .find(|&k| c[k] > c[k - 1] && c[k] > c[k + 1] && c[k] > threshold)
            .map_or(0.0, |k| self.sr_eff / k as f64)
    }

    /// Smoothed LLDs and deltas for the frames the functionals use (steps 13–14).
    /// Errors if the audio is shorter than one frame (25 ms).
    pub fn lld(&self, samples: &[f32]) -> Result<Lld> {
        if let Some(i) = samples.iter().position(|v| !v.is_finite()) {
            return Err(Error::Wav(format!("sample {i} is not a finite number")));
        }
        let scale = 32768.0 / 32767.0;
        let raw = self.raw(samples, scale);
        let n = raw.len();
        if n == 0 {
            return Err(Error::AudioLength {
                seconds: samples.len() as f64 * 0.025 / self.frame as f64,
                expected: "IS09 features need at least one 25 ms frame".into(),
            });
        }
        // Smoothing, edges repeating the end frame; one input frame is openSMILE's special case.
        let at = |t: isize| raw[t.clamp(0, n as isize - 1) as usize];
        let mut smoothed: Vec<[f64; N_LLD]> = (0..n as isize)
            .map(|t| {
                let (a, b, c) = (at(t - 1), at(t), at(t + 1));
                std::array::from_fn(|j| (a[j] + b[j] + c[j]) / 3.0)
            })
            .collect();
        if n == 1 {
            smoothed[0] = std::array::from_fn(|j| 2.0 * raw[0][j] / 3.0);
        }
        // Deltas over the smoothed level plus openSMILE's flushed frame (the last raw frame).
        let mut ext = smoothed.clone();
        ext.push(raw[n - 1]);
        let m = ext.len() as isize;
        let s = |t: isize| ext[t.clamp(0, m - 1) as usize];
        let mut deltas: Vec<[f64; N_LLD]> = (0..n as isize)
            .map(|t| std::array::from_fn(|j| ((s(t + 1)[j] - s(t - 1)[j]) + 2.0 * (s(t + 2)[j] - s(t - 2)[j])) / 10.0))
            .collect();
        if n <= 2 {
            // Short inputs: the first delta is computed before later frames exist (they count as 0).
            let next: [f64; N_LLD] = if n == 2 { ext[1] } else { [0.0; N_LLD] };
            deltas[0] = std::array::from_fn(|j| ((next[j] - smoothed[0][j]) - 2.0 * smoothed[0][j]) / 10.0);
        }
        let used = n.saturating_sub(2).max(1);
        smoothed.truncate(used);
        deltas.truncate(used);
        Ok(Lld { smoothed, deltas })
    }

    /// The 64 functionals in [`crate::data::feature_names`] order: for each smoothed LLD, then
    /// each delta, its mean and population standard deviation.
    pub fn features(&self, samples: &[f32]) -> Result<Vec<f32>> {
        let lld = self.lld(samples)?;
        let mut out = Vec::with_capacity(4 * N_LLD);
        for level in [&lld.smoothed, &lld.deltas] {
            for j in 0..N_LLD {
                let count = level.len() as f64;
                let mean = level.iter().map(|r| r[j]).sum::<f64>() / count;
                let var = level.iter().map(|r| (r[j] - mean).powi(2)).sum::<f64>() / count;
                out.push(mean as f32);
                out.push(var.sqrt() as f32);
            }
        }
        Ok(out)
    }
}

/// The 64 IS09 features of mono `samples` at `sample_rate` Hz (no resampling).
pub fn features(samples: &[f32], sample_rate: u32) -> Result<Vec<f32>> {
    Is09::new(sample_rate)?.features(samples)
}

/// Zero-crossing rate of a raw frame (step 8).
fn zero_crossing_rate(f: &[f64]) -> f64 {
    let count =
        (1..f.len() - 1).filter(|&i| f[i - 1] * f[i] < 0.0 || (f[i] == 0.0 && f[i - 1] * f[i + 1] <= 0.0)).count();
    count as f64 / f.len() as f64
}

/// An in-place iterative radix-2 FFT for one power-of-two size.
#[derive(Debug, Clone)]
struct Fft {
    n: usize,
    /// `e^{−2πik/n}` for k < n/2.
    twiddles: Vec<(f64, f64)>,
    reversed: Vec<usize>,
}

impl Fft {
    fn new(n: usize) -> Fft {
        assert!(n.is_power_of_two() && n >= 2, "FFT sizes are powers of two");
        let bits = n.trailing_zeros();
        Fft {
            n,
            twiddles: (0..n / 2).map(|k| (-2.0 * PI * k as f64 / n as f64).sin_cos()).map(|(s, c)| (c, s)).collect(),
            reversed: (0..n).map(|i| i.reverse_bits() >> (usize::BITS - bits)).collect(),
        }
    }

    /// Transforms (re, im) in place: `X[k] = Σ x[j]·e^{∓2πijk/n}` (minus sign forward, plus
    /// sign for `inverse`; no 1/n scaling either way).
    fn run(&self, re: &mut [f64], im: &mut [f64], inverse: bool) {
        let n = self.n;
        for i in 0..n {
            let j = self.reversed[i];
            if j > i {
                re.swap(i, j);
                im.swap(i, j);
            }
        }
        let sign = if inverse { -1.0 } else { 1.0 };
        let mut len = 2;
        while len <= n {
            let stride = n / len;
            for start in (0..n).step_by(len) {
                for k in 0..len / 2 {
                    let (wr, wi) = self.twiddles[k * stride];
                    let wi = sign * wi;
                    let (a, b) = (start + k, start + k + len / 2);
                    let (xr, xi) = (re[b] * wr - im[b] * wi, re[b] * wi + im[b] * wr);
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
            len *= 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fft_matches_the_definition() {
        let n = 64;
        let x: Vec<(f64, f64)> = (0..n).map(|i| ((i as f64 * 0.37).sin(), (i as f64 * 0.11).cos())).collect();
        for inverse in [false, true] {
            let (mut re, mut im): (Vec<f64>, Vec<f64>) = x.iter().copied().unzip();
            Fft::new(n).run(&mut re, &mut im, inverse);
            let s = if inverse { 1.0 } else { -1.0 };
            for k in 0..n {
                let (mut r, mut i) = (0.0, 0.0);
                for (j, &(a, b)) in x.iter().enumerate() {
                    let (sn, cs) = (s * 2.0 * PI * (j * k) as f64 / n as f64).sin_cos();
                    r += a * cs - b * sn;
                    i += a * sn + b * cs;
                }
                assert!((re[k] - r).abs() < 1e-9 && (im[k] - i).abs() < 1e-9, "bin {k}");
            }
        }
    }

    #[test]
    fn framing_at_common_rates() {
        for (rate, frame, step) in [(16000, 400, 160), (22050, 551, 221), (44100, 1103, 441), (48000, 1200, 480)] {
            assert_eq!(Is09::new(rate).unwrap().framing(), (frame, step), "{rate}");
        }
        assert!(Is09::new(4000).is_err());
    }

    #[test]
    fn zcr_counts_crossings_and_zero_runs() {
        assert_eq!(zero_crossing_rate(&[1.0, -1.0, 1.0, -1.0]), 2.0 / 4.0);
        assert_eq!(zero_crossing_rate(&[0.0; 10]), 8.0 / 10.0);
        assert_eq!(zero_crossing_rate(&[1.0, 1.0, 1.0, 1.0]), 0.0);
    }

    #[test]
    fn a_pure_tone_has_its_pitch_and_silence_has_none() {
        let rate = 16000;
        let tone: Vec<f32> =
            (0..rate).map(|i| 0.3 * (2.0 * PI * 200.0 * i as f64 / rate as f64).sin() as f32).collect();
        let e = Is09::new(rate).unwrap();
        let lld = e.lld(&tone).unwrap();
        let mid = &lld.smoothed[50];
        assert!(mid[14] > 0.9, "voicing {}", mid[14]);
        assert!((mid[15] - 200.0).abs() < 10.0, "F0 {}", mid[15]);
        let silence = vec![0.0f32; 8000];
        let f = e.features(&silence).unwrap();
        assert_eq!(f[30], 0.0, "F0 mean of silence");
        assert!(e.features(&[0.1; 100]).is_err(), "shorter than a frame");
        assert!(e.features(&[f32::NAN; 1000]).is_err());
    }
}
