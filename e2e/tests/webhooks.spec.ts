import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUserIn, logIn } from './credentials';

test('an administrator subscribes an endpoint to events, replaces its secret, reads its log and removes it', async ({ page, consoleErrors }) => {
  await logIn(page, demoUserIn('org_admin', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Webhooks' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
  await expect(page.getByText('Virksomheten har ingen webhooks.')).toBeVisible();
  await expectNoAxeViolations(page);

  // Plain http to another host is refused; nothing is stored.
  await page.getByLabel('Adresse').fill('http://sak.example.org/vern/hendelser');
  await page.getByLabel('Beskrivelse (valgfri)').fill('Sak/arkiv');
  await page.getByLabel('Avvik registrert').check();
  await page.getByLabel('Henvendelse mottatt').check();
  await page.getByRole('button', { name: 'Opprett webhooken' }).click();
  await expect(page.getByRole('alert')).toContainText('Noen av opplysningene er ikke gyldige.');
  await expect(page.getByText('Virksomheten har ingen webhooks.')).toBeVisible();

  await page.getByLabel('Adresse').fill('https://sak.example.org/vern/hendelser');
  await page.getByRole('button', { name: 'Opprett webhooken' }).click();
  await expect(page.getByTestId('webhook-secret')).not.toBeEmpty();
  const row = page.getByRole('row', { name: /sak\.example\.org/ });
  await expect(row).toContainText('Henvendelse mottatt, Avvik registrert');
  await expectNoAxeViolations(page);

  // A new secret: shown once, and the old one is said to sign for a day more.
  const first = await page.getByTestId('webhook-secret').textContent();
  await row.getByRole('button', { name: /Ny hemmelighet/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Ny signeringshemmelighet er laget.' })).toBeVisible();
  await expect(page.getByTestId('webhook-secret')).not.toHaveText(first ?? '');
  await expect(row).toContainText('Den forrige hemmeligheten signerer også til');
  await expectNoAxeViolations(page);

  await row.getByRole('button', { name: /Vis leveranser/ }).click();
  await expect(page.getByRole('heading', { name: 'Leveranser' })).toBeVisible();
  await expect(page.getByText('Ingen leveranser ennå.')).toBeVisible();

  await row.getByRole('button', { name: /Fjern/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Webhooken er fjernet.' })).toBeVisible();
  await expect(row).toContainText('Fjernet');
  await expectNoAxeViolations(page);
  expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  consoleErrors.length = 0;
});
