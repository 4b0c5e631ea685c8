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

/// Dispatches a pointer gesture inside the page, one move at the start of each animation frame, and
/// returns per move: `work`, the main thread's time for the frame (the move's handling, the reactive
/// updates, style, layout and paint, up to a task queued from the frame's animation callback, which
/// runs once the frame is rendered), and `interval`, the time from that frame to the next one (what
/// the person sees; 16.7 ms is every vsync at 60 Hz, so it also counts rasterisation).
async function gesture(page: Page, selector: string, dx: number, dy: number, steps: number) {
  return page.evaluate(async ({ selector, dx, dy, steps }) => {
    const svg = document.querySelector('svg.canvas')!;
    const el = document.querySelector(selector)!;
    const r = el.getBoundingClientRect();
    const x0 = r.left + Math.min(r.width / 2, 60), y0 = r.top + Math.min(r.height / 2, 20);
    const frame = () => new Promise<number>((res) => requestAnimationFrame((t) => res(t)));
    const rendered = () => new Promise((res) => { const c = new MessageChannel(); c.port1.onmessage = () => res(null); c.port2.postMessage(null); });
    const ev = (type: string, x: number, y: number, target: Element) =>
      target.dispatchEvent(new PointerEvent(type, { bubbles: true, clientX: x, clientY: y, button: 0, buttons: 1, pointerId: 1, isPrimary: true }));
    ev('pointerdown', x0, y0, el);
    await frame();
    const work: number[] = [], interval: number[] = [];
    let ts = await frame();
    for (let i = 1; i <= steps; i++) {
      const t0 = performance.now();
      ev('pointermove', x0 + (dx * i) / steps, y0 + (dy * i) / steps, svg);
      await rendered();
      work.push(performance.now() - t0);
      const next = await frame();
      interval.push(next - ts);
      ts = next;
    }
    ev('pointerup', x0 + dx, y0 + dy, svg);
    await frame();
    return { work, interval };
  }, { selector, dx, dy, steps });
}

test(`canvas benchmark: ${states} states`, async ({ page }) => {
  const out = { push: (l: string) => console.log(`  ${l}`) };
  console.log(`\nStatewright canvas benchmark (${states} states)`);
  // Load to interactive: the autosaved 1,000-state workflow opens with the page.
  await page.addInitScript((t) => { if (!sessionStorage.getItem('perf-loaded')) { localStorage.setItem('statewright.definition', t); sessionStorage.setItem('perf-loaded', '1'); } }, text);
  // Timed in the page from the navigation's start to the end of the first frame in which the workflow
  // is drawn fitted into view (the canvas answers from then on).
  await page.goto('/');
  await page.waitForFunction(() => Number(document.querySelector('svg.canvas')?.getAttribute('data-zoom') ?? 1) < 1
    && document.querySelector('svg.canvas [data-state="Fetch 7"]') !== null, null, { timeout: 60_000, polling: 'raf' });
  const loaded = await page.evaluate(() => new Promise<number>((res) => requestAnimationFrame(() => {
    const c = new MessageChannel(); c.port1.onmessage = () => res(performance.now()); c.port2.postMessage(null);
  })));
  out.push(`load to interactive: ${loaded.toFixed(0)} ms`);
  const svg = page.getByRole('img', { name: 'Workflow graph' });
  const layoutMs: number[] = [Number(await svg.getAttribute('data-layout-ms'))];

  // Code edit → redrawn graph and problems: break one transition (a problem appears, an arrow goes),
  // then restore it. The text is edited as typing does (the old words selected, the new ones inserted:
  // one input event), timed inside the page from the edit to the end of the first frame that renders
  // the result (the graph without the arrow and the problem in the list, or the reverse).
  const edit = async (from: string, to: string, ready: string) => page.evaluate(async ({ from, to, ready }) => {
    const area = document.querySelector('#asl-code') as HTMLTextAreaElement;
    const frame = () => new Promise((res) => requestAnimationFrame(() => res(null)));
    const rendered = () => new Promise((res) => { const c = new MessageChannel(); c.port1.onmessage = () => res(null); c.port2.postMessage(null); });
    const at = area.value.indexOf(from);
    area.focus();
    area.setSelectionRange(at, at + from.length);
    await frame();
    await frame();
    const t0 = performance.now();
    document.execCommand('insertText', false, to);
    for (let i = 0; i < 600; i++) {
      if (new Function(`return ${ready}`)()) break;
      await frame();
    }
    await rendered();
    return performance.now() - t0;
  }, { from, to, ready });
  const editTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    editTimes.push(await edit('"Next": "Route 7"', '"Next": "Nowhere"',
      `document.querySelector('[data-edge="Fetch 7->Route 7"]') === null && [...document.querySelectorAll('[aria-label="Problems"] [role="listitem"]')].some(li => li.textContent.includes('Nowhere'))`));
    layoutMs.push(Number(await svg.getAttribute('data-layout-ms')));
    editTimes.push(await edit('"Next": "Nowhere"', '"Next": "Route 7"',
      `document.querySelector('[data-edge="Fetch 7->Route 7"]') !== null && ![...document.querySelectorAll('[aria-label="Problems"] [role="listitem"]')].some(li => li.textContent.includes('Nowhere'))`));
    layoutMs.push(Number(await svg.getAttribute('data-layout-ms')));
  }
  out.push(line('layout in wasm', layoutMs));
  out.push(line('code edit → redrawn graph and problems', editTimes));

  // Pan: drag the background.
  await page.getByRole('button', { name: 'Fit view' }).click();
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
  const frames = (name: string, g: { work: number[], interval: number[] }) => {
    out.push(line(`${name}, main-thread work per frame`, g.work));
    out.push(line(`${name}, frame interval`, g.interval));
  };
  frames('pan', await gesture(page, 'svg.canvas', 300, 200, 60));
  // Drag a state across the canvas (drop targets appear on the first move; released where it started).
  // The state nearest the canvas's centre.
  const name = await page.evaluate(() => {
    const r = document.querySelector('svg.canvas')!.getBoundingClientRect();
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    let best: string | null = null, d = Infinity;
    for (const el of document.querySelectorAll('svg.canvas [data-state]:not(.container)')) {
      const b = el.getBoundingClientRect();
      const dd = Math.hypot(b.left + b.width / 2 - cx, b.top + b.height / 2 - cy);
      if (dd < d) { d = dd; best = el.getAttribute('data-state'); }
    }
    return best;
  });
  const target = name ? `[data-state="${name}"]` : '[data-state="Merge 2"]';
  const before = await page.getByLabel('ASL code').inputValue();
  frames(`drag a state (${name ?? 'Merge 2'})`, await gesture(page, target, 240, 160, 60));
  // The drag ends away from targets, or is undone, so the document is as before.
  if ((await page.getByLabel('ASL code').inputValue()) !== before) await page.keyboard.press('Control+z');
});
