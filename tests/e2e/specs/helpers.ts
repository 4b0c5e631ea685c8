// Shared helpers for the library, share and offline specs: locators and share-link encoding in Node.
import { Page, expect } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

export const code = (page: Page) => page.getByLabel('ASL code');
export const node = (page: Page, name: string) => page.locator(`[data-state="${name}"]`);

/** The frozen v1 dictionary, read from the studio crate. */
export const dictionary = fs.readFileSync(path.join(__dirname, '../../../crates/studio/src/share/dictionary-v1.txt'));

const b64url = (buf: Buffer) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** A `#v1:` fragment for a wire envelope ({d, i, m, t, v}), made the way the studio makes it. */
export function fragment(wire: object): string {
  const packed = zlib.deflateRawSync(Buffer.from(JSON.stringify(wire)), { level: 9, dictionary });
  return `#v1:${b64url(packed)}`;
}

/** The wire envelope inside a link. */
export function decodeLink(link: string): any {
  const payload = link.slice(link.indexOf('#v1:') + 4).replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(zlib.inflateRawSync(Buffer.from(payload, 'base64'), { dictionary }).toString('utf8'));
}

/** A link whose payload inflates to `bytes` of spaces (an inflation bomb). */
export function bomb(bytes: number): string {
  const packed = zlib.deflateRawSync(Buffer.alloc(bytes, 0x20), { level: 9 });
  return `#v1:${b64url(packed)}`;
}

/** The drawn graph: sorted state names and edges. */
export async function graph(page: Page) {
  const states = await page.locator('[data-state]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')).sort());
  const edges = await page.locator('[data-edge]').evaluateAll((els) => els.map((e) => e.getAttribute('data-edge')).sort());
  return { states, edges };
}

export async function openLibrary(page: Page) {
  const panel = page.getByRole('region', { name: 'Library' });
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Library', exact: true }).click();
  await expect(panel).toBeVisible();
  return panel;
}

export const TWO_STATES = JSON.stringify({
  Comment: 'Two states',
  StartAt: 'First',
  States: { First: { Type: 'Pass', Next: 'Second' }, Second: { Type: 'Succeed' } },
}, null, 2) + '\n';
