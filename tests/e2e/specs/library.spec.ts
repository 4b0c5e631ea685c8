// The local library: autosave and reload, New/Rename/Duplicate/Delete with Undo, migration of the old
// autosave, two tabs on one workflow, storage errors, files (open, drop, save, CloudFormation round
// trip) and exports (SVG opens as an image, PNG).
import { test, expect, Page } from '@playwright/test';
import * as fs from 'fs';
import { code, node, graph, openLibrary, TWO_STATES } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });

const items = (page: Page) => page.getByRole('list', { name: 'Workflows' }).getByRole('listitem');

test('every edit is saved: reload restores the workflow, its input and mocks', async ({ page }) => {
  await page.goto('/');
  const text = await code(page).inputValue();
  await code(page).fill(text.replaceAll('"Done"', '"Kept"'));
  await page.getByLabel('Execution input').fill('{"kept": 1}');
  await page.getByText('Mocks (MockConfigFile)').click();
  await page.getByLabel('Mocks').fill('{"StateMachines": {}}');
  await page.reload();
  await expect(node(page, 'Kept')).toHaveCount(1);
  await expect(page.getByLabel('Execution input')).toHaveValue('{"kept": 1}');
  await expect(page.getByLabel('Mocks')).toHaveValue('{"StateMachines": {}}');
  // A closed tab loses nothing either: a new tab opens the last workflow.
  const other = await page.context().newPage();
  await page.close();
  await other.goto('/');
  await expect(node(other, 'Kept')).toHaveCount(1);
});

test('library: new, rename, duplicate, delete with undo, open', async ({ page }) => {
  await page.goto('/');
  const first = await code(page).inputValue();
  let panel = await openLibrary(page);
  await expect(items(page)).toHaveCount(1);
  await panel.getByRole('button', { name: 'New workflow' }).click();
  await expect(node(page, 'Start')).toHaveCount(1);
  await expect(page.getByLabel('Workflow name')).toHaveText('Untitled workflow');
  await code(page).fill(TWO_STATES);
  await expect(node(page, 'Second')).toHaveCount(1);
  panel = await openLibrary(page);
  await expect(items(page)).toHaveCount(2);
  await panel.getByRole('button', { name: 'Rename Untitled workflow' }).click();
  await panel.getByLabel('New name').fill('Second flow');
  await panel.getByLabel('New name').press('Enter');
  await expect(page.getByLabel('Workflow name')).toHaveText('Second flow');
  await panel.getByRole('button', { name: 'Duplicate Second flow' }).click();
  await expect(items(page)).toHaveCount(3);
  await expect(panel.getByRole('button', { name: 'Open Second flow copy' })).toBeVisible();
  await page.screenshot({ path: 'screenshots/library-panel-light.png' });
  // Delete the open workflow: another opens, the toast offers Undo.
  await panel.getByRole('button', { name: 'Delete Second flow', exact: true }).click();
  await expect(items(page)).toHaveCount(2);
  const toast = page.getByRole('status').filter({ hasText: 'Deleted' });
  await expect(toast).toContainText('Deleted “Second flow”');
  await page.screenshot({ path: 'screenshots/library-deleted-toast.png' });
  await toast.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(items(page)).toHaveCount(3);
  await expect(code(page)).toHaveValue(TWO_STATES);
  // Open the first workflow again; a reload keeps this tab's choice.
  const firstName = await items(page).filter({ hasNotText: 'Second flow' }).first().getAttribute('data-workflow');
  await panel.getByRole('button', { name: `Open ${firstName}` }).click();
  await expect(code(page)).toHaveValue(first);
  await page.reload();
  await expect(code(page)).toHaveValue(first);
  await page.getByRole('button', { name: 'Theme' }).click();
  await openLibrary(page);
  await page.screenshot({ path: 'screenshots/library-panel-dark.png' });
});

test('the old single-document autosave is migrated into the library', async ({ page }) => {
  await page.goto('/');
  await page.evaluate((def) => {
    localStorage.clear();
    sessionStorage.clear();
    localStorage.setItem('statewright.definition', def);
    localStorage.setItem('statewright.input', '{"old": true}');
  }, TWO_STATES);
  await page.reload();
  await expect(code(page)).toHaveValue(TWO_STATES);
  await expect(page.getByLabel('Execution input')).toHaveValue('{"old": true}');
  await expect(page.getByLabel('Workflow name')).toHaveText('Two states');
  expect(await page.evaluate(() => localStorage.getItem('statewright.definition'))).toBeNull();
  await openLibrary(page);
  await expect(items(page)).toHaveCount(1);
});

test('two tabs on one workflow: a conflict is shown, with Reload theirs and Keep mine', async ({ page, context }) => {
  await page.goto('/');
  const text = await code(page).inputValue();
  const other = await context.newPage();
  await other.goto('/');
  await expect(code(other)).toHaveValue(text, { timeout: 15_000 });
  // Tab 1 writes; tab 2 had the same workflow open: it is told, nothing is overwritten silently.
  await code(page).fill(text.replaceAll('"Done"', '"From tab one"'));
  const conflict = other.getByRole('alert', { name: 'Conflict' });
  await expect(conflict).toContainText('changed in another tab');
  await other.screenshot({ path: 'screenshots/library-conflict.png' });
  // Tab 2 edits while the choice is open: not saved over tab 1's version.
  await code(other).fill(text.replaceAll('"Done"', '"From tab two"'));
  // Wait for tab 2 to have taken the edit in (its canvas draws it; the autosave ran in the same update),
  // then check that storage still holds tab 1's version.
  await expect(node(other, 'From tab two')).toHaveCount(1);
  await expect(conflict).toBeVisible();
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('statewright.wf.'))
    .map((k) => JSON.parse(localStorage.getItem(k)!).definition).join())).toContain('From tab one');
  // Keep mine: tab 2's version is written; now tab 1 sees the conflict and reloads theirs.
  await conflict.getByRole('button', { name: 'Keep mine' }).click();
  await expect(conflict).toHaveCount(0);
  const back = page.getByRole('alert', { name: 'Conflict' });
  await expect(back).toBeVisible();
  await back.getByRole('button', { name: 'Reload theirs' }).click();
  await expect(node(page, 'From tab two')).toHaveCount(1);
  await expect(back).toHaveCount(0);
  // Reload theirs is one undo step: tab 1's own text comes back.
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(node(page, 'From tab one')).toHaveCount(1);
});

test('a full storage is reported, not swallowed', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => {
    const set = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k: string, v: string) {
      if (k.startsWith('statewright.wf.')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return set.call(this, k, v);
    };
  });
  const text = await code(page).inputValue();
  await code(page).fill(text.replaceAll('"Done"', '"Unsaved"'));
  const alert = page.getByRole('alert', { name: 'Storage error' });
  await expect(alert).toContainText('storage for this site is full');
  await expect(alert).toContainText('NOT saved');
  await page.screenshot({ path: 'screenshots/library-quota.png' });
});

test('files: open JSON and YAML, drop on the canvas, a bad file is a message', async ({ page }) => {
  await page.goto('/');
  const original = await code(page).inputValue();
  const picker = page.getByLabel('Workflow file');
  await picker.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"StartAt": ') });
  await expect(page.getByRole('alert')).toContainText('Could not open broken.json');
  await expect(code(page)).toHaveValue(original);
  await picker.setInputFiles({ name: 'flow.asl.yaml', mimeType: 'application/yaml',
    buffer: Buffer.from('Comment: From YAML\nStartAt: Y1\nStates:\n  Y1:\n    Type: Pass\n    Next: Y2\n  Y2:\n    Type: Succeed\n') });
  await expect(node(page, 'Y2')).toHaveCount(1);
  await expect(page.getByLabel('Workflow name')).toHaveText('flow');
  // Drop a JSON file onto the canvas.
  await page.locator('svg.canvas').evaluate((svg, text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.asl.json', { type: 'application/json' }));
    svg.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    svg.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, TWO_STATES);
  await expect(code(page)).toHaveValue(TWO_STATES);
  await expect(page.getByLabel('Workflow name')).toHaveText('dropped');
  // Nothing was replaced: the first workflow is still in the library.
  await openLibrary(page);
  await expect(items(page)).toHaveCount(3);
});

test('Save downloads .asl.json and .asl.yaml; CloudFormation export imports back', async ({ page }) => {
  await page.goto('/');
  await code(page).fill(TWO_STATES);
  await openLibrary(page);
  await page.getByRole('button', { name: /^Rename / }).click();
  await page.getByLabel('New name').fill('Two states');
  await page.getByLabel('New name').press('Enter');
  let dl = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  let d = await dl;
  expect(d.suggestedFilename()).toBe('Two-states.asl.json');
  expect(fs.readFileSync(await d.path(), 'utf8')).toBe(TWO_STATES);
  dl = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('menuitem', { name: 'ASL YAML (.asl.yaml)' }).click();
  d = await dl;
  expect(fs.readFileSync(await d.path(), 'utf8')).toBe('Comment: "Two states"\nStartAt: First\nStates:\n  First:\n    Type: Pass\n    Next: Second\n  Second:\n    Type: Succeed\n');
  const before = await graph(page);
  for (const kind of ['CloudFormation template', 'SAM template']) {
    dl = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByRole('menuitem', { name: kind }).click();
    d = await dl;
    const template = fs.readFileSync(await d.path(), 'utf8');
    expect(template).toContain(kind.startsWith('SAM') ? 'AWS::Serverless::StateMachine' : 'AWS::StepFunctions::StateMachine');
    await page.getByLabel('Workflow file').setInputFiles({ name: d.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(template) });
    await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toBeVisible();
    await expect(code(page)).toHaveValue(TWO_STATES);
    expect(await graph(page)).toEqual(before);
  }
  // The CLI command.
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('menuitem', { name: 'CLI command' }).click();
  await expect(page.getByRole('textbox', { name: 'CLI command' })).toHaveValue(/^aws stepfunctions create-state-machine --name 'TwoStates/);
});

test('a YAML template with short tags and two machines: the person picks one', async ({ page }) => {
  await page.goto('/');
  const yaml = `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Charge
        States:
          Charge:
            Type: Task
            Resource: !GetAtt ChargeFn.Arn
            End: true
  Audit:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub |
        {"StartAt": "Log", "States": {"Log": {"Type": "Task", "Resource": "\${LogArn}", "End": true}}}
      DefinitionSubstitutions:
        LogArn: !Ref LogFunction
`;
  await page.getByLabel('Workflow file').setInputFiles({ name: 'template.yaml', mimeType: 'application/yaml', buffer: Buffer.from(yaml) });
  const dialog = page.getByRole('dialog', { name: 'Choose a state machine' });
  await expect(dialog).toContainText('2 state machines');
  await page.screenshot({ path: 'screenshots/import-pick.png' });
  await dialog.getByRole('button', { name: 'Import Audit' }).click();
  await expect(node(page, 'Log')).toHaveCount(1);
  await expect(code(page)).toHaveValue(/"Resource": "\$\{LogArn\}"/);
  await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toContainText('LogArn = Ref LogFunction');
});

test('SVG export opens as an image on its own; PNG export is a PNG', async ({ page }) => {
  await page.goto('/');
  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') await page.getByRole('button', { name: 'Theme' }).click();
    const dl = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByRole('menuitem', { name: 'SVG image' }).click();
    const d = await dl;
    expect(d.suggestedFilename()).toMatch(/\.svg$/);
    const svg = fs.readFileSync(await d.path());
    const size = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/svg+xml;base64,${b64}`;
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, svg.toString('base64'));
    expect(size[0]).toBeGreaterThan(100);
    expect(size[1]).toBeGreaterThan(100);
    expect(svg.toString()).toContain('Validate order');
    expect(svg.toString()).not.toContain('class="canvas"');
    // Look at it: the exported file rendered alone.
    const view = await page.context().newPage();
    await view.setContent(`<body style="margin:0"><img src="data:image/svg+xml;base64,${svg.toString('base64')}"></body>`);
    await view.screenshot({ path: `screenshots/export-svg-${theme}.png`, fullPage: true });
    await view.close();
  }
  const dl = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('menuitem', { name: 'PNG image' }).click();
  const d = await dl;
  expect(d.suggestedFilename()).toMatch(/\.png$/);
  const png = fs.readFileSync(await d.path());
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.length).toBeGreaterThan(2000);
});
