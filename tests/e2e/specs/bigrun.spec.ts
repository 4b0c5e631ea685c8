// Large runs: the Run settings (payload and event limits, AWS's defaults, reset), the 10,000-item Map run in
// the worker with event-count progress, and the history table drawn one page at a time while filters, jumps
// and the export keep working on the whole history.
import { test, expect, Page } from '@playwright/test';
import * as fs from 'fs';

test.use({ viewport: { width: 1440, height: 900 } });

const code = (page: Page) => page.getByLabel('ASL code');
const node = (page: Page, name: string) => page.locator(`[data-state="${name}"]`);
const run = (page: Page) => page.getByRole('button', { name: 'Run', exact: true }).click();
const output = (page: Page) => page.getByLabel('Execution output');

// The benchmark's map workload: a Pass with Parameters per item, 10,000 items (about 570 KB of input).
const MAP = {
  Comment: 'Map over items, Pass with Parameters per item',
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 0,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Shape',
        States: { Shape: { Type: 'Pass', Parameters: { 'id.$': '$.id', 'name.$': '$.name', 'tags.$': '$.tags', kind: 'item' }, End: true } },
      },
      End: true,
    },
  },
};
const ITEMS = JSON.stringify({
  items: Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `item-${i}`, tags: ['a', 'b'], v: i * 2 })),
});

/** Milliseconds from a key press in the input editor to the next frame (the page's responsiveness). */
async function keyLatency(page: Page): Promise<number> {
  return page.evaluate(() => new Promise<number>((resolve) => {
    const el = document.querySelector('textarea[aria-label="Execution input"]') as HTMLTextAreaElement;
    const t0 = performance.now();
    el.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    requestAnimationFrame(() => resolve(Math.round(performance.now() - t0)));
  }));
}

async function setLimit(page: Page, name: 'Payload limit' | 'Event limit', value: string) {
  await page.getByLabel(name).fill(value);
  await page.getByLabel(name).press('Tab');
}

test('run settings: AWS defaults shown, bad values refused, reset', async ({ page }) => {
  await page.goto('/');
  const settings = page.locator('details.run-settings');
  await expect(settings.locator('summary')).toHaveText('Run settings · AWS limits');
  await settings.locator('summary').click();
  await expect(page.getByLabel('Payload limit')).toHaveAttribute('placeholder', '262,144');
  await expect(page.getByLabel('Event limit')).toHaveAttribute('placeholder', '25,000');
  await expect(page.getByRole('button', { name: 'Reset limits' })).toBeDisabled();
  await setLimit(page, 'Event limit', 'lots');
  await expect(settings.getByRole('alert')).toContainText('Event limit: a whole number from 1 to 1000000');
  await expect(settings.locator('summary')).toHaveText('Run settings · AWS limits');
  await setLimit(page, 'Event limit', '5');
  await expect(settings.getByRole('alert')).toHaveCount(0);
  await expect(settings.locator('summary')).toHaveText('Run settings · 262,144 bytes, 5 events');
  await page.screenshot({ path: 'screenshots/run-settings.png' });
  // The limit travels with the run: the sample stops at event 5.
  await run(page);
  await expect(output(page)).toContainText('maximum number of history events (5)');
  await page.getByRole('button', { name: 'Reset limits' }).click();
  await expect(settings.locator('summary')).toHaveText('Run settings · AWS limits');
  await expect(page.getByLabel('Event limit')).toHaveValue('');
  await run(page);
  await expect(output(page)).toContainText('SUCCEEDED');
});

test('the 10,000-item Map: refused at 256 KiB, completes with raised limits, history paged', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await code(page).fill(JSON.stringify(MAP, null, 2));
  await expect(node(page, 'Shape')).toHaveCount(1);
  await page.getByLabel('Execution input').fill(ITEMS);
  await run(page);
  await expect(output(page)).toContainText('States.DataLimitExceeded', { timeout: 30_000 });

  await page.locator('details.run-settings summary').click();
  await setLimit(page, 'Payload limit', '1048576');
  await setLimit(page, 'Event limit', '50000');
  // Record every progress the page shows (the worker posts one before each 1,000th event).
  await page.evaluate(() => {
    (window as any).seen = [];
    (window as any).longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) (window as any).longest = Math.max((window as any).longest, Math.round(e.duration));
    }).observe({ type: 'longtask' });
    const note = (el: Element) => {
      const n = el.getAttribute('data-events');
      if (n) (window as any).seen.push([Number(n), el.textContent]);
    };
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes') note(r.target as Element);
        r.addedNodes.forEach((n) => {
          if (n instanceof Element) n.querySelectorAll('[data-events]').forEach(note);
        });
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-events'] });
  });
  const t0 = Date.now();
  await run(page);
  const progress = page.getByRole('progressbar', { name: 'Run progress' });
  const busy: number[] = [];
  for (let i = 0; i < 3 && (await progress.count()) > 0; i++) busy.push(await keyLatency(page));
  await expect(output(page)).toContainText('SUCCEEDED', { timeout: 90_000 });
  const longest = await page.evaluate(() => (window as any).longest);
  console.log(`10,000-item Map: ${Date.now() - t0} ms from Run to the output; input latency during the run ${busy.join(', ')} ms; longest task on the page's thread ${longest} ms`);
  const seen: [number, string][] = await page.evaluate(() => (window as any).seen);
  expect(seen.length).toBeGreaterThan(0);
  for (const [n, text] of seen) {
    expect(n % 1000).toBe(0);
    expect(text).toContain(`${n.toLocaleString('en-US')} events`);
  }
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('SUCCEEDED');
  const total = 3 + 4 * 10_000 + 3;
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText(`${total} events`);

  // One page of the history is drawn, the last one (it follows the position at the end of the run).
  const history = page.getByRole('table', { name: 'Execution history' });
  const rows = history.locator('tbody tr');
  const pages = page.getByRole('navigation', { name: 'History pages' });
  await expect(pages).toContainText(`of ${total.toLocaleString('en-US')} · page 401 of 401`);
  await expect(rows).toHaveCount(total - 40_000);
  await expect(rows.last()).toHaveAttribute('data-event', 'ExecutionSucceeded');
  await pages.getByRole('button', { name: 'Previous page' }).click();
  await expect(rows).toHaveCount(100);
  await expect(pages).toContainText('page 400 of 401');
  await history.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/bigrun-history.png' });

  // Filters work on the whole history: 10,000 entered events of Shape, drawn a page at a time.
  await page.getByLabel('Filter by state').selectOption('Shape');
  await page.getByLabel('Filter by event type').selectOption('PassStateEntered');
  await expect(pages).toContainText('Events 9,901–10,000 of 10,000 · page 100 of 100');
  await expect(rows).toHaveCount(100);
  await expect(pages.getByRole('button', { name: 'Next page' })).toBeDisabled();
  await pages.getByRole('button', { name: 'Previous page' }).click();
  await expect(pages).toContainText('Events 9,801–9,900 of 10,000 · page 99 of 100');
  // A click on a row jumps there; the page stays on that row.
  const target = rows.nth(5);
  const id = await target.getAttribute('data-event-id');
  await target.click();
  await expect(page.getByLabel('History position')).toHaveValue(id!);
  await expect(target).toHaveAttribute('aria-current', 'step');
  await expect(node(page, 'Shape')).toHaveAttribute('data-status', 'running');

  // The export holds every event, not the page.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export history' }).click();
  const exported = JSON.parse(fs.readFileSync((await (await download).path())!, 'utf8'));
  expect(exported.events).toHaveLength(total);
});
