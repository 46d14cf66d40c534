// Builds dist/siamese-ser.html: the whole page in one file that works when opened from file://
// (no server, offline). The wasm (no-modules build), both bundled models and the RAVDESS sample
// are inlined, gzip-compressed and base64-encoded; the worker runs from a blob: URL.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const text = (p) => readFileSync(root + p, 'utf8');
const gz64 = (buf) => gzipSync(buf, { level: 9 }).toString('base64');
// A JS string literal that is safe inside <script>.
const literal = (s) => JSON.stringify(s).replace(/<\//g, '<\\/').replace(/<!--/g, '<\\!--');

function replaceOnce(haystack, needle, replacement) {
  const i = haystack.indexOf(needle);
  if (i < 0 || haystack.indexOf(needle, i + 1) >= 0) throw new Error(`expected exactly one ${needle} in www/index.html`);
  return haystack.slice(0, i) + replacement + haystack.slice(i + needle.length);
}

const workerSource = [
  text('target/pkg-no-modules/siamese_ser.js'),
  text('www/worker-core.js'),
  'self.startWorker(async (init) => { wasm_bindgen.initSync({ module: init.wasm }); return wasm_bindgen; });',
].join('\n;\n');

const bundle = `
window.SIAMESE_BUNDLE = (function () {
  'use strict';
  async function gunzip(b64) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }
  const WASM = ${literal(gz64(readFileSync(root + 'target/pkg-no-modules/siamese_ser_bg.wasm')))};
  const SAMPLE = ${literal(gz64(readFileSync(root + 'data/ravdess_16k.csv')))};
  const WORKER = ${literal(workerSource)};
  return {
    workerUrl: URL.createObjectURL(new Blob([WORKER], { type: 'text/javascript' })),
    models: {
      tess: async () => new TextDecoder().decode(await gunzip(${literal(gz64(readFileSync(root + 'www/models/tess.json')))})),
      all: async () => new TextDecoder().decode(await gunzip(${literal(gz64(readFileSync(root + 'www/models/all.json')))})),
    },
    wasm: () => gunzip(WASM),
    sample: async () => new TextDecoder().decode(await gunzip(SAMPLE)),
  };
})();
`;

// The page's script without its source-map line: the single file has no app.js.map beside it.
const pageScript = text('www/app.js').replace(/\n\/\/# sourceMappingURL=app\.js\.map\n?$/, '\n');
let html = text('www/index.html');
// The plots' style sheet, which the served page loads with the plotting library, goes first.
html = replaceOnce(
  html,
  '<link rel="stylesheet" href="style.css">',
  `<style>${text('www/vendor/uPlot.min.css')}</style>\n  <style>\n${text('www/style.css')}</style>`,
);
// The page loads uPlot when a run starts; the single file has it inline instead.
const uplot = `<script>${text('www/vendor/uPlot.iife.min.js').replace(/<\//g, '<\\/')}</script>`;
html = replaceOnce(html, '<script src="app.js"></script>', `${uplot}\n  <script>${bundle}</script>\n  <script>\n${pageScript}</script>`);

mkdirSync(root + 'dist', { recursive: true });
writeFileSync(root + 'dist/siamese-ser.html', html);
console.log(`dist/siamese-ser.html: ${html.length.toLocaleString('en')} bytes`);
