import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUserIn, logIn } from './credentials';

// Synthetic numbers (month + 80): a child born 1 September 2020 and a parent born 1986.
const CHILD = '01892060068';
const PARENT = '14828623096';

// Oslo's caseworker records a parent's consent to photos from the kindergarten for a
// six-year-old (the child's own consent is refused at that age), records the withdrawal,
// finds the parent by number, and the activity in the register shows the counts.
test('a caseworker records a guardian consent, withdraws it and looks the guardian up', async ({ page, consoleErrors }) => {
  test.setTimeout(120_000);
  await logIn(page, demoUserIn('request_caseworker', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Samtykker', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Samtykker', level: 1 })).toBeVisible();
  // The demo's consents: one due for renewal because the child has turned 15.
  await expect(page.getByRole('row', { name: /Demo Barn Lie/ })).toContainText('Må fornyes');
  await expect(page.getByRole('row', { name: /Demo Barn Dahl/ })).toContainText('Trukket tilbake');
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: 'Registrer samtykke' }).click();
  await expect(page.getByRole('heading', { name: 'Registrer samtykke', level: 1 })).toBeVisible();
  await expect(page.getByText('Barn fra 15 år samtykker selv')).toBeVisible();
  const subject = page.getByRole('group', { name: 'Den registrerte', exact: true });
  await subject.getByLabel('Fødselsnummer').fill(CHILD);
  await subject.getByLabel('Navn').fill('Testbarn Fjellstad');
  await page.getByLabel('Den registrerte selv').check();
  await page.getByLabel('Samtykketekst').fill('Samtykkeskjema for bilder i barnehagen, versjon 2026-1');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Registrer samtykket' }).click();
  await expect(page.getByRole('alert')).toContainText('barnet er for ungt til å samtykke selv');
  expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  consoleErrors.length = 0;

  // A parent consents for the child.
  await page.getByLabel('Foresatt', { exact: true }).check();
  const guardian = page.getByRole('group', { name: 'Foresatt', exact: true });
  await guardian.getByLabel('Fødselsnummer').fill(PARENT);
  await guardian.getByLabel('Navn').fill('Testforelder Fjellstad');
  await page.getByRole('button', { name: 'Registrer samtykket' }).click();
  await expect(page.getByRole('heading', { name: 'Samtykke', level: 1 })).toBeVisible();
  await expect(page.getByText('Gyldig', { exact: true })).toBeVisible();
  await expect(page.getByText('Testbarn Fjellstad (018920*****)')).toBeVisible();
  await expect(page.getByText('Testforelder Fjellstad (148286*****)')).toBeVisible();
  await expect(page.getByText('01.09.2035')).toBeVisible();
  await expectNoAxeViolations(page);

  // The parent withdraws it by e-mail: it no longer counts, the record stays.
  const withdraw = page.getByRole('region', { name: 'Registrer tilbaketrekking' });
  await withdraw.getByLabel('Trukket tilbake av').selectOption('guardian');
  await withdraw.getByLabel('Kanal').selectOption('email');
  await withdraw.getByRole('button', { name: 'Registrer tilbaketrekkingen' }).click();
  await expect(page.getByText('Trukket tilbake', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Trukket tilbake', level: 2 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Registrer tilbaketrekkingen' })).toHaveCount(0);
  await expectNoAxeViolations(page);

  // Found by the parent's number; the number is not in the address bar.
  await page.getByRole('link', { name: 'Samtykker', exact: true }).first().click();
  const lookup = page.getByRole('region', { name: 'Finn en person' });
  await lookup.getByLabel('Fødselsnummer').fill(PARENT);
  await lookup.getByRole('button', { name: 'Finn samtykker' }).click();
  await expect(lookup.getByRole('status')).toContainText('Ett samtykke for dette nummeret.');
  await expect(lookup.getByRole('row', { name: /Testbarn Fjellstad/ })).toContainText('Trukket tilbake');
  expect(page.url()).not.toContain(PARENT);
  await expectNoAxeViolations(page);

  // The register's page for the activity shows the counts.
  await page.goto('/account');
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Behandlingsprotokoll', exact: true }).click();
  await page.getByRole('link', { name: 'Bilder fra barnehagen til foreldrene' }).click();
  const counts = page.getByRole('region', { name: 'Samtykker' });
  await expect(counts).toContainText(/Gyldige: \d+\. Må fornyes: \d+\. Trukket tilbake: [2-9]/);
  await expect(counts.getByRole('link', { name: 'Se samtykkene' })).toBeVisible();
  await expectNoAxeViolations(page);
  expect(consoleErrors).toEqual([]);
});

// A demo guardian (synthetic number) logs in to the resident portal, sees the consent they
// gave Oslo for their child's photos, and withdraws it in two steps.
test('a guardian withdraws a consent in the resident portal', async ({ page, consoleErrors }) => {
  test.setTimeout(120_000);
  await page.goto('/innsyn');
  await page.getByRole('link', { name: 'Logg inn med ID-porten' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Testinnlogging' })).toBeVisible();
  await page.getByLabel('Syntetisk fødselsnummer (11 siffer)').fill('07878812187');
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await expect(page).toHaveURL(/\/innsyn$/);
  // The portal asked who is logged in before the login: that 401 is expected.
  expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  consoleErrors.length = 0;
  const mine = page.getByRole('region', { name: 'Mine samtykker' });
  const row = mine.getByRole('row', { name: /Bilder fra barnehagen til foreldrene/ });
  await expect(row).toContainText('Demo Barn Nilsen');
  await expect(row).toContainText('Gyldig');
  await expectNoAxeViolations(page);

  await row.getByRole('button', { name: 'Trekk tilbake samtykket til Bilder fra barnehagen til foreldrene' }).click();
  await expect(mine.getByRole('alert')).toContainText('Vil du trekke tilbake samtykket til «Bilder fra barnehagen til foreldrene» hos Oslo kommune?');
  await expectNoAxeViolations(page);
  await mine.getByRole('button', { name: 'Ja, trekk tilbake' }).click();
  // The list reloads (its own "Laster …" status) while the notice shows.
  await expect(mine.getByRole('status').filter({ hasText: 'er trukket tilbake' })).toBeVisible();
  await expect(row).toContainText('Trukket tilbake');
  await expect(row.getByRole('button')).toHaveCount(0);
  await expectNoAxeViolations(page);
  expect(consoleErrors).toEqual([]);
});
