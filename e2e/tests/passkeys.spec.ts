import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUserIn, freshCode, logIn } from './credentials';

test('a user enrols a passkey, then logs in with it alone and as the second factor', async ({ page, consoleErrors }) => {
  // Chromium's virtual authenticator stands in for the laptop's platform authenticator.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });

  const owner = demoUserIn('system_owner', /Oslo/);
  await logIn(page, owner);
  await expect(page.getByRole('heading', { name: 'Passnøkler', exact: true })).toBeVisible();
  await page.getByLabel('Navn på den nye passnøkkelen').fill('Testnøkkel');
  await page.getByRole('button', { name: 'Legg til passnøkkel' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Passnøkkelen er lagt til.' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Mine passnøkler' })).toContainText('Testnøkkel');
  await expectNoAxeViolations(page);
  // Passwordless: no e-mail, no password.
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Logg inn med passnøkkel' }).click();
  await page.waitForURL(/\/account$/);
  await expect(page.getByRole('row', { name: /Oslo kommune/ })).toContainText('Systemansvarlig');

  // As the second factor after the password.
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await page.getByLabel('E-post').fill(owner.email);
  await page.getByLabel('Passord').fill(owner.password);
  await page.getByRole('button', { name: 'Fortsett' }).click();
  await expect(page.getByRole('button', { name: 'Bekreft med passnøkkel' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Bekreft med passnøkkel' }).click();
  await page.waitForURL(/\/account$/);
  await expect(page.getByRole('table', { name: 'Mine passnøkler' })).toContainText('Testnøkkel');
  expect(consoleErrors).toEqual([]);
});

test('an administrator who logged in with a passkey requires passkeys of everyone', async ({ page, consoleErrors }) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  const admin = demoUserIn('org_admin', /Direktoratet/);
  await logIn(page, admin);
  await page.getByLabel('Navn på den nye passnøkkelen').fill('Kontor-PC');
  await page.getByRole('button', { name: 'Legg til passnøkkel' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Passnøkkelen er lagt til.' })).toBeVisible();
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await page.getByRole('button', { name: 'Logg inn med passnøkkel' }).click();
  await page.waitForURL(/\/account$/);

  await page.getByRole('row', { name: /Direktoratet/ }).getByRole('link', { name: 'Innstillinger' }).click();
  await expect(page.getByRole('heading', { name: 'Innlogging' })).toBeVisible();
  const requirement = page.getByLabel('Krev passnøkkel ved innlogging');
  await expect(requirement).not.toBeChecked();
  await requirement.check();
  await page.getByRole('button', { name: 'Lagre innloggingskrav' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Innstillingene er lagret.' })).toBeVisible();
  await expectNoAxeViolations(page);

  // The account page shows the requirement beside the organisation (after a reload, which
  // reads the memberships again).
  await page.goto('/account');
  await expect(page.getByRole('row', { name: /Direktoratet/ })).toContainText('Krever innlogging med passnøkkel');

  // Back to optional, so that the other journeys' TOTP logins keep working.
  await page.getByRole('row', { name: /Direktoratet/ }).getByRole('link', { name: 'Innstillinger' }).click();
  await expect(requirement).toBeChecked();
  await requirement.uncheck();
  await page.getByRole('button', { name: 'Lagre innloggingskrav' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Innstillingene er lagret.' })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('a user replaces their authenticator app', async ({ page, consoleErrors }) => {
  const signatory = demoUserIn('signatory', /Oslo/);
  await logIn(page, signatory);
  await expect(page.getByRole('heading', { name: 'Autentiseringsapp' })).toBeVisible();
  await page.getByRole('button', { name: 'Sett opp ny autentiseringsapp' }).click();
  const secret = (await page.getByTestId('new-totp-secret').textContent()) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]+$/);
  await expectNoAxeViolations(page);
  await page.getByLabel('Kode fra den nye appen').fill(await freshCode(secret));
  await page.getByRole('button', { name: 'Bekreft ny app' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Den nye autentiseringsappen er tatt i bruk.' })).toBeVisible();

  // The new app logs in; the old one no longer does.
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await page.getByLabel('E-post').fill(signatory.email);
  await page.getByLabel('Passord').fill(signatory.password);
  await page.getByRole('button', { name: 'Fortsett' }).click();
  await page.getByLabel('Engangskode (seks sifre)').fill(await freshCode(signatory.totp_secret));
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel('Engangskode (seks sifre)').fill(await freshCode(secret));
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.waitForURL(/\/account$/);
  // The browser logs the refused code's 401 itself; nothing else may appear.
  expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  consoleErrors.length = 0;
});
