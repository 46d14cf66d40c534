//! WAV decoding: PCM 8/16/24/32-bit integer and 32-bit float, any channel count and sample
//! rate, via the `hound` crate. Channels are mixed down by averaging, as openSMILE's
//! `monoMixdown` does.
//!
//! Samples come out as floats in [−1, 1]: integer PCM of b bits is divided by 2^(b−1) (8-bit
//! PCM is unsigned and centred on 128 first); floating-point samples beyond ±1 are clipped to
//! ±1, as a conversion to PCM would (found by fuzzing: a float file of huge finite samples
//! made the features overflow). Reading from bytes: no file system.

use crate::error::{Error, Result};
use crate::limits::LIMITS;
use std::io::Cursor;

/// Decoded mono audio.
#[derive(Debug, Clone, PartialEq)]
pub struct Audio {
    /// Mono samples in [−1, 1].
    pub samples: Vec<f32>,
    pub sample_rate: u32,
    /// Channels in the file before the mixdown.
    pub channels: u16,
    /// Bits per sample in the file.
    pub bits: u16,
    /// Whether the file held floating-point samples.
    pub float: bool,
}

impl Audio {
    /// Duration in seconds.
    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / self.sample_rate as f64
    }
}

/// Decodes a WAV file from its bytes. The header is checked against [`LIMITS`] — rate,
/// channels, and the samples it promises against the bytes actually there and against the
/// longest recording accepted — before anything proportional to it is allocated.
pub fn decode_wav(bytes: &[u8]) -> Result<Audio> {
    if bytes.len() > LIMITS.wav_bytes {
        return Err(Error::TooLarge {
            what: "the WAV file's size in bytes",
            actual: bytes.len(),
            limit: LIMITS.wav_bytes,
        });
    }
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        let what = if bytes.is_empty() {
            "the file is empty".to_string()
        } else {
            "it does not start with a RIFF/WAVE header (is it a WAV file?)".to_string()
        };
        return Err(Error::Wav(what));
    }
    let mut reader = hound::WavReader::new(Cursor::new(bytes)).map_err(wav_error)?;
    let spec = reader.spec();
    check_rate(spec.sample_rate)?;
    if spec.channels == 0 || spec.channels > LIMITS.max_channels {
        return Err(Error::Wav(format!(
            "the header says {} channels; 1 to {} are accepted",
            spec.channels, LIMITS.max_channels
        )));
    }
    let frames = reader.duration() as usize;
    // What the bytes after the header can hold, whatever the header claims.
    let frame_bytes = (spec.channels as usize) * (spec.bits_per_sample as usize).div_ceil(8).max(1);
    let present = bytes.len() / frame_bytes;
    if frames > present {
        return Err(Error::Wav(format!(
            "the file is truncated or its header lies: it promises {frames} samples per channel, and its {} bytes \
             hold at most {present}",
            bytes.len()
        )));
    }
    check_length(frames, spec.sample_rate)?;
    let channels = spec.channels as usize;
    let mut mono = Vec::with_capacity(frames);
    let mut acc = 0.0f64;
    let mut k = 0;
    let mut push = |v: f64| {
        acc += v;
        k += 1;
        if k == channels {
            mono.push((acc / channels as f64) as f32);
            acc = 0.0;
            k = 0;
        }
    };
    match (spec.sample_format, spec.bits_per_sample) {
        (hound::SampleFormat::Float, 32) => {
            for s in reader.samples::<f32>() {
                let v = s.map_err(wav_error)?;
                if !v.is_finite() {
                    return Err(Error::Wav("it holds a sample that is not a finite number".into()));
                }
                push(v.clamp(-1.0, 1.0) as f64);
            }
        }
        (hound::SampleFormat::Int, bits @ (8 | 16 | 24 | 32)) => {
            // hound already centres 8-bit PCM on zero.
            let scale = 1.0 / (1u64 << (bits - 1)) as f64;
            for s in reader.samples::<i32>() {
                push(s.map_err(wav_error)? as f64 * scale);
            }
        }
        (format, bits) => {
            return Err(Error::Wav(format!(
                "{bits}-bit {} samples are not supported; use PCM 8, 16, 24 or 32-bit, or 32-bit float",
                if format == hound::SampleFormat::Float { "floating-point" } else { "integer" }
            )));
        }
    }
    if mono.len() < frames {
        return Err(Error::Wav(format!(
            "the file is truncated: the header promises {frames} samples per channel, it holds {}",
            mono.len()
        )));
    }
    if mono.is_empty() {
        return Err(Error::AudioLength { seconds: 0.0, expected: "the file holds no samples".into() });
    }
    Ok(Audio {
        samples: mono,
        sample_rate: spec.sample_rate,
        channels: spec.channels,
        bits: spec.bits_per_sample,
        float: spec.sample_format == hound::SampleFormat::Float,
    })
}

/// Refuses a sample rate outside [`LIMITS`].
pub fn check_rate(rate: u32) -> Result<()> {
    if !(LIMITS.min_sample_rate..=LIMITS.max_sample_rate).contains(&rate) {
        return Err(Error::Wav(format!(
            "a sample rate of {rate} Hz is not supported; {} to {} Hz are",
            LIMITS.min_sample_rate, LIMITS.max_sample_rate
        )));
    }
    Ok(())
}

/// Refuses a recording of `frames` samples per channel at `rate` Hz that is longer than
/// [`LIMITS`] allows (in seconds, or in samples at a high rate).
pub fn check_length(frames: usize, rate: u32) -> Result<()> {
    let seconds = frames as f64 / rate as f64;
    if seconds > LIMITS.max_seconds {
        return Err(Error::AudioLength {
            seconds,
            expected: format!("at most {:.0} s are accepted", LIMITS.max_seconds),
        });
    }
    if frames > LIMITS.max_frames {
        return Err(Error::AudioLength {
            seconds,
            expected: format!(
                "at most {} samples per channel are accepted ({:.0} s at this rate of {rate} Hz)",
                LIMITS.max_frames,
                LIMITS.max_frames as f64 / rate as f64
            ),
        });
    }
    Ok(())
}

fn wav_error(e: hound::Error) -> Error {
    Error::Wav(match e {
        hound::Error::IoError(e) => format!("the file is truncated or damaged ({e})"),
        hound::Error::FormatError(m) => format!("malformed WAV ({m})"),
        hound::Error::Unsupported => "this WAV encoding is not supported (compressed? use PCM or 32-bit float)".into(),
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WAV file written by hound from `samples` (interleaved).
    pub(crate) fn wav(spec: hound::WavSpec, samples: &[i32]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut w = hound::WavWriter::new(&mut buf, spec).unwrap();
        for &s in samples {
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
        buf.into_inner()
    }

    fn spec(channels: u16, bits: u16) -> hound::WavSpec {
        hound::WavSpec { channels, sample_rate: 16000, bits_per_sample: bits, sample_format: hound::SampleFormat::Int }
    }

    #[test]
    fn integer_depths_scale_to_unit_range() {
        for bits in [8u16, 16, 24, 32] {
            let full = 1i64 << (bits - 1);
            let a = decode_wav(&wav(spec(1, bits), &[0, (full / 2) as i32, (-full) as i32])).unwrap();
            assert_eq!(a.samples, vec![0.0, 0.5, -1.0], "{bits} bits");
            assert_eq!(a.bits, bits);
        }
    }

    #[test]
    fn float_and_mixdown() {
        let mut buf = Cursor::new(Vec::new());
        let s = hound::WavSpec {
            channels: 2,
            sample_rate: 44100,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let mut w = hound::WavWriter::new(&mut buf, s).unwrap();
        for v in [0.5f32, -0.5, 1.0, 0.0, 3e38, -7.0] {
            w.write_sample(v).unwrap();
        }
        w.finalize().unwrap();
        let a = decode_wav(&buf.into_inner()).unwrap();
        assert_eq!(a.samples, vec![0.0, 0.5, 0.0], "samples beyond ±1 are clipped to ±1");
        assert_eq!((a.channels, a.sample_rate, a.float), (2, 44100, true));
    }

    #[test]
    fn bad_files_are_named() {
        assert!(matches!(decode_wav(b""), Err(Error::Wav(m)) if m.contains("empty")));
        assert!(matches!(decode_wav(b"hello, this is text"), Err(Error::Wav(m)) if m.contains("RIFF")));
        let good = wav(spec(1, 16), &[1, 2, 3, 4, 5, 6, 7, 8]);
        let cut = &good[..good.len() - 5];
        assert!(matches!(decode_wav(cut), Err(Error::Wav(m)) if m.contains("truncated")), "{:?}", decode_wav(cut));
        let empty = wav(spec(1, 16), &[]);
        assert!(matches!(decode_wav(&empty), Err(Error::AudioLength { .. })));
        let mut header_only = good.clone();
        header_only.truncate(30);
        assert!(decode_wav(&header_only).is_err());
    }

    #[test]
    fn a_header_claiming_more_than_the_file_holds_is_refused_before_decoding() {
        // A header claiming 11 minutes at 16 kHz (data size patched; the bytes are not there):
        // refused from the header, before anything of that size is allocated. (A file that
        // really is too long: tests/limits.rs.)
        let mut bytes = wav(spec(1, 16), &[0; 4]);
        let claimed: u32 = 11 * 60 * 16000 * 2;
        let data = bytes.windows(4).position(|w| w == b"data").unwrap();
        bytes[data + 4..data + 8].copy_from_slice(&claimed.to_le_bytes());
        assert!(matches!(decode_wav(&bytes), Err(Error::Wav(m)) if m.contains("promises 10560000 samples")));
    }

    #[test]
    fn compressed_formats_are_unsupported() {
        // Patch a PCM header's format tag to 0x0055 (MP3).
        let mut bytes = wav(spec(1, 16), &[0; 4]);
        let fmt = bytes.windows(4).position(|w| w == b"fmt ").unwrap();
        bytes[fmt + 8..fmt + 10].copy_from_slice(&0x55u16.to_le_bytes());
        assert!(
            matches!(decode_wav(&bytes), Err(Error::Wav(m)) if m.contains("not supported")),
            "{:?}",
            decode_wav(&bytes)
        );
    }
}
