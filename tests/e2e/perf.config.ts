// Playwright configuration for the canvas benchmark (not a pass/fail suite): `npx playwright test -c perf.config.ts`.
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  testDir: './perf',
  testMatch: '*.perf.ts',
  timeout: 900_000,
  workers: 1,
});
