import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUser, logIn } from './credentials';

test('an administrator grants and revokes a role and checks the audit log', async ({ page, consoleErrors }) => {
  const admin = demoUser('org_admin');
  await logIn(page, admin);
  const row = page.getByRole('row', { name: /Oslo kommune/ });
  await row.getByRole('link', { name: 'Medlemmer og roller' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Medlemmer og roller' })).toBeVisible();
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(8); // header + 7 demo users
  await expectNoAxeViolations(page);

  const auditor = demoUser('auditor');
  const option = page.locator('#grant-member option', { hasText: auditor.email });
  await page.getByLabel('Medlem', { exact: true }).selectOption((await option.getAttribute('value')) ?? '');
  await page.getByLabel('Rolle', { exact: true }).selectOption('signatory');
  await page.getByRole('button', { name: 'Gi rollen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rollen er gitt.' })).toBeVisible();
  const auditorRow = page.getByRole('row', { name: new RegExp(auditor.email) });
  await expect(auditorRow).toContainText('Signaturberettiget');

  await auditorRow.getByRole('button', { name: /Fjern rollen Signaturberettiget/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rollen er fjernet.' })).toBeVisible();
  await expect(auditorRow).not.toContainText('Signaturberettiget');

  await page.getByRole('link', { name: 'Min konto' }).first().click();
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Revisjonslogg' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Revisjonslogg' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'role.revoked' })).toBeVisible();
  await page.getByRole('button', { name: 'Kontroller loggen' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Loggen er uendret: \d+ hendelser kontrollert/ })).toBeVisible();
  await expectNoAxeViolations(page);
  expect(consoleErrors).toEqual([]);
});

test('an auditor reads the audit log but is refused member administration', async ({ page }) => {
  // Each demo user logs in once per journey file: a TOTP code is accepted only once.
  const auditor = demoUser('auditor');
  await logIn(page, auditor);
  const row = page.getByRole('row', { name: /Oslo kommune/ });
  await expect(row.getByRole('link', { name: 'Revisjonslogg' })).toBeVisible();
  await expect(row.getByRole('link', { name: 'Medlemmer og roller' })).toHaveCount(0);
  // Going there by address gets a clear refusal from the API.
  const orgHref = await row.getByRole('link', { name: 'Revisjonslogg' }).getAttribute('href');
  await page.goto((orgHref ?? '').replace('/audit', '/members'));
  await expect(page.getByRole('alert')).toContainText('Du har ikke tilgang til dette.');
  await expectNoAxeViolations(page);
});
