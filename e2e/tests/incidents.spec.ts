import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUserIn, logIn } from './credentials';

// Oslo's data protection officer registers a breach, sees the 72-hour clock, generates the
// notice to Datatilsynet and the letter to residents, records the notice and the resident
// decision, closes the incident and finds it in the register.
test('a privacy officer registers a breach, generates the notification and closes it', async ({ page, consoleErrors }) => {
  test.setTimeout(120_000);
  await logIn(page, demoUserIn('privacy_officer', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Avvik', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Avvik', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Registrer avvik' }).click();
  await expect(page.getByRole('heading', { name: 'Registrer avvik', level: 1 })).toBeVisible();
  await expectNoAxeViolations(page);

  // A national identity number in the description is refused, and named as the problem.
  await page.getByLabel('Tittel').fill('Elevliste sendt til feil mottaker');
  await page.getByRole('group', { name: 'Type brudd' }).getByLabel('Konfidensialitet').check();
  await page.getByLabel('Beskrivelse').fill('Listen over elever med 02813299952 gikk til feil foresatt.');
  await page.getByRole('button', { name: 'Registrer', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('inneholder noe som ser ut som et fødselsnummer');
  expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  consoleErrors.length = 0;

  await page.getByLabel('Beskrivelse').fill('En e-post med elevlisten for 5B gikk til en foresatt i en annen klasse.');
  await page.getByRole('group', { name: 'Opplysningskategorier' }).getByLabel('Navn', { exact: true }).check();
  await page.getByRole('group', { name: 'Registrerte' }).getByLabel('Elever og studenter').check();
  await page.getByLabel('Omtrent antall berørte personer').fill('28');
  await page.getByLabel('Tiltak som er gjort').fill('Mottakeren har slettet e-posten og bekreftet det skriftlig.');
  await page.getByLabel('Risiko for de berørte').selectOption('high');
  await page.getByLabel('Begrunnelse for risikovurderingen').fill('Opplysninger om barn.');
  await page.getByRole('button', { name: 'Registrer', exact: true }).click();

  // The incident with its clock and what is outstanding.
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Elevliste sendt til feil mottaker');
  const clock = page.getByRole('region', { name: 'Frist for å melde Datatilsynet' });
  await expect(clock.getByRole('status')).toContainText('Fristen løper');
  await expect(clock.getByRole('status')).toContainText(/7[01] t \d+ min igjen/);
  await expect(clock.getByRole('listitem').filter({ hasText: 'Meld Datatilsynet' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Lukk avviket' })).toBeDisabled();
  await expectNoAxeViolations(page);

  // The generated notification: Datatilsynet's form fields and the residents' letter.
  const texts = page.getByRole('region', { name: 'Meldingstekster' });
  await texts.getByRole('button', { name: 'Lag meldingstekster' }).click();
  await expect(texts.getByText('Melding til Datatilsynet')).toBeVisible();
  await expect(texts.getByRole('definition').filter({ hasText: 'Brudd på konfidensialitet' })).toBeVisible();
  await expect(texts.getByRole('definition').filter({ hasText: 'ca. 28' })).toBeVisible();
  await expect(texts).toContainText('Hva har vi gjort?');
  await expect(texts).toContainText('Mottakeren har slettet e-posten og bekreftet det skriftlig.');
  await expectNoAxeViolations(page);

  // The initial notice stops the clock.
  const notices = page.getByRole('region', { name: 'Meldinger til Datatilsynet' });
  await notices.getByLabel('Referanse').fill('AR-2026-0042');
  await notices.getByRole('button', { name: 'Registrer melding' }).click();
  await expect(notices.getByRole('row', { name: /Første melding/ })).toContainText('AR-2026-0042');
  await expect(page.getByRole('region', { name: 'Frist for å melde Datatilsynet' }).getByRole('status')).toContainText('Meldt');

  // The residents are not told, under an exception with its reason.
  const residents = page.getByRole('region', { name: 'Varsel til de berørte' });
  await residents.getByLabel('Nei, et unntak gjelder').check();
  await residents.getByLabel('Unntak', { exact: true }).selectOption('risk_no_longer_likely');
  await residents.getByLabel('Hvorfor unntaket gjelder').fill('E-posten er slettet, og mottakeren har bekreftet det.');
  await residents.getByRole('button', { name: 'Lagre' }).click();
  await expect(residents).toContainText('Ikke varslet:');

  await page.getByRole('button', { name: 'Lukk avviket' }).click();
  await expect(page.getByText('Lukket', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Gjenåpne' })).toBeVisible();
  await expectNoAxeViolations(page);

  // The register lists it as notified.
  await page.getByRole('link', { name: 'Avvik', exact: true }).first().click();
  const row = page.getByRole('row', { name: /Elevliste sendt til feil mottaker/ });
  await expect(row).toContainText('Meldt');
  await expect(row).toContainText('Høy risiko');
  await expectNoAxeViolations(page);
  expect(consoleErrors).toEqual([]);
});

// Fjordlys tells every customer of Skolesekk about a breach at once; Oslo's data protection
// officer finds the draft, linked to Oslo's own Skolesekk system, and takes it in; the
// vendor sees that Oslo has.
test('a vendor notifies the customers of a product and sees who took it in', async ({ page, consoleErrors }) => {
  test.setTimeout(120_000);
  await logIn(page, demoUserIn('vendor_admin', /Fjordlys/));
  await page.getByRole('row', { name: /Fjordlys/ }).getByRole('link', { name: 'Avviksvarsler til kunder' }).click();
  await page.getByRole('link', { name: 'Varsle kunder om avvik' }).click();
  await expect(page.getByRole('heading', { name: 'Varsle kunder om avvik', level: 1 })).toBeVisible();
  await page.getByLabel('Produkt', { exact: true }).selectOption({ label: 'Skolesekk' });
  await page.getByLabel('Tittel').fill('Eksportfiler var lesbare uten innlogging');
  await page.getByRole('group', { name: 'Type brudd' }).getByLabel('Konfidensialitet').check();
  await page.getByLabel('Beskrivelse').fill('Nattlige eksportfiler lå i en lagringsbøtte uten tilgangskontroll i ett døgn.');
  await page.getByLabel('Tiltak som er gjort').fill('Tilgangen er stengt og loggene gjennomgått.');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Send varsel' }).click();
  await expect(page.getByRole('heading', { name: 'Eksportfiler var lesbare uten innlogging', level: 1 })).toBeVisible();
  const recipients = page.getByRole('table', { name: 'Mottakere' });
  await expect(recipients.getByRole('row', { name: /Oslo kommune/ })).toContainText('Ikke tatt inn ennå');
  await expectNoAxeViolations(page);

  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await logIn(page, demoUserIn('privacy_officer', /Oslo/));
  // The in-app notification: in the header, then on the notifications page.
  await page.getByRole('link', { name: /^Varsler \(\d+ uleste\)$/ }).click();
  await expect(page.getByRole('heading', { name: 'Varsler', level: 1 })).toBeVisible();
  const notification = page.getByRole('listitem').filter({ hasText: 'Fjordlys Programvare AS har varslet Oslo kommune om et avvik: «Eksportfiler var lesbare uten innlogging»' });
  await expect(notification).toContainText('Ny');
  await expectNoAxeViolations(page);
  // Which kinds also come by e-mail, and in which language.
  const settings = page.getByRole('region', { name: 'E-post og språk' });
  await settings.getByLabel('Henvendelse med frist innen en uke').uncheck();
  await settings.getByLabel('Språk i e-poster').selectOption('nn');
  await settings.getByRole('button', { name: 'Lagre valgene' }).click();
  await expect(settings.getByRole('status')).toHaveText('Valgene er lagret.');
  await notification.getByRole('button', { name: /^Merk som lest/ }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'Eksportfiler var lesbare uten innlogging' })).not.toContainText('Ny');
  await page.getByRole('link', { name: /Fjordlys Programvare AS har varslet Oslo kommune/ }).click();
  await expect(page.getByText('Utkast fra leverandør', { exact: true })).toBeVisible();
  await expect(page.getByText(/Varslet av Fjordlys Programvare AS om Skolesekk/)).toBeVisible();
  await expect(page.getByRole('group', { name: 'Systemer som brukes' }).getByLabel('Skolesekk')).toBeChecked();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Ta inn som avvik' }).click();
  await expect(page.getByText('Åpen', { exact: true })).toBeVisible();

  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await logIn(page, demoUserIn('vendor_admin', /Fjordlys/));
  await page.getByRole('row', { name: /Fjordlys/ }).getByRole('link', { name: 'Avviksvarsler til kunder' }).click();
  await expect(page.getByRole('row', { name: /Eksportfiler var lesbare uten innlogging/ })).toContainText(/[1-9] av [1-9]/);
  await page.getByRole('link', { name: 'Eksportfiler var lesbare uten innlogging' }).click();
  await expect(page.getByRole('table', { name: 'Mottakere' }).getByRole('row', { name: /Oslo kommune/ })).not.toContainText('Ikke tatt inn ennå');
  expect(consoleErrors).toEqual([]);
});
