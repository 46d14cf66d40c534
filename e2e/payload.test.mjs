// What a first visit downloads (wasm + JS + CSS + default model), gzip-compressed, stays under
// the 400 KB budget. Sizes are deterministic, so this is a check, not a benchmark. The plotting
// library (www/vendor/uPlot.iife.min.js, 22 KB gzipped, and its style sheet) is not part of it:
// the page loads it when the first run starts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ROOT } from './harness.mjs';

const FIRST_VISIT = [
  'www/index.html',
  'www/style.css',
  'www/app.js',
  'www/worker.js',
  'www/worker-core.js',
  'pkg/siamese_ser.js',
  'pkg/siamese_ser_bg.wasm',
  'www/models/tess.json',
];

test('the first-visit payload is under 400 KB gzipped', () => {
  const gz = FIRST_VISIT.map((f) => gzipSync(readFileSync(ROOT + f), { level: 9 }).length);
  const total = gz.reduce((a, b) => a + b, 0);
  console.log(`first-visit payload: ${(total / 1024).toFixed(1)} KiB gzipped (${FIRST_VISIT.length} files)`);
  assert.ok(total < 400 * 1024, `${total} bytes`);
});

test('the page references only files that exist, all under the repository', () => {
  const html = readFileSync(`${ROOT}www/index.html`, 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((r) => !/^(data:|https?:|#)/.test(r));
  for (const r of refs) assert.ok(readFileSync(new URL(r, `file://${ROOT}www/`)).length > 0, r);
  const app = readFileSync(`${ROOT}www/src/page.js`, 'utf8');
  for (const m of app.matchAll(/file: '([^']+)'/g)) assert.ok(readFileSync(new URL(m[1], `file://${ROOT}www/`)).length > 0, m[1]);
});
