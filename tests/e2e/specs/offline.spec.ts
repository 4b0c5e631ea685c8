// Offline: after one visit the service worker serves the studio without a network: reload, edit,
// validate, run a starter template, open a share link. A new version is offered, never forced.
import { test, expect, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { code, node, fragment, openLibrary, TWO_STATES } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });

async function controlled(page: Page) {
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  // The first visit's page is claimed by the worker once it activates.
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 15_000 }).toBe(true);
}

test('offline after the first visit: reload, edit, validate, run a template, open a link', async ({ page, context }) => {
  await page.goto('/');
  await expect(node(page, 'Validate order')).toHaveCount(1);
  await controlled(page);
  await context.setOffline(true);
  await page.reload();
  await expect(node(page, 'Validate order')).toHaveCount(1);
  // Edit and validate.
  const text = await code(page).inputValue();
  await code(page).fill(text.replace('"Next": "Done"', '"Next": "Nowhere"'));
  await expect(page.getByRole('list', { name: 'Problems' })).toContainText('MISSING_TRANSITION_TARGET');
  // A starter template runs with its mocks.
  const panel = await openLibrary(page);
  await panel.getByLabel('New from template').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByLabel('Execution output')).toContainText('SUCCEEDED');
  await page.screenshot({ path: 'screenshots/offline-template-run.png' });
  // A share link opens offline (the fragment never reaches the network).
  await page.goto('/' + fragment({ d: JSON.parse(TWO_STATES) }));
  await expect(node(page, 'Second')).toHaveCount(1);
  // A new tab offline works too.
  const other = await context.newPage();
  await other.goto('/');
  await expect(code(other)).toHaveValue(TWO_STATES);
  await context.setOffline(false);
});

test('the manifest and icons make the studio installable', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await request.get(href!)).json();
  expect(manifest.display).toBe('standalone');
  for (const icon of manifest.icons) {
    const res = await request.get(icon.src);
    expect(res.ok(), icon.src).toBe(true);
  }
  expect(manifest.icons.map((i: any) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  // The built worker lists this build's hashed files.
  const sw = await (await request.get('sw.js')).text();
  expect(sw).toMatch(/const PRECACHE = \[.*\.wasm"/);
  expect(sw).not.toContain("const VERSION = 'dev'");
});

test('a new version shows "Reload to update" and waits for the click', async ({ page }) => {
  const dist = process.env.STATEWRIGHT_DIST ?? path.join(__dirname, '../../../dist');
  const file = path.join(dist, 'sw.js');
  test.skip(!fs.existsSync(file), 'needs the served dist/ folder');
  await page.goto('/');
  await controlled(page);
  const original = fs.readFileSync(file, 'utf8');
  try {
    fs.writeFileSync(file, original.replace(/const VERSION = '([^']*)'/, "const VERSION = '$1-next'"));
    const text = await code(page).inputValue();
    await code(page).fill(text.replaceAll('"Done"', '"Mid edit"'));
    await page.evaluate(async () => { const r = await navigator.serviceWorker.getRegistration(); await r?.update(); });
    const prompt = page.getByRole('status', { name: 'Update' });
    await expect(prompt).toContainText('new version');
    await page.screenshot({ path: 'screenshots/offline-update-prompt.png' });
    // Nothing reloaded by itself: the edit is still on screen.
    await expect(node(page, 'Mid edit')).toHaveCount(1);
    // Listen before the click: the reload may finish before a listener added afterwards would see it.
    const reloaded = page.waitForEvent('load');
    await prompt.getByRole('button', { name: 'Reload to update' }).click();
    await reloaded;
    await expect(node(page, 'Mid edit')).toHaveCount(1);
  } finally {
    fs.writeFileSync(file, original);
  }
});
