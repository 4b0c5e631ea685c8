// Inspector fields, Retry/Catch editors, the Choice rule builder, JSONata preview, code mode and problems.
import { test, expect, Page } from '@playwright/test';

test.use({ viewport: { width: 1440, height: 900 } });

const code = (page: Page) => page.getByLabel('ASL code');
const node = (page: Page, name: string) => page.locator(`[data-state="${name}"]`);
const edge = (page: Page, from: string, to: string) => page.locator(`[data-edge="${from}->${to}"]`);
const inspector = (page: Page) => page.getByRole('region', { name: 'Inspector' });
const problems = (page: Page) => page.getByRole('list', { name: 'Problems' });

const TASK = JSON.stringify({
  Comment: 'A task with error handling',
  StartAt: 'Call',
  States: {
    Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, Next: 'Done' },
    Recover: { Type: 'Pass', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
}, null, 2);

const JSONATA = JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'Compute',
  States: {
    Compute: { Type: 'Pass', Output: { total: '{% $states.input.total * 2 %}' }, Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
}, null, 2);

// A JSONata Task whose Output is computed from the task's result ($states.result).
const JSONATA_TASK = JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'Price',
  States: {
    Price: {
      Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'price', Payload: '{% $states.input %}' },
      Output: { total: '{% $states.result.Payload.price * $states.input.qty %}' },
      End: true,
    },
  },
}, null, 2);

async function load(page: Page, text: string) {
  await page.goto('/');
  await code(page).fill(text);
}

async function shots(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/${name}-light.png` });
  await page.getByRole('button', { name: 'Theme' }).click();
  await page.screenshot({ path: `screenshots/${name}-dark.png` });
  await page.getByRole('button', { name: 'Theme' }).click();
}

test('inspector: with no state selected it edits the workflow itself', async ({ page }) => {
  await load(page, TASK);
  const ins = inspector(page);
  const wf = ins.getByRole('group', { name: 'Workflow' });
  await expect(wf).toBeVisible();
  await expect(wf.getByLabel('Comment', { exact: true })).toHaveValue('A task with error handling');
  await expect(wf.getByLabel('Start state')).toHaveValue('Call');
  await wf.getByLabel('Execution timeout (s)').fill('3600');
  await expect(code(page)).toHaveValue(/"TimeoutSeconds": 3600/);
  await wf.getByLabel('Start state').selectOption('Recover');
  await expect(code(page)).toHaveValue(/"StartAt": "Recover"/);
  await expect(edge(page, 'Recover', 'Done')).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(code(page)).toHaveValue(/"StartAt": "Call"/);
  // A problem about the workflow's own field is shown under it, and clicking it focuses the field.
  await wf.getByLabel('Version').fill('2');
  await expect(code(page)).toHaveValue(/"Version": "2"/);
  await code(page).fill(TASK.replace('"StartAt": "Call"', '"StartAt": "Nowhere"'));
  await node(page, 'Call').click();
  await expect(ins.getByRole('group', { name: 'Workflow' })).toHaveCount(0);
  await problems(page).getByRole('listitem').filter({ hasText: 'MISSING_TRANSITION_TARGET' }).first().click();
  await expect(wf.getByLabel('Start state')).toBeFocused();
  await expect(wf.locator('.field-msg.error')).toContainText('Nowhere');
  await page.screenshot({ path: 'screenshots/inspector-workflow.png' });
});

test('inspector: a field edit rewrites the code, and Undo restores it', async ({ page }) => {
  await page.goto('/');
  await node(page, 'Validate order').click();
  const ins = inspector(page);
  for (const section of ['Configuration', 'Input/output', 'Variables']) {
    await expect(ins.getByRole('group', { name: section })).toBeVisible();
  }
  const resultPath = ins.getByLabel('ResultPath', { exact: true });
  await expect(resultPath).toHaveValue('$.check');
  await resultPath.fill('$.verified');
  await expect(code(page)).toHaveValue(/"ResultPath": "\$\.verified"/);
  // Unknown fields and key order survive: Result still comes before ResultPath.
  const text = await code(page).inputValue();
  expect(text.indexOf('"Result"')).toBeLessThan(text.indexOf('"ResultPath"'));
  await ins.getByLabel('Comment', { exact: true }).fill('checked');
  await expect(code(page)).toHaveValue(/"Comment": "checked"/);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(code(page)).not.toHaveValue(/"Comment": "checked"/);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(code(page)).toHaveValue(/"ResultPath": "\$\.check"/);
  await expect(resultPath).toHaveValue('$.check');
  // A bad value shows the validator's message under the field as you type.
  await resultPath.fill('check');
  await expect(ins.locator('.fld', { has: page.getByLabel('ResultPath', { exact: true }) }).locator('.field-msg')).toContainText('ResultPath');
  await shots(page, 'inspector-fields');
});

test('code: edits redraw the graph; caret and canvas selection follow each other', async ({ page }) => {
  await page.goto('/');
  const original = await code(page).inputValue();
  await code(page).fill(original.replaceAll('"Reject"', '"Refuse"'));
  await expect(node(page, 'Refuse')).toHaveCount(1);
  await expect(edge(page, 'Is valid?', 'Refuse')).toHaveCount(1);
  // Caret into a state's text selects it.
  const text = await code(page).inputValue();
  const at = text.indexOf('"Done": {') + 3;
  await code(page).evaluate((el: HTMLTextAreaElement, at) => { el.focus(); el.setSelectionRange(at, at); }, at);
  await page.keyboard.press('ArrowRight');
  await expect(node(page, 'Done')).toHaveAttribute('aria-selected', 'true');
  // Selecting on the canvas selects the state's text.
  await node(page, 'Fulfil').click();
  await expect(node(page, 'Fulfil')).toHaveAttribute('aria-selected', 'true');
  const start = await code(page).evaluate((el: HTMLTextAreaElement) => el.selectionStart);
  expect(start).toBe(text.indexOf('"Fulfil": {'));
  // Highlighting: keys, strings and an underlined problem in the layer under the textarea.
  const layer = page.locator('.code-layer');
  await expect(layer.locator('.tk-key').first()).toBeVisible();
  await code(page).fill(text.replace('"Next": "Done"', '"Next": "Nowhere"'));
  await expect(layer.locator('.sq-error').first()).toContainText('"Nowhere"');
  await expect(page.locator('.gutter .mark-error').first()).toBeVisible();
  await shots(page, 'code-problems');
});

test('problems: a click selects the state and focuses the field, or puts the caret in the code', async ({ page }) => {
  await page.goto('/');
  const original = await code(page).inputValue();
  await code(page).fill(original.replace('"ResultPath": "$.check"', '"ResultPath": "check"'));
  const item = problems(page).getByRole('listitem').filter({ hasText: 'ResultPath' }).first();
  await item.click();
  await expect(node(page, 'Validate order')).toHaveAttribute('aria-selected', 'true');
  await expect(inspector(page).getByLabel('ResultPath', { exact: true })).toBeFocused();
  // A text-level problem: the caret goes to its line and column.
  const broken = original.replace('"StartAt": "Validate order",', '"StartAt": "Validate order"');
  await code(page).fill(broken);
  const syntax = problems(page).getByRole('listitem').first();
  await expect(syntax).toHaveAttribute('data-severity', 'error');
  await page.locator('.canvas-pane').click({ position: { x: 5, y: 5 } });
  await syntax.click();
  await expect(code(page)).toBeFocused();
  const caret = await code(page).evaluate((el: HTMLTextAreaElement) => el.selectionStart);
  const line = broken.slice(0, caret).split('\n').length;
  expect(line).toBeGreaterThanOrEqual(3);
  expect(line).toBeLessThanOrEqual(4);
});

test('retry and catch editors add, edit and remove entries', async ({ page }) => {
  await load(page, TASK);
  await node(page, 'Call').click();
  const ins = inspector(page);
  await expect(ins.getByRole('group', { name: 'Error handling' })).toBeVisible();
  await ins.getByRole('button', { name: '+ Add retrier' }).click();
  await expect(code(page)).toHaveValue(/"Retry": \[/);
  await expect(ins.getByLabel('Retrier 1 Errors')).toHaveValue('States.ALL');
  await ins.getByLabel('Retrier 1 Max attempts').fill('5');
  await expect(code(page)).toHaveValue(/"MaxAttempts": 5/);
  await ins.getByLabel('Retrier 1 Jitter').selectOption('FULL');
  await expect(code(page)).toHaveValue(/"JitterStrategy": "FULL"/);
  await ins.getByRole('button', { name: '+ Add retrier' }).click();
  await ins.getByLabel('Retrier 2 Errors').fill('Lambda.TooManyRequestsException');
  await ins.getByRole('button', { name: 'Move up retrier 2' }).click();
  await expect(ins.getByLabel('Retrier 1 Errors')).toHaveValue('Lambda.TooManyRequestsException');
  await ins.getByRole('button', { name: '+ Add catcher' }).click();
  await ins.getByLabel('Catcher 1 Next state').selectOption('Recover');
  await expect(edge(page, 'Call', 'Recover')).toHaveCount(1);
  await expect(problems(page)).toContainText('No problems');
  await shots(page, 'inspector-retry-catch');
  await ins.getByRole('button', { name: 'Remove catcher 1' }).click();
  await expect(edge(page, 'Call', 'Recover')).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(edge(page, 'Call', 'Recover')).toHaveCount(1);
});

test('choice builder: a new rule becomes an edge; operators and nesting', async ({ page }) => {
  await page.goto('/');
  await node(page, 'Is valid?').click();
  const ins = inspector(page);
  await expect(ins.getByLabel('Rule 1 operator')).toHaveValue('BooleanEquals');
  await ins.getByRole('button', { name: '+ Add rule' }).click();
  await ins.getByLabel('Rule 2 next').selectOption('Done');
  await expect(edge(page, 'Is valid?', 'Done')).toHaveCount(1);
  await ins.getByLabel('Rule 2 variable').fill('$.total');
  await ins.getByLabel('Rule 2 operator').selectOption('NumericGreaterThan');
  await ins.getByLabel('Rule 2 value').fill('100');
  await expect(code(page)).toHaveValue(/"NumericGreaterThan": 100/);
  await ins.getByLabel('Rule 2 type').selectOption('And');
  await expect(code(page)).toHaveValue(/"And": \[/);
  await ins.getByRole('button', { name: 'Add condition to Rule 2' }).click();
  await ins.getByLabel('Rule 2.2 operator').selectOption('IsPresent');
  await expect(code(page)).toHaveValue(/"IsPresent": true/);
  await ins.getByLabel('Rule 2 assign').fill('{"big.$": "$.total"}');
  await expect(code(page)).toHaveValue(/"Assign": \{\s*"big\.\$": "\$\.total"\s*\}/);
  await expect(problems(page)).toContainText('No problems');
  await ins.getByLabel('Default state').selectOption('Validate order');
  await expect(code(page)).toHaveValue(/"Default": "Validate order"/);
  await shots(page, 'inspector-choice');
});

test('JSONata preview evaluates against the input and shows errors', async ({ page }) => {
  await load(page, JSONATA);
  await node(page, 'Compute').click();
  const ins = inspector(page);
  const output = ins.getByLabel('Output', { exact: true });
  const preview = ins.locator('.fld', { has: page.getByLabel('Output', { exact: true }) }).getByRole('region', { name: 'JSONata preview' });
  await expect(preview).toContainText('"total": 84');
  await expect(preview).toContainText('execution input');
  await output.fill('{"total": "{% $states.input.total + %}"}');
  await expect(preview).toContainText('Error S0');
  await output.fill('"{% $states.input.orderId & \'!\' %}"');
  await expect(preview).toContainText('"A-1001!"');
  await shots(page, 'inspector-jsonata');
});

test('JSONata preview of a Task Output binds $states.result from the last run', async ({ page }) => {
  await load(page, JSONATA_TASK);
  await page.getByLabel('Execution input').fill('{"qty": 3}');
  await page.getByText('Mocks (MockConfigFile)').click();
  await page.getByLabel('Mocks').fill(JSON.stringify({
    StateMachines: { M: { TestCases: { T: { Price: 'R' } } } },
    MockedResponses: { R: { '0': { Return: { Payload: { price: 14 } } } } },
  }));
  await node(page, 'Price').click();
  const ins = inspector(page);
  const previewOf = (label: string) =>
    ins.locator('.fld', { has: page.getByLabel(label, { exact: true }) }).getByRole('region', { name: 'JSONata preview' });
  const preview = previewOf('Output');
  // Before any run the result is not known, and the preview says so instead of showing a value.
  await expect(preview).toContainText("$states.result isn't known yet");
  await expect(preview).not.toContainText('"total"');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByLabel('Execution output')).toContainText('SUCCEEDED');
  // 14 (the task's result) × 3 (the input).
  await expect(preview).toContainText('"total": 42');
  await expect(preview).toContainText('$states.result from last run');
  await preview.scrollIntoViewIfNeeded();
  await shots(page, 'inspector-jsonata-result');
  // Arguments are evaluated before the task: AWS has no $states.result there.
  await ins.getByLabel('Arguments', { exact: true }).fill('{"x": "{% $states.result %}"}');
  await expect(previewOf('Arguments')).toContainText('available only in Output and Assign');
});

test('format, and the JSON/YAML switch round trip', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Format' }).click();
  const pretty = await code(page).inputValue();
  expect(pretty).toContain('"Result": {\n        "valid": true\n      }');
  await page.getByRole('group', { name: 'Code format' }).getByRole('button', { name: 'YAML' }).click();
  await expect(code(page)).toHaveValue(/^Comment: "?Check an order/);
  await expect(node(page, 'Fulfil')).toBeVisible();
  await expect(problems(page)).toContainText('No problems');
  // Inspector edits keep the document in YAML.
  await node(page, 'Reject').click();
  await inspector(page).getByLabel('Cause', { exact: true }).fill('Nope');
  await expect(code(page)).toHaveValue(/Cause: Nope/);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(code(page)).toHaveValue(/^Comment: "?Check an order/);
  await shots(page, 'code-yaml');
  await page.getByRole('group', { name: 'Code format' }).getByRole('button', { name: 'JSON' }).click();
  await expect(code(page)).toHaveValue(pretty);
});
