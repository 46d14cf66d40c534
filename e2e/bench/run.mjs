// `make bench-browser`: runs bench/index.html in headless Chromium and prints the timings, with
// the page payload (what a first visit downloads, gzip-compressed).
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ARTIFACTS, ROOT, launch, startServer } from '../harness.mjs';

const payloadFiles = [
  'www/index.html', 'www/style.css', 'www/app.js', 'www/worker.js', 'www/worker-core.js',
  'www/vendor/uPlot.iife.min.js', 'www/vendor/uPlot.min.css',
  'pkg/siamese_ser.js', 'pkg/siamese_ser_bg.wasm', 'www/models/tess.json',
];
const payload = Object.fromEntries(payloadFiles.map((f) => {
  const raw = readFileSync(ROOT + f);
  return [f, { bytes: raw.length, gzip: gzipSync(raw, { level: 9 }).length }];
}));
const total = Object.values(payload).reduce((a, p) => ({ bytes: a.bytes + p.bytes, gzip: a.gzip + p.gzip }), { bytes: 0, gzip: 0 });

const server = await startServer();
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${server.base}bench/?runs=${process.env.RUNS || 20}`);
  await page.waitForFunction(() => document.body.dataset.done, null, { timeout: 600000 });
  const text = await page.textContent('#result');
  if (text.startsWith('error')) throw new Error(text);
  const result = { ...JSON.parse(text), payload, payload_total: total };
  writeFileSync(`${ARTIFACTS}/bench-browser.json`, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  server.stop();
}
