import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUser, demoUserIn, freshCode, logIn } from './credentials';

// Oslo drafts a data processing agreement for its Skolesekk system with the vendor; the
// vendor's signatory confirms with a passkey and signs, Oslo's signatory confirms with a
// code and signs; the agreement is active, its signatures verify and the PDF downloads.
test('a municipality drafts an agreement and both parties sign it', async ({ page, consoleErrors }) => {
  test.setTimeout(240_000);
  await logIn(page, demoUserIn('register_editor', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Databehandleravtaler' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Databehandleravtaler' })).toBeVisible();
  await page.getByRole('link', { name: 'Ny avtale' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ny databehandleravtale' })).toBeVisible();
  await page.getByLabel('Tittel').fill('Databehandleravtale for Skolesekk');
  await page.getByLabel('Databehandler', { exact: true }).selectOption({ label: 'Fjordlys Programvare AS' });
  await page.getByRole('checkbox', { name: /Skolesekk/ }).check();
  await page.getByLabel(/Behandlingens art/).fill('Drift, lagring og brukerstøtte for elevadministrasjon');
  await page.getByLabel('Gjelder fra').fill('2027-01-01');
  await page.getByLabel('Revisjon og kontroll (fremgangsmåte)').fill('Årlig ISAE 3000-rapport og rett til stedlig revisjon');
  await page.getByLabel('Kontaktpunkt hos behandlingsansvarlig').fill('personvern@example.org');
  await page.getByLabel('Kontaktpunkt hos databehandler').fill('avtaler@example.org');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Lag utkast' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Databehandleravtale for Skolesekk' })).toBeVisible();
  await expect(page.getByText('Utkast', { exact: true })).toBeVisible();
  await expect(page.getByText('Dette mangler før avtalen kan sendes')).toHaveCount(0);
  const text = page.getByRole('region', { name: 'Avtaleteksten' });
  await expect(text.getByRole('heading', { name: 'Vedlegg B – Underleverandører' })).toBeVisible();
  await expect(text.getByRole('listitem').filter({ hasText: 'Skolesekk' }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Send til signering' }).click();
  await expect(page.getByRole('status')).toHaveText('Avtalen er sendt til signering.');
  await expect(page.getByText('Sendt til signering', { exact: true })).toBeVisible();
  await expectNoAxeViolations(page);
  const agreementUrl = page.url();

  // The vendor's signatory adds a passkey, then confirms with it and signs.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await logIn(page, demoUserIn('signatory', /Fjordlys/));
  await page.getByLabel('Navn på den nye passnøkkelen').fill('Signeringsnøkkel');
  await page.getByRole('button', { name: 'Legg til passnøkkel' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Passnøkkelen er lagt til.' })).toBeVisible();
  await page.getByRole('row', { name: /Fjordlys/ }).getByRole('link', { name: 'Databehandleravtaler' }).click();
  // The vendor's deadlines name the agreement to sign; the list below has it too.
  const vendorDeadlines = page.getByRole('table', { name: 'Frister' });
  await expect(vendorDeadlines.getByRole('row', { name: /Databehandleravtale for Skolesekk/ })).toContainText('Signere');
  await page.getByRole('table', { name: 'Databehandleravtaler' }).getByRole('link', { name: 'Databehandleravtale for Skolesekk' }).click();
  await expect(page).toHaveURL(agreementUrl);
  const sign = page.getByRole('region', { name: 'Signer avtalen' });
  await expect(sign).toBeVisible();
  await expectNoAxeViolations(page);
  await sign.getByRole('button', { name: 'Bekreft med passnøkkel og signer' }).click();
  await expect(page.getByRole('status')).toHaveText('Du har signert. Avtalen venter på den andre parten.');
  await expect(page.getByText('Signert av én part', { exact: true })).toBeVisible();
  await expect(sign).toHaveCount(0);

  // The PDF, with its evidence page, downloads.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Last ned PDF' }).click();
  expect((await download).suggestedFilename()).toMatch(/^avtale-.*-v1\.pdf$/);

  // Oslo's signatory confirms with a code from the authenticator app and signs.
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  const osloSigner = demoUserIn('signatory', /Oslo/);
  await logIn(page, osloSigner);
  await page.goto(agreementUrl);
  const osloSign = page.getByRole('region', { name: 'Signer avtalen' });
  await osloSign.getByLabel('Kode fra autentiseringsappen').fill(await freshCode(osloSigner.totp_secret));
  await osloSign.getByRole('button', { name: 'Bekreft med kode og signer' }).click();
  await expect(page.getByRole('status')).toHaveText('Begge parter har signert. Avtalen er aktiv.');
  await expect(page.getByText('Aktiv', { exact: true })).toBeVisible();
  await expect(page.getByRole('list').filter({ hasText: 'Fjordlys Programvare AS' }).first()).toContainText('Oslo kommune');

  await page.getByRole('button', { name: 'Kontroller signaturer' }).click();
  await expect(page.getByText('Alle signaturene holder')).toBeVisible();
  await expectNoAxeViolations(page);

  // The vendor changes who provides support for Skolesekk: Oslo is notified under the
  // agreement's general authorisation and objects, with its reasons, before the deadline.
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await logIn(page, demoUser('product_editor'));
  await page.getByRole('row', { name: /Fjordlys Programvare AS/ }).getByRole('link', { name: 'Produkter' }).click();
  await page.getByRole('link', { name: 'Skolesekk', exact: true }).click();
  await page.getByRole('link', { name: 'Rediger produktet' }).click();
  await page.getByRole('group', { name: 'Underleverandør 2' }).getByLabel('Tjeneste').fill('Brukerstøtte og sikkerhetskopi');
  await page.getByRole('button', { name: 'Lagre', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await logIn(page, demoUserIn('register_editor', /Oslo/));
  await page.goto(agreementUrl);
  const notices = page.getByRole('region', { name: 'Endringer i underleverandører' });
  const notice = notices.getByRole('article').first();
  await expect(notice).toContainText('Svea Support AB');
  await expect(notice).toContainText('venter på svar');
  await expectNoAxeViolations(page);
  await notice.getByLabel('Begrunnelse (ved protest)').fill('Sikkerhetskopi i Sverige er ikke risikovurdert.');
  await notice.getByRole('button', { name: 'Protester' }).click();
  await expect(page.getByRole('status')).toHaveText('Protesten er registrert og sendt til databehandleren.');
  await expect(notices.getByRole('article').first()).toContainText('protestert');
  await expect(notices.getByRole('article').first()).toContainText('Sikkerhetskopi i Sverige er ikke risikovurdert.');
  await expectNoAxeViolations(page);
});
