// Retakes docs/screenshot.png, the README's picture of section 4: the sample, the paper's
// method, k = 10 with the distance loss, in headless Chromium at 1,040 px. `node build/screenshot.mjs`
import { ROOT, launch, startServer } from '../e2e/harness.mjs';
const server = await startServer();
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1040, height: 900 } });
  await page.goto(`${server.base}www/`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60000 });
  await page.click('#sample-button');
  await page.waitForFunction(() => document.querySelector('#target-summary').textContent.includes('768 used'));
  await page.selectOption('#set-method', 'paper');
  await page.fill('#set-speakers', '10');
  await page.check('#set-distance');
  await page.click('#finetune-button');
  await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 60000 });
  await page.locator('#train-section').screenshot({ path: `${ROOT}docs/screenshot.png` });
} finally {
  await browser.close();
  server.stop();
}
