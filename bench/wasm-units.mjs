// The engine's wasm in node, for A/B comparisons of two builds of pkg/ on this machine (run them
// alternately; only ratios within one run mean anything): the median of 20 k = 2 fine-tuning
// sessions (the paper's settings, seed 42, after 3 warm-ups) and the time of the first 12 units
// after the experiment's first phase (IDT folds), from the TESS model on the RAVDESS sample.
// With --experiment, instead: the whole experiment (every unit, in order) in this one engine,
// with the process's CPU time beside the wall time (the machine is shared), and its Table 1
// (what the page's experiment shows with its default settings).
// usage: node bench/wasm-units.mjs [--experiment] [PKGDIR]   (default: pkg/)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const whole = args.includes('--experiment');
const given = args.find((a) => a !== '--experiment');
const dir = given ? new URL(given, `file://${process.cwd()}/`).pathname : `${ROOT}pkg`;
const api = await import(`${dir}/siamese_ser.js`);
api.initSync({ module: readFileSync(`${dir}/siamese_ser_bg.wasm`) });
const model = api.Model.fromJson(readFileSync(`${ROOT}www/models/tess.json`, 'utf8'));
const table = api.Table.parse(readFileSync(`${ROOT}data/ravdess_16k.csv`, 'utf8'), 'ravdess_16k.csv');
if (whole) {
  const run = api.PaperRun.fromModel(model, table, undefined);
  const [t0, c0] = [performance.now(), process.cpuUsage().user];
  const results = [];
  for (let i = 0; i < run.total(); i++) results.push(run.runUnit(i).result);
  const ms = performance.now() - t0;
  const cpu = (process.cpuUsage().user - c0) / 1000;
  // Table 1 as the page shows it (the page's engine, default settings), with the baseline.
  const r = run.assemble(results);
  const pct = (x) => (x === null || x === undefined ? null : Number((100 * x).toFixed(1)));
  const lr = r.baselines.logistic_regression;
  const table1 = Object.fromEntries(['oodt', 'idt', 'finetune', 'finetune_distance'].map((k) => [k, pct(r.table1[k])]));
  const cells = { finetune: r.table1.finetune_cell, finetune_distance: r.table1.finetune_distance_cell };
  console.log(
    JSON.stringify({
      experiment_units: run.total(),
      wall_ms: Math.round(ms),
      cpu_ms: Math.round(cpu),
      table1,
      best_cells: Object.fromEntries(Object.entries(cells).map(([k, c]) => [k, `k = ${c.speakers}, ${c.frozen} frozen`])),
      logistic_regression: { oodt: pct(lr.oodt), idt: pct(lr.idt), finetune: pct(lr.finetune) },
    }),
  );
  process.exit(0);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const times = [];
let uar;
for (let i = 0; i < 23; i++) {
  const t0 = performance.now();
  const ft = new api.FineTune(model, table, { speakers: 2, train: { seed: 42 } });
  while (!ft.done()) ft.step(1000);
  uar = ft.finish().after.unseen.uar;
  ft.free();
  if (i >= 3) times.push(performance.now() - t0);
}
const run = api.PaperRun.fromModel(model, table, undefined);
const first = run.firstPhase();
for (let i = 0; i < first; i++) run.runUnit(i);
const t0 = performance.now();
for (let i = first; i < first + 12; i++) run.runUnit(i);
const units = performance.now() - t0;
run.free();
console.log(JSON.stringify({ session_ms: Number(median(times).toFixed(2)), uar, units12_ms: Math.round(units) }));
