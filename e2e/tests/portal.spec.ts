import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUserIn, logIn } from './credentials';
import type { Page } from '@playwright/test';

// A synthetic national id (month + 80) born on the 2nd: the demo school system knows her.
const RESIDENT = '02813299952';

async function residentLogIn(page: Page, button: string) {
  await page.getByRole('link', { name: button }).click();
  // The test identity provider's own page: clearly not ID-porten.
  await expect(page.getByRole('heading', { level: 1, name: 'Testinnlogging' })).toBeVisible();
  await expect(page.getByRole('note')).toContainText('Dette er ikke ID-porten');
  await expectNoAxeViolations(page);
  await page.getByLabel('Syntetisk fødselsnummer (11 siffer)').fill(RESIDENT);
  await page.getByRole('button', { name: 'Logg inn' }).click();
}

// A resident logs in through the test identity provider (OpenID Connect with PKCE) and asks
// Oslo for access. The caseworker sees it with its deadline and sends it to the systems:
// Skolesekk answers by itself through the demo subject system, Elevtorget's owner answers by
// hand. The caseworker releases the answer, and the resident reads it in the secure window.
test('a resident asks for access, the systems answer, the resident reads the answer', async ({ page, consoleErrors }) => {
  test.setTimeout(240_000);
  await page.goto('/innsyn');
  await expect(page.getByRole('heading', { level: 1, name: 'Innsyn og dine rettigheter' })).toBeVisible();
  await expectNoAxeViolations(page);
  await residentLogIn(page, 'Logg inn med ID-porten');
  await expect(page).toHaveURL(/\/innsyn$/);
  await expect(page.getByText('Innlogget som 028132*****.')).toBeVisible();
  await expect(page.getByText('Du har ingen henvendelser ennå.')).toBeVisible();

  // Sending without saying what: the form names the fields to fix.
  await page.getByRole('button', { name: 'Send henvendelsen' }).click();
  await expect(page.getByRole('alert')).toContainText('Kommune');
  await page.getByLabel('Kommune', { exact: true }).selectOption({ label: 'Oslo kommune' });
  await page.getByRole('button', { name: 'Send henvendelsen' }).click();
  await expect(page.getByRole('alert')).toContainText('Beskrivelse: må fylles ut');
  await page.getByLabel('Navn').fill('Portalforelder Nilsen');
  await page.getByLabel('E-post (valgfritt)').fill('portalforelder@example.org');
  await page.getByLabel('Hva ønsker du?').fill('Jeg vil vite hva skolen har registrert om meg og barnet mitt.');
  await page.getByLabel('Foreldre og foresatte').check();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Send henvendelsen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Henvendelse \d{4}\/\d+$/ })).toBeVisible();
  const reference = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Henvendelse ', '').trim();
  const requestUrl = page.url();
  await expect(page.getByText('Kommunen har mottatt henvendelsen.')).toBeVisible();
  await expect(page.getByText('Frist for svar')).toBeVisible();
  // A letter from the school, attached.
  const files = page.getByRole('region', { name: 'Vedlegg' });
  await files.getByLabel('Legg ved en fil').setInputFiles({
    name: 'brev fra skolen.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'),
  });
  await files.getByRole('button', { name: 'Legg ved', exact: true }).click();
  await expect(files.getByRole('listitem')).toContainText('brev fra skolen.pdf');
  await expectNoAxeViolations(page);
  await page.goto('/innsyn');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await expect(page.getByRole('link', { name: 'Logg inn med ID-porten' })).toBeVisible();
  // The two 422s of the empty form and the 401 after logging out.
  expect(consoleErrors.filter((e) => !e.includes('422') && !e.includes('401'))).toEqual([]);
  consoleErrors.length = 0;

  // The caseworker has it, with its deadline, and sends it to the systems.
  await logIn(page, demoUserIn('request_caseworker', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Henvendelser om personopplysninger' }).click();
  const row = page.getByRole('row', { name: new RegExp(reference) });
  await expect(row).toBeVisible();
  await row.getByRole('link', { name: reference }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Sak ${reference}` })).toBeVisible();
  await expect(page.getByText('Portalforelder Nilsen')).toBeVisible();
  const caseUrl = page.url();
  const attached = page.getByRole('region', { name: 'Vedlegg fra innbyggeren' });
  const downloading = page.waitForEvent('download');
  await attached.getByRole('button', { name: 'Last ned brev fra skolen.pdf' }).click();
  expect((await downloading).suggestedFilename()).toBe('brev fra skolen.pdf');
  await expectNoAxeViolations(page);
  const systems = page.getByRole('region', { name: 'Systemer' });
  await expect(systems.getByLabel(/^Skolesekk — svarer automatisk/)).toBeChecked();
  await systems.getByRole('button', { name: 'Send til de valgte systemene' }).click();
  const tasks = systems.getByRole('table', { name: 'Oppgaver' });
  await expect(async () => {
    await systems.getByRole('button', { name: 'Oppdater oppgavene' }).click();
    await expect(tasks.getByRole('row', { name: /Skolesekk/ })).toContainText('Besvart', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(tasks.getByRole('row', { name: /Elevtorget/ })).toContainText('Hos systemeieren');

  // Elevtorget's owner answers by hand.
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await logIn(page, demoUserIn('system_owner', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Oppgaver for mine systemer' }).click();
  await page.getByRole('table', { name: 'Oppgaver for mine systemer' }).getByRole('link', { name: reference }).click();
  const answer = page.getByRole('region', { name: 'Svar' });
  await answer.getByLabel('Ingenting om personen').check();
  await answer.getByRole('button', { name: 'Send svaret' }).click();
  await expect(page.getByRole('status')).toContainText('Besvart');

  // The caseworker releases the answer.
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await logIn(page, demoUserIn('request_caseworker', /Oslo/));
  await page.goto(caseUrl);
  const step = page.getByRole('region', { name: 'Behandling' });
  await step.getByLabel('Velg neste steg').selectOption({ label: 'Start behandling' });
  await step.getByRole('button', { name: 'Utfør' }).click();
  await expect(page.locator('.vern-lead')).toContainText('Under behandling');
  await step.getByLabel('Velg neste steg').selectOption('answer');
  await step.getByLabel('Tekst til innbyggeren').fill('Skolesekk har klasse og foresatte registrert. Elevtorget har ingenting om deg.');
  await step.getByRole('button', { name: 'Utfør' }).click();
  await expect(page.locator('.vern-lead')).toContainText('Besvart');
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  expect(consoleErrors).toEqual([]);

  // The resident is told, logs in again and reads the answer in the window.
  await page.goto(requestUrl);
  await residentLogIn(page, 'Logg inn med ID-porten');
  await page.goto(requestUrl);
  await expect(page.getByText('Svaret er klart.').first()).toBeVisible();
  await expect(page.getByText('Klart til å leses')).toBeVisible();
  const window = page.getByRole('region', { name: 'Svaret' });
  await window.getByRole('button', { name: 'Les svaret' }).click();
  await expect(window).toContainText('Skolesekk har klasse og foresatte registrert.');
  await expect(window.getByRole('link', { name: 'Last ned svaret' })).toBeVisible();
  await expectNoAxeViolations(page);
  // A second request, withdrawn again by the resident (after confirming).
  await page.goto('/innsyn');
  await page.getByLabel('Kommune', { exact: true }).selectOption({ label: 'Oslo kommune' });
  await page.getByLabel('Navn').fill('Portalforelder Nilsen');
  await page.getByLabel('Hva ønsker du?').fill('Slett bildene av barnet mitt fra skolens nettside.');
  await page.getByRole('button', { name: 'Send henvendelsen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Henvendelse \d{4}\/\d+$/ })).toBeVisible();
  await page.getByRole('button', { name: 'Trekk henvendelsen' }).click();
  await expect(page.getByRole('alert')).toContainText('Vil du trekke henvendelsen?');
  await page.getByRole('button', { name: 'Ja, trekk den' }).click();
  await expect(page.getByText('Henvendelsen er trukket.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Trekk henvendelsen' })).toHaveCount(0);
  await expectNoAxeViolations(page);
  // The 401s before logging in again.
  expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  consoleErrors.length = 0;
});
