// The walking skeleton: the sample graph is drawn, code edits redraw it, and bad text shows a problem.
import { test, expect } from '@playwright/test';

const code = (page) => page.getByLabel('ASL code');

test('opens on the sample workflow with its states and edges', async ({ page }) => {
  await page.goto('/');
  for (const name of ['Validate order', 'Is valid?', 'Fulfil', 'Reserve stock', 'Charge card', 'Reject', 'Done']) {
    await expect(page.locator(`[data-state="${name}"]`)).toHaveCount(1);
  }
  await expect(page.getByRole('group', { name: 'Is valid?' })).toBeVisible();
  await expect(page.locator('[data-edge="Validate order->Is valid?"]')).toHaveAttribute('data-edge-kind', 'next');
  await expect(page.locator('[data-edge="Is valid?->Fulfil"]')).toHaveAttribute('data-edge-kind', 'choice');
  await expect(page.locator('[data-edge="Is valid?->Reject"]')).toHaveAttribute('data-edge-kind', 'default');
  await expect(page.getByRole('list', { name: 'Problems' })).toContainText('No problems');
  await page.screenshot({ path: 'screenshots/skeleton-light.png', fullPage: true });
  await page.getByRole('button', { name: 'Theme' }).click();
  await page.screenshot({ path: 'screenshots/skeleton-dark.png', fullPage: true });
});

test('renaming a state in the code redraws the graph', async ({ page }) => {
  await page.goto('/');
  const text = await code(page).inputValue();
  await code(page).fill(text.replaceAll('"Done"', '"All done"'));
  await expect(page.locator('[data-state="All done"]')).toHaveCount(1);
  await expect(page.locator('[data-state="Done"]')).toHaveCount(0);
  await expect(page.locator('[data-edge="Fulfil->All done"]')).toHaveCount(1);
});

test('an invalid edit shows a problem and keeps the graph', async ({ page }) => {
  await page.goto('/');
  const text = await code(page).inputValue();
  // A dangling transition target.
  await code(page).fill(text.replace('"Next": "Done"', '"Next": "Nowhere"'));
  const problems = page.getByRole('list', { name: 'Problems' });
  const dangling = problems.getByRole('listitem').filter({ hasText: "Missing 'Next' target: Nowhere" });
  await expect(dangling).toHaveCount(1);
  await expect(dangling).toContainText('MISSING_TRANSITION_TARGET');
  await expect(dangling).toContainText('/States/Fulfil/Next');
  // Broken JSON: the last good graph stays, the problem names the position.
  await code(page).fill(text.slice(0, 200));
  await expect(problems).toContainText('INVALID_JSON_DESCRIPTION');
  await expect(page.locator('[data-state="Validate order"]')).toHaveCount(1);
  await page.screenshot({ path: 'screenshots/skeleton-invalid.png', fullPage: true });
});
