// Test cases (save, edit, run all, red/green with diffs), coverage marks on the canvas, and runs in the
// simulation worker that Stop ends while the page keeps answering.
import { test, expect, Page } from '@playwright/test';

test.use({ viewport: { width: 1440, height: 1000 } });

const code = (page: Page) => page.getByLabel('ASL code');
const node = (page: Page, name: string) => page.locator(`[data-state="${name}"]`);
const edge = (page: Page, from: string, to: string) => page.locator(`[data-edge="${from}->${to}"]`);
const panel = (page: Page) => page.getByRole('region', { name: 'Test cases' });
const caseItem = (page: Page, name: string) => panel(page).locator(`[data-case="${name}"]`);

const SIGN = JSON.stringify({
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Choice',
      Choices: [{ Variable: '$.n', NumericGreaterThan: 0, Next: 'Positive' }],
      Default: 'Negative',
    },
    Positive: { Type: 'Pass', Parameters: { 'sign': '+', 'n.$': '$.n' }, End: true },
    Negative: { Type: 'Pass', Result: { sign: '-' }, End: true },
  },
}, null, 2);

async function runWith(page: Page, input: string) {
  await page.getByLabel('Execution input').fill(input);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByLabel('Execution output')).toContainText('SUCCEEDED');
}

test('a suite runs: green and red cases, the diff, coverage of the untaken branch', async ({ page, context }) => {
  await page.goto('/');
  await code(page).fill(SIGN);
  await expect(node(page, 'Negative')).toHaveCount(1);

  // Two cases saved from runs; the second one's expectation is then edited to be wrong.
  await runWith(page, '{"n": 5}');
  await panel(page).getByRole('button', { name: 'Save as test case' }).click();
  await runWith(page, '{"n": 7}');
  await panel(page).getByRole('button', { name: 'Save as test case' }).click();
  await expect(panel(page).getByLabel('Test case name')).toHaveCount(2);
  const second = panel(page).getByLabel('Test case name').nth(1);
  await second.fill('Wrong expectation');
  await second.press('Enter');
  await second.blur();
  const item = caseItem(page, 'Wrong expectation');
  await expect(item).toHaveCount(1);
  await item.getByText('Expectation', { exact: true }).click();
  const editor = item.getByLabel('Expectation', { exact: true });
  await expect(editor).toHaveValue(/"n": 7/);
  await editor.fill(JSON.stringify({ status: 'SUCCEEDED', output: { sign: '+', n: 8, extra: true } }, null, 2));
  await editor.blur();

  await panel(page).getByRole('button', { name: 'Run all tests' }).click();
  await expect(caseItem(page, 'Case 1')).toHaveAttribute('data-result', 'pass');
  const red = caseItem(page, 'Wrong expectation');
  await expect(red).toHaveAttribute('data-result', 'fail');
  await expect(panel(page).getByRole('status', { name: 'Test summary' })).toHaveText('1 passed, 1 failed');
  const diff = red.getByRole('table', { name: 'Differences' });
  await expect(diff.locator('tr[data-path="/output/n"]')).toContainText('8');
  await expect(diff.locator('tr[data-path="/output/n"] .actual')).toHaveText('7');
  await expect(diff.locator('tr[data-path="/output/extra"] .expected')).toHaveText('true');
  await expect(diff.locator('tr[data-path="/output/extra"] .actual')).toHaveText('(absent)');

  // Coverage: both cases take the rule; the Default branch and its state are never reached.
  await expect(node(page, 'Negative')).not.toHaveAttribute('data-covered');
  await panel(page).getByRole('button', { name: 'Coverage' }).click();
  await expect(node(page, 'Check')).toHaveAttribute('data-covered', 'true');
  await expect(node(page, 'Positive')).toHaveAttribute('data-covered', 'true');
  await expect(node(page, 'Negative')).toHaveAttribute('data-covered', 'false');
  await expect(edge(page, 'Check', 'Positive')).toHaveAttribute('data-covered', 'true');
  await expect(edge(page, 'Check', 'Negative')).toHaveAttribute('data-covered', 'false');
  await expect(edge(page, 'Check', 'Negative')).toHaveAttribute('data-edge-kind', 'default');
  await expect(panel(page).getByLabel('Coverage summary')).toHaveText('Coverage: 2 of 3 states, 1 of 2 transitions');
  await red.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/testcases-light.png' });
  await page.getByRole('button', { name: 'Theme' }).click();
  await page.screenshot({ path: 'screenshots/testcases-dark.png' });
  await page.getByRole('button', { name: 'Theme' }).click();

  // A third case takes the Default: everything is covered.
  await page.getByLabel('Execution input').fill('{"n": -1}');
  await panel(page).getByRole('button', { name: 'Save as test case' }).click();
  const third = caseItem(page, 'Case 3');
  await third.getByText('Expectation', { exact: true }).click();
  await third.getByLabel('Expectation', { exact: true }).fill('{"status": "SUCCEEDED", "output": {"sign": "-"}}');
  await third.getByLabel('Expectation', { exact: true }).blur();
  await panel(page).getByRole('button', { name: 'Run all tests' }).click();
  await expect(caseItem(page, 'Case 3')).toHaveAttribute('data-result', 'pass');
  await expect(edge(page, 'Check', 'Negative')).toHaveAttribute('data-covered', 'true');
  await expect(node(page, 'Negative')).toHaveAttribute('data-covered', 'true');

  // The cases survive a reload and travel in the share link.
  await page.reload();
  await expect(panel(page).getByLabel('Test case name')).toHaveCount(3);
  await page.getByRole('button', { name: 'Share' }).click();
  const other = await context.newPage();
  await other.goto(await page.getByLabel('Share link').inputValue());
  await expect(panel(other).getByLabel('Test case name')).toHaveCount(3);
  await panel(other).getByRole('button', { name: 'Run all tests' }).click();
  await expect(panel(other).getByRole('status', { name: 'Test summary' })).toHaveText('2 passed, 1 failed');
  // Delete the red case.
  await caseItem(other, 'Wrong expectation').getByRole('button', { name: 'Delete Wrong expectation' }).click();
  await expect(panel(other).getByLabel('Test case name')).toHaveCount(2);
});

/** Time from a keypress in the execution input to its echo in the field, in milliseconds. */
async function keyLatency(page: Page): Promise<number> {
  const input = page.getByLabel('Execution input');
  const before = await input.inputValue();
  const t0 = Date.now();
  await input.press('End');
  await page.keyboard.type(' ');
  await expect(input).toHaveValue(before + ' ', { timeout: 10_000 });
  return Date.now() - t0;
}

test('Stop ends a runaway loop while the page keeps answering', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/');
  // A loop whose every pass does real work (JSONata) on its way to the 25,000-event limit.
  await code(page).fill(JSON.stringify({
    QueryLanguage: 'JSONata',
    StartAt: 'Spin',
    States: {
      Spin: { Type: 'Pass', Output: '{% $sum([1..200000]) %}', Next: 'Again' },
      Again: { Type: 'Pass', Next: 'Spin' },
    },
  }, null, 2));
  await expect(node(page, 'Again')).toHaveCount(1);
  await page.getByLabel('Execution input').fill('{}');
  const idle = await keyLatency(page);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const progress = page.getByRole('progressbar', { name: 'Run progress' });
  await expect(progress).toContainText('Running');
  // The page answers while the worker runs: the elapsed time ticks, typing echoes.
  const first = await progress.textContent();
  await expect.poll(() => progress.textContent()).not.toBe(first);
  const busy: number[] = [];
  for (let i = 0; i < 5; i++) busy.push(await keyLatency(page));
  console.log(`input latency: idle ${idle} ms; during the run ${busy.join(', ')} ms`);
  await expect(progress).toBeVisible(); // still running
  await page.screenshot({ path: 'screenshots/testcases-running.png' });

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(progress).toHaveCount(0);
  await expect(page.getByRole('alert')).toContainText('Stopped');
  await expect(page.getByLabel('Execution output')).toHaveText('');

  // A new run after Stop starts a fresh worker.
  await code(page).fill(SIGN);
  await runWith(page, '{"n": 1}');
  await expect(node(page, 'Positive')).toHaveAttribute('data-status', 'succeeded');
});

test('a Pass loop runs to the event limit in the worker; steps still work', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/');
  await code(page).fill(JSON.stringify({
    StartAt: 'A',
    States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } },
  }, null, 2));
  await expect(node(page, 'B')).toHaveCount(1);
  await page.getByLabel('Execution input').fill('{}');
  // Step twice: the worker computes the run, the page reveals it one event at a time.
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(node(page, 'A')).toHaveAttribute('data-status', 'running', { timeout: 20_000 });
  await expect(page.getByLabel('Execution output')).toHaveText('');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(node(page, 'B')).toHaveAttribute('data-status', 'running');
});

test('coverage tells apart two Choice rules with the same target (data-rule)', async ({ page }) => {
  await page.goto('/');
  await code(page).fill(JSON.stringify({
    StartAt: 'Route',
    States: {
      Route: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.n', NumericEquals: 1, Next: 'Same' },
          { Variable: '$.n', NumericGreaterThan: 100, Next: 'Same' },
          { Variable: '$.n', NumericEquals: 2, Next: 'Other' },
        ],
        Default: 'Same',
      },
      Same: { Type: 'Succeed' },
      Other: { Type: 'Succeed' },
    },
  }, null, 2));
  const rule = (r: number) => page.locator(`[data-edge="Route->Same"][data-edge-kind="choice"][data-rule="${r}"]`);
  await expect(rule(0)).toHaveCount(1);
  await expect(rule(1)).toHaveCount(1);
  await expect(page.locator('[data-edge="Route->Same"][data-edge-kind="default"]')).toHaveCount(1);
  // One case takes the second rule (n > 100), none the first.
  await runWith(page, '{"n": 500}');
  await page.getByRole('button', { name: 'Save as test case' }).click();
  await page.getByRole('button', { name: 'Run all tests' }).click();
  await expect(page.getByRole('status', { name: 'Test summary' })).toHaveText('1 passed, 0 failed');
  await page.getByRole('button', { name: 'Coverage' }).click();
  await expect(rule(1)).toHaveAttribute('data-covered', 'true');
  await expect(rule(0)).toHaveAttribute('data-covered', 'false');
  await expect(page.locator('[data-edge="Route->Same"][data-edge-kind="default"]')).toHaveAttribute('data-covered', 'false');
  await expect(page.locator('[data-edge="Route->Other"]')).toHaveAttribute('data-covered', 'false');
});
