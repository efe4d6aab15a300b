import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUser, demoUserIn, logIn } from './credentials';

// Bergen starts its record of processing from a template Oslo shares: the copy links
// Bergen's own systems on the same products and registers the one it lacks.
test('a municipality copies a template another municipality shares', async ({ page, consoleErrors }) => {
  test.setTimeout(90_000);
  await logIn(page, demoUserIn('register_editor', /Bergen/));
  await page.getByRole('row', { name: /Bergen/ }).getByRole('link', { name: 'Behandlingsprotokoll' }).click();
  await page.getByRole('link', { name: 'Start fra en mal' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Maler fra andre kommuner' })).toBeVisible();
  await page.getByLabel('Søk i malene').fill('Elevadministrasjon');
  await page.getByRole('button', { name: 'Søk' }).click();
  const card = page.getByRole('article', { name: 'Elevadministrasjon i grunnskolen' });
  await expect(card).toContainText('Delt av Oslo kommune');
  await expect(card).toContainText('Skolesekk');
  await expectNoAxeViolations(page);

  // Adding the missing products needs the unit that will own them — checked before sending.
  await card.getByLabel('Registrer produktene vi ikke har, som planlagte systemer').check();
  await card.getByRole('button', { name: 'Kopier til vår protokoll' }).click();
  await expect(card.getByRole('alert')).toContainText('Eierenhet: må fylles ut');
  await card.getByLabel('Eierenhet for de nye systemene').fill('Etat for skole');
  await card.getByRole('button', { name: 'Kopier til vår protokoll' }).click();
  const done = card.getByRole('status');
  await expect(done).toContainText('Kopiert som utkast');
  await expect(done).toContainText('ett planlagt system er registrert');
  await expectNoAxeViolations(page);

  // The draft is Bergen's own, linked to its systems.
  await done.getByRole('link', { name: 'Åpne utkastet' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rediger behandlingsaktiviteten' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Navn', exact: true })).toHaveValue('Elevadministrasjon i grunnskolen');
  await expect(page.getByLabel('Status')).toHaveValue('draft');
  await expect(page.getByRole('checkbox', { name: /Elevtorget/ })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /Skolesekk/ })).toBeChecked();
  // A draft is not shared onwards.
  await expect(page.getByText('Bare aktive behandlingsaktiviteter kan deles som mal.')).toBeVisible();
  await expectNoAxeViolations(page);
});

// Oslo shares an activity as a template with a word to those who copy it, and withdraws it.
test('a municipality shares an activity as a template and withdraws it', async ({ page, consoleErrors }) => {
  test.setTimeout(90_000);
  await logIn(page, demoUser('register_editor'));
  await page.getByRole('row', { name: /Oslo/ }).getByRole('link', { name: 'Behandlingsprotokoll' }).click();
  await page.getByRole('link', { name: 'Kulturskole', exact: true }).click();
  const share = page.getByRole('region', { name: 'Del som mal' });
  await share.getByLabel('Hilsen til dem som kopierer').fill('Passer for kommuner med egen kulturskole.');
  await share.getByRole('button', { name: 'Del som mal' }).click();
  await expect(share.getByRole('status')).toHaveText('Malen er delt.');
  await expect(share).toContainText('kopiert 0 ganger');
  await expectNoAxeViolations(page);

  // It is in the library now.
  await page.getByRole('link', { name: 'Behandlingsprotokoll' }).click();
  await page.getByRole('link', { name: 'Start fra en mal' }).click();
  await expect(page.getByRole('article', { name: 'Kulturskole' })).toContainText('Passer for kommuner med egen kulturskole.');
  await page.goBack();
  await page.goBack();

  await share.getByRole('button', { name: 'Trekk tilbake malen' }).click();
  await expect(share.getByRole('status')).toHaveText('Malen er trukket tilbake.');
  await expect(share.getByRole('button', { name: 'Del som mal' })).toBeVisible();
});

// Oslo compares its application overview with Bergen's: what only one has, and the same
// product at different versions.
test('a municipality compares its overview with another', async ({ page, consoleErrors }) => {
  test.setTimeout(90_000);
  await logIn(page, demoUser('register_editor'));
  await page.getByRole('row', { name: /Oslo/ }).getByRole('link', { name: 'Registeroversikt' }).click();
  await page.getByRole('link', { name: 'Sammenlign med en annen kommune' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sammenlign med en annen kommune' })).toBeVisible();
  await expect(page.getByRole('switch', { name: 'Andre kommuner kan sammenligne med systemoversikten vår' })).toBeChecked();
  await page.getByLabel('Kommune', { exact: true }).selectOption({ label: 'Bergen kommune' });
  await page.getByRole('button', { name: 'Sammenlign' }).click();
  await expect(page).toHaveURL(/with=[0-9a-f-]{36}/);
  const table = page.getByRole('table', { name: 'Sammenlign med en annen kommune' });
  await expect(table.getByRole('row', { name: /Skolesekk/ })).toContainText('Ulike versjoner');
  await expect(table.getByRole('row', { name: /Skolesekk/ })).toContainText('2025.3');
  await expect(table.getByRole('row', { name: /Havneregisteret/ })).toContainText('Bare hos dem');
  await expect(table.getByRole('row', { name: /Timeplanleggeren/ })).toContainText('Bare hos oss');
  await expectNoAxeViolations(page);

  // Only the differences: products both run at the same version leave the table.
  await expect(table.getByRole('row', { name: /Barnehagebasen/ })).toBeVisible();
  await page.getByLabel('Vis bare forskjellene').check();
  await expect(table.getByRole('row', { name: /Barnehagebasen/ })).toHaveCount(0);
  await expect(table.getByRole('row', { name: /Skolesekk/ })).toBeVisible();

  // The switch is keyboard-operable; turning it off and on again is recorded each time.
  const sharing = page.getByRole('switch', { name: 'Andre kommuner kan sammenligne med systemoversikten vår' });
  await sharing.focus();
  await page.keyboard.press('Space');
  await expect(page.getByRole('status').filter({ hasText: 'Systemoversikten deres er ikke delt med andre kommuner.' })).toBeVisible();
  await page.keyboard.press('Space');
  await expect(page.getByRole('status').filter({ hasText: 'Andre kommuner kan sammenligne med systemoversikten deres.' })).toBeVisible();
  await expectNoAxeViolations(page);
});

// A municipality adds a category of its own under a shared one; it takes the shared one's
// meaning (a special category) and is offered in the activity editor.
test('a municipality adds its own category and uses it', async ({ page, consoleErrors }) => {
  test.setTimeout(90_000);
  await logIn(page, demoUser('register_editor'));
  await page.getByRole('row', { name: /Oslo/ }).getByRole('link', { name: 'Registeroversikt' }).click();
  await page.getByRole('link', { name: 'Egne kategorier' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Egne kategorier' })).toBeVisible();
  const label = `Tannhelse ${Date.now().toString(36)}`;
  // The parent is needed, and checked before sending.
  await page.getByLabel('Navn på bokmål').fill(label);
  await page.getByRole('button', { name: 'Legg til en egen kategori' }).click();
  await expect(page.getByRole('alert')).toContainText('Hører under: er ikke en felles kategori av dette slaget');
  await page.getByLabel('Hører under').selectOption({ label: 'Helseopplysninger' });
  await page.getByRole('button', { name: 'Legg til en egen kategori' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Kategorien er lagt til.' })).toBeVisible();
  const row = page.getByRole('row', { name: new RegExp(label) });
  await expect(row).toContainText('Særlig kategori');
  await expectNoAxeViolations(page);

  // Renamed in place, by keyboard.
  await row.getByRole('button', { name: `Endre navn ${label}` }).focus();
  await page.keyboard.press('Enter');
  await row.getByLabel('Navn på engelsk (valgfritt)').fill('Dental health');
  await row.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Navnet er endret.' })).toBeVisible();

  // Offered in the editor, as a special category that needs its Art. 9(2) condition.
  await page.goto(page.url().replace(/own-terms$/, 'processing-activities/new'));
  const own = page.getByRole('group', { name: 'Opplysningskategorier' }).getByRole('checkbox', { name: new RegExp(label) });
  await own.check();
  await expect(page.getByRole('group', { name: label }).getByLabel('Vilkår i artikkel 9 nr. 2')).toBeVisible();
  await expectNoAxeViolations(page);

  // Unused, it can be removed.
  await page.goBack();
  await page.getByRole('button', { name: `Fjern ${label}` }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Kategorien er fjernet.' })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(label) })).toHaveCount(0);
});

// A vendor sees which municipalities use its products; how, only where the municipality
// agrees (Oslo in the demo, not Bergen).
test('a vendor sees how its products are used where the municipality agrees', async ({ page, consoleErrors }) => {
  test.setTimeout(60_000);
  await logIn(page, demoUser('product_editor'));
  await page.getByRole('row', { name: /Fjordlys Programvare AS/ }).getByRole('link', { name: 'Produkter' }).click();
  const usage = page.getByRole('table', { name: 'Bruk hos kundene' });
  const oslo = usage.getByRole('row', { name: /Oslo kommune Skolesekk/ });
  await expect(oslo).toContainText('Skolesekk 2026.2');
  await expect(oslo).toContainText('Elevadministrasjon i grunnskolen');
  await expect(usage.getByRole('row', { name: /Bergen kommune Skolesekk/ })).toContainText('Kommunen deler ikke hvordan den bruker produktet.');
  await expectNoAxeViolations(page);
});
