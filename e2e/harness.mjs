// Shared set-up for the browser tests: a static server on 127.0.0.1 for the repository root,
// Debian's Chromium driven by playwright-core, and watchers that fail a test on console
// errors, failed requests or any request that leaves 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { after, before } from 'node:test';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ARTIFACTS = `${ROOT}target/e2e`;
mkdirSync(ARTIFACTS, { recursive: true });

export async function startServer() {
  const server = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', ROOT], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the static server did not start')), 10000);
    server.stdout.on('data', (d) => {
      const m = /port (\d+)/.exec(String(d));
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}/`);
      }
    });
  });
  return { base, stop: () => server.kill() };
}

export async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

/** A page with watchers; `problems()` lists console errors, failed and off-host requests. */
export async function watchedPage(browser, { allowConsole = [] } = {}) {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const issues = [];
  const requests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !allowConsole.some((re) => re.test(msg.text()))) issues.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => issues.push(`page error: ${err.message}`));
  context.on('request', (req) => requests.push(req.url()));
  context.on('requestfailed', (req) => issues.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  context.on('response', (res) => {
    if (res.status() >= 400) issues.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  const problems = () => {
    const offHost = requests.filter((u) => !/^(http:\/\/127\.0\.0\.1[:/]|blob:|data:|file:)/.test(u));
    return [...issues, ...offHost.map((u) => `request left 127.0.0.1: ${u}`)];
  };
  return { page, context, problems, requests };
}

export async function waitState(page, state, timeout = 60000) {
  await page.waitForFunction((s) => document.body.dataset.state === s, state, { timeout });
}

// Waits until the target is the 768 RAVDESS rows (the bundled sample, or data/ravdess_16k.csv).
export async function ravdessLoaded(page) {
  await page.waitForFunction(() => document.querySelector('#target-summary').textContent.includes('768 used'));
}

// Loads the bundled sample as the target.
export async function loadSample(page) {
  await page.click('#sample-button');
  await ravdessLoaded(page);
}

/**
 * One server and one browser for the calling test file (started in `before`, stopped in
 * `after`). `openReady(options, path)` opens the app on a watched page (see watchedPage) and
 * waits until its engine is ready; `base()` is the server's root URL.
 */
export function useApp(launchArgs = []) {
  let server;
  let browser;
  before(async () => {
    server = await startServer();
    browser = await launch(launchArgs);
  });
  after(async () => {
    await browser?.close();
    server?.stop();
  });
  return {
    base: () => server.base,
    async openReady(options, path = 'www/') {
      const w = await watchedPage(browser, options);
      await w.page.goto(`${server.base}${path}`);
      await waitState(w.page, 'ready');
      return w;
    },
  };
}

// A target of `copies` copies of the RAVDESS sample, each copy's files and speakers renamed
// (24 copies: 18,432 rows, an IDT fold of seconds in Chromium). Returns its path.
export function manyCopies(copies) {
  const lines = readFileSync(`${ROOT}data/ravdess_16k.csv`, 'utf8').trim().split('\n');
  const rows = [lines[0]];
  for (let c = 0; c < copies; c++) {
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      [cells[0], cells[2]] = [`${cells[0]}-${c}`, `${cells[2]}x${c}`]; // file, speaker
      rows.push(cells.join(','));
    }
  }
  const path = `${ARTIFACTS}/many-copies-${copies}.csv`;
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

// Runs the paper's experiment on `path` (a target whose units take seconds), presses Cancel
// once the first units run, and waits until the page is ready again. Returns the seconds from
// Cancel to ready.
export async function cancelSlowExperiment(page, path, rows) {
  await page.setInputFiles('#target-file', path);
  await page.waitForFunction((n) => document.querySelector('#target-summary').textContent.includes(`${n} used of ${n}`), rows, {
    timeout: 60000,
  });
  await page.click('#paper-button');
  await page.waitForFunction(() => /pretraining done/.test(document.querySelector('#paper-status').textContent), null, {
    timeout: 60000,
  });
  // No unit ends for seconds, but the elapsed time runs on: the page is not stuck.
  const line = await page.textContent('#paper-status');
  await page.waitForFunction((was) => document.querySelector('#paper-status').textContent !== was, line, { timeout: 2500 });
  const t0 = Date.now();
  await page.click('#paper-cancel');
  const said = await page.textContent('#status');
  if (!/Cancelling/.test(said)) throw new Error(`Cancel was not acknowledged: the status line says “${said}”`);
  await waitState(page, 'ready', 30000);
  return (Date.now() - t0) / 1000;
}
