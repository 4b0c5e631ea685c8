// Share links: a round trip into a fresh browser (graph, input, mocks and test cases identical), links
// that open as new library entries, hostile and broken links that leave the current work intact, and the
// read-only embed view.
import { test, expect, Page } from '@playwright/test';
import { code, node, graph, fragment, decodeLink, bomb, openLibrary, TWO_STATES } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });

const testCases = [
  { name: 'Happy', input: { orderId: 'A-1', total: 42 }, expect: { status: 'SUCCEEDED' } },
  { name: 'Empty', input: {}, expect: { status: 'FAILED', error: 'States.Runtime' } },
];

/** A page with edited work of its own ("Mine" state), to check it survives. */
async function withWork(page: Page) {
  await page.goto('/');
  const text = await code(page).inputValue();
  const mine = text.replaceAll('"Done"', '"Mine"');
  await code(page).fill(mine);
  await expect(node(page, 'Mine')).toHaveCount(1);
  return mine;
}

test('a link round-trips into a fresh browser: graph, input, mocks and test cases', async ({ page, browser }) => {
  const mocks = { StateMachines: { M: { TestCases: { Happy: { Call: 'Ok' } } } }, MockedResponses: { Ok: { '0': { Return: { n: 1 } } } } };
  await withWork(page);
  // A link with test cases (made in Node the way the studio makes it) opens as a new entry.
  await page.goto('/' + fragment({ d: JSON.parse(TWO_STATES), i: '{"x": 1}', m: mocks, t: testCases }));
  await expect(node(page, 'Second')).toHaveCount(1);
  await expect(page).toHaveURL(/\/$/); // the fragment is dropped once the workflow is in the library
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  const wire = decodeLink(link);
  expect(wire.t).toEqual(testCases);
  expect(wire.m).toEqual(mocks);
  const before = await graph(page);

  const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(node(other, 'Second')).toHaveCount(1);
  expect(await graph(other)).toEqual(before);
  await expect(code(other)).toHaveValue(TWO_STATES);
  await expect(other.getByLabel('Execution input')).toHaveValue('{"x": 1}');
  await other.getByRole('button', { name: 'Share' }).click();
  const again = decodeLink(await other.getByLabel('Share link').inputValue());
  expect(again.t).toEqual(testCases);
  expect(again.m).toEqual(mocks);
  expect(again.d).toEqual(JSON.parse(TWO_STATES));
  // It was saved: a reload of the fresh browser still shows it, and its library has it.
  await other.reload();
  await expect(code(other)).toHaveValue(TWO_STATES);
  // A first visit through a link makes the link's workflow the only entry (no sample beside it).
  await openLibrary(other);
  const entries = other.getByRole('list', { name: 'Workflows' }).getByRole('listitem');
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText('Two states');
  expect(await other.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('statewright.wf.')).length)).toBe(1);
  await fresh.close();
  // The first browser kept its own work as another entry.
  await openLibrary(page);
  await expect(page.getByRole('list', { name: 'Workflows' }).getByRole('listitem')).toHaveCount(2);
});

test('hostile and broken links leave the current work intact, with a message', async ({ page }) => {
  const mine = await withWork(page);
  const good = fragment({ d: JSON.parse(TWO_STATES) });
  const cases: [string, string, RegExp][] = [
    ['garbage', '#v1:@@@ not a link', /could not be opened: the link is damaged/],
    ['truncated', good.slice(0, Math.floor(good.length / 2)), /could not be opened: the link is incomplete/],
    ['not a link', '#hello', /could not be opened: this is not a Statewright share link/],
    ['newer version', '#v9:abc', /could not be opened: this link was made by a newer Statewright/],
    ['100 MB inflation bomb', bomb(100 * 1024 * 1024), /could not be opened: the linked workflow is larger than 2 MiB/],
  ];
  for (const [what, frag, message] of cases) {
    await page.goto('/' + frag);
    await expect(page.getByRole('alert'), what).toContainText(message);
    await expect(code(page), what).toHaveValue(mine);
    await page.getByRole('button', { name: 'Dismiss' }).click();
  }
  await page.screenshot({ path: 'screenshots/share-bad-link.png' });
  // Script and markup in a state name: shown as text, never run, and the current work is kept.
  const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const def = { StartAt: hostile, States: { [hostile]: { Type: 'Pass', Comment: '<b>bold</b>', End: true } } };
  await page.goto('/' + fragment({ d: def }));
  const drawn = page.getByRole('group', { name: hostile, exact: true });
  await expect(drawn).toHaveCount(1);
  await expect(drawn).toHaveAttribute('data-state', hostile);
  await expect(drawn.locator('text.state-name')).toHaveText(hostile);
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  expect(await page.locator('svg.canvas img, svg.canvas script, .inspector img').count()).toBe(0);
  await page.screenshot({ path: 'screenshots/share-hostile-name.png' });
  await openLibrary(page);
  const mineEntry = page.getByRole('list', { name: 'Workflows' }).getByRole('listitem').filter({ hasNotText: '<img' });
  await expect(mineEntry).toHaveCount(1);
  await mineEntry.getByRole('button', { name: /^Open / }).click();
  await expect(code(page)).toHaveValue(mine);
});

test('opening the same link twice reuses its entry', async ({ page }) => {
  await page.goto('/');
  // The app is up with its first entry (the sample) before the link is opened.
  await expect(code(page)).not.toHaveValue('');
  const link = '/' + fragment({ d: JSON.parse(TWO_STATES) });
  await page.goto(link);
  await expect(node(page, 'Second')).toHaveCount(1);
  await page.goto(link);
  await expect(node(page, 'Second')).toHaveCount(1);
  await openLibrary(page);
  await expect(page.getByRole('list', { name: 'Workflows' }).getByRole('listitem')).toHaveCount(2);
});

test('embed view: the graph read-only, Run and the link\'s test cases', async ({ page }) => {
  const def = {
    StartAt: 'Check', States: {
      Check: { Type: 'Choice', Choices: [{ Variable: '$.total', NumericGreaterThan: 0, Next: 'Ok' }], Default: 'Bad' },
      Ok: { Type: 'Succeed' }, Bad: { Type: 'Fail', Error: 'Empty', Cause: 'no total' },
    },
  };
  const cases = [
    { name: 'Positive', input: { total: 3 }, expect: { status: 'SUCCEEDED' } },
    { name: 'Zero', input: { total: 0 }, expect: { status: 'FAILED' } },
    { name: 'Wrong', input: { total: 2 }, expect: { status: 'SUCCEEDED', output: { total: 3 } } },
  ];
  await page.goto('/?embed' + fragment({ d: def, i: '{"total": 5}', t: cases }));
  await expect(node(page, 'Check')).toHaveCount(1);
  await expect(page.getByLabel('ASL code')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Library' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByLabel('Execution output')).toContainText('SUCCEEDED');
  await expect(node(page, 'Ok')).toHaveAttribute('data-status', 'succeeded');
  await page.getByRole('button', { name: 'Run test cases' }).click();
  await expect(page.locator('[data-case="Positive"]')).toHaveAttribute('data-pass', 'true');
  await expect(page.locator('[data-case="Zero"]')).toHaveAttribute('data-pass', 'true');
  await expect(page.locator('[data-case="Zero"]')).toContainText('FAILED');
  // The same test cases, check and diff as the Test cases panel: a wrong expectation shows its difference.
  const wrong = page.locator('[data-case="Wrong"]');
  await expect(wrong).toHaveAttribute('data-pass', 'false');
  await expect(wrong).toHaveAttribute('data-result', 'fail');
  const diff = wrong.getByRole('table', { name: 'Differences' });
  await expect(diff.locator('tr[data-path="/output/total"]')).toContainText('3');
  await expect(diff.locator('tr[data-path="/output/total"] td.actual')).toHaveText('2');
  await expect(page.getByRole('status', { name: 'Test summary' })).toHaveText('2 passed, 1 failed');
  await page.screenshot({ path: 'screenshots/embed-light.png' });
  // Nothing was written to the library.
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('statewright.wf.')).length)).toBe(0);
  // A broken embed link is a message.
  await page.goto('/?embed#v1:@@@');
  await expect(page.getByRole('alert')).toContainText('could not be opened');
});
