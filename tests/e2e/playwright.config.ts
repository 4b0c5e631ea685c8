// Playwright configuration: Debian's Chromium, headless, against the app that `cargo xtask test` serves.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './specs',
  timeout: 30_000,
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    baseURL: process.env.STATEWRIGHT_URL ?? 'http://127.0.0.1:8080',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
});
