//! Utterance segmentation for live prediction: a small energy-based voice-activity detector
//! that cuts a stream of microphone samples into utterances.
//!
//! The stream is measured in 20 ms blocks. A block is *loud* when its RMS level is above
//! `max(min_level, noise × noise_ratio)`, where `noise` tracks the level of quiet blocks
//! (it falls quickly and rises slowly, so speech does not drag it up). An utterance starts at
//! the first loud block (keeping `pre_roll` of audio before it), and ends after `hangover` of
//! quiet blocks, or when it reaches `max_len`. Utterances shorter than `min_len` of loud
//! audio are dropped as clicks.

/// Segmenter settings; the defaults suit speech at a normal distance from a laptop microphone.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmenterConfig {
    /// Absolute floor of the speech threshold (RMS, full scale 1). Default 0.01 (−40 dBFS).
    pub min_level: f32,
    /// Speech must be this many times louder than the noise estimate. Default 4 (12 dB).
    pub noise_ratio: f32,
    /// Audio kept before the first loud block, in seconds. Default 0.15.
    pub pre_roll: f32,
    /// Quiet time that ends an utterance, in seconds. Default 0.4.
    pub hangover: f32,
    /// Shortest loud time that makes an utterance, in seconds. Default 0.3.
    pub min_len: f32,
    /// Longest utterance, in seconds. Default 8.
    pub max_len: f32,
}

impl Default for SegmenterConfig {
    fn default() -> Self {
        SegmenterConfig { min_level: 0.01, noise_ratio: 4.0, pre_roll: 0.15, hangover: 0.4, min_len: 0.3, max_len: 8.0 }
    }
}

/// Streaming segmenter.
#[derive(Debug, Clone)]
pub struct Segmenter {
    config: SegmenterConfig,
    block: usize,
    pending: Vec<f32>,
    history: std::collections::VecDeque<f32>,
    current: Option<Vec<f32>>,
    loud_samples: usize,
    quiet_run: usize,
    noise: f32,
    level: f32,
    rate: u32,
}

impl Segmenter {
    /// A segmenter for a stream at `rate` Hz. Panics if `rate` is 0 (a programming error).
    pub fn new(rate: u32, config: SegmenterConfig) -> Segmenter {
        assert!(rate > 0, "sample rate must be positive");
        Segmenter {
            block: (rate as usize / 50).max(1),
            pending: Vec::new(),
            history: Default::default(),
            current: None,
            loud_samples: 0,
            quiet_run: 0,
            noise: config.min_level / config.noise_ratio,
            level: 0.0,
            rate,
            config,
        }
    }

    /// RMS level of the last complete block.
    pub fn level(&self) -> f32 {
        self.level
    }

    /// True while an utterance is being collected.
    pub fn in_utterance(&self) -> bool {
        self.current.is_some()
    }

    fn secs(&self, s: f32) -> usize {
        (s * self.rate as f32) as usize
    }

    /// Feeds samples; returns the utterances that ended within them.
    pub fn push(&mut self, samples: &[f32]) -> Vec<Vec<f32>> {
        let mut done = Vec::new();
        self.pending.extend_from_slice(samples);
        let mut start = 0;
        while self.pending.len() - start >= self.block {
            let block: Vec<f32> = self.pending[start..start + self.block].to_vec();
            start += self.block;
            if let Some(u) = self.block_in(&block) {
                done.push(u);
            }
        }
        self.pending.drain(..start);
        done
    }

    /// Ends the stream: returns the utterance in progress, if long enough.
    pub fn flush(&mut self) -> Option<Vec<f32>> {
        let u = self.current.take()?;
        let enough = self.loud_samples >= self.secs(self.config.min_len);
        self.loud_samples = 0;
        self.quiet_run = 0;
        enough.then_some(u)
    }

    fn block_in(&mut self, block: &[f32]) -> Option<Vec<f32>> {
        let rms = (block.iter().map(|v| v * v).sum::<f32>() / block.len() as f32).sqrt();
        self.level = rms;
        let threshold = self.config.min_level.max(self.noise * self.config.noise_ratio);
        let loud = rms > threshold;
        if !loud {
            // Quick to fall, slow to rise.
            self.noise = if rms < self.noise { 0.7 * self.noise + 0.3 * rms } else { 0.98 * self.noise + 0.02 * rms };
        }
        match self.current.as_mut() {
            None => {
                if loud {
                    let mut u: Vec<f32> = self.history.iter().copied().collect();
                    u.extend_from_slice(block);
                    self.current = Some(u);
                    self.loud_samples = block.len();
                    self.quiet_run = 0;
                    self.history.clear();
                } else {
                    self.history.extend(block.iter().copied());
                    let keep = self.secs(self.config.pre_roll);
                    while self.history.len() > keep {
                        self.history.pop_front();
                    }
                }
                None
            }
            Some(u) => {
                u.extend_from_slice(block);
                if loud {
                    self.loud_samples += block.len();
                    self.quiet_run = 0;
                } else {
                    self.quiet_run += block.len();
                }
                let long = u.len() >= self.secs(self.config.max_len);
                if self.quiet_run >= self.secs(self.config.hangover) || long {
                    return self.flush();
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(seconds: f32, amp: f32) -> Vec<f32> {
        (0..(16000.0 * seconds) as usize).map(|i| amp * (i as f32 * 0.2).sin()).collect()
    }

    #[test]
    fn finds_two_utterances_in_noise() {
        let mut s: Vec<f32> = (0..16000).map(|i| 0.002 * ((i * 7919 % 13) as f32 / 6.5 - 1.0)).collect();
        s.extend(tone(1.0, 0.2));
        s.extend(vec![0.001; 16000]);
        s.extend(tone(0.6, 0.3));
        s.extend(vec![0.001; 16000]);
        s.extend(tone(0.05, 0.5)); // a click: too short
        s.extend(vec![0.001; 16000]);
        let mut seg = Segmenter::new(16000, SegmenterConfig::default());
        let mut utterances = Vec::new();
        for chunk in s.chunks(128) {
            utterances.extend(seg.push(chunk));
        }
        assert!(seg.flush().is_none());
        assert_eq!(utterances.len(), 2);
        let secs: Vec<f32> = utterances.iter().map(|u| u.len() as f32 / 16000.0).collect();
        // 1.0 s of tone + up to 0.15 s pre-roll + 0.4 s hangover.
        assert!((1.4..1.6).contains(&secs[0]), "{secs:?}");
        assert!((1.0..1.2).contains(&secs[1]), "{secs:?}");
    }

    #[test]
    fn long_speech_is_cut_at_max_len() {
        let mut seg = Segmenter::new(16000, SegmenterConfig { max_len: 2.0, ..Default::default() });
        let u = seg.push(&tone(5.0, 0.3));
        assert_eq!(u.len(), 2);
        assert!(u.iter().all(|u| u.len() <= 32000 + 320));
        assert!(seg.flush().is_some(), "the rest is still an utterance");
    }
}
