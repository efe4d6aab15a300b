import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUserIn, freshCode, logIn } from './credentials';

test('an administrator invites a colleague, who enrols an authenticator and logs in', async ({ page, consoleErrors }) => {
  const admin = demoUserIn('org_admin', /Direktoratet/);
  await logIn(page, admin);
  await page.getByRole('row', { name: /Direktoratet/ }).getByRole('link', { name: 'Medlemmer og roller' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Medlemmer og roller' })).toBeVisible();

  await page.getByLabel('E-post').fill('ny.kollega@example.org');
  await page.getByLabel('Navn').fill('Ny Kollega');
  await page.locator('#invite-role').selectOption('signatory');
  await page.getByRole('button', { name: 'Lag invitasjon' }).click();
  const link = await page.getByTestId('invitation-link').textContent();
  expect(link).toContain('/invitation#token=');
  await expect(page.getByRole('table', { name: 'Invitasjoner' })).toContainText('ny.kollega@example.org');
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'Min konto' }).first().click();
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await expect(page).toHaveURL(/\/login$/);

  // The invitee opens the link.
  const token = (link ?? '').split('#token=')[1];
  await page.goto(`/invitation#token=${token}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Bli med i Vern' })).toBeVisible();
  await expect(page.getByText('Du er invitert til Direktoratet for digital samhandling (demo).')).toBeVisible();
  await page.getByRole('button', { name: 'Vis koden som skal skannes' }).click();
  await expect(page.getByRole('img', { name: 'QR-kode for å sette opp Vern i en autentiseringsapp' })).toBeVisible();
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
  await expectNoAxeViolations(page);
  await page.getByLabel('Nytt passord').fill('fire blå hester i en rød låve');
  await page.getByLabel('Gjenta passordet').fill('fire blå hester i en rød låve');
  await page.getByLabel('Engangskode (seks sifre)').fill(await freshCode(secret));
  await page.getByRole('button', { name: 'Godta invitasjonen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Invitasjonen er godtatt' })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole('main').getByRole('link', { name: 'Logg inn' }).click();
  await page.getByLabel('E-post').fill('ny.kollega@example.org');
  await page.getByLabel('Passord').fill('fire blå hester i en rød låve');
  await page.getByRole('button', { name: 'Fortsett' }).click();
  await page.getByLabel('Engangskode (seks sifre)').fill(await freshCode(secret));
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.waitForURL(/\/account$/);
  await expect(page.getByRole('row', { name: /Direktoratet/ })).toContainText('Signaturberettiget');
  await expect(page.getByRole('cell', { name: 'Denne økten' })).toBeVisible();
  await expectNoAxeViolations(page);
  expect(consoleErrors).toEqual([]);
});

test('a member requests a role, the administrator approves it and creates an API client', async ({ page, consoleErrors }) => {
  const editor = demoUserIn('product_editor', /Fjordlys/);
  await logIn(page, editor);
  await page.getByLabel('Organisasjon', { exact: true }).selectOption({ label: 'Fjordlys Programvare AS' });
  await page.locator('#request-role').selectOption('signatory');
  await page.getByLabel('Begrunnelse').fill('Jeg skal signere databehandleravtaler mens daglig leder har ferie.');
  await page.getByRole('button', { name: 'Send forespørselen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Forespørselen er sendt til administratorene.' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Mine rolleforespørsler' })).toContainText('Venter på avgjørelse');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await page.waitForURL(/\/login$/);

  const admin = demoUserIn('vendor_admin', /Fjordlys/);
  await logIn(page, admin);
  await page.getByRole('row', { name: /Fjordlys/ }).getByRole('link', { name: 'Rolleforespørsler' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rolleforespørsler' })).toBeVisible();
  const card = page.getByRole('article', { name: new RegExp(editor.email) });
  await expect(card).toContainText('mens daglig leder har ferie');
  await expectNoAxeViolations(page);
  await card.getByRole('button', { name: 'Godkjenn' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Forespørselen er godkjent og rollen tildelt.' })).toBeVisible();
  await expect(card).toContainText('Godkjent');

  await page.getByRole('link', { name: 'Min konto' }).first().click();
  await page.getByRole('row', { name: /Fjordlys/ }).getByRole('link', { name: 'API-klienter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API-klienter' })).toBeVisible();
  await page.getByLabel('Navn').fill('Katalogsynk');
  await page.getByLabel('Redigere produkter').check();
  await page.getByRole('button', { name: 'Opprett klienten' }).click();
  await expect(page.getByTestId('client-secret')).not.toBeEmpty();
  const row = page.getByRole('row', { name: /Katalogsynk/ });
  await expect(row).toContainText('edit_products');
  await expectNoAxeViolations(page);
  await row.getByRole('button', { name: /Trekk tilbake/ }).click();
  await expect(row).toContainText('Trukket tilbake');

  // An integration that gets its tokens from Maskinporten: registered by its client id, no secret.
  await page.getByLabel('Navn').fill('Katalogsynk via Maskinporten');
  await page.getByLabel('Med tilgangstoken fra Maskinporten').check();
  await page.getByLabel('Klient-ID i Maskinporten').fill('7c0e4f2a-fjordlys-katalog');
  await page.getByLabel('Redigere produkter').check();
  await page.getByRole('button', { name: 'Opprett klienten' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Vern viser ingen hemmelighet' })).toBeVisible();
  await expect(page.getByTestId('client-secret')).toHaveCount(0);
  const external = page.getByRole('row', { name: /Katalogsynk via Maskinporten/ });
  await expect(external).toContainText('Maskinporten 7c0e4f2a-fjordlys-katalog');
  await expectNoAxeViolations(page);
  expect(consoleErrors).toEqual([]);
});

test('the platform operator creates an authority and gets the first administrator\'s link', async ({ page, consoleErrors }) => {
  const operator = demoUserIn('platform_operator', /Vern drift/);
  await logIn(page, operator);
  await page.getByRole('link', { name: 'Opprett en virksomhet' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Opprett en virksomhet' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('Type').selectOption('authority');
  await page.getByLabel('Virksomhetens navn').fill('Tilsynet for bjørkeskog (demo)');
  await page.getByLabel('Organisasjonsnummer').fill('100000083');
  await page.getByLabel('E-post').fill('leder@example.org');
  await page.getByLabel('Navn', { exact: true }).fill('Leder Bjørkelid');
  await page.getByRole('button', { name: 'Opprett virksomheten' }).click();
  await expect(page.getByRole('status')).toContainText('Tilsynet for bjørkeskog (demo)');
  await expect(page.getByTestId('invitation-link')).toContainText('/invitation#token=');
  await expectNoAxeViolations(page);
  expect(consoleErrors).toEqual([]);
});
