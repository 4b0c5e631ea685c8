// The execution view and debugger: graph colouring and taken path, breakpoints and State details, retries and
// catches, history filters and time travel, export, playback, Map drill-down, cost.
import { test, expect, Page, Locator } from '@playwright/test';
import * as fs from 'fs';

test.use({ viewport: { width: 1440, height: 900 } });

const code = (page: Page) => page.getByLabel('ASL code');
const node = (page: Page, name: string) => page.locator(`[data-state="${name}"]`);
const edge = (page: Page, from: string, to: string) => page.locator(`[data-edge="${from}->${to}"]`);
const run = (page: Page) => page.getByRole('button', { name: 'Run', exact: true }).click();
const details = (page: Page) => page.getByRole('region', { name: 'State details' });
const slider = (page: Page) => page.getByLabel('History position');

async function seek(page: Page, position: number) {
  await slider(page).evaluate((el: HTMLInputElement, p) => {
    el.value = String(p);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, position);
}

async function shots(page: Page, name: string, show?: Locator) {
  if (show) await show.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `screenshots/${name}-light.png` });
  await page.getByRole('button', { name: 'Theme' }).click();
  await page.screenshot({ path: `screenshots/${name}-dark.png` });
  await page.getByRole('button', { name: 'Theme' }).click();
}

const RETRY = {
  StartAt: 'Call',
  States: {
    Call: {
      Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'f', 'Payload.$': '$' }, ResultSelector: { 'v.$': '$.Payload' }, ResultPath: '$.r',
      Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Handle' }],
      Next: 'Done',
    },
    Handle: { Type: 'Pass', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

const mocks = (responses: object) => JSON.stringify({
  StateMachines: { M: { TestCases: { T: { Call: 'R' } } } },
  MockedResponses: { R: responses },
}, null, 2);

async function openRetry(page: Page, responses: object) {
  await page.goto('/');
  await code(page).fill(JSON.stringify(RETRY, null, 2));
  await page.getByLabel('Execution input').fill('{"a": 1}');
  await page.getByText('Mocks (MockConfigFile)').click();
  await page.getByLabel('Mocks').fill(mocks(responses));
  await expect(node(page, 'Handle')).toHaveCount(1);
}

test('run colours the graph, marks the path taken and shows branch progress', async ({ page }) => {
  await page.goto('/');
  await run(page);
  await expect(page.getByLabel('Execution output')).toContainText('SUCCEEDED');
  for (const s of ['Validate order', 'Is valid?', 'Fulfil', 'Reserve stock', 'Charge card', 'Done']) {
    await expect(node(page, s)).toHaveAttribute('data-status', 'succeeded');
  }
  await expect(node(page, 'Reject')).not.toHaveAttribute('data-status');
  await expect(edge(page, 'Validate order', 'Is valid?')).toHaveAttribute('data-taken', 'true');
  await expect(edge(page, 'Is valid?', 'Fulfil')).toHaveAttribute('data-taken', 'true');
  await expect(edge(page, 'Fulfil', 'Done')).toHaveAttribute('data-taken', 'true');
  await expect(edge(page, 'Is valid?', 'Reject')).not.toHaveAttribute('data-taken');
  await expect(node(page, 'Fulfil').locator('[data-progress]')).toHaveAttribute('data-progress', '2/2');
  // Cost per run and a monthly projection.
  const cost = page.getByLabel('Cost');
  await expect(cost).toContainText('Standard');
  await page.getByLabel('Executions per day').fill('10000');
  await expect(page.getByLabel('Monthly projection')).toContainText('Standard $');
  // Time travel: back to the start, nothing is coloured; forward again, everything is.
  await seek(page, 2);
  await expect(node(page, 'Validate order')).toHaveAttribute('data-status', 'running');
  await expect(node(page, 'Done')).not.toHaveAttribute('data-status');
  await expect(edge(page, 'Fulfil', 'Done')).not.toHaveAttribute('data-taken');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(slider(page)).toHaveValue('3');
  await expect(node(page, 'Validate order')).toHaveAttribute('data-status', 'succeeded');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(node(page, 'Done')).toHaveAttribute('data-status', 'succeeded');
  await shots(page, 'runner-run', page.getByLabel('Cost'));
});

test('a breakpoint pauses the run; State details shows the data-flow stages', async ({ page }) => {
  await page.goto('/');
  // The dot on the node toggles a breakpoint, like the inspector's button.
  await page.getByRole('button', { name: 'Breakpoint on Fulfil' }).click();
  await expect(page.getByRole('button', { name: 'Breakpoint on Fulfil' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(node(page, 'Fulfil')).toHaveAttribute('data-status', 'running');
  await expect(node(page, 'Done')).not.toHaveAttribute('data-status');
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('Paused');
  await node(page, 'Validate order').click();
  const d = details(page);
  await expect(d).toContainText('Validate order');
  const flow = d.getByRole('group', { name: 'Data flow' });
  for (const stage of ['input', 'result', 'afterResultSelector', 'afterResultPath', 'output']) {
    await expect(flow).toContainText(`${stage}:`);
  }
  await expect(flow).toContainText('"A-1001"');
  // Search narrows the tree; folding hides a stage's children.
  await d.getByLabel('Search Data flow').fill('valid');
  await expect(flow).not.toContainText('orderId');
  await expect(flow).toContainText('valid');
  await d.getByLabel('Search Data flow').fill('');
  await shots(page, 'runner-breakpoint', d);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByLabel('Execution output')).toContainText('SUCCEEDED');
});

test('a failing Task shows its retries and the caught path', async ({ page }) => {
  await openRetry(page, { '0-2': { Throw: { Error: 'Boom', Cause: 'kaboom' } } });
  await run(page);
  await expect(page.getByLabel('Execution output')).toContainText('SUCCEEDED');
  await expect(node(page, 'Call')).toHaveAttribute('data-status', 'caught');
  await expect(node(page, 'Handle')).toHaveAttribute('data-status', 'succeeded');
  await expect(edge(page, 'Call', 'Handle')).toHaveAttribute('data-taken', 'true');
  await expect(edge(page, 'Call', 'Done')).not.toHaveAttribute('data-taken');
  await node(page, 'Call').click();
  const d = details(page);
  await expect(d.getByLabel('Error')).toContainText('Boom');
  await expect(d.getByLabel('Error')).toContainText('kaboom');
  const retries = d.getByRole('list', { name: 'Retries' });
  await expect(retries.getByRole('listitem')).toHaveCount(2);
  await expect(retries).toContainText('retried after 2 s');
  await expect(retries).toContainText('retried after 4 s');
  await expect(d.getByRole('group', { name: 'Data flow' })).toContainText('afterParameters:');
  await expect(d.getByRole('group', { name: 'Data flow' })).toContainText('catchIndex');
  await shots(page, 'runner-caught', d.getByRole('list', { name: 'Retries' }));

  // Fails once, then succeeds: retried.
  await page.getByLabel('Mocks').fill(mocks({ '0': { Throw: { Error: 'Boom' } }, '1': { Return: { Payload: { x: 2 } } } }));
  await run(page);
  await expect(node(page, 'Call')).toHaveAttribute('data-status', 'retried');
  await expect(node(page, 'Handle')).not.toHaveAttribute('data-status');
  await expect(edge(page, 'Call', 'Done')).toHaveAttribute('data-taken', 'true');
  const flow = details(page).getByRole('group', { name: 'Data flow' });
  await expect(flow).toContainText('afterResultSelector:');
  await expect(details(page).getByRole('list', { name: 'Retries' }).getByRole('listitem')).toHaveCount(1);
});

test('the mock form sets each Task\'s answer in the MockConfigFile; import and export', async ({ page }) => {
  await page.goto('/');
  await code(page).fill(JSON.stringify(RETRY, null, 2));
  await page.getByText('Mocks (MockConfigFile)').click();
  const form = page.getByRole('group', { name: 'Mock form' });
  await expect(form.getByLabel('Mock for Call')).toHaveValue('default');
  await form.getByLabel('Mock for Call').selectOption('throw');
  await form.getByLabel('Call error').fill('Boom');
  await form.getByLabel('Call error').blur();
  await expect(page.getByLabel('Mocks', { exact: true })).toHaveValue(/"Error": "Boom"/);
  await run(page);
  await expect(node(page, 'Call')).toHaveAttribute('data-status', 'caught');
  await form.getByLabel('Mock for Call').selectOption('return');
  await form.getByLabel('Call result').fill('{"Payload": {"ok": true}}');
  await form.getByLabel('Call result').blur();
  await run(page);
  await expect(node(page, 'Call')).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByLabel('Execution output')).toContainText('"ok": true');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    form.getByRole('button', { name: 'Export mock file' }).click(),
  ]);
  const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(exported.MockedResponses.CallMock['0']).toEqual({ Return: { Payload: { ok: true } } });
  // Importing a file replaces the text; a file that is not a MockConfigFile is refused with a message.
  await form.getByLabel('Import mock file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('[1, 2]') });
  await expect(form.getByRole('alert')).toContainText('not a MockConfigFile');
  await expect(page.getByLabel('Mocks', { exact: true })).toHaveValue(/CallMock/);
  await form.getByLabel('Import mock file').setInputFiles({ name: 'm.json', mimeType: 'application/json', buffer: Buffer.from(mocks({ '0': { Throw: { Error: 'X' } } })) });
  await expect(form.getByLabel('Mock for Call')).toHaveValue('throw');
  await expect(form.getByLabel('Call error')).toHaveValue('X');
  await shots(page, 'runner-mock-form', form);
});

test('history: filters, a click jumps there, export gives AWS JSON', async ({ page }) => {
  await openRetry(page, { '0-2': { Throw: { Error: 'Boom', Cause: 'kaboom' } } });
  await run(page);
  const history = page.getByRole('table', { name: 'Execution history' });
  await page.getByLabel('Filter by state').selectOption('Call');
  await page.getByLabel('Filter by event type').selectOption('TaskFailed');
  const rows = history.locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText('Boom: kaboom');
  // Long type names break between words only.
  const typeCell = rows.first().locator('td.type');
  await expect(typeCell.locator('wbr')).toHaveCount(1);
  await rows.first().click();
  await expect(slider(page)).toHaveValue('5');
  await expect(node(page, 'Call')).toHaveAttribute('aria-selected', 'true');
  await expect(node(page, 'Call')).toHaveAttribute('data-status', 'running');
  await expect(node(page, 'Handle')).not.toHaveAttribute('data-status');
  await expect(rows.first()).toHaveAttribute('aria-current', 'step');
  await page.getByLabel('Filter by event type').selectOption('');
  await page.getByLabel('Filter by state').selectOption('');
  await expect(rows).toHaveCount(17);
  await shots(page, 'runner-history', history);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export history' }).click();
  const file = await (await download).path();
  const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(exported.events).toHaveLength(17);
  expect(exported.events[0]).toMatchObject({ type: 'ExecutionStarted', id: 1, previousEventId: 0 });
  expect(exported.events[0].executionStartedEventDetails.input).toBe('{"a":1}');
  expect(exported.events[4].taskFailedEventDetails).toMatchObject({ error: 'Boom', cause: 'kaboom' });
  expect(exported.events[0].timestamp).toBe('2025-01-01T00:00:00.000Z');
});

test('playback replays Waits in scaled time; Stop pauses it', async ({ page }) => {
  await page.goto('/');
  await code(page).fill(JSON.stringify({
    StartAt: 'First', States: {
      First: { Type: 'Pass', Next: 'Nap' },
      Nap: { Type: 'Wait', Seconds: 3600, Next: 'Last' },
      Last: { Type: 'Succeed' },
    },
  }, null, 2));
  await expect(node(page, 'Nap')).toHaveCount(1);
  await page.getByLabel('Playback speed').selectOption('Real time (1×)');
  await run(page);
  // The hour-long Wait holds the replay (capped at 30 s of real time): Nap is running, Stop pauses.
  await expect(node(page, 'Nap')).toHaveAttribute('data-status', 'running');
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('Playing');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('button', { name: 'Stop' })).toHaveCount(0);
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('Paused');
  await expect(node(page, 'Nap')).toHaveAttribute('data-status', 'running');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByLabel('Execution output')).toContainText('SUCCEEDED');
  // Fast playback reaches the end by itself.
  await page.getByLabel('Playback speed').selectOption('1000× faster');
  await page.getByLabel('Playback speed').selectOption('100× faster');
  await code(page).fill(JSON.stringify({
    StartAt: 'First', States: {
      First: { Type: 'Pass', Next: 'Nap' },
      Nap: { Type: 'Wait', Seconds: 20, Next: 'Last' },
      Last: { Type: 'Succeed' },
    },
  }, null, 2));
  await run(page);
  await expect(page.getByLabel('Execution output')).toContainText('SUCCEEDED', { timeout: 10_000 });
  await expect(node(page, 'Last')).toHaveAttribute('data-status', 'succeeded');
});

test('Map: iteration progress and drill-down into one iteration', async ({ page }) => {
  await page.goto('/');
  await code(page).fill(JSON.stringify({
    StartAt: 'Each', States: {
      Each: {
        Type: 'Map', ItemsPath: '$.items', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }],
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Check', States: {
            Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Bad' }], Default: 'Ok' },
            Bad: { Type: 'Fail', Error: 'Two' },
            Ok: { Type: 'Pass', End: true },
          },
        },
        End: true,
      },
      Recover: { Type: 'Pass', End: true },
    },
  }, null, 2));
  await page.getByLabel('Execution input').fill('{"items": [1, 3, 2]}');
  await run(page);
  await expect(node(page, 'Each')).toHaveAttribute('data-status', 'caught');
  await expect(node(page, 'Each').locator('[data-progress]').first()).toHaveAttribute('data-progress', '3/3 · 1 failed');
  await node(page, 'Check').click();
  const iteration = details(page).getByLabel('Iteration');
  await iteration.selectOption('0');
  await expect(node(page, 'Ok')).toHaveAttribute('data-status', 'succeeded');
  await expect(node(page, 'Bad')).not.toHaveAttribute('data-status');
  await expect(details(page).getByRole('group', { name: 'Data flow' })).toContainText('input: 1');
  await iteration.selectOption('2');
  await expect(node(page, 'Bad')).toHaveAttribute('data-status', 'failed');
  await expect(node(page, 'Ok')).not.toHaveAttribute('data-status');
  await expect(edge(page, 'Check', 'Bad')).toHaveAttribute('data-taken', 'true');
  await shots(page, 'runner-map', details(page).getByLabel('Iteration'));
});

test('Map and Parallel: State details shows the iterations\' inputs and results, marked as derived', async ({ page }) => {
  await page.goto('/');
  await code(page).fill(JSON.stringify({
    StartAt: 'Fan', States: {
      Fan: {
        Type: 'Map', ItemsPath: '$.lines', ItemSelector: { 'sku.$': '$$.Map.Item.Value.sku', 'n.$': '$$.Map.Item.Index' },
        ItemProcessor: { StartAt: 'Price', States: { Price: { Type: 'Pass', Parameters: { 'sku.$': '$.sku', 'at.$': '$.n' }, End: true } } },
        ResultSelector: { 'priced.$': '$' }, ResultPath: '$.out', Next: 'Both',
      },
      Both: {
        Type: 'Parallel', End: true, Branches: [
          { StartAt: 'L', States: { L: { Type: 'Pass', Result: 'left', End: true } } },
          { StartAt: 'R', States: { R: { Type: 'Pass', Result: 'right', End: true } } },
        ],
      },
    },
  }, null, 2));
  await page.getByLabel('Execution input').fill('{"lines": [{"sku": "a"}, {"sku": "b"}]}');
  await run(page);
  await expect(page.getByLabel('Execution output')).toContainText('SUCCEEDED');
  // Select the Map by its title.
  await node(page, 'Fan').locator('text.container-title').click();
  await expect(details(page)).toContainText('Fan');
  const flow = details(page).getByRole('group', { name: 'Data flow' });
  await expect(flow).toContainText('afterItemsPath');
  await expect(flow).toContainText('iterationInputs');
  await expect(flow).toContainText('afterResultSelector');
  await expect(flow).toContainText('afterResultPath');
  await expect(details(page).getByLabel('Derived stages')).toContainText('iterationInputs, result');
  await shots(page, 'runner-map-stages', details(page));
  await page.getByLabel('Filter by state').selectOption('Both');
  await page.getByRole('table', { name: 'Execution history' }).locator('tbody tr').last().click();
  await expect(details(page).getByRole('group', { name: 'Data flow' })).toContainText('branchInputs');
  await expect(details(page).getByLabel('Derived stages')).toContainText('branchInputs, result');
});
