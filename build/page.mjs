// Bundles the page's modules (www/src/, entry main.js) into www/app.js, the one script that
// www/index.html loads and that build/single.mjs inlines. Only whitespace is minified (2.1 KB
// less gzip-compressed, of a first visit's 400 KB budget): names and statements stay as
// written, so the browser's pretty-printer gives back a readable script to debug.
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const result = await build({
  entryPoints: [`${root}www/src/main.js`],
  outfile: `${root}www/app.js`,
  bundle: true,
  format: 'iife',
  target: 'es2022',
  charset: 'utf8',
  minifyWhitespace: true,
  legalComments: 'inline',
  banner: { js: '// Built by build/page.mjs from www/src/ (edit those files, then `make page`).' },
  logLevel: 'warning',
  metafile: true,
});
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`www/app.js: ${result.metafile.outputs['www/app.js']?.bytes ?? '?'} bytes from ${inputs} modules`);
