import { loadSample } from '../harness.mjs';

// The page's experiment as a person starts it, for the timing scripts beside this file: open
// the page at `url`, load the bundled sample, press "Run the paper's experiment", and wait for
// the report. `atStart` runs just before the click (a snapshot to compare with afterwards).
// Resolves to the seconds from the click to the report.
export async function timePageExperiment(page, url, atStart = () => {}) {
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60000 });
  await loadSample(page);
  await atStart();
  const t0 = Date.now();
  await page.click('#paper-button');
  await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 600000 });
  return (Date.now() - t0) / 1000;
}
