// The single-file build opens from file:// (no server), offline, and fine-tunes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ARTIFACTS, ROOT, launch, loadSample, waitState, watchedPage } from './harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('dist/siamese-ser.html works from file:// and fine-tunes on the inlined sample', async () => {
  const { page, problems, context, requests } = await watchedPage(browser);
  await context.setOffline(true);
  await page.goto(`file://${ROOT}dist/siamese-ser.html`);
  await waitState(page, 'ready');
  assert.match(await page.textContent('#model-card'), /tess: 1,600 rows/);
  await loadSample(page);
  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await waitState(page, 'done');
  const uar = Number(/([\d.]+)\s*%/.exec(await page.textContent('[data-metric="uar"]'))[1]);
  assert.ok(uar > 25, `UAR ${uar} % is above chance`);
  // The other bundled model is inlined too.
  await page.selectOption('#model-select', 'all');
  await page.waitForFunction(() => document.querySelector('#model-card').textContent.includes('ravdess: 768 rows'));
  await page.screenshot({ path: `${ARTIFACTS}/single-file.png` });
  assert.deepEqual(problems(), []);
  assert.ok(
    requests.every((u) => /^(file|blob|data):/.test(u)),
    `only local resources: ${requests.filter((u) => !/^(file|blob|data):/.test(u))}`,
  );
  await context.close();
});
