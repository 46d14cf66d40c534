// `make bench-browser`: runs bench/index.html in headless Chromium and prints the timings, with
// the page payload (what a first visit downloads, gzip-compressed).
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ARTIFACTS, ROOT, launch, startServer } from '../harness.mjs';
import { timePageExperiment } from './page-experiment.mjs';

const payloadFiles = [
  'www/index.html',
  'www/style.css',
  'www/app.js',
  'www/worker.js',
  'www/worker-core.js',
  'www/vendor/uPlot.iife.min.js',
  'www/vendor/uPlot.min.css',
  'pkg/siamese_ser.js',
  'pkg/siamese_ser_bg.wasm',
  'www/models/tess.json',
];
const payload = Object.fromEntries(
  payloadFiles.map((f) => {
    const raw = readFileSync(ROOT + f);
    return [f, { bytes: raw.length, gzip: gzipSync(raw, { level: 9 }).length }];
  }),
);
const total = Object.values(payload).reduce((a, p) => ({ bytes: a.bytes + p.bytes, gzip: a.gzip + p.gzip }), { bytes: 0, gzip: 0 });

// The same experiment natively, right before the browser runs it (the machine is shared and
// noisy: only ratios measured back to back mean anything): one thread, and all cores.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
function nativeExperiment(threads) {
  const t0 = performance.now();
  execFileSync(
    `${ROOT}target/release/siamese-ser`,
    ['reproduce', '--weights', `${ROOT}www/models/tess.json`, '--target', `${ROOT}data/ravdess_16k.csv`],
    { env: { ...process.env, RAYON_NUM_THREADS: String(threads) }, stdio: 'ignore' },
  );
  return (performance.now() - t0) / 1000;
}
const native = { one_thread_s: nativeExperiment(1), all_cores_s: nativeExperiment(cpus().length), cores: cpus().length };

const server = await startServer();
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${server.base}bench/?runs=${process.env.RUNS || 20}`);
  await page.waitForFunction(() => document.body.dataset.done, null, { timeout: 600000 });
  const text = await page.textContent('#result');
  if (text.startsWith('error')) throw new Error(text);
  const parsed = JSON.parse(text);
  // The experiment as the page runs it: on a pool of engines, one per core.
  const app = await browser.newPage();
  const poolSeconds = await timePageExperiment(app, `${server.base}www/`);
  const engines = Number(/on (\d+) engine/.exec(await app.textContent('#paper-status'))[1]);
  parsed.page_experiment_s = poolSeconds;
  parsed.page_experiment_engines = engines;
  const result = {
    ...parsed,
    paper_experiment_native: native,
    paper_experiment_ratio_one_thread: parsed.paper_experiment_s / native.one_thread_s,
    paper_experiment_ratio_all_cores: parsed.paper_experiment_s / native.all_cores_s,
    page_experiment_ratio_same_cores: parsed.page_experiment_s / native.all_cores_s,
    payload,
    payload_total: total,
  };
  writeFileSync(`${ARTIFACTS}/bench-browser.json`, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  server.stop();
}
