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

import type { Page } from '@playwright/test';

/** Logs in through the SPA's login page (password, then TOTP) and waits for the account page. */
export async function logIn(page: Page, user: DemoUser) {
  await page.goto('/login');
  await page.getByLabel('E-post').fill(user.email);
  await page.getByLabel('Passord').fill(user.password);
  await page.getByRole('button', { name: 'Fortsett' }).click();
  await page.getByLabel('Engangskode (seks sifre)').fill(totp(user.totp_secret));
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.waitForURL(/\/account$/);
}
