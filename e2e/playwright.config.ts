import { defineConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The real server, on its own fresh SQLite database with demo data, serving the built SPA.
// It listens on 127.0.0.1; the browser uses http://localhost (passkeys need a host name).
const port = Number(process.env.E2E_PORT ?? 18181);
// The config is evaluated again in each worker: create the directory once and pass it on.
const dataDir = process.env.E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vern-e2e-'));
const root = path.resolve(__dirname, '..');
const binary = process.env.VERN_BIN ?? path.join(root, 'target', 'debug', 'vern');
// The demo subject system: Oslo's Skolesekk answers request tasks through it.
const subjectPort = port + 10;
const subjectBinary = path.join(root, 'target', 'debug', 'vern-demo-subject');
const connectorSecret = path.join(dataDir, 'demo-connector.secret');
// The TEST ONLY identity provider residents log in with (synthetic national ids only).
const idpPort = port + 20;
const idpBinary = path.join(root, 'target', 'debug', 'vern-test-idp');
// The server writes demo-credentials.json here; the journeys log in with it.
process.env.E2E_DATA_DIR = dataDir;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  use: {
    baseURL: `http://localhost:${port}`,
    browserName: 'chromium',
    locale: 'nb-NO',
    timezoneId: 'Europe/Oslo',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
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
  webServer: [
    {
      command: `${subjectBinary} --listen 127.0.0.1:${subjectPort} --secret-file ${connectorSecret} --callback-delay-ms 300`,
      port: subjectPort,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      command: `${idpBinary} --listen 127.0.0.1:${idpPort} --client-id vern-e2e`,
      url: `http://127.0.0.1:${idpPort}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      command: binary,
      url: `http://127.0.0.1:${port}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        VERN_HTTP_ADDR: `127.0.0.1:${port}`,
        VERN_DATA_DIR: dataDir,
        VERN_STATIC_DIR: path.join(root, 'frontend', 'dist'),
        VERN_DEMO: 'true',
        VERN_LOG: 'warn',
        VERN_DEMO_CONNECTOR_URL: `http://127.0.0.1:${subjectPort}/vern`,
        VERN_DEMO_CONNECTOR_SECRET_FILE: connectorSecret,
        VERN_PUBLIC_URL: `http://localhost:${port}`,
        VERN_RESIDENT_OIDC_ISSUER: `http://127.0.0.1:${idpPort}`,
        VERN_RESIDENT_OIDC_CLIENT_ID: 'vern-e2e',
        VERN_RESIDENT_TEST_LOGIN: 'true',
      },
    },
  ],
});
