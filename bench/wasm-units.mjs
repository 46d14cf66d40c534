// The engine's wasm in node, for A/B comparisons of two builds of pkg/ on this machine (run them
// alternately; only ratios within one run mean anything): the median of 20 k = 2 fine-tuning
// sessions (the paper's settings, seed 42, after 3 warm-ups) and the time of the first 12 units
// after the experiment's first phase (IDT folds), from the TESS model on the RAVDESS sample.
// usage: node bench/wasm-units.mjs [PKGDIR]   (default: pkg/)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = process.argv[2] ? new URL(process.argv[2], `file://${process.cwd()}/`).pathname : `${ROOT}pkg`;
const api = await import(`${dir}/siamese_ser.js`);
api.initSync({ module: readFileSync(`${dir}/siamese_ser_bg.wasm`) });
const model = api.Model.fromJson(readFileSync(`${ROOT}www/models/tess.json`, 'utf8'));
const table = api.Table.parse(readFileSync(`${ROOT}data/ravdess_16k.csv`, 'utf8'), 'ravdess_16k.csv');
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
