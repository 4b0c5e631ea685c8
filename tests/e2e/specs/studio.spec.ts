// The studio: code edits with undo, canvas pan/zoom/selection, palette, inspector, run panel, share links.
import { test, expect, Page } from '@playwright/test';

test.use({ viewport: { width: 1440, height: 900 } });

const code = (page: Page) => page.getByLabel('ASL code');
const node = (page: Page, name: string) => page.locator(`[data-state="${name}"]`);
const edge = (page: Page, from: string, to: string) => page.locator(`[data-edge="${from}->${to}"]`);

test('typing is one undo step; Undo, Redo and Ctrl+Z restore the text', async ({ page }) => {
  await page.goto('/');
  const original = await code(page).inputValue();
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
  // A typing burst inside the comment: three input events, one undo step.
  const at = original.indexOf('Check an order') + 'Check'.length;
  await code(page).evaluate((el: HTMLTextAreaElement, at) => { el.focus(); el.setSelectionRange(at, at); }, at);
  await page.keyboard.type('XYZ');
  await expect(code(page)).toHaveValue(original.slice(0, at) + 'XYZ' + original.slice(at));
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(code(page)).toHaveValue(original);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(code(page)).toHaveValue(original.slice(0, at) + 'XYZ' + original.slice(at));
  // Keyboard shortcuts.
  await code(page).focus();
  await page.keyboard.press('Control+z');
  await expect(code(page)).toHaveValue(original);
  await page.keyboard.press('Control+Shift+z');
  await expect(code(page)).toHaveValue(original.slice(0, at) + 'XYZ' + original.slice(at));
  // A structural rename through the code, then undo brings the graph back.
  await code(page).fill(original.replaceAll('"Done"', '"All done"'));
  await expect(node(page, 'All done')).toHaveCount(1);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(node(page, 'Done')).toHaveCount(1);
  await expect(node(page, 'All done')).toHaveCount(0);
});

test('canvas: zoom buttons, wheel zoom, pan, fit, selection and keyboard focus', async ({ page }) => {
  await page.goto('/');
  const svg = page.getByRole('img', { name: 'Workflow graph' });
  const viewport = svg.locator('g.viewport');
  await expect(node(page, 'Done')).toBeVisible();
  const zoom = async () => Number(await svg.getAttribute('data-zoom'));
  await page.waitForTimeout(400); // the initial fit settles
  const z0 = await zoom();
  expect(z0).toBeLessThan(1); // the sample is wider than the canvas: fitted, not at natural size
  await page.getByRole('button', { name: 'Zoom in' }).click();
  expect(await zoom()).toBeCloseTo(z0 * 1.25, 2);
  await page.getByRole('button', { name: 'Zoom out' }).click();
  expect(await zoom()).toBeCloseTo(z0, 2);
  // Wheel zoom about the cursor.
  const box = (await svg.boundingBox())!;
  await page.mouse.move(box.x + 40, box.y + box.height - 40);
  await page.mouse.wheel(0, -300);
  await expect.poll(zoom).toBeGreaterThan(z0);
  // Pan by dragging the background.
  const before = await viewport.getAttribute('transform');
  await page.mouse.move(box.x + 20, box.y + box.height - 20);
  await page.mouse.down();
  await page.mouse.move(box.x + 80, box.y + box.height - 60, { steps: 5 });
  await page.mouse.up();
  expect(await viewport.getAttribute('transform')).not.toBe(before);
  await page.getByRole('button', { name: 'Fit view' }).click();
  expect(await zoom()).toBeCloseTo(z0, 2);
  // Click selects; keyboard focus selects too.
  await node(page, 'Is valid?').click();
  await expect(node(page, 'Is valid?')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('State name')).toHaveValue('Is valid?');
  await node(page, 'Reject').focus();
  await expect(node(page, 'Reject')).toHaveAttribute('aria-selected', 'true');
  await expect(node(page, 'Is valid?')).toHaveAttribute('aria-selected', 'false');
  // Edge labels sit mid-edge, clear of the arrowhead at the end of the path.
  const clear = await edge(page, 'Is valid?', 'Fulfil').evaluate((g) => {
    const path = g.querySelector('path') as SVGPathElement;
    const end = path.getPointAtLength(path.getTotalLength());
    const r = (g.querySelector('.edge-label-box rect') as SVGRectElement).getBBox();
    return !(end.x >= r.x - 4 && end.x <= r.x + r.width + 4 && end.y >= r.y - 8 && end.y <= r.y + r.height + 4);
  });
  expect(clear).toBe(true);
  await page.screenshot({ path: 'screenshots/studio-selected.png' });
});

test('problems: a badge on the state, clicking the problem selects it', async ({ page }) => {
  await page.goto('/');
  const text = await code(page).inputValue();
  await code(page).fill(text.replace('"Next": "Done"', '"Next": "Nowhere"'));
  const item = page.getByRole('list', { name: 'Problems' }).getByRole('listitem').filter({ hasText: "Missing 'Next' target: Nowhere" });
  await expect(item).toHaveCount(1);
  await expect(node(page, 'Fulfil')).toHaveAttribute('data-problem', 'error');
  await expect(node(page, 'Validate order')).not.toHaveAttribute('data-problem');
  await item.click();
  await expect(node(page, 'Fulfil')).toHaveAttribute('aria-selected', 'true');
  await page.screenshot({ path: 'screenshots/studio-problem.png' });
});

test('palette: click adds after the selection, search filters, drag drops onto a state', async ({ page }) => {
  await page.goto('/');
  await node(page, 'Validate order').click();
  await page.getByRole('button', { name: 'Pass', exact: true }).click();
  await expect(node(page, 'Pass')).toHaveCount(1);
  await expect(edge(page, 'Validate order', 'Pass')).toHaveCount(1);
  await expect(edge(page, 'Pass', 'Is valid?')).toHaveCount(1);
  await expect(node(page, 'Pass')).toHaveAttribute('aria-selected', 'true');
  expect(await code(page).inputValue()).toContain('"Next": "Pass"');
  // One undo step removes it again.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(node(page, 'Pass')).toHaveCount(0);
  await expect(edge(page, 'Validate order', 'Is valid?')).toHaveCount(1);

  const search = page.getByLabel('Search palette');
  await search.fill('lambda');
  await expect(page.getByRole('button', { name: 'Lambda Invoke' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Wait', exact: true })).toHaveCount(0);
  // Drag "Lambda Invoke" onto "Reserve stock" (inside the Parallel branch).
  const from = (await page.getByRole('button', { name: 'Lambda Invoke' }).boundingBox())!;
  const to = (await node(page, 'Reserve stock').boundingBox())!;
  await page.mouse.move(from.x + 20, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + 60, from.y + 30, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(node(page, 'Lambda Invoke')).toHaveCount(1);
  await expect(edge(page, 'Reserve stock', 'Lambda Invoke')).toHaveCount(1);
  await page.screenshot({ path: 'screenshots/studio-palette.png' });
});

test('inspector: rename updates references; Delete removes the selected state', async ({ page }) => {
  await page.goto('/');
  await node(page, 'Validate order').click();
  await expect(page.getByLabel('State JSON')).toContainText('"ResultPath": "$.check"');
  const name = page.getByLabel('State name');
  await name.fill('Check order');
  await name.press('Enter');
  await expect(node(page, 'Check order')).toHaveCount(1);
  await expect(edge(page, 'Check order', 'Is valid?')).toHaveCount(1);
  expect(await code(page).inputValue()).toContain('"StartAt": "Check order"');
  // Delete key on the canvas removes the selected state and reconnects the flow.
  await node(page, 'Check order').click();
  await page.keyboard.press('Delete');
  await expect(node(page, 'Check order')).toHaveCount(0);
  expect(await code(page).inputValue()).toContain('"StartAt": "Is valid?"');
  // The inspector's Delete button.
  await node(page, 'Reject').click();
  await page.getByRole('button', { name: 'Delete state' }).click();
  await expect(node(page, 'Reject')).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Problems' })).toContainText('No problems');
});

test('run: output, statuses, history; step, continue and reset', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByLabel('Execution input')).toHaveValue(/orderId/);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const output = page.getByLabel('Execution output');
  await expect(output).toContainText('SUCCEEDED');
  await expect(output).toContainText('"valid": true');
  for (const s of ['Validate order', 'Is valid?', 'Fulfil', 'Reserve stock', 'Charge card', 'Done']) {
    await expect(node(page, s)).toHaveAttribute('data-status', 'succeeded');
  }
  await expect(node(page, 'Reject')).not.toHaveAttribute('data-status');
  const history = page.getByRole('table', { name: 'Execution history' });
  await expect(history.getByRole('row').nth(1)).toContainText('ExecutionStarted');
  await expect(history).toContainText('ExecutionSucceeded');
  await page.screenshot({ path: 'screenshots/studio-run.png' });

  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(node(page, 'Done')).not.toHaveAttribute('data-status');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(node(page, 'Validate order')).toHaveAttribute('data-status', 'running');
  await expect(output).toHaveText('');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(output).toContainText('SUCCEEDED');

  // A failing input path: the Choice sends invalid orders to Reject.
  const text = await code(page).inputValue();
  await code(page).fill(text.replace('"Result": { "valid": true }', '"Result": { "valid": false }'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(output).toContainText('FAILED');
  await expect(output).toContainText('InvalidOrder');
  await expect(node(page, 'Reject')).toHaveAttribute('data-status', 'failed');
  // A bad input is a notice, not a crash.
  await page.getByLabel('Execution input').fill('{ nope');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('not JSON');
});

test('share: the link opens the same workflow; a bad link keeps the current work', async ({ page, context }) => {
  await page.goto('/');
  const text = await code(page).inputValue();
  const edited = text.replaceAll('"Done"', '"Shipped"');
  await code(page).fill(edited);
  await page.getByLabel('Execution input').fill('{"orderId": "shared"}');
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  expect(link).toMatch(/^http:\/\/[^#]+\/#v1:[A-Za-z0-9_-]+$/);
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.locator('[data-state="Shipped"]')).toHaveCount(1);
  await expect(other.getByLabel('ASL code')).toHaveValue(edited);
  await expect(other.getByLabel('Execution input')).toHaveValue('{"orderId": "shared"}');

  const bad = await context.newPage();
  await bad.goto('/#v1:AAAA!!!');
  await expect(bad.getByRole('alert')).toContainText('could not be opened');
  await expect(bad.locator('[data-state="Validate order"]')).toHaveCount(1);
  await bad.screenshot({ path: 'screenshots/studio-bad-link.png' });
});

test('both themes render the whole studio', async ({ page }) => {
  await page.goto('/');
  await node(page, 'Is valid?').click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByLabel('Execution output')).toContainText('SUCCEEDED');
  await page.screenshot({ path: 'screenshots/studio-light.png' });
  await page.getByRole('button', { name: 'Theme' }).click();
  await page.screenshot({ path: 'screenshots/studio-dark.png' });
});

test('the workflow, input and theme survive a reload', async ({ page }) => {
  await page.goto('/');
  const text = await code(page).inputValue();
  await code(page).fill(text.replaceAll('"Done"', '"Kept"'));
  await page.getByLabel('Execution input').fill('{"kept": true}');
  await page.getByRole('button', { name: 'Theme' }).click();
  await page.reload();
  await expect(node(page, 'Kept')).toHaveCount(1);
  await expect(page.getByLabel('Execution input')).toHaveValue('{"kept": true}');
  await expect(page.locator('.app')).toHaveAttribute('data-theme', 'dark');
});

test('mocks: a MockConfigFile answers the Task; the share link carries it', async ({ page, context }) => {
  await page.goto('/');
  await code(page).fill(JSON.stringify({
    StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
  }, null, 2));
  await page.getByText('Mocks (MockConfigFile)').click();
  const mocks = JSON.stringify({
    StateMachines: { M: { TestCases: { Happy: { Call: 'Ok' } } } },
    MockedResponses: { Ok: { '0': { Return: { answer: 42 } } } },
  });
  await page.getByLabel('Mocks').fill(mocks);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByLabel('Execution output')).toContainText('"answer": 42');
  await expect(page.locator('[data-state="Call"]')).toHaveAttribute('data-status', 'succeeded');
  await page.getByRole('button', { name: 'Share' }).click();
  const other = await context.newPage();
  await other.goto(await page.getByLabel('Share link').inputValue());
  await other.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(other.getByLabel('Execution output')).toContainText('"answer": 42');
  // A broken mock config is a notice.
  await page.getByLabel('Mocks').fill('{"StateMachines": {}}');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('mocks cannot be used');
});
