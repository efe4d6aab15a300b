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
