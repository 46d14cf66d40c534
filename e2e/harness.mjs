// Shared set-up for the browser tests: a static server on 127.0.0.1 for the repository root,
// Debian's Chromium driven by playwright-core, and watchers that fail a test on console
// errors, failed requests or any request that leaves 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
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
