import * as fs from 'node:fs';
import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUserIn, logIn } from './credentials';

// A letter asking for access reaches Oslo. The caseworker registers it on the resident's
// behalf (a wrong check digit is caught first), starts handling it, extends the deadline with
// reasons, takes the case, notes a call and sends the answer. The data protection officer
// then sees the case among the closed ones — its steps and deadline, but not who asked.
test('a caseworker registers a letter and handles it on the statutory clock', async ({ page, consoleErrors }) => {
  test.setTimeout(240_000);
  const received = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
  await logIn(page, demoUserIn('request_caseworker', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Henvendelser om personopplysninger' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Henvendelser om personopplysninger' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Oversikt' })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: 'Registrer henvendelse' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Registrer en henvendelse' })).toBeVisible();
  await page.getByLabel('Hva ber innbyggeren om?').selectOption({ label: 'Innsyn (art. 15)' });
  await page.getByLabel('Hvordan kom henvendelsen?').selectOption({ label: 'Brev' });
  await page.getByLabel('Mottatt dato').fill(received);
  await page.getByLabel('Navn').fill('Testperson Fjellstad');
  // A synthetic number (month + 80) with its last digit changed.
  await page.getByLabel('Fødselsnummer eller D-nummer').fill('02813299953');
  await page.getByLabel('Postadresse').fill('Prøvegata 1\n0150 Oslo');
  await page.getByLabel('Hva henvendelsen gjelder').fill('Jeg ber om innsyn i alle opplysninger kommunen har om meg.');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Registrer', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Fødselsnummer: har feil kontrollsiffer');
  await page.getByLabel('Fødselsnummer eller D-nummer').fill('02813299952');
  await page.getByRole('button', { name: 'Registrer', exact: true }).click();

  // The case: deadline one month from receipt, the number masked until asked for.
  await expect(page.getByRole('heading', { level: 1, name: /^Sak \d{4}\/\d+$/ })).toBeVisible();
  const deadline = page.getByRole('region', { name: 'Frist' });
  await expect(deadline).toContainText('Svarfrist');
  await expect(deadline).toContainText(received);
  const contents = page.getByRole('region', { name: 'Henvendelsen' });
  await expect(contents).toContainText('Testperson Fjellstad');
  await expect(contents).toContainText('028132*****');
  await expect(contents).not.toContainText('02813299952');
  await contents.getByRole('button', { name: 'Vis hele nummeret' }).click();
  await expect(contents).toContainText('02813299952');
  await expectNoAxeViolations(page);

  const step = page.getByRole('region', { name: 'Behandling' });
  await step.getByLabel('Velg neste steg').selectOption({ label: 'Start behandling' });
  await step.getByRole('button', { name: 'Utfør' }).click();
  await expect(page.locator('.vern-lead')).toContainText('Under behandling');
  const history = page.getByRole('table', { name: 'Historikk' });
  await expect(history).toContainText('Behandling startet');

  await step.getByLabel('Velg neste steg').selectOption({ label: 'Forleng fristen' });
  await step.getByLabel('én måned').check();
  await step.getByLabel('Begrunnelse for forlengelsen').fill('kort');
  await step.getByRole('button', { name: 'Utfør' }).click();
  await expect(step.getByRole('alert')).toContainText('må forklares slik at innbyggeren forstår hvorfor');
  await step.getByLabel('Begrunnelse for forlengelsen').fill('Opplysningene ligger i mange fagsystemer som må gjennomgås.');
  await step.getByRole('button', { name: 'Utfør' }).click();
  await expect(deadline).toContainText('Forlenget med én måned');
  await expect(history).toContainText('Opplysningene ligger i mange fagsystemer');
  // The two refusals above (wrong check digit, reasons too short) are the browser's only
  // console errors: the 422 answers themselves.
  expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  expect(consoleErrors).toHaveLength(2);
  consoleErrors.length = 0;

  const assign = page.getByRole('region', { name: 'Saksbehandler' });
  const select = assign.getByLabel('Saksbehandler');
  const me = (await select.locator('option', { hasText: 'request caseworker' }).first().textContent())!.trim();
  await select.selectOption({ label: me });
  await assign.getByRole('button', { name: 'Tildel' }).click();
  await expect(history).toContainText('Tildelt');

  await page.getByLabel('Notat (vises ikke for innbyggeren)').fill('Ringte innbyggeren og avklarte hvilke tjenester det gjelder.');
  await page.getByRole('button', { name: 'Legg til notat' }).click();
  await expect(history).toContainText('Ringte innbyggeren');

  await step.getByLabel('Velg neste steg').selectOption({ label: 'Send svar' });
  await step.getByLabel('Tekst til innbyggeren').fill('Vedlagt er opplysningene kommunen har om deg.');
  await step.getByRole('button', { name: 'Utfør' }).click();
  await expect(page.locator('.vern-lead')).toContainText('Besvart');
  await expect(page.getByRole('region', { name: 'Behandling' })).toHaveCount(0);
  await expectNoAxeViolations(page);
  const caseUrl = page.url();

  // The closed case goes to the archive as a Noark 5 package.
  const archive = page.getByRole('region', { name: 'Arkiv' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    archive.getByRole('button', { name: 'Last ned Noark 5-pakken' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^noark5-sak-\d{4}-\d+\.zip$/);
  const zipped = fs.readFileSync((await download.path())!);
  expect(zipped.subarray(0, 2).toString()).toBe('PK');

  // The data protection officer: the case with its steps, not the resident's details.
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await logIn(page, demoUserIn('privacy_officer', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Henvendelser om personopplysninger' }).click();
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Avsluttede' });
  await page.getByRole('button', { name: 'Vis' }).click();
  await expect(page.getByRole('table', { name: 'Henvendelser om personopplysninger' })).toContainText('Besvart');
  await expect(page.getByRole('link', { name: 'Registrer henvendelse' })).toHaveCount(0);
  await expectNoAxeViolations(page);
  await page.goto(caseUrl);
  await expect(page.getByText('Innholdet vises bare for saksbehandlere.')).toBeVisible();
  await expect(page.getByText('Testperson Fjellstad')).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Historikk' })).toContainText('Fristen forlenget');
  await expect(page.getByRole('table', { name: 'Historikk' })).not.toContainText('Ringte innbyggeren');
  await expectNoAxeViolations(page);
  expect(consoleErrors).toEqual([]);
});
