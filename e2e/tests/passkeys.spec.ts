import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUserIn, logIn } from './credentials';

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
