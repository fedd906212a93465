import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

// Playwright's own browser download does not work on machines without internet; Debian's Chromium does.
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export default defineConfig({
  testDir: '.',
  outputDir: '../test-results/e2e',
  timeout: 90_000,
  // Waits are on the app's own state (a badge, a status, a message), never a time budget: a busy 2-core
  // machine may take many seconds to start the trainer, so an expectation waits up to a minute for its state.
  expect: { timeout: 60_000 },
  workers: 1,
  reporter: [['list']],
  globalSetup: './global-setup.ts',
  use: {
    viewport: { width: 1600, height: 950 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? systemChromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    trace: 'retain-on-failure',
  },
});
