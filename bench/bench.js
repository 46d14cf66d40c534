// Browser timing harness: the units of work of benches/training.rs (finetune_k2_session) and
// of `siamese-ser reproduce --weights www/models/tess.json` with one thread, in wasm.
import init, { FineTune, Model, PaperRun, Table } from '../pkg/siamese_ser.js';

const out = document.getElementById('result');
const params = new URLSearchParams(location.search);
const runs = Number(params.get('runs') || 20);
const paper = params.get('paper') !== '0';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main() {
  await init();
  const [modelJson, csv] = await Promise.all([
    fetch('../www/models/tess.json').then((r) => r.text()),
    fetch('../data/ravdess_16k.csv').then((r) => r.text()),
  ]);
  const model = Model.fromJson(modelJson);
  const table = Table.parse(csv, 'ravdess_16k.csv');
  const session = (distance) => {
    const t0 = performance.now();
    const ft = new FineTune(model, table, { speakers: 2, train: { seed: 42, distance_loss: distance } });
    while (!ft.done()) ft.step(1000);
    const outcome = ft.finish();
    ft.free();
    return [performance.now() - t0, outcome.after.uar];
  };
  const result = { userAgent: navigator.userAgent, runs };
  for (const distance of [false, true]) {
    for (let i = 0; i < 3; i++) session(distance); // warm-up
    const times = [];
    let uar;
    for (let i = 0; i < runs; i++) {
      const [ms, u] = session(distance);
      times.push(ms);
      uar = u;
    }
    result[distance ? 'finetune_k2_session_distance_ms' : 'finetune_k2_session_ms'] = { median: median(times), min: Math.min(...times), max: Math.max(...times), uar };
  }
  if (paper) {
    const t0 = performance.now();
    const run = PaperRun.fromModel(model, table, undefined);
    while (!run.done()) run.step();
    const report = run.report();
    run.free();
    result.paper_experiment_s = (performance.now() - t0) / 1000;
    result.paper_table1 = report.table1;
  }
  out.textContent = JSON.stringify(result, null, 2);
  document.body.dataset.done = 'true';
}

main().catch((e) => {
  out.textContent = `error: ${e.message || e}`;
  document.body.dataset.done = 'error';
});
