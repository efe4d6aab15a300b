import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUser, logIn } from './credentials';

// A vendor describes a new product in the catalogue; a municipality finds it and registers
// it as a system in use; a stale save shows what the other person changed.
test('a vendor publishes a product and a municipality takes it into use', async ({ page, browser, consoleErrors }) => {
  test.setTimeout(120_000);
  const productName = `Tavleboka ${Date.now().toString(36)}`;

  // The vendor's product editor.
  const editor = demoUser('product_editor');
  await logIn(page, editor);
  await page.getByRole('row', { name: /Fjordlys Programvare AS/ }).getByRole('link', { name: 'Produkter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Produkter' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Produkter' })).toContainText('Skolesekk');
  // The record as processor: who uses the products (Art. 30(2)).
  await expect(page.getByRole('table', { name: 'Protokoll som databehandler' }).getByRole('row', { name: /Oslo kommune/ })).toContainText('Skolesekk');
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: 'Nytt produkt' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nytt produkt' })).toBeVisible();
  await page.locator('#p-name').fill(productName);
  await page.getByLabel('Versjon').fill('1.0');
  await page.getByLabel('Beskrivelse').fill('Digital tavle for klasserommet.');
  await page.getByRole('button', { name: 'Legg til et sted' }).click();
  await page.getByRole('button', { name: 'Legg til en underleverandør' }).click();
  const sub = page.getByRole('group', { name: 'Underleverandør 1' });
  await sub.getByLabel('Navn').fill('Skyhavn Inc.');
  await sub.getByLabel('Land').fill('US');
  await sub.getByLabel('Tjeneste').fill('Brukerstøtte');
  await page.getByLabel('Kontaktopplysninger').check();
  await page.getByLabel('Publisert i katalogen').check();
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  // The domain's own rule, before anything is sent: outside the EEA needs a mechanism.
  await expect(page.getByRole('alert')).toContainText('Underleverandører – 1 – Overføringsgrunnlag: må oppgis utenfor EU/EØS');
  await expectNoAxeViolations(page);
  await sub.getByLabel('Overføringsgrunnlag').selectOption({ label: 'Standard personvernbestemmelser (art. 46)' });
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();
  await expect(page).toHaveURL(/\/organizations\/[0-9a-f-]+\/products\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Rediger produktet' })).toBeVisible();
  const editorUrl = page.url();

  // The vendor's administrator changes the description meanwhile, in another browser.
  const other = await browser.newContext({ baseURL: new URL(editorUrl).origin, locale: 'nb-NO' });
  const otherPage = await other.newPage();
  await logIn(otherPage, demoUser('vendor_admin'));
  await otherPage.goto(editorUrl);
  await expect(otherPage.locator('#p-name')).toHaveValue(productName);
  await otherPage.getByLabel('Beskrivelse').fill('Digital tavle for klasserommet, med opptak.');
  await otherPage.getByLabel('E-postadresse').check();
  await otherPage.getByRole('button', { name: 'Lagre', exact: true }).click();
  await expect(otherPage.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();
  await other.close();

  // The editor's save meets the newer version: 412, and the page names what changed.
  await page.getByLabel('Versjon').fill('1.1');
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  const stale = page.getByRole('alert').filter({ hasText: 'Noen andre har lagret i mellomtiden' });
  await expect(stale).toContainText('Beskrivelse');
  await expect(stale).toContainText('Opplysningskategorier');
  await expectNoAxeViolations(page);
  await stale.getByRole('button', { name: 'Lagre mine endringer likevel' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();
  await expect(page.getByLabel('Versjon')).toHaveValue('1.1');
  expect(consoleErrors.filter((e) => !e.includes('412'))).toEqual([]);
  consoleErrors.length = 0;
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await page.waitForURL(/\/login$/);

  // A register editor in Oslo finds it in the catalogue and registers it.
  await logIn(page, demoUser('register_editor'));
  await page.getByRole('link', { name: 'Katalog' }).click();
  await page.getByLabel('Søk etter produktnavn').fill(productName);
  await page.getByRole('button', { name: 'Søk' }).click();
  await page.getByRole('link', { name: productName }).click();
  await expect(page.getByRole('heading', { level: 1, name: productName })).toBeVisible();
  await expect(page.getByText('Skyhavn Inc.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Endringshistorikk' })).toContainText('Opplysningskategorier');
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: /Ta i bruk i Oslo/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Registrer et system' })).toBeVisible();
  await expect(page.getByRole('link', { name: productName })).toBeVisible();
  await page.getByLabel('Eierenhet').fill('Oppvekst og utdanning');
  await page.getByLabel('Neste gjennomgang').fill('2027-06-30');
  await page.getByLabel('Integrasjoner').fill('Skolesekk\nFeide');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Rediger systemet' })).toBeVisible();
  // Without a name of its own, the system takes the product's.
  await expect(page.locator('#s-name')).toHaveValue(productName);
  // In use: the life cycle offers phasing out or retiring, not planning again.
  await expect(page.getByLabel('Status').locator('option')).toHaveText(['I bruk', 'Fases ut', 'Avviklet']);

  // The systems list finds it, filtered by name.
  await page.getByRole('link', { name: 'Systemer', exact: true }).first().click();
  await page.getByLabel('Søk etter systemnavn').fill(productName);
  await page.getByRole('button', { name: 'Søk' }).click();
  const row = page.getByRole('row', { name: new RegExp(productName) });
  await expect(row).toContainText('Oppvekst og utdanning');
  await expect(row).toContainText('I bruk');
  await expectNoAxeViolations(page);

  // Overdue reviews, from the demo register.
  await page.getByLabel('Søk etter systemnavn').fill('');
  await page.getByLabel('Bare de med forfalt gjennomgang').check();
  await page.getByRole('button', { name: 'Søk' }).click();
  await expect(page).toHaveURL(/review=overdue/);
  await expect(page.getByRole('table').getByText('Forfalt').first()).toBeVisible();
});

test('a planned system can be deleted; keyboard only', async ({ page, consoleErrors }) => {
  await logIn(page, demoUser('register_editor'));
  await page.goto('/account');
  await page.getByRole('row', { name: /Oslo/ }).getByRole('link', { name: 'Systemer', exact: true }).click();
  await page.getByRole('link', { name: 'Registrer et system' }).click();
  // An own system, by keyboard.
  await page.locator('#s-name').focus();
  await page.keyboard.type('Nabovarsel-prøve');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Byutvikling');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Versjon i bruk')).toBeFocused();
  await page.keyboard.type('3.1');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Status')).toBeFocused();
  await page.getByLabel('Status').selectOption('planned');
  await page.getByLabel('Merknader').fill('Pilot høsten 2027');
  await page.getByRole('button', { name: 'Lagre', exact: true }).press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();
  await page.getByRole('button', { name: 'Slett systemet' }).press('Enter');
  await page.getByRole('button', { name: 'Ja, slett systemet' }).press('Enter');
  await expect(page).toHaveURL(/\/systems$/);
  await page.getByLabel('Søk etter systemnavn').fill('Nabovarsel-prøve');
  await page.getByRole('button', { name: 'Søk' }).click();
  await expect(page.getByText('Ingen systemer funnet.')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a municipality downloads its systems overview and imports systems from a file', async ({ page, consoleErrors }) => {
  test.setTimeout(90_000);
  const name = `Kartinnsyn ${Date.now().toString(36)}`;
  await logIn(page, demoUser('register_editor'));
  await page.getByRole('row', { name: /Oslo/ }).getByRole('link', { name: 'Systemer', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Systemer' })).toBeVisible();

  // The overview downloads as CSV, with Norwegian headers.
  const download = page.waitForEvent('download');
  await page.getByRole('region', { name: 'Last ned systemoversikten' }).getByRole('button', { name: 'CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('systemoversikt.csv');
  const text = require('node:fs').readFileSync(await file.path(), 'utf8');
  expect(text.split('\n')[0]).toContain('Vern-ID,Navn,Produkt,Leverandør');

  // A file with one good row and one with mistakes: checked first, row by row.
  const csv = `Navn;Eierenhet;Status;Neste gjennomgang\n${name};Plan- og bygningsetaten;I bruk;30.06.2027\nFeilrad;;Kanskje;i morgen\n`;
  await page.getByLabel('Fil (CSV eller XLSX)').setInputFiles({ name: 'systemer.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Kontroller filen' }).click();
  const report = page.getByRole('table', { name: 'Kontroll av filen:' });
  await expect(report.getByRole('row', { name: new RegExp(name) })).toContainText('Ny');
  const bad = report.getByRole('row', { name: /Feilrad/ });
  await expect(bad).toContainText('Status: er ikke en kjent verdi');
  await expect(bad).toContainText('Eierenhet: må fylles ut');
  await expect(page.getByRole('button', { name: 'Importer', exact: true })).toHaveCount(0);
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Importer bare radene uten feil' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Importen er lagret.' })).toBeVisible();

  await page.getByLabel('Søk etter systemnavn').fill(name);
  await page.getByRole('button', { name: 'Søk' }).click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Plan- og bygningsetaten');
});

test('a system owner finds and edits their own systems, and only those', async ({ page, consoleErrors }) => {
  await logIn(page, demoUser('system_owner'));
  await page.getByRole('row', { name: /Oslo/ }).getByRole('link', { name: 'Systemer', exact: true }).click();
  await page.getByLabel('Bare systemene jeg eier').check();
  await page.getByRole('button', { name: 'Søk' }).click();
  await expect(page).toHaveURL(/owner=me/);
  const table = page.getByRole('table', { name: 'Systemer' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table).toContainText('Elevtorget');
  await expectNoAxeViolations(page);

  await table.getByRole('link', { name: 'Skolesekk' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rediger systemet' })).toBeVisible();
  await expect(page.getByText(/^Systemeiere: /)).toContainText('Demo system owner');
  await page.getByLabel('Merknader').fill('Ny versjon rulles ut til alle skoler i januar.');
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Slett systemet' })).toHaveCount(0);
  await expectNoAxeViolations(page);

  // Someone else's system: the server refuses the save.
  await page.getByRole('link', { name: 'Systemer', exact: true }).first().click();
  await page.getByLabel('Søk etter systemnavn').fill('Lønnsflyt');
  await page.getByRole('button', { name: 'Søk' }).click();
  await page.getByRole('table', { name: 'Systemer' }).getByRole('link', { name: 'Lønnsflyt' }).click();
  await page.getByLabel('Merknader').fill('Forsøk');
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  expect(consoleErrors.filter((e) => !e.includes('403'))).toEqual([]);
  consoleErrors.length = 0;
});

test('a municipality writes a processing activity into its record', async ({ page, consoleErrors }) => {
  test.setTimeout(90_000);
  const name = `Leksehjelp ${Date.now().toString(36)}`;
  await logIn(page, demoUser('register_editor'));
  await page.getByRole('row', { name: /Oslo/ }).getByRole('link', { name: 'Behandlingsprotokoll' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Behandlingsprotokoll' })).toBeVisible();
  await expect(page.getByRole('table')).toContainText('Elevadministrasjon i grunnskolen');
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: 'Ny behandlingsaktivitet' }).click();
  await page.locator('#a-name').fill(name);
  await page.getByLabel('Formål').fill('Tilby gratis leksehjelp');
  await page.getByLabel('Ansvarlig internt').fill('Rektor');
  await page.getByLabel('Lovhjemmel 1').fill('opplæringslova § 13-7');
  await page.getByRole('group', { name: 'Registrerte' }).getByLabel('Barn', { exact: true }).check();
  await page.getByRole('group', { name: 'Opplysningskategorier' }).getByLabel('Navn', { exact: true }).check();
  await page.getByLabel(/^Helseopplysninger/).check();
  await page.getByRole('group', { name: 'Systemer som brukes' }).getByLabel('Skolesekk').check();
  await page.getByLabel('Status').selectOption({ label: 'I protokollen' });
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  // The record's own rule: health data need an Art. 9(2) condition.
  await expect(page.getByRole('alert')).toContainText('Opplysningskategorier – 2 – Vilkår i artikkel 9 nr. 2: mangler vilkår for særlige kategorier');
  await expectNoAxeViolations(page);
  const health = page.getByRole('group', { name: 'Helseopplysninger' });
  await health.getByLabel('Vilkår i artikkel 9 nr. 2').selectOption('substantial_public_interest');
  await health.getByLabel('Lovhjemmel').fill('opplæringslova § 13-7');
  await health.getByLabel('Lagringstid').fill('Slettes ved skoleårets slutt');
  // A recipient outside the EU/EEA must also be a listed transfer (Art. 30(1)(d) and (e)).
  await page.getByRole('button', { name: 'Legg til en mottaker' }).click();
  const recipient = page.getByRole('group', { name: 'Mottaker 1' });
  await recipient.getByLabel('Navn').fill('Leksehjelp Global Ltd.');
  await recipient.getByLabel('Land').fill('GB');
  await recipient.getByLabel('Lovhjemmel').fill('opplæringslova § 13-7');
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Mottakere – 1 – Land: ligger utenfor EU/EØS og må stå blant overføringene');
  await page.getByRole('button', { name: 'Legg til en overføring' }).click();
  const transfer = page.getByRole('group', { name: 'Overføring 1' });
  await transfer.getByLabel('Land').fill('GB');
  await transfer.getByLabel('Overføringsgrunnlag').selectOption('adequacy');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Mottaker 1' }).getByLabel('Navn')).toHaveValue('Leksehjelp Global Ltd.');
  await expect(page.getByRole('heading', { level: 1, name: 'Rediger behandlingsaktiviteten' })).toBeVisible();
  // Active: it may only be discontinued from here.
  await expect(page.getByLabel('Status').locator('option')).toHaveText(['I protokollen', 'Avsluttet']);

  await page.getByRole('link', { name: 'Behandlingsprotokoll' }).click();
  await page.getByLabel('Søk etter navn på behandlingen').fill(name);
  await page.getByLabel('Bare de med særlige kategorier eller straffbare forhold').check();
  await page.getByRole('button', { name: 'Søk' }).click();
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('Art. 6(1)(e) opplæringslova § 13-7');
  await expect(row).toContainText('Særlig kategori');
  await expectNoAxeViolations(page);

  // The record downloads as a workbook.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Excel (XLSX)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('behandlingsprotokoll.xlsx');
  const bytes = require('node:fs').readFileSync(await file.path());
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
});

test('a vendor moves a product\'s storage and the municipality reviews the change', async ({ page, consoleErrors }) => {
  test.setTimeout(90_000);
  // The vendor moves Skolesekk's storage to another country.
  await logIn(page, demoUser('product_editor'));
  await page.getByRole('row', { name: /Fjordlys Programvare AS/ }).getByRole('link', { name: 'Produkter' }).click();
  await page.getByRole('link', { name: 'Skolesekk', exact: true }).click();
  await page.getByRole('link', { name: 'Rediger produktet' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rediger produktet' })).toBeVisible();
  const country = page.getByLabel('Land 1', { exact: true });
  const from = await country.inputValue();
  const to = from === 'DK' ? 'FI' : 'DK';
  await country.fill(to);
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await page.waitForURL(/\/login$/);

  // Oslo's register editor finds it on the register overview, with before and after.
  await logIn(page, demoUser('register_editor'));
  await page.getByRole('row', { name: /Oslo/ }).getByRole('link', { name: 'Registeroversikt' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Registeroversikt' })).toBeVisible();
  const card = page.getByRole('article', { name: 'Skolesekk', exact: true }).first();
  await expect(card).toContainText('Lagring og tilgang');
  await expect(card).toContainText(`${from} – Lagring`);
  await expect(card).toContainText(`${to} – Lagring`);
  await expect(card).toContainText('fjernet');
  // The demo vendor's change to the payroll system waits here too.
  await expect(page.getByRole('article', { name: 'Lønnsflyt' })).toContainText('Skyvakt Security Inc.');
  // Overdue reviews from the demo register.
  await expect(page.getByRole('region', { name: 'Forfalt gjennomgang' }).getByRole('link').first()).toBeVisible();
  await expectNoAxeViolations(page);

  // A conclusion other than "no change" needs a note; then it is recorded.
  await card.getByLabel('Oppføringen er oppdatert').check();
  await card.getByRole('button', { name: 'Registrer gjennomgangen' }).click();
  await expect(card.getByRole('alert')).toContainText('Vurdering: må fylles ut');
  await card.getByLabel('Vurdering').fill('Lagring i et annet EØS-land; databehandleravtalen dekker det.');
  await card.getByRole('button', { name: 'Registrer gjennomgangen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Gjennomgangen er registrert.' })).toBeVisible();
  await page.getByRole('link', { name: 'Gjennomgått' }).click();
  const done = page.getByRole('article', { name: 'Skolesekk', exact: true }).first();
  await expect(done).toContainText('Oppføringen er oppdatert');
  await expect(done).toContainText('databehandleravtalen dekker det');
  await expectNoAxeViolations(page);
});

test('a resident reads the public privacy statement without logging in', async ({ page, consoleErrors }) => {
  await page.goto('/organizations?q=Oslo');
  await page.getByRole('link', { name: 'Oslo kommune' }).click();
  await page.getByRole('link', { name: 'Personvernerklæring' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Personvernerklæring – Oslo kommune' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Dine rettigheter' })).toBeVisible();
  const school = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Elevadministrasjon i grunnskolen' }) });
  await expect(school).toContainText('opplæringslova § 15-1');
  await expect(school).toContainText('Barn');
  await expectNoAxeViolations(page);
  // In English too.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Privacy statement – Oslo kommune' })).toBeVisible();
  await expect(school).toContainText('Children');
  await expectNoAxeViolations(page);
});
