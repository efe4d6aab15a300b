import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUserIn, logIn } from './credentials';

// Oslo's register editor screens a processing activity for a DPIA: one WP248 criterion is
// not enough, assessing well-being in schools is on Datatilsynet's list and always is.
test('a register editor screens a processing activity for a DPIA', async ({ page, consoleErrors }) => {
  test.setTimeout(90_000);
  await logIn(page, demoUserIn('register_editor', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Behandlingsprotokoll' }).click();
  await page.getByRole('link', { name: 'Elevadministrasjon i grunnskolen' }).first().click();
  const dpia = page.getByRole('region', { name: 'Vurdering av behov for DPIA' });
  await expect(dpia).toBeVisible();
  await dpia.getByLabel(/^Sårbare registrerte/).check();
  await dpia.getByRole('button', { name: 'Vurder' }).click();
  await expect(dpia.getByRole('status')).toContainText('DPIA kreves ikke');
  await expectNoAxeViolations(page);

  await dpia.getByLabel(/^Vurdering av læring, mestring eller trivsel/).check();
  await dpia.getByRole('button', { name: 'Vurder' }).click();
  await expect(dpia.getByRole('status')).toContainText('DPIA kreves');
  await expect(dpia.getByRole('status')).toContainText('På Datatilsynets liste: Vurdering av læring, mestring eller trivsel i skole og barnehage');
  await expect(dpia.getByRole('heading', { name: 'Tidligere vurderinger' })).toBeVisible();
  await expect(dpia.getByRole('listitem').filter({ hasText: ' — DPIA kreves' })).toHaveCount(2);
  await expectNoAxeViolations(page);
  expect(consoleErrors).toEqual([]);
});

// Oslo's register editor writes the DPIA for special needs education: a high remaining risk
// cannot be accepted, so the conclusion is prior consultation; the completed DPIA is shared
// with the activity's template, and Bergen reads its risks and measures on the template.
test('a register editor completes a DPIA and shares it with another municipality', async ({ page, consoleErrors }) => {
  test.setTimeout(120_000);
  await logIn(page, demoUserIn('register_editor', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Behandlingsprotokoll' }).click();
  await page.getByRole('link', { name: 'Spesialundervisning' }).first().click();
  await page.getByRole('link', { name: 'Skriv eller se DPIA-en' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Personvernkonsekvensvurdering (DPIA)' })).toBeVisible();
  // No DPIA is started yet: the page's look-up answers 404, as it should.
  await expect(page.getByRole('button', { name: 'Legg til en risiko' })).toBeVisible();
  expect(consoleErrors.filter((e) => !e.includes('404'))).toEqual([]);
  consoleErrors.length = 0;
  await page.getByLabel('Beskrivelse').fill('PPT og skolen behandler sakkyndige vurderinger og vedtak om spesialundervisning i Skolesekk.');
  await page.getByLabel('Nødvendighet og forholdsmessighet').fill('Opplæringslova krever sakkyndig vurdering; bare opplysninger som trengs for vedtaket behandles.');
  await page.getByRole('button', { name: 'Legg til en risiko' }).click();
  const risk = page.getByRole('group', { name: 'Risiko 1' });
  await risk.getByLabel('Hva kan skje, og med hvem').fill('Helseopplysninger om barnet blir kjent for uvedkommende lærere.');
  await risk.getByLabel('Sannsynlighet').selectOption('high');
  await risk.getByLabel('Alvorlighet').selectOption('high');
  await expect(risk.getByRole('status')).toContainText('Risiko før tiltak: Høy');
  await risk.getByLabel('Tiltak', { exact: true }).fill('Tilgang bare for kontaktlærer og PPT; logging av oppslag.');
  await risk.getByLabel('Risiko som gjenstår med tiltakene').selectOption('high');
  await page.getByLabel('Personvernombudets råd').fill('Rådfør dere med Datatilsynet før oppstart.');
  await page.getByLabel('Konklusjon', { exact: true }).selectOption('acceptable');
  await page.getByLabel('Begrunnelse for konklusjonen').fill('Tiltakene er på plass.');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Fullfør DPIA-en' }).click();
  await expect(page.getByRole('alert')).toContainText('kan ikke være akseptabel når høy risiko gjenstår');
  expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  consoleErrors.length = 0;

  await page.getByLabel('Konklusjon', { exact: true }).selectOption('prior_consultation');
  await page.getByRole('button', { name: 'Fullfør DPIA-en' }).click();
  await expect(page.getByText('DPIA-en er fullført.')).toBeVisible();
  await expect(page.getByText('Fullført', { exact: true })).toBeVisible();
  await expectNoAxeViolations(page);

  // Shared with the activity's template.
  await page.getByRole('link', { name: 'Spesialundervisning' }).click();
  const share = page.getByRole('region', { name: 'Del som mal' });
  await share.getByLabel('Del DPIA-en med malen').check();
  await share.getByRole('button', { name: 'Del som mal' }).click();
  await expect(share.getByRole('status')).toContainText('Malen er delt.');
  await page.goto('/account');
  await page.getByRole('button', { name: 'Logg ut' }).click();

  // Bergen reads the shared analysis on the template.
  await logIn(page, demoUserIn('register_editor', /Bergen/));
  await page.getByRole('row', { name: /Bergen/ }).getByRole('link', { name: 'Behandlingsprotokoll' }).click();
  await page.getByRole('link', { name: 'Start fra en mal' }).click();
  await page.getByLabel('Søk i malene').fill('Spesialundervisning');
  await page.getByRole('button', { name: 'Søk' }).click();
  const card = page.getByRole('article', { name: 'Spesialundervisning' });
  await card.getByText('Delt, med 1 risikoer og tiltak – vis').click();
  await expect(card).toContainText('Tilgang bare for kontaktlærer og PPT; logging av oppslag.');
  await expect(card).toContainText('gjenstående risiko: Høy');
  await expect(card).not.toContainText('Rådfør dere med Datatilsynet før oppstart.');
  await expectNoAxeViolations(page);
  expect(consoleErrors).toEqual([]);
});
