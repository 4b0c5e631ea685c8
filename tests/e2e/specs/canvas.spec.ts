// Canvas editing: palette drops onto arrows and empty branches, moving, connecting and retargeting
// transitions, delete/duplicate/copy/paste with undo, multi-select, keyboard navigation, minimap.
import { test, expect, Page, Locator } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

test.use({ viewport: { width: 1440, height: 900 } });

const code = (page: Page) => page.getByLabel('ASL code');
const node = (page: Page, name: string) => page.locator(`[data-state="${name}"]`);
const edge = (page: Page, from: string, to: string) => page.locator(`[data-edge="${from}->${to}"]`);
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
const template = (name: string) =>
  readFileSync(join(__dirname, '..', '..', '..', 'crates', 'studio', 'src', 'templates', name), 'utf8');

/// A chain A → B → C → D of Pass states.
const chain = JSON.stringify({
  StartAt: 'A',
  States: {
    A: { Type: 'Pass', Next: 'B' },
    B: { Type: 'Pass', Next: 'C' },
    C: { Type: 'Pass', Next: 'D' },
    D: { Type: 'Pass', End: true },
  },
}, null, 2);

async function open(page: Page, text?: string) {
  await page.goto('/');
  await expect(node(page, 'Done')).toBeVisible();
  if (text !== undefined) {
    await code(page).fill(text);
    await page.getByRole('button', { name: 'Fit view' }).click();
  }
  await page.waitForTimeout(300); // the initial fit settles
}

async function centre(l: Locator) {
  const b = (await l.boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/// Presses on `from`, moves in steps (so drags start), releases over `to` (located once the drag runs).
async function drag(page: Page, from: Locator, to: () => Locator) {
  const a = await centre(from);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x + 12, a.y + 12, { steps: 3 });
  await page.mouse.move(a.x + 40, a.y + 30, { steps: 3 });
  const b = await centre(to());
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
}

const undo = (page: Page) => page.keyboard.press('Control+z');
const redo = (page: Page) => page.keyboard.press('Control+Shift+z');

test('drag from the palette onto an arrow and into an empty branch; each is one undo step', async ({ page }) => {
  await open(page);
  const original = await code(page).inputValue();
  await drag(page, page.getByRole('button', { name: 'Wait', exact: true }),
    () => page.locator('[data-drop="Validate order->Is valid?"]'));
  await expect(edge(page, 'Validate order', 'Wait')).toHaveCount(1);
  await expect(edge(page, 'Wait', 'Is valid?')).toHaveCount(1);
  await expect(edge(page, 'Validate order', 'Is valid?')).toHaveCount(0);
  await expect(node(page, 'Wait')).toHaveAttribute('aria-selected', 'true');
  await undo(page);
  await expect(code(page)).toHaveValue(original);
  await redo(page);
  await expect(edge(page, 'Wait', 'Is valid?')).toHaveCount(1);

  // Onto the Choice's Default arrow (dashed, its own kind).
  await expect(edge(page, 'Is valid?', 'Reject')).toHaveAttribute('data-edge-kind', 'default');
  await drag(page, page.getByRole('button', { name: 'Pass', exact: true }),
    () => page.locator('[data-drop="Is valid?->Reject"]'));
  await expect(edge(page, 'Is valid?', 'Pass')).toHaveAttribute('data-edge-kind', 'default');
  await expect(edge(page, 'Pass', 'Reject')).toHaveCount(1);

  // Empty a Parallel branch, then drop into it.
  await node(page, 'Charge card').click();
  await page.keyboard.press('Delete');
  await expect(node(page, 'Charge card')).toHaveCount(0);
  await expect(page.locator('.empty-slot')).toHaveCount(1);
  await drag(page, page.getByRole('button', { name: 'Lambda Invoke' }),
    () => page.locator('[data-drop="Fulfil#1"]'));
  await expect(node(page, 'Lambda Invoke')).toHaveCount(1);
  await expect(page.locator('.empty-slot')).toHaveCount(0);
  expect(await code(page).inputValue()).toContain('"StartAt": "Lambda Invoke"');
  await page.screenshot({ path: 'screenshots/canvas-dropped.png' });
});

test('drag a state onto an arrow moves it, reconnecting both places', async ({ page }) => {
  await open(page, chain);
  const before = await code(page).inputValue();
  await page.mouse.move(10, 10);
  const d = node(page, 'D');
  const a = await centre(d);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x + 20, a.y - 20, { steps: 4 });
  const target = page.locator('[data-drop="A->B"]');
  await expect(target).toHaveCount(1);
  const t = await centre(target);
  await page.mouse.move(t.x, t.y, { steps: 8 });
  await expect(target).toHaveClass(/active/);
  await page.mouse.up();
  await expect(edge(page, 'A', 'D')).toHaveCount(1);
  await expect(edge(page, 'D', 'B')).toHaveCount(1);
  await expect(edge(page, 'C', 'D')).toHaveCount(0);
  expect(JSON.parse(await code(page).inputValue()).States.C).toEqual({ Type: 'Pass', End: true });
  await undo(page);
  await expect(code(page)).toHaveValue(before);
});

test('connect a state and retarget an arrow by dragging handles', async ({ page }) => {
  await open(page, JSON.stringify({
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Next: 'B' },
      B: { Type: 'Pass', End: true },
      C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'B' }] },
    },
  }, null, 2));
  // Connect: the handle below the selected state, dropped onto another state.
  await node(page, 'B').click();
  await drag(page, page.locator('[data-connect="B"]'), () => node(page, 'C'));
  await expect(edge(page, 'B', 'C')).toHaveAttribute('data-edge-kind', 'next');
  // A Choice without a Default gets one.
  await node(page, 'C').click();
  await drag(page, page.locator('[data-connect="C"]'), () => node(page, 'A'));
  await expect(edge(page, 'C', 'A')).toHaveAttribute('data-edge-kind', 'default');
  // Retarget: the handle at the end of the selected state's arrow.
  await node(page, 'A').click();
  await drag(page, page.locator('[data-handle="A->B"]'), () => node(page, 'C'));
  await expect(edge(page, 'A', 'C')).toHaveCount(1);
  await expect(edge(page, 'A', 'B')).toHaveCount(0);
  // A Choice rule keeps its kind when retargeted.
  await node(page, 'C').click();
  await drag(page, page.locator('[data-handle="C->B"]'), () => node(page, 'C'));
  await expect(edge(page, 'C', 'C')).toHaveAttribute('data-edge-kind', 'choice');
  await undo(page);
  await expect(edge(page, 'C', 'B')).toHaveCount(1);
  await undo(page);
  await expect(edge(page, 'A', 'B')).toHaveCount(1);
  await expect(edge(page, 'A', 'C')).toHaveCount(0);
});

test('multi-select (Shift-click, marquee), delete reconnects, duplicate; each one undo step', async ({ page }) => {
  await open(page, chain);
  const before = await code(page).inputValue();
  await node(page, 'B').click();
  await node(page, 'C').click({ modifiers: ['Shift'] });
  await expect(node(page, 'B')).toHaveAttribute('aria-selected', 'true');
  await expect(node(page, 'C')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Delete');
  await expect(node(page, 'B')).toHaveCount(0);
  await expect(node(page, 'C')).toHaveCount(0);
  await expect(edge(page, 'A', 'D')).toHaveCount(1);
  await undo(page);
  await expect(code(page)).toHaveValue(before);

  // Shift-drag on the background draws a marquee selecting B and C.
  const b = (await node(page, 'B').boundingBox())!;
  const c = (await node(page, 'C').boundingBox())!;
  await page.keyboard.down('Shift');
  await page.mouse.move(b.x - 30, b.y - 8);
  await page.mouse.down();
  await page.mouse.move(c.x + c.width + 30, c.y + c.height + 8, { steps: 6 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(node(page, 'B')).toHaveAttribute('aria-selected', 'true');
  await expect(node(page, 'C')).toHaveAttribute('aria-selected', 'true');
  await expect(node(page, 'A')).toHaveAttribute('aria-selected', 'false');
  await page.keyboard.press('Control+d');
  await expect(node(page, 'B copy')).toHaveCount(1);
  await expect(node(page, 'C copy')).toHaveCount(1);
  await undo(page);
  await expect(code(page)).toHaveValue(before);
});

test('copy and paste states as ASL JSON; a bad clipboard is a message', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page, chain);
  const before = await code(page).inputValue();
  await node(page, 'B').click();
  await node(page, 'C').click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+c');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(JSON.parse(copied)).toEqual({
    StartAt: 'B', States: { B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } },
  });
  await page.keyboard.press('Control+v');
  await expect(node(page, 'B 2')).toHaveCount(1);
  await expect(node(page, 'C 2')).toHaveCount(1);
  await expect(edge(page, 'B 2', 'C 2')).toHaveCount(1);
  // Linked into the flow after the selection: something leads to B 2, and C 2 flows on.
  await expect(page.locator('[data-edge$="->B 2"]')).toHaveCount(1);
  await expect(page.locator('[data-edge^="C 2->"]')).toHaveCount(1);
  await expect(node(page, 'B 2')).toHaveAttribute('aria-selected', 'true');
  await undo(page);
  await expect(code(page)).toHaveValue(before);
  // Not ASL: a notice, and the document is unchanged.
  await page.evaluate(() => navigator.clipboard.writeText('{"hello": 1}'));
  await node(page, 'A').click();
  await page.keyboard.press('Control+v');
  await expect(page.getByRole('alert')).toContainText('Nothing pasted');
  await expect(code(page)).toHaveValue(before);
});

test('keyboard: arrows follow the flow, Enter opens the inspector, +/-/0 zoom', async ({ page }) => {
  await open(page);
  await node(page, 'Validate order').click();
  const selected = (name: string) => expect(node(page, name)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await selected('Is valid?');
  await expect(node(page, 'Is valid?')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await selected('Fulfil');
  await page.keyboard.press('ArrowDown');
  await selected('Reserve stock');
  await page.keyboard.press('ArrowRight');
  await selected('Charge card');
  await page.keyboard.press('ArrowLeft');
  await selected('Reserve stock');
  await page.keyboard.press('ArrowDown');
  await selected('Done');
  await page.keyboard.press('ArrowUp');
  await selected('Fulfil');
  await page.keyboard.press('ArrowUp');
  await selected('Is valid?');
  await expect(node(page, 'Is valid?')).toBeFocused();
  const svg = page.getByRole('img', { name: 'Workflow graph' });
  const zoom = async () => Number(await svg.getAttribute('data-zoom'));
  const z0 = await zoom();
  await page.keyboard.press('+');
  await expect.poll(zoom).toBeCloseTo(z0 * 1.25, 2);
  await page.keyboard.press('-');
  await expect.poll(zoom).toBeCloseTo(z0, 2);
  await page.keyboard.press('+');
  await page.keyboard.press('0');
  await expect.poll(zoom).toBeCloseTo(z0, 2);
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('State name')).toBeFocused();
  await expect(page.getByLabel('State name')).toHaveValue('Is valid?');
});

test('hover highlights a state\'s arrows; the minimap pans the view', async ({ page }) => {
  await open(page);
  await node(page, 'Is valid?').hover();
  await expect(edge(page, 'Validate order', 'Is valid?')).toHaveClass(/\bhl\b/);
  await expect(edge(page, 'Is valid?', 'Reject')).toHaveClass(/\bhl\b/);
  await expect(edge(page, 'Fulfil', 'Done')).not.toHaveClass(/\bhl\b/);
  const minimap = page.getByRole('img', { name: 'Minimap' });
  await expect(minimap).toBeVisible();
  const viewport = page.locator('svg.canvas g.viewport');
  const t0 = await viewport.getAttribute('transform');
  const m = (await minimap.boundingBox())!;
  await page.mouse.click(m.x + m.width * 0.85, m.y + m.height * 0.8);
  const t1 = await viewport.getAttribute('transform');
  expect(t1).not.toBe(t0);
  await page.mouse.move(m.x + m.width * 0.2, m.y + m.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(m.x + m.width * 0.5, m.y + m.height * 0.5, { steps: 4 });
  await page.mouse.up();
  expect(await viewport.getAttribute('transform')).not.toBe(t1);
});

for (const theme of ['light', 'dark']) {
  test(`screenshots (${theme}): a 60-state nested workflow and the Bedrock + S3 template`, async ({ page }) => {
    await open(page, fixture('nested-60.asl.json'));
    if (theme === 'dark') await page.getByRole('button', { name: 'Theme' }).click();
    await expect(node(page, 'Each file 3')).toHaveCount(1);
    await page.screenshot({ path: `screenshots/canvas-nested60-${theme}.png` });
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.screenshot({ path: `screenshots/canvas-nested60-zoom-${theme}.png` });
    await code(page).fill(template('bedrock_answer_to_s3.asl.json'));
    await page.getByRole('button', { name: 'Fit view' }).click();
    await node(page, await page.locator('[data-state]').first().getAttribute('data-state') ?? '').click();
    await page.screenshot({ path: `screenshots/canvas-bedrock-s3-${theme}.png` });
  });
}

test('large workflows: arrow keys bring off-screen states into view; the code view draws the lines scrolled to', async ({ page }) => {
  const text = fixture('nested-60.asl.json');
  await open(page, text);
  const svg = page.getByRole('img', { name: 'Workflow graph' });
  // Zoomed in, walk the flow from the start: the state reached is drawn, focused, selected and on screen.
  await node(page, 'Fetch 1').click();
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
  await svg.focus();
  for (let i = 0; i < 14; i++) await page.keyboard.press('ArrowDown');
  const name = await page.getByLabel('State name').inputValue();
  expect(name).not.toBe('Fetch 1');
  await expect(node(page, name)).toBeFocused();
  await expect(node(page, name)).toHaveAttribute('aria-selected', 'true');
  await expect(node(page, name)).toBeInViewport();
  await expect(svg).toHaveAttribute('data-detail', 'full');
  // The code view, scrolled to the end, shows the last lines highlighted where they are.
  await code(page).evaluate((el: HTMLTextAreaElement) => { el.scrollTop = el.scrollHeight; });
  const stack = (await page.locator('.code-stack').boundingBox())!;
  await expect.poll(() => page.locator('.code-layer code').evaluate((el) => {
    const last = [...el.querySelectorAll('.tk-str')].filter((s) => s.textContent === '"Succeed"').pop();
    return last ? last.getBoundingClientRect().top : -1;
  })).toBeGreaterThan(stack.y);
  const top = await page.locator('.code-layer code').evaluate((el) =>
    [...el.querySelectorAll('.tk-str')].filter((s) => s.textContent === '"Succeed"').pop()!.getBoundingClientRect().bottom);
  expect(top).toBeLessThan(stack.y + stack.height);
});
