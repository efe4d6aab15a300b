import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Resident login against an OpenID Connect provider Vern's team did not write: the
// `oidc-provider` package (a certified implementation), signing ID tokens with RS256 as
// ID-porten does, with a confidential client (client_secret_basic) and PKCE required. A second
// Vern starts for it beside the journeys' server; the browser goes Vern → provider (its
// development login and consent pages) → Vern's callback.
const RESIDENT = '02813299952';
const base = Number(process.env.E2E_PORT ?? 18181);
const idpPort = base + 30;
const vernPort = base + 40;
const root = path.resolve(__dirname, '..', '..');

async function waitFor(url: string) {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

test('a resident logs in through an independent OpenID Connect provider (RS256, client secret, PKCE)', async ({ page }) => {
  test.setTimeout(120_000);
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(`http://127.0.0.1:${idpPort}`, {
    clients: [
      {
        client_id: 'vern-interop',
        client_secret: 'interop-secret-for-this-test-only',
        redirect_uris: [`http://localhost:${vernPort}/api/v1/resident/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // The national id in the ID token, named as ID-porten names it.
    claims: { openid: ['sub', 'pid'] },
    conformIdTokenClaims: false,
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: `interop-${id.slice(0, 6)}`, pid: id }),
    }),
    pkce: { required: () => true },
  });
  const idp = provider.listen(idpPort, '127.0.0.1');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vern-interop-'));
  const vern = spawn(path.join(root, 'target', 'debug', 'vern'), [], {
    env: {
      ...process.env,
      VERN_HTTP_ADDR: `127.0.0.1:${vernPort}`,
      VERN_DATA_DIR: dataDir,
      VERN_STATIC_DIR: path.join(root, 'frontend', 'dist'),
      VERN_LOG: 'warn',
      VERN_PUBLIC_URL: `http://localhost:${vernPort}`,
      VERN_RESIDENT_OIDC_ISSUER: `http://127.0.0.1:${idpPort}`,
      VERN_RESIDENT_OIDC_CLIENT_ID: 'vern-interop',
      VERN_RESIDENT_OIDC_CLIENT_SECRET: 'interop-secret-for-this-test-only',
      VERN_RESIDENT_TEST_LOGIN: 'true',
    },
    stdio: 'ignore',
  });
  try {
    await waitFor(`http://127.0.0.1:${vernPort}/api/health`);
    await page.goto(`http://localhost:${vernPort}/innsyn`);
    await page.getByRole('link', { name: 'Logg inn med ID-porten' }).click();
    await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:${idpPort}/interaction/`));
    await page.locator('input[name=login]').fill(RESIDENT);
    await page.locator('input[name=password]').fill('any');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(`http://localhost:${vernPort}/innsyn`);
    await expect(page.getByText('Innlogget som 028132*****.')).toBeVisible();
    // A fresh login (prompt=login, max_age=0) goes through the provider's login again.
    await page.goto(`http://localhost:${vernPort}/api/v1/resident/login?fresh=true&return_to=/innsyn`);
    await expect(page.locator('input[name=login]')).toBeVisible();
  } finally {
    vern.kill();
    idp.close();
  }
});
