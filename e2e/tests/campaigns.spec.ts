import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUser, demoUserIn, logIn } from './credentials';

// The directorate sends one agreement to three municipalities with a deadline; Oslo's data
// protection officer opens theirs and sees the deadline; the directorate's dashboard shows
// who has opened it, and a reminder goes to everyone who has not signed.
test('an authority sends one agreement to three municipalities and follows them', async ({ page, consoleErrors }) => {
  test.setTimeout(240_000);
  const manager = demoUser('agreement_manager');
  const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await logIn(page, manager);
  await page.getByRole('row', { name: /Direktoratet/ }).getByRole('link', { name: 'Databehandleravtaler' }).click();
  await page.getByRole('link', { name: 'Kampanjer' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kampanjer' })).toBeVisible();
  await expect(page.getByText('Ingen kampanjer ennå.')).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'Ny kampanje' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ny kampanje' })).toBeVisible();

  await page.getByLabel('Tittel').fill('Databehandleravtale for introduksjonsprogrammet');
  await page.getByLabel('Frist for signering').fill(deadline);
  for (const name of ['Oslo', 'Bergen', 'Drammen']) {
    await page.getByLabel('Søk etter navn').fill(name);
    await page.getByRole('checkbox', { name: `${name} kommune`, exact: true }).check();
  }
  await expect(page.getByText('3 mottakere valgt.')).toBeVisible();
  await page.getByLabel('Behandlingens gjenstand').fill('Introduksjonsprogrammet for nyankomne innvandrere');
  await page.getByLabel(/Behandlingens art/).fill('Registrering og oppfølging av deltakere på vegne av direktoratet');
  await page.getByLabel('Formål').fill('Kvalifisering og oppfølging');
  await page.getByLabel('Typer personopplysninger').fill('Navn og kontaktinformasjon\nOpplysninger om deltakelse');
  await page.getByLabel('Særlige kategorier (art. 9)').fill('Helseopplysninger');
  await page.getByLabel('Kategorier av registrerte').fill('Deltakere i introduksjonsprogrammet');
  await page.getByLabel('Sikkerhetstiltak').fill('Tilgangsstyring etter tjenstlig behov\nLogging av oppslag');
  await page.getByLabel('Land der opplysningene behandles').fill('Norge');
  await page.getByLabel('Gjelder fra').fill('2027-01-01');
  await page.getByLabel('Revisjon og kontroll (fremgangsmåte)').fill('Årlig egenrapportering til direktoratet');
  await page.getByLabel('Kontaktpunkt hos behandlingsansvarlig').fill('personvern@example.org');
  await page.getByLabel(/Kontaktpunkt hos mottakerne/).fill('Kommunens personvernombud');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Send til alle mottakerne' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Databehandleravtale for introduksjonsprogrammet' })).toBeVisible();
  await expect(page.getByText(`Frist ${deadline}. 0 av 3 har signert.`)).toBeVisible();
  const recipients = page.getByRole('table', { name: 'Mottakere' });
  await expect(recipients.getByRole('row')).toHaveCount(4);
  await expect(recipients.getByRole('row', { name: /Oslo kommune/ })).toContainText('Ikke åpnet');
  await expectNoAxeViolations(page);
  const campaignUrl = page.url();

  // Oslo's data protection officer opens the agreement and sees the deadline.
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await logIn(page, demoUserIn('privacy_officer', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Databehandleravtaler' }).click();
  const deadlines = page.getByRole('table', { name: 'Frister' });
  const due = deadlines.getByRole('row', { name: /introduksjonsprogrammet/ });
  await expect(due).toContainText('Signere');
  await expect(due).toContainText(/om (29|30) dager/);
  await expect(due).toContainText('Direktoratet for digital samhandling (demo)');
  await expectNoAxeViolations(page);
  await due.getByRole('link').click();
  await expect(page.getByText(`Signeres innen ${deadline}.`)).toBeVisible();
  await expect(page.getByText('Sendt til signering', { exact: true })).toBeVisible();
  const text = page.getByRole('region', { name: 'Avtaleteksten' });
  await expect(text.getByText('Introduksjonsprogrammet for nyankomne innvandrere')).toBeVisible();
  await expectNoAxeViolations(page);

  // Back at the directorate: Oslo is in review; everyone who has not signed is reminded.
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await logIn(page, manager);
  await page.goto(campaignUrl);
  await expect(recipients.getByRole('row', { name: /Oslo kommune/ })).toContainText('Til vurdering');
  await expect(recipients.getByRole('row', { name: /Bergen kommune/ })).toContainText('Ikke åpnet');
  await page.getByRole('button', { name: 'Send påminnelse til dem som ikke har signert' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Påminnelse sendt til 3 mottakere.' })).toBeVisible();
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Til vurdering' });
  await page.getByRole('button', { name: 'Vis' }).click();
  await expect(recipients.getByRole('row')).toHaveCount(2);
  await expect(recipients.getByRole('row', { name: /Oslo kommune/ })).toBeVisible();
  await expectNoAxeViolations(page);

  // The list shows the campaign's progress.
  await page.getByRole('link', { name: 'Kampanjer' }).click();
  await expect(page.getByRole('row', { name: /introduksjonsprogrammet/ })).toContainText('0 / 3');
  await expectNoAxeViolations(page);
  expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  consoleErrors.length = 0;
});
