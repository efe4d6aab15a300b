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
