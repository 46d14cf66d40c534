// The numbers the page reaches with its default settings, for each method: the page's engine
// (the committed pkg/) run by node on the bundled TESS model and the bundled RAVDESS sample.
// usage: node bench/page-numbers.mjs [k ...]   (default k = 2)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as api from '../pkg/siamese_ser.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
api.initSync({ module: readFileSync(`${ROOT}pkg/siamese_ser_bg.wasm`) });
const defaults = api.defaults();
const model = api.Model.fromJson(readFileSync(`${ROOT}www/models/tess.json`, 'utf8'));
const table = api.Table.parse(readFileSync(`${ROOT}data/ravdess_16k.csv`, 'utf8'), 'ravdess_16k.csv');
const pct = (x) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(1)} %`);
const ks = process.argv.slice(2).map(Number);
for (const k of ks.length ? ks : [2]) {
  for (const m of defaults.methods) {
    const f = defaults.fewshot;
    const config = { ...f, speakers: k, train: { ...m.finetune, seed: f.train.seed } };
    const ft = new api.FineTune(model, table, config);
    while (!ft.done()) ft.step(1000);
    const o = ft.finish();
    const u = (x) => x && x.unseen;
    console.log(
      `k = ${k}, ${m.name}${m.name === defaults.best ? ' (the page default)' : ''}: before ${pct(u(o.before).uar)}, ` +
        `after ${pct(u(o.after).uar)}, logistic regression ${pct(u(o.baseline) && u(o.baseline).uar)} ` +
        `on ${u(o.after).rows} rows of ${u(o.after).speakers} unseen speakers; ${o.steps} steps`,
    );
    ft.free();
  }
}
