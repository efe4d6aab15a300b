import * as fs from 'node:fs';
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

  // An access review: every role awaits confirmation; the administrator confirms one.
  await page.getByLabel('Bekreftes innen').fill(new Date(Date.now() + 14 * 86400000).toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Start gjennomgangen' }).click();
  await expect(page.getByRole('status').filter({ hasText: /roller venter på bekreftelse/ })).toBeVisible();
  await expect(auditorRow).toContainText('bekreftes innen');
  await auditorRow.getByRole('button', { name: /Bekreft rollen/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rollen er bekreftet.' })).toBeVisible();
  await expect(auditorRow).not.toContainText('bekreftes innen');
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: 'Min konto' }).first().click();
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Revisjonslogg' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Revisjonslogg' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'role.revoked' })).toBeVisible();
  // Narrow to one kind of event, and take it along as CSV.
  await page.getByLabel('Hendelseskode').fill('role.granted');
  await page.getByRole('button', { name: 'Vis', exact: true }).click();
  await expect(page.getByRole('cell', { name: 'role.revoked' })).toHaveCount(0);
  await expect(page.getByRole('cell', { name: 'role.granted' }).first()).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Last ned som CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
  const csv = fs.readFileSync((await file.path()) ?? '', 'utf8');
  expect(csv.split('\n')[0]).toBe('sequence,occurred_at,actor_kind,actor_id,action,target_type,target_id,outcome,request_id,prev_hash,hash');
  expect(csv).toContain(',role.granted,user,');
  expect(csv).not.toContain(',role.revoked,');
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
