// A/B timing of the page's experiment for two builds of www/app.js, alternated:
// node e2e/bench/pool-ab.mjs A.js B.js [rounds]. Copies each over www/app.js in turn (and puts
// the current one back at the end). For deciding between two pool strategies on this machine.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { ROOT, launch, startServer } from '../harness.mjs';
import { timePageExperiment } from './page-experiment.mjs';

const [a, b, rounds = '2'] = process.argv.slice(2);
const current = readFileSync(`${ROOT}www/app.js`);
const server = await startServer();
const browser = await launch();
const times = { A: [], B: [] };
try {
  for (let r = 0; r < Number(rounds); r++) {
    for (const [name, file] of [
      ['A', a],
      ['B', b],
    ]) {
      copyFileSync(file, `${ROOT}www/app.js`);
      const page = await browser.newPage();
      times[name].push(await timePageExperiment(page, `${server.base}www/`));
      await page.close();
    }
  }
} finally {
  writeFileSync(`${ROOT}www/app.js`, current);
  await browser.close();
  server.stop();
}
console.log(JSON.stringify(times));
