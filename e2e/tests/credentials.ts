import * as fs from 'node:fs';
import * as path from 'node:path';
import * as OTPAuth from 'otpauth';

export interface DemoUser {
  email: string;
  password: string;
  totp_secret: string;
  roles: string[];
  organization_name: string;
}

/** The demo users the server wrote at start-up (VERN_DEMO). */
export function demoUser(role: string): DemoUser {
  const file = path.join(process.env.E2E_DATA_DIR ?? '', 'demo-credentials.json');
  const creds = JSON.parse(fs.readFileSync(file, 'utf8'));
  const user = creds.users.find((u: DemoUser) => u.roles.includes(role));
  if (!user) throw new Error(`no demo user with role ${role}`);
  return user;
}

/** The current code, as an authenticator app would show it. */
export function totp(secret: string): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate();
}

/** The demo user with this role in an organisation whose name matches. */
export function demoUserIn(role: string, organization: RegExp): DemoUser {
  const file = path.join(process.env.E2E_DATA_DIR ?? '', 'demo-credentials.json');
  const creds = JSON.parse(fs.readFileSync(file, 'utf8'));
  const user = creds.users.find((u: DemoUser) => u.roles.includes(role) && organization.test(u.organization_name));
  if (!user) throw new Error(`no demo user with role ${role} in ${organization}`);
  return user;
}

// The server accepts each TOTP step once per account (replay protection) and one step of
// drift. Journeys that log the same person in twice take the next step, or wait for it. The
// steps used are kept in a file beside the server's data, not in memory: Playwright starts
// a new worker after a failed test, and that worker must not reuse a step either.
function stepsFile(): string {
  return path.join(process.env.E2E_DATA_DIR ?? '', 'e2e-totp-steps.json');
}

function usedSteps(): Record<string, number> {
  try {
    return JSON.parse(fs.readFileSync(stepsFile(), 'utf8'));
  } catch {
    return {};
  }
}

/** A code this account has not used yet, as the next tick of an authenticator app. */
export async function freshCode(secret: string): Promise<string> {
  const generator = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  for (;;) {
    const now = Date.now();
    const step = Math.floor(now / 30000);
    const used = usedSteps();
    const use = Math.max(step, (used[secret] ?? -1) + 1);
    if (use <= step + 1) {
      used[secret] = use;
      fs.writeFileSync(stepsFile(), JSON.stringify(used));
      return generator.generate({ timestamp: use * 30000 + 1000 });
    }
    await new Promise((resolve) => setTimeout(resolve, (step + 1) * 30000 - now + 250));
  }
}

import type { Page } from '@playwright/test';

/** Logs in through the SPA's login page (password, then TOTP) and waits for the account page. */
export async function logIn(page: Page, user: DemoUser) {
  await page.goto('/login');
  await page.getByLabel('E-post').fill(user.email);
  await page.getByLabel('Passord').fill(user.password);
  await page.getByRole('button', { name: 'Fortsett' }).click();
  await page.getByLabel('Engangskode (seks sifre)').fill(await freshCode(user.totp_secret));
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.waitForURL(/\/account$/);
}
