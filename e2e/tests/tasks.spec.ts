import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUserIn, logIn } from './credentials';

// A parent asks Oslo for access. The caseworker registers the letter with who the parent is
// to the municipality; the register points to the school systems. The request goes to them:
// Skolesekk answers by itself through the demo subject system (a signed task, a signed
// callback), Elevtorget has no connector and becomes a task for its owner. The lookup asks
// every connector who holds data. The system owner answers Elevtorget's task by hand, and
// the caseworker sees both answers.
test('a request goes to the systems: one answers by itself, its owner answers the other', async ({ page, consoleErrors }) => {
  test.setTimeout(240_000);
  await logIn(page, demoUserIn('request_caseworker', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Henvendelser om personopplysninger' }).click();
  await page.getByRole('link', { name: 'Registrer henvendelse' }).click();
  await page.getByLabel('Hva ber innbyggeren om?').selectOption({ label: 'Innsyn (art. 15)' });
  await page.getByLabel('Navn').fill('Testforelder Moen');
  // A synthetic number (month + 80), born on the 2nd: the demo school system knows the person.
  await page.getByLabel('Fødselsnummer eller D-nummer').fill('02813299952');
  await page.getByLabel('Postadresse').fill('Prøvegata 3\n0150 Oslo');
  await page.getByLabel('Hva henvendelsen gjelder').fill('Jeg ber om innsyn i hva skolen har registrert om meg og barnet mitt.');
  await page.getByLabel('Foreldre og foresatte').check();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Registrer', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Sak \d{4}\/\d+$/ })).toBeVisible();
  const reference = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Sak ', '').trim();
  const caseUrl = page.url();

  const systems = page.getByRole('region', { name: 'Systemer' });
  await expect(systems).toContainText('Valgt ut fra hvem innbyggeren er for kommunen: Foreldre og foresatte.');
  await expect(systems.getByLabel(/^Skolesekk — svarer automatisk/)).toBeChecked();
  await expect(systems.getByLabel(/^Elevtorget — besvares av systemeieren/)).toBeChecked();
  await expectNoAxeViolations(page);
  await systems.getByRole('button', { name: 'Send til de valgte systemene' }).click();

  const tasks = systems.getByRole('table', { name: 'Oppgaver' });
  await expect(tasks.getByRole('row', { name: /Elevtorget/ })).toContainText('Hos systemeieren');
  await expect(tasks.getByRole('row', { name: /Elevtorget/ })).toContainText('Systemet har ingen kobling');
  // The demo subject system accepts the task and calls back a moment later.
  await expect(async () => {
    await systems.getByRole('button', { name: 'Oppdater oppgavene' }).click();
    await expect(tasks.getByRole('row', { name: /Skolesekk/ })).toContainText('Besvart', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const skolesekk = tasks.getByRole('row', { name: /Skolesekk/ });
  await expect(skolesekk).toContainText('Har opplysninger om personen');
  await skolesekk.getByText('Vis hva systemet fant').click();
  await expect(skolesekk).toContainText('Demoskolen');
  await expectNoAxeViolations(page);

  // Who holds data: every connector asked at once.
  await systems.getByRole('button', { name: 'Spør systemene' }).click();
  const lookup = systems.getByRole('table', { name: 'Hvem har opplysninger om personen?' });
  await expect(lookup.getByRole('row', { name: /Skolesekk/ })).toContainText('Ja');
  await expect(lookup.getByRole('row', { name: /Elevtorget/ })).toContainText('Ukjent');
  await expect(page.getByRole('table', { name: 'Historikk' })).toContainText('Søk etter hvem som har opplysninger');
  await expectNoAxeViolations(page);

  // The overview counts Elevtorget's task as open, with its owner.
  await page.getByRole('link', { name: 'Henvendelser om personopplysninger' }).first().click();
  await expect(page.getByRole('table', { name: 'Åpne oppgaver per system' }).getByRole('row', { name: /Elevtorget/ })).toBeVisible();
  await expectNoAxeViolations(page);

  // The owner of Elevtorget answers by hand.
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await logIn(page, demoUserIn('system_owner', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Oppgaver for mine systemer' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Oppgaver for mine systemer' })).toBeVisible();
  const mine = page.getByRole('table', { name: 'Oppgaver for mine systemer' });
  await expect(mine.getByRole('row', { name: new RegExp(reference) })).toContainText('Elevtorget');
  await expectNoAxeViolations(page);
  await mine.getByRole('link', { name: reference }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Oppgave i sak ${reference}` })).toBeVisible();
  const person = page.getByRole('region', { name: 'Personen du skal slå opp' });
  await expect(person).toContainText('Testforelder Moen');
  await expect(person).toContainText('028132*****');
  await expect(page.getByText('Jeg ber om innsyn i hva skolen')).toHaveCount(0);
  const answer = page.getByRole('region', { name: 'Svar' });
  await answer.getByLabel('Opplysninger om personen').check();
  await expectNoAxeViolations(page);
  await answer.getByRole('button', { name: 'Send svaret' }).click();
  await expect(answer.getByRole('alert')).toContainText('Tekst: må fylles ut');
  await answer.getByLabel('Hva systemet har').fill('Elevtorget: to meldinger til foresatte høsten 2026, samtykke til bilder.');
  await answer.getByRole('button', { name: 'Send svaret' }).click();
  await expect(page.getByRole('status')).toContainText('Besvart. Saksbehandleren har fått svaret ditt.');
  await expect(page.getByRole('region', { name: 'Personen du skal slå opp' })).toHaveCount(0);
  await expectNoAxeViolations(page);
  // The one refusal (data without text) is the browser's only console error.
  expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  consoleErrors.length = 0;

  // Back with the caseworker: both systems have answered.
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await logIn(page, demoUserIn('request_caseworker', /Oslo/));
  await page.goto(caseUrl);
  const done = page.getByRole('region', { name: 'Systemer' }).getByRole('table', { name: 'Oppgaver' });
  const elevtorget = done.getByRole('row', { name: /Elevtorget/ });
  await expect(elevtorget).toContainText('Besvart');
  await elevtorget.getByText('Vis hva systemet fant').click();
  await expect(elevtorget).toContainText('to meldinger til foresatte');
  await expect(page.getByRole('table', { name: 'Historikk' })).toContainText('Systemeier svarte');
  await expectNoAxeViolations(page);

  // The answer draft: what the systems found, with the register's facts, into the answer.
  const step = page.getByRole('region', { name: 'Behandling' });
  await step.getByLabel('Velg neste steg').selectOption({ label: 'Start behandling' });
  await step.getByRole('button', { name: 'Utfør' }).click();
  await expect(page.locator('.vern-lead')).toContainText('Under behandling');
  const draft = page.getByRole('region', { name: 'Svarutkast' });
  await draft.getByRole('button', { name: 'Lag utkast' }).click();
  const text = draft.getByRole('region', { name: 'Utkastets tekst' });
  await expect(text).toContainText('Demoskolen');
  await expect(text).toContainText('Elevadministrasjon i grunnskolen');
  await expect(text).toContainText('Datatilsynet');
  await expectNoAxeViolations(page);
  await draft.getByRole('button', { name: 'Bruk som svartekst' }).click();
  await expect(step.getByLabel('Velg neste steg')).toHaveValue('answer');
  await expect(step.getByLabel('Tekst til innbyggeren')).toHaveValue(/Elevadministrasjon i grunnskolen/);
  await step.getByRole('button', { name: 'Utfør' }).click();
  await expect(page.locator('.vern-lead')).toContainText('Besvart');
  expect(consoleErrors).toEqual([]);
});
