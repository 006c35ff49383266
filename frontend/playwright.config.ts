import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 18080);
// The media journey also runs against a second server that keeps files on local disk, so both
// storage backends are driven through the browser when make test gives the main server S3
// (E2E_STORAGE_URL); without it both servers use disk.
const diskPort = port + 1;

// Playwright drives Debian's Chromium; it never downloads a browser of its own.
export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'default' },
    { name: 'media-on-disk', testMatch: /media\.spec\.ts$/, use: { baseURL: `http://127.0.0.1:${diskPort}` } },
  ],
  webServer: [
    {
      command: '../scripts/e2e-server.sh',
      url: `http://127.0.0.1:${port}/readyz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { E2E_PORT: String(port) },
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: '../scripts/e2e-server.sh',
      url: `http://127.0.0.1:${diskPort}/readyz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { E2E_PORT: String(diskPort), E2E_STORAGE_URL: '' },
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
