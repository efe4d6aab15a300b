import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUser, demoUserIn, logIn } from './credentials';

test('a vendor administrator sets the IP allowlist and cannot lock themselves out', async ({ page, consoleErrors }) => {
  const admin = demoUser('vendor_admin');
  await logIn(page, admin);
  await page.getByRole('row', { name: /Fjordlys Programvare AS/ }).getByRole('link', { name: 'Innstillinger' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Innstillinger' })).toBeVisible();
  const field = page.getByLabel('Tillatte nettverk (IP-adresser eller CIDR-områder)');
  await expect(field).toHaveValue('');
  // A vendor handles no residents' requests: no request policy here.
  await expect(page.getByRole('heading', { name: 'Behandling av henvendelser' })).toHaveCount(0);
  await expectNoAxeViolations(page);

  // A list without this browser's address is refused.
  await field.fill('10.0.0.0/8');
  await page.getByRole('button', { name: 'Lagre tillatte nettverk' }).click();
  await expect(page.getByRole('alert')).toContainText('Noen av opplysningene er ikke gyldige.');

  await field.fill('127.0.0.1\n::1\n10.1.2.3/8');
  await page.getByRole('button', { name: 'Lagre tillatte nettverk' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Innstillingene er lagret.' })).toBeVisible();
  await expect(field).toHaveValue('10.0.0.0/8\n127.0.0.1/32\n::1/128');

  await field.fill('');
  await page.getByRole('button', { name: 'Lagre tillatte nettverk' }).click();
  await expect(field).toHaveValue('');
  await expectNoAxeViolations(page);
  expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  consoleErrors.length = 0;
});

test('a municipality administrator decides whether identity clarification stops the clock', async ({ page, consoleErrors }) => {
  await logIn(page, demoUserIn('org_admin', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Innstillinger' }).click();
  await expect(page.getByRole('heading', { name: 'Behandling av henvendelser' })).toBeVisible();
  const pause = page.getByLabel('La fristen stå stille mens innbyggerens identitet avklares');
  const window = page.getByLabel('Dager svaret er tilgjengelig for innbyggeren');
  await expect(pause).toBeChecked();
  await expect(window).toHaveValue('30');
  await expectNoAxeViolations(page);

  await window.fill('3');
  await page.getByRole('button', { name: 'Lagre regler for henvendelser' }).click();
  await expect(page.getByRole('alert')).toContainText('Noen av opplysningene er ikke gyldige.');
  await pause.uncheck();
  await window.fill('45');
  await page.getByRole('button', { name: 'Lagre regler for henvendelser' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Innstillingene er lagret.' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('La fristen stå stille mens innbyggerens identitet avklares')).not.toBeChecked();
  await expect(page.getByLabel('Dager svaret er tilgjengelig for innbyggeren')).toHaveValue('45');

  // The organisation number that Maskinporten tokens name the municipality by.
  const orgnr = page.getByLabel('Organisasjonsnummer i Enhetsregisteret');
  await expect(orgnr).toHaveValue('');
  await orgnr.fill('100020107');
  await page.getByRole('button', { name: 'Lagre organisasjonsnummeret' }).click();
  await expect(page.getByRole('alert')).toContainText('Noen av opplysningene er ikke gyldige.');
  await orgnr.fill('100 020 106');
  await page.getByRole('button', { name: 'Lagre organisasjonsnummeret' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Innstillingene er lagret.' })).toBeVisible();
  await expect(orgnr).toHaveValue('100020106');

  // Back as it was, for the journeys that follow.
  await page.getByLabel('La fristen stå stille mens innbyggerens identitet avklares').check();
  await page.getByLabel('Dager svaret er tilgjengelig for innbyggeren').fill('30');
  await page.getByRole('button', { name: 'Lagre regler for henvendelser' }).click();
  // The organisation number's own notice is still shown above; the request policy's is last.
  await expect(page.getByRole('status').filter({ hasText: 'Innstillingene er lagret.' }).last()).toBeVisible();
  await expectNoAxeViolations(page);
  expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  consoleErrors.length = 0;
});
