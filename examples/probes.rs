//! Probes of two directions for few-shot adaptation that `--method best` does not use (README,
//! "What else was tried"): (1) a linear head (the logistic regression) on the network's
//! embedding g(x), alone or beside the z-scores; (2) ensembles over pretraining seeds. Measured
//! on the development speakers only, with the regularised method exactly as
//! `select --method regularised` sets it up, beside the logistic-regression baseline on the same
//! draws. A research tool: it reads `../shared/data` and prints its tables.
//!
//! cargo run --release --example probes -- MODE [args]
//!   check                  : reproduce select's regularised fine-tuning cell (60 runs) and draw baselines
//!   oodt NSEEDS            : OODT: single, embedding-LR, ensembles over groups of 5 seeds
//!   ft DRAWS FROZEN,..     : k=2 fine-tuning (regularised), 5 seeds per draw: probe 1 and 2
//!   idt SEEDS              : IDT on the 4 dev folds: probe 1 (and ensemble over seeds)

use ndarray::{Array2, ArrayView2, Axis, concatenate};
use siamese_ser::baseline::{LogisticConfig, LogisticRegression};
use siamese_ser::config::TrainConfig;
use siamese_ser::data::{Dataset, Emotion, FeatureSet, LIMITS, N_EMOTIONS, parse_csv_with};
use siamese_ser::eval::evaluate;
use siamese_ser::fewshot::FewShot;
use siamese_ser::method::Method;
use siamese_ser::model::SiameseNet;
use siamese_ser::model::activation::log_sigmoid;
use siamese_ser::protocol::{Experiment, ProtocolConfig, TestRows, Unit, UnitResult};
use siamese_ser::recognizer::{Recognizer, ReferencePolicy, evaluate_rows};
use siamese_ser::rng::{derive_seed, stream};
use siamese_ser::stats::{mean_std, paired};
use std::time::Instant;

type R<T> = Result<T, Box<dyn std::error::Error>>;
/// Per-row class scores or probabilities, in the fixed emotion order.
type Scores = Vec<[f64; 4]>;

const DEV: [&str; 4] = ["ravdess/02", "ravdess/06", "ravdess/21", "ravdess/24"];

fn load(path: &str, features: &FeatureSet) -> R<Dataset> {
    let text = std::fs::read_to_string(path)?;
    let stem = std::path::Path::new(path).file_stem().unwrap().to_str().unwrap();
    let (ds, _) = parse_csv_with(&text, stem, features, &LIMITS)?;
    Ok(ds)
}

/// Per-class mean ln P(same) and mean P(same) of each query against the references.
fn scores(
    net: &SiameseNet<f32>,
    refs: ArrayView2<f32>,
    labels: &[Emotion],
    q: ArrayView2<f32>,
) -> (Vec<[f64; 4]>, Vec<[f64; 4]>) {
    let re = net.embed(refs);
    let qe = net.embed(q);
    let mut counts = [0usize; N_EMOTIONS];
    for e in labels {
        counts[e.index()] += 1;
    }
    let mut scratch = (Array2::zeros((0, 0)), Array2::zeros((0, 0)));
    let mut lg = Vec::new();
    let mut pr = Vec::new();
    for row in qe.rows() {
        let z = net.logits_against(row, re.view(), &mut scratch);
        let mut s = [0.0; 4];
        let mut p = [0.0; 4];
        for (&zi, e) in z.iter().zip(labels) {
            s[e.index()] += log_sigmoid(zi as f64);
            p[e.index()] += 1.0 / (1.0 + (-(zi as f64)).exp());
        }
        for c in 0..4 {
            s[c] /= counts[c] as f64;
            p[c] /= counts[c] as f64;
        }
        lg.push(s);
        pr.push(p);
    }
    (lg, pr)
}

fn argmax(v: &[f64; 4]) -> Emotion {
    Emotion::from_index((0..4).fold(0, |b, c| if v[c] > v[b] { c } else { b }))
}

fn uar_of(truth: &[Emotion], sc: &[[f64; 4]]) -> f64 {
    let p: Vec<Emotion> = sc.iter().map(argmax).collect();
    evaluate(truth, &p, 1).uar
}

fn avg(list: &[Vec<[f64; 4]>]) -> Vec<[f64; 4]> {
    let n = list.len() as f64;
    (0..list[0].len()).map(|i| std::array::from_fn(|c| list.iter().map(|l| l[i][c]).sum::<f64>() / n)).collect()
}

/// Column standardisation fitted on `train` (zero-variance columns → 0).
struct ColScale {
    m: Vec<f32>,
    s: Vec<f32>,
}
impl ColScale {
    fn fit(x: ArrayView2<f32>) -> ColScale {
        let n = x.nrows() as f64;
        let mut m = vec![];
        let mut s = vec![];
        for col in x.columns() {
            let mu = col.iter().map(|&v| v as f64).sum::<f64>() / n;
            let var = col.iter().map(|&v| (v as f64 - mu).powi(2)).sum::<f64>() / n;
            m.push(mu as f32);
            s.push(if var.sqrt() < 1e-6 { f32::INFINITY } else { var.sqrt() as f32 });
        }
        ColScale { m, s }
    }
    fn apply(&self, x: ArrayView2<f32>) -> Array2<f32> {
        let mut y = x.to_owned();
        for (j, mut col) in y.columns_mut().into_iter().enumerate() {
            col.mapv_inplace(|v| (v - self.m[j]) / self.s[j]);
        }
        y
    }
}

/// Linear heads on top of `net`, trained on rows `xtr` (z-scores) / `ytr`, tested on `xte`:
/// returns probabilities for (embedding only, [z, embedding]).
fn heads(net: &SiameseNet<f32>, xtr: ArrayView2<f32>, ytr: &[Emotion], xte: ArrayView2<f32>) -> R<(Scores, Scores)> {
    let gtr = net.embed(xtr);
    let gte = net.embed(xte);
    let sc = ColScale::fit(gtr.view());
    let (gtr, gte) = (sc.apply(gtr.view()), sc.apply(gte.view()));
    let cfg = LogisticConfig::default();
    let e = LogisticRegression::fit(gtr.view(), ytr, cfg, None, None)?;
    let ctr = concatenate(Axis(1), &[xtr, gtr.view()])?;
    let cte = concatenate(Axis(1), &[xte, gte.view()])?;
    let c = LogisticRegression::fit(ctr.view(), ytr, cfg, None, None)?;
    Ok((e.probabilities(gte.view()), c.probabilities(cte.view())))
}

fn report(name: &str, v: &[f64]) {
    let (m, s) = mean_std(v);
    println!("  {name:<44} mean {:6.2}  std {:5.2}  n {}", 100.0 * m, 100.0 * s, v.len());
}

fn diff(name: &str, a: &[f64], b: &[f64]) {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| 100.0 * (x - y)).collect();
    let p = paired(&d);
    let (_, s) = mean_std(&d);
    let ci = p.ci95.map_or("—".into(), |c| format!("[{:+.2}, {:+.2}]", c[0], c[1]));
    println!(
        "  {name:<44} {:+6.2}  std {:5.2}  95% {ci}  wins {}/{}  losses {}  Wilcoxon p {:.3}",
        p.mean, s, p.wins, p.n, p.losses, p.p_value
    );
}

struct Setup {
    source: Dataset,
    target: Dataset,
    dev_rows: Dataset,
    base: ProtocolConfig,
    pretrain: TrainConfig,
    finetune: TrainConfig,
    idt: TrainConfig,
}

fn setup() -> R<Setup> {
    let mut base = ProtocolConfig::default();
    let target = load(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/ravdess_16k.csv"), &base.features)?;
    let source = load(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/tess_16k.csv"),
        &FeatureSet::Names(target.features.clone()),
    )?;
    base = base.with_method(Method::Paper);
    let labelled = target.select(&target.labelled());
    let keep: Vec<usize> = (0..labelled.len()).filter(|&i| DEV.contains(&labelled.speaker_key(i).as_str())).collect();
    let dev_rows = labelled.select(&keep);
    // select_regularised's chosen values (method.rs REGULARISED).
    let pretrain = TrainConfig { weight_decay: 0.3, input_noise: 0.0, epochs: 40, ..base.pretrain.clone() };
    let idt = TrainConfig { weight_decay: 0.3, input_noise: 0.0, epochs: 240, ..base.idt.clone() };
    let finetune = TrainConfig { keep_references: true, epochs: 60, weight_decay: 0.3, ..base.finetune.clone() };
    assert_eq!(pretrain, TrainConfig { seed: base.pretrain.seed, ..Method::Regularised.pretrain() });
    assert_eq!(finetune, TrainConfig { seed: base.finetune.seed, ..Method::Regularised.finetune() });
    assert_eq!(idt, TrainConfig { seed: base.idt.seed, ..Method::Regularised.idt() });
    Ok(Setup { source, target, dev_rows, base, pretrain, finetune, idt })
}

fn on_dev(s: &Setup, seeds: usize) -> ProtocolConfig {
    ProtocolConfig {
        dev_speakers: vec![],
        speakers: Some(vec![2]),
        test_rows: TestRows::UnseenSpeakers,
        pretrain: s.pretrain.clone(),
        finetune: s.finetune.clone(),
        pretrain_seeds: seeds,
        ..s.base.clone()
    }
}

fn pretrain_all(exp: &mut Experiment) -> R<Vec<f64>> {
    let mut u = vec![];
    for n in 0..exp.config.pretrain_seeds {
        if let UnitResult::Pretrain(o) = exp.run_unit(&Unit::Pretrain(n))? {
            u.push(o.report.uar);
        }
    }
    exp.run_unit(&Unit::SourceBaseline)?;
    Ok(u)
}

fn truth(ds: &Dataset, rows: &[usize]) -> Vec<Emotion> {
    rows.iter().map(|&i| ds.emotion[i].unwrap()).collect()
}

fn main() -> R<()> {
    let args: Vec<String> = std::env::args().collect();
    let t0 = Instant::now();
    let s = setup()?;
    match args[1].as_str() {
        "check" => check(&s)?,
        "oodt" => oodt(&s, args[2].parse()?)?,
        "ft" => {
            let frozen: Vec<usize> = args[3].split(',').map(|v| v.parse().unwrap()).collect();
            ft(&s, args[2].parse()?, &frozen)?
        }
        "idt" => idt(&s, args[2].parse()?)?,
        m => return Err(format!("unknown mode {m}").into()),
    }
    eprintln!("wall {:.1} s", t0.elapsed().as_secs_f64());
    Ok(())
}

/// Select's fine-tuning stage for the chosen candidate: 60 runs; and the draw baselines.
fn check(s: &Setup) -> R<()> {
    let mut exp = Experiment::new(&s.source, &s.dev_rows, on_dev(s, 5))?;
    let oodt = pretrain_all(&mut exp)?;
    report("OODT (5 seeds) [select: 58.9]", &oodt);
    let mut all = vec![];
    let mut nodist = vec![];
    for u in exp.finetune_units() {
        if let UnitResult::Finetune(f) = exp.run_unit(&Unit::Finetune(u))? {
            let v = f.unseen.unwrap().uar;
            all.push(v);
            if !u.distance_loss {
                nodist.push(v);
            }
        }
    }
    report("fine-tuning, 60 runs [select: 56.0]", &all);
    report("fine-tuning, 30 runs without distance loss", &nodist);
    let mut lr = vec![];
    for r in 0..exp.config.repeats {
        lr.push(exp.run_draw_baseline(2, r)?.unseen.unwrap().uar);
    }
    report("LR on the 10 draws", &lr);
    Ok(())
}

fn oodt(s: &Setup, nseeds: usize) -> R<()> {
    let mut exp = Experiment::new(&s.source, &s.dev_rows, on_dev(s, nseeds))?;
    let t = Instant::now();
    let single = pretrain_all(&mut exp)?;
    eprintln!("pretraining {nseeds} seeds: {:.1} s", t.elapsed().as_secs_f64());
    let rows: Vec<usize> = (0..exp.target.len()).collect();
    let y = truth(&exp.target, &rows);
    let m0 = exp.pretrained(0).unwrap();
    let z = m0.standardize(&exp.target)?;
    let sz = m0.standardize(&exp.source)?;
    let sy = truth(&exp.source, &(0..exp.source.len()).collect::<Vec<_>>());
    let lr = LogisticRegression::fit(sz.view(), &sy, LogisticConfig::default(), None, None)?;
    let lr_uar = evaluate(&y, &lr.predict(z.view()), 1).uar;
    println!("OODT on the 4 development speakers ({} rows); LR {:.2}", rows.len(), 100.0 * lr_uar);
    let mut lg = vec![];
    let mut pr = vec![];
    let mut own = vec![];
    let mut e_src = vec![];
    let mut c_src = vec![];
    let mut e_ref = vec![];
    let mut c_ref = vec![];
    let mut e_probs = vec![];
    for n in 0..nseeds {
        let m = exp.pretrained(n).unwrap();
        let (l, p) = scores(&m.net, m.references.x.view(), &m.references.labels, z.view());
        own.push(uar_of(&y, &l));
        lg.push(l);
        pr.push(p);
        let (e, c) = heads(&m.net, sz.view(), &sy, z.view())?;
        e_src.push(uar_of(&y, &e));
        c_src.push(uar_of(&y, &c));
        e_probs.push(e);
        let (e, c) = heads(&m.net, m.references.x.view(), &m.references.labels, z.view())?;
        e_ref.push(uar_of(&y, &e));
        c_ref.push(uar_of(&y, &c));
    }
    for (a, b) in single.iter().zip(&own) {
        assert!((a - b).abs() < 1e-12, "own scoring differs from the library's: {a} vs {b}");
    }
    let lrv = vec![lr_uar; nseeds];
    println!("Probe 1 (OODT, per seed, {nseeds} seeds):");
    report("Siamese comparison (single model)", &single);
    report("LR(embedding), trained on all 1600 source rows", &e_src);
    report("LR([z, embedding]), all 1600 source rows", &c_src);
    report("LR(embedding), trained on the 200 references", &e_ref);
    report("LR([z, embedding]), the 200 references", &c_ref);
    diff("Siamese − LR", &single, &lrv);
    diff("LR(emb, source) − LR", &e_src, &lrv);
    diff("LR([z,emb], source) − LR", &c_src, &lrv);
    diff("LR(emb, source) − Siamese", &e_src, &single);
    diff("LR([z,emb], source) − Siamese", &c_src, &single);
    println!("Probe 2 (OODT, ensembles over disjoint groups of 5 seeds):");
    let groups = nseeds / 5;
    let (mut ens_l, mut ens_p, mut ens_e, mut mean_single, mut mean_e) = (vec![], vec![], vec![], vec![], vec![]);
    for g in 0..groups {
        let r = 5 * g..5 * g + 5;
        ens_l.push(uar_of(&y, &avg(&lg[r.clone()])));
        ens_p.push(uar_of(&y, &avg(&pr[r.clone()])));
        ens_e.push(uar_of(&y, &avg(&e_probs[r.clone()])));
        mean_single.push(mean_std(&single[r.clone()]).0);
        mean_e.push(mean_std(&e_src[r]).0);
        println!(
            "  group {g}: single mean {:.2}, ensemble(mean ln P) {:.2}, ensemble(mean P) {:.2}; LR(emb) single {:.2}, ensemble {:.2}",
            100.0 * mean_single[g],
            100.0 * ens_l[g],
            100.0 * ens_p[g],
            100.0 * mean_e[g],
            100.0 * ens_e[g]
        );
    }
    report("single model (mean over the group's 5)", &mean_single);
    report("ensemble of 5, mean ln P", &ens_l);
    report("ensemble of 5, mean P", &ens_p);
    diff("ensemble(ln P) − single", &ens_l, &mean_single);
    diff("ensemble(P) − single", &ens_p, &mean_single);
    diff("ensemble(ln P) − LR", &ens_l, &vec![lr_uar; groups]);
    diff("ensemble LR(emb) − single LR(emb)", &ens_e, &mean_e);
    println!(
        "  ensemble of all {nseeds}: mean ln P {:.2}, mean P {:.2}",
        100.0 * uar_of(&y, &avg(&lg)),
        100.0 * uar_of(&y, &avg(&pr))
    );
    Ok(())
}

fn ft(s: &Setup, draws: usize, frozen: &[usize]) -> R<()> {
    const M: usize = 5;
    let mut exp = Experiment::new(&s.source, &s.dev_rows, on_dev(s, M))?;
    pretrain_all(&mut exp)?;
    let seed = exp.config.seed;
    let z = exp.pretrained(0).unwrap().standardize(&exp.target)?;
    let sz = exp.pretrained(0).unwrap().standardize(&exp.source)?;
    let sy = truth(&exp.source, &(0..exp.source.len()).collect::<Vec<_>>());
    let src_lr = LogisticRegression::fit(sz.view(), &sy, LogisticConfig::default(), None, None)?;
    // Per draw (averaged over frozen settings and, for the per-model variants, over the 5 models):
    let names = [
        "LR (source + 8 labelled; the project's baseline)",
        "LR on the 208 references (control)",
        "Siamese, protocol's model (r mod 5)",
        "Siamese, mean over the 5 models",
        "LR(emb), references (208 rows)",
        "LR([z,emb]), references",
        "LR(emb), source + labelled (1608 rows)",
        "LR([z,emb]), source + labelled",
        "ensemble of 5 Siamese, mean ln P",
        "ensemble of 5 Siamese, mean P",
        "ensemble of 5 LR(emb, 1608)",
        "ensemble of 5 LR([z,emb], 1608)",
    ];
    let mut per_draw: Vec<Vec<f64>> = vec![vec![]; names.len()];
    let mut pair_of: Vec<String> = vec![];
    let t = Instant::now();
    for r in 0..draws {
        let (labelled, test) = exp.kshot_split(2, r);
        let lspk: Vec<String> = labelled.iter().map(|&i| exp.target.speaker_key(i)).collect();
        let unseen: Vec<usize> = test.iter().copied().filter(|&i| !lspk.contains(&exp.target.speaker_key(i))).collect();
        let y = truth(&exp.target, &unseen);
        let zu = z.select(Axis(0), &unseen);
        let lz = z.select(Axis(0), &labelled);
        let ly = truth(&exp.target, &labelled);
        let xall = concatenate(Axis(0), &[sz.view(), lz.view()])?;
        let yall: Vec<Emotion> = sy.iter().chain(&ly).copied().collect();
        let lr = LogisticRegression::fit(xall.view(), &yall, s.base.baseline, None, Some(&src_lr))?;
        let lr_uar = evaluate(&y, &lr.predict(zu.view()), 1).uar;
        if r < 10 {
            let check = exp.run_draw_baseline(2, r)?.unseen.unwrap().uar;
            assert!((check - lr_uar).abs() < 1e-9, "LR differs from the draw baseline: {check} vs {lr_uar}");
        }
        let mut acc: Vec<Vec<f64>> = vec![vec![]; names.len()];
        let mut lr_ref_done = false;
        for &f in frozen {
            let cfg = TrainConfig {
                frozen_layers: f,
                distance_loss: false,
                seed: derive_seed(seed, &[stream::FINETUNE_DRAW, 2, r as u64, 1]),
                ..s.finetune.clone()
            };
            let (mut lgs, mut prs, mut eps, mut cps) = (vec![], vec![], vec![], vec![]);
            for m in 0..M {
                let base = exp.pretrained(m).unwrap();
                let mut run = FewShot::new(base, &exp.target, &z, &labelled, &test, &cfg)?;
                run.run()?;
                let (tuned, measured) = run.finish()?;
                let lib = measured.unwrap().unseen.unwrap().uar;
                let refs = &tuned.references;
                let (l, p) = scores(&tuned.net, refs.x.view(), &refs.labels, zu.view());
                let mine = uar_of(&y, &l);
                assert!((mine - lib).abs() < 1e-12, "own scoring {mine} vs library {lib}");
                if m == r % M {
                    acc[2].push(lib);
                }
                acc[3].push(lib);
                if !lr_ref_done {
                    // Plain LR on the reference rows of model r mod 5 would differ per model; use model m=0's.
                    let l0 = LogisticRegression::fit(refs.x.view(), &refs.labels, s.base.baseline, None, None)?;
                    acc[1].push(evaluate(&y, &l0.predict(zu.view()), 1).uar);
                    lr_ref_done = true;
                }
                let (e, c) = heads(&tuned.net, refs.x.view(), &refs.labels, zu.view())?;
                acc[4].push(uar_of(&y, &e));
                acc[5].push(uar_of(&y, &c));
                let (e, c) = heads(&tuned.net, xall.view(), &yall, zu.view())?;
                acc[6].push(uar_of(&y, &e));
                acc[7].push(uar_of(&y, &c));
                lgs.push(l);
                prs.push(p);
                eps.push(e);
                cps.push(c);
            }
            acc[8].push(uar_of(&y, &avg(&lgs)));
            acc[9].push(uar_of(&y, &avg(&prs)));
            acc[10].push(uar_of(&y, &avg(&eps)));
            acc[11].push(uar_of(&y, &avg(&cps)));
        }
        acc[0].push(lr_uar);
        pair_of.push(lspk.iter().step_by(4).cloned().collect::<Vec<_>>().join("+"));
        for (i, a) in acc.iter().enumerate() {
            per_draw[i].push(mean_std(a).0);
        }
        eprintln!(
            "draw {r} ({}): LR {:.1} Siamese {:.1} LR(emb,1608) {:.1} LR([z,emb],1608) {:.1} ens {:.1}  [{:.0} s]",
            lspk.iter().step_by(4).cloned().collect::<Vec<_>>().join("+"),
            100.0 * per_draw[0][r],
            100.0 * per_draw[3][r],
            100.0 * per_draw[6][r],
            100.0 * per_draw[7][r],
            100.0 * per_draw[8][r],
            t.elapsed().as_secs_f64()
        );
    }
    println!(
        "k = 2 fine-tuning (regularised: 60 epochs, wd 0.3, references kept), no distance loss, frozen {frozen:?}, \
         {draws} draws × 5 pretraining seeds; UAR on the 2 unseen development speakers; one value per draw \
         (mean over frozen settings and models)"
    );
    for (n, v) in names.iter().zip(&per_draw) {
        report(n, v);
    }
    println!("paired by draw:");
    let lr = &per_draw[0];
    for i in 1..names.len() {
        diff(&format!("{} − LR", names[i]), &per_draw[i], lr);
    }
    diff("LR(emb, refs) − Siamese (mean of 5)", &per_draw[4], &per_draw[3]);
    diff("LR([z,emb], refs) − Siamese (mean of 5)", &per_draw[5], &per_draw[3]);
    diff("LR(emb, 1608) − Siamese (mean of 5)", &per_draw[6], &per_draw[3]);
    diff("LR([z,emb], 1608) − Siamese (mean of 5)", &per_draw[7], &per_draw[3]);
    diff("ensemble ln P − Siamese (mean of 5)", &per_draw[8], &per_draw[3]);
    diff("ensemble P − Siamese (mean of 5)", &per_draw[9], &per_draw[3]);
    diff("ensemble LR(emb) − LR(emb) (mean of 5)", &per_draw[10], &per_draw[6]);
    diff("ensemble LR([z,emb]) − LR([z,emb]) (mean of 5)", &per_draw[11], &per_draw[7]);
    let mut pairs: Vec<String> = pair_of.clone();
    pairs.sort();
    pairs.dedup();
    let per_pair: Vec<Vec<f64>> = per_draw
        .iter()
        .map(|v| {
            pairs
                .iter()
                .map(|p| {
                    mean_std(&v.iter().zip(&pair_of).filter(|(_, q)| *q == p).map(|(x, _)| *x).collect::<Vec<_>>()).0
                })
                .collect()
        })
        .collect();
    println!(
        "per labelled speaker pair ({} pairs; draws per pair {:?}):",
        pairs.len(),
        pairs.iter().map(|p| pair_of.iter().filter(|q| *q == p).count()).collect::<Vec<_>>()
    );
    for (n, v) in names.iter().zip(&per_pair) {
        println!("  {n:<44} {:?}", v.iter().map(|u| format!("{:.1}", 100.0 * u)).collect::<Vec<_>>());
    }
    for i in [3, 6, 7, 8, 9] {
        diff(&format!("{} − LR (per pair)", names[i]), &per_pair[i], &per_pair[0]);
    }
    diff("ensemble ln P − Siamese mean of 5 (per pair)", &per_pair[8], &per_pair[3]);
    diff("LR([z,emb], 1608) − Siamese (per pair)", &per_pair[7], &per_pair[3]);
    Ok(())
}

fn idt(s: &Setup, seeds: usize) -> R<()> {
    let whole = ProtocolConfig { dev_speakers: vec![], pretrain_seeds: seeds, idt: s.idt.clone(), ..s.base.clone() };
    let labelled = s.target.select(&s.target.labelled());
    let exp = Experiment::new(&s.source, &labelled, whole)?;
    let c = &exp.config;
    let folds: Vec<usize> =
        exp.speaker_names().iter().enumerate().filter(|(_, n)| DEV.contains(n)).map(|(i, _)| i).collect();
    let names = ["LR (the project's IDT baseline)", "Siamese comparison", "LR(embedding)", "LR([z, embedding])"];
    // [variant][fold*seeds + seed]
    let mut v: Vec<Vec<f64>> = vec![vec![]; names.len()];
    let mut ens = vec![];
    let mut ens_p = vec![];
    let mut ens_e = vec![];
    let mut single_mean = vec![];
    let mut e_mean = vec![];
    let mut lr_fold = vec![];
    let t = Instant::now();
    for &fold in &folds {
        let (train, test) = exp.idt_split(fold);
        let base_lr = exp.run_idt_baseline(fold)?.report.uar;
        let (mut lgs, mut prs, mut eps, mut fold_s, mut fold_e) = (vec![], vec![], vec![], vec![], vec![]);
        for seed in 0..seeds {
            let path: Vec<u64> =
                if seed == 0 { vec![stream::IDT, fold as u64] } else { vec![stream::IDT, fold as u64, seed as u64] };
            let cfg = TrainConfig { seed: derive_seed(c.seed, &path), ..c.idt.clone() };
            let mut training = Recognizer::start_pretraining(
                &exp.target.select(&train),
                &c.model,
                &c.normalization,
                &cfg,
                ReferencePolicy::Rows { per_class: None },
            )?;
            training.run()?;
            let rec = training.finish();
            let z = rec.standardize(&exp.target)?;
            let sia = evaluate_rows(&rec, &z, &exp.target, &test)?.uar;
            let ztr = z.select(Axis(0), &train);
            let ytr = truth(&exp.target, &train);
            let zte = z.select(Axis(0), &test);
            let yte = truth(&exp.target, &test);
            let lr = LogisticRegression::fit(ztr.view(), &ytr, c.baseline, None, None)?;
            let lr_uar = evaluate(&yte, &lr.predict(zte.view()), 1).uar;
            assert!((lr_uar - base_lr).abs() < 1e-9, "IDT LR {lr_uar} vs baseline {base_lr}");
            let (l, p) = scores(&rec.net, rec.references.x.view(), &rec.references.labels, zte.view());
            assert!((uar_of(&yte, &l) - sia).abs() < 1e-12);
            let (e, cc) = heads(&rec.net, ztr.view(), &ytr, zte.view())?;
            v[0].push(lr_uar);
            v[1].push(sia);
            v[2].push(uar_of(&yte, &e));
            v[3].push(uar_of(&yte, &cc));
            fold_s.push(sia);
            fold_e.push(uar_of(&yte, &e));
            lgs.push(l);
            prs.push(p);
            eps.push(e);
            eprintln!(
                "fold {} seed {seed}: LR {:.1} Siamese {:.1} LR(emb) {:.1} LR([z,emb]) {:.1} [{:.0} s]",
                exp.speaker_names()[fold],
                100.0 * lr_uar,
                100.0 * sia,
                100.0 * v[2].last().unwrap(),
                100.0 * v[3].last().unwrap(),
                t.elapsed().as_secs_f64()
            );
        }
        let yte = truth(&exp.target, &test);
        for g in 0..seeds / 5 {
            let r = 5 * g..5 * g + 5;
            ens.push(uar_of(&yte, &avg(&lgs[r.clone()])));
            ens_p.push(uar_of(&yte, &avg(&prs[r.clone()])));
            ens_e.push(uar_of(&yte, &avg(&eps[r.clone()])));
            single_mean.push(mean_std(&fold_s[r.clone()]).0);
            e_mean.push(mean_std(&fold_e[r]).0);
            lr_fold.push(base_lr);
        }
    }
    println!("IDT (regularised: 240 epochs, wd 0.3), the 4 development speakers left out in turn, {seeds} seeds each:");
    for (n, x) in names.iter().zip(&v) {
        report(n, x);
    }
    let two: Vec<f64> =
        (0..folds.len()).flat_map(|f| (0..2).map(move |s| (f, s))).map(|(f, s)| v[1][f * seeds + s]).collect();
    report("Siamese, seeds 0–1 only [select: 75.0]", &two);
    println!("paired by (fold, seed), n = {}:", v[0].len());
    diff("Siamese − LR", &v[1], &v[0]);
    diff("LR(emb) − LR", &v[2], &v[0]);
    diff("LR([z,emb]) − LR", &v[3], &v[0]);
    diff("LR(emb) − Siamese", &v[2], &v[1]);
    diff("LR([z,emb]) − Siamese", &v[3], &v[1]);
    println!("per fold (mean over seeds), n = {}:", folds.len());
    let fold_mean = |x: &Vec<f64>| -> Vec<f64> { x.chunks(seeds).map(|c| mean_std(c).0).collect() };
    for (n, x) in names.iter().zip(&v) {
        println!("  {n:<44} {:?}", fold_mean(x).iter().map(|u| format!("{:.1}", 100.0 * u)).collect::<Vec<_>>());
    }
    diff("LR([z,emb]) − LR (per fold)", &fold_mean(&v[3]), &fold_mean(&v[0]));
    println!("Probe 2 (IDT): ensembles of 5 seeds, disjoint groups, per fold (fold × group):");
    report("single (mean over seeds)", &single_mean);
    report("ensemble mean ln P", &ens);
    report("ensemble mean P", &ens_p);
    report("ensemble LR(emb)", &ens_e);
    diff("ensemble ln P − single", &ens, &single_mean);
    diff("ensemble ln P − LR", &ens, &lr_fold);
    diff("ensemble LR(emb) − single LR(emb)", &ens_e, &e_mean);
    Ok(())
}
