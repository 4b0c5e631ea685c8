// Canvas benchmark on a generated 1,000-state workflow (tests/e2e/fixtures, written by studio's
// testgen): load to interactive, layout time in wasm, code edit → redrawn graph and problems, pan and
// state-drag frame times. Prints the figures; it is a measurement, not a pass/fail test.
import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

test.use({ viewport: { width: 1440, height: 900 } });

const text = readFileSync(join(__dirname, '..', 'fixtures', 'generated-1000.asl.json'), 'utf8');
const states = (text.match(/"Type":/g) ?? []).length;

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}
const fmt = (x: number) => x.toFixed(1);
const line = (name: string, xs: number[]) => {
  const s = stats(xs);
  return `${name}: median ${fmt(s.median)} ms, p95 ${fmt(s.p95)} ms, max ${fmt(s.max)} ms (n=${xs.length})`;
};

/// Dispatches a pointer gesture inside the page and returns, for each move, the time until the next
/// animation frame (the move's handling plus the render it caused).
async function gesture(page: Page, selector: string, dx: number, dy: number, steps: number): Promise<number[]> {
  return page.evaluate(async ({ selector, dx, dy, steps }) => {
    const svg = document.querySelector('svg.canvas')!;
    const el = document.querySelector(selector)!;
    const r = el.getBoundingClientRect();
    const x0 = r.left + Math.min(r.width / 2, 60), y0 = r.top + Math.min(r.height / 2, 20);
    const frame = () => new Promise((res) => requestAnimationFrame(() => res(null)));
    const ev = (type: string, x: number, y: number, target: Element) =>
      target.dispatchEvent(new PointerEvent(type, { bubbles: true, clientX: x, clientY: y, button: 0, buttons: 1, pointerId: 1, isPrimary: true }));
    ev('pointerdown', x0, y0, el);
    await frame();
    const times: number[] = [];
    for (let i = 1; i <= steps; i++) {
      const t0 = performance.now();
      ev('pointermove', x0 + (dx * i) / steps, y0 + (dy * i) / steps, svg);
      await frame();
      times.push(performance.now() - t0);
    }
    ev('pointerup', x0 + dx, y0 + dy, svg);
    await frame();
    return times;
  }, { selector, dx, dy, steps });
}

test(`canvas benchmark: ${states} states`, async ({ page }) => {
  const out = { push: (l: string) => console.log(`  ${l}`) };
  console.log(`\nStatewright canvas benchmark (${states} states)`);
  // Load to interactive: the autosaved 1,000-state workflow opens with the page.
  await page.addInitScript((t) => { if (!sessionStorage.getItem('perf-loaded')) { localStorage.setItem('statewright.definition', t); sessionStorage.setItem('perf-loaded', '1'); } }, text);
  const t0 = Date.now();
  await page.goto('/');
  await expect(page.locator('[data-state="Done"]')).toHaveCount(1, { timeout: 60_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  out.push(`load to interactive: ${Date.now() - t0} ms`);
  const svg = page.getByRole('img', { name: 'Workflow graph' });
  const layoutMs: number[] = [Number(await svg.getAttribute('data-layout-ms'))];

  // Code edit → redrawn graph and problems: break one transition (a problem appears, an arrow goes),
  // then restore it; timed inside the page from the input event to the frame showing the result.
  const edit = async (from: string, to: string, ready: string) => page.evaluate(async ({ from, to, ready }) => {
    const area = document.querySelector('#asl-code') as HTMLTextAreaElement;
    const t0 = performance.now();
    area.value = area.value.replace(from, to);
    area.dispatchEvent(new Event('input', { bubbles: true }));
    const frame = () => new Promise((res) => requestAnimationFrame(() => res(null)));
    for (let i = 0; i < 600; i++) {
      await frame();
      if (new Function(`return ${ready}`)()) break;
    }
    return performance.now() - t0;
  }, { from, to, ready });
  const editTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    editTimes.push(await edit('"Next": "Route 7"', '"Next": "Nowhere"',
      `document.querySelector('[data-edge="Fetch 7->Route 7"]') === null && [...document.querySelectorAll('[aria-label="Problems"] li')].some(li => li.textContent.includes('Nowhere'))`));
    layoutMs.push(Number(await svg.getAttribute('data-layout-ms')));
    editTimes.push(await edit('"Next": "Nowhere"', '"Next": "Route 7"',
      `document.querySelector('[data-edge="Fetch 7->Route 7"]') !== null`));
    layoutMs.push(Number(await svg.getAttribute('data-layout-ms')));
  }
  out.push(line('layout in wasm', layoutMs));
  out.push(line('code edit → redrawn graph and problems', editTimes));

  // Pan: drag the background.
  await page.getByRole('button', { name: 'Fit view' }).click();
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
  out.push(line('pan frame', await gesture(page, 'svg.canvas', 300, 200, 60)));
  // Drag a state across the canvas (drop targets appear on the first move; released where it started).
  const name = await page.evaluate(() => {
    const r = document.querySelector('svg.canvas')!.getBoundingClientRect();
    const el = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest('[data-state]:not(.container)');
    return el?.getAttribute('data-state') ?? null;
  });
  const target = name ? `[data-state="${name}"]` : '[data-state="Merge 2"]';
  const before = await page.getByLabel('ASL code').inputValue();
  out.push(line(`drag a state frame (${name ?? 'Merge 2'})`, await gesture(page, target, 240, 160, 60)));
  // The drag ends away from targets, or is undone, so the document is as before.
  if ((await page.getByLabel('ASL code').inputValue()) !== before) await page.keyboard.press('Control+z');
});
