//! Unit results as plain numbers, for handing them between the page's engines (one per core):
//! every field of a [`UnitResult`] that is not derived from others, flattened into `f64`s.
//! Recall, UAR and row counts are recomputed from the confusion matrix, and a fold's speaker
//! from its index, exactly as the units computed them. (A hand-written form rather than serde:
//! deriving `Deserialize` for every result type added 25 KB to the page's wasm.)

use super::{DrawBaseline, Experiment, FinetuneRun, FinetuneUnit, FoldResult, OodtRun, UnitResult};
use crate::data::N_EMOTIONS;
use crate::error::{Error, Result};
use crate::eval::report_from_confusion;
use crate::report::EvalReport;

const PRETRAIN: f64 = 1.0;
const SOURCE_BASELINE: f64 = 2.0;
const IDT: f64 = 3.0;
const IDT_BASELINE: f64 = 4.0;
const FINETUNE: f64 = 5.0;
const DRAW_BASELINE: f64 = 6.0;

/// The numbers of `r` (read back by [`Experiment::decode`]).
pub fn encode(r: &UnitResult) -> Vec<f64> {
    let mut v = Vec::new();
    match r {
        UnitResult::Pretrain(o) | UnitResult::SourceBaseline(o) => {
            v.push(if matches!(r, UnitResult::Pretrain(_)) { PRETRAIN } else { SOURCE_BASELINE });
            v.push(o.seed as f64);
            report(&mut v, &o.report);
            v.push(o.per_speaker.len() as f64);
            v.extend(&o.per_speaker);
        }
        UnitResult::Idt(f) | UnitResult::IdtBaseline(f) => {
            v.push(if matches!(r, UnitResult::Idt(_)) { IDT } else { IDT_BASELINE });
            v.extend([f.fold as f64, f.seed as f64]);
            report(&mut v, &f.report);
        }
        UnitResult::Finetune(f) => {
            let u = f.unit;
            v.extend([
                FINETUNE,
                u.speakers as f64,
                u.frozen as f64,
                f64::from(u8::from(u.distance_loss)),
                u.repeat as f64,
            ]);
            optional(&mut v, &f.unseen);
            optional(&mut v, &f.seen);
            v.extend([f.steps as f64, f.clamped as f64, f.distance_batches as f64]);
        }
        UnitResult::DrawBaseline(b) => {
            v.extend([DRAW_BASELINE, b.speakers as f64, b.repeat as f64]);
            optional(&mut v, &b.unseen);
            optional(&mut v, &b.seen);
        }
    }
    v
}

fn report(v: &mut Vec<f64>, r: &EvalReport) {
    v.extend(r.confusion.iter().flatten().map(|&c| c as f64));
    v.push(r.speakers as f64);
}

fn optional(v: &mut Vec<f64>, r: &Option<EvalReport>) {
    match r {
        Some(r) => {
            v.push(1.0);
            report(v, r);
        }
        None => v.push(0.0),
    }
}

/// Reads numbers in order.
struct Cursor<'a> {
    v: &'a [f64],
    at: usize,
}

impl Cursor<'_> {
    fn next(&mut self) -> Result<f64> {
        let x = *self.v.get(self.at).ok_or(Error::OutOfOrder("a unit result ends too soon"))?;
        self.at += 1;
        Ok(x)
    }

    fn count(&mut self) -> Result<usize> {
        let x = self.next()?;
        if !(x >= 0.0 && x.fract() == 0.0 && x < 1e15) {
            return Err(Error::OutOfOrder("a unit result holds a count that is not a whole number"));
        }
        Ok(x as usize)
    }

    fn report(&mut self) -> Result<EvalReport> {
        let mut confusion = [[0usize; N_EMOTIONS]; N_EMOTIONS];
        for row in &mut confusion {
            for c in row.iter_mut() {
                *c = self.count()?;
            }
        }
        let speakers = self.count()?;
        Ok(report_from_confusion(confusion, speakers))
    }

    fn optional(&mut self) -> Result<Option<EvalReport>> {
        Ok(if self.next()? == 1.0 { Some(self.report()?) } else { None })
    }
}

impl Experiment {
    /// Reads back what [`encode`] wrote for a unit of this experiment.
    pub fn decode(&self, v: &[f64]) -> Result<UnitResult> {
        let mut c = Cursor { v, at: 0 };
        let tag = c.next()?;
        let r = if tag == PRETRAIN || tag == SOURCE_BASELINE {
            let seed = c.count()?;
            let report = c.report()?;
            let n = c.count()?;
            let per_speaker = (0..n).map(|_| c.next()).collect::<Result<Vec<f64>>>()?;
            let o = OodtRun { seed, report, per_speaker };
            if tag == PRETRAIN { UnitResult::Pretrain(o) } else { UnitResult::SourceBaseline(o) }
        } else if tag == IDT || tag == IDT_BASELINE {
            let (fold, seed) = (c.count()?, c.count()?);
            let speaker = self.speakers.get(fold).ok_or(Error::OutOfOrder("a fold of another experiment"))?.0.clone();
            let f = FoldResult { speaker, fold, seed, report: c.report()? };
            if tag == IDT { UnitResult::Idt(f) } else { UnitResult::IdtBaseline(f) }
        } else if tag == FINETUNE {
            let unit = FinetuneUnit {
                speakers: c.count()?,
                frozen: c.count()?,
                distance_loss: c.count()? == 1,
                repeat: c.count()?,
            };
            let (unseen, seen) = (c.optional()?, c.optional()?);
            UnitResult::Finetune(FinetuneRun {
                unit,
                unseen,
                seen,
                steps: c.count()?,
                clamped: c.count()?,
                distance_batches: c.count()?,
            })
        } else if tag == DRAW_BASELINE {
            let (speakers, repeat) = (c.count()?, c.count()?);
            let (unseen, seen) = (c.optional()?, c.optional()?);
            UnitResult::DrawBaseline(DrawBaseline { speakers, repeat, unseen, seen })
        } else {
            return Err(Error::OutOfOrder("not a unit result"));
        };
        if c.at != v.len() {
            return Err(Error::OutOfOrder("a unit result is longer than its kind"));
        }
        Ok(r)
    }
}
