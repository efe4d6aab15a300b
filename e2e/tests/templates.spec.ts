import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUserIn, logIn } from './credentials';

// Oslo's register editor starts an own agreement template from the built-in state template,
// is told which line is wrong when a change breaks it, saves a second version, and finds
// the template among those a new agreement can be drafted from.
test('a municipality keeps its own versioned agreement template', async ({ page, consoleErrors }) => {
  test.setTimeout(180_000);
  await logIn(page, demoUserIn('register_editor', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Databehandleravtaler' }).click();
  await page.getByRole('link', { name: 'Avtalemaler' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Avtalemaler' })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel('Start med').selectOption({ label: 'Databehandleravtale etter statens standard (bokmål)' });
  await expect(page.getByLabel('Malens tekst')).toHaveValue(/Vedlegg B/);
  await page.getByLabel('Navn').fill('Oslos standardavtale');
  await page.getByRole('button', { name: 'Lagre malen' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Oslos standardavtale' })).toBeVisible();
  await expect(page.getByText('sub_processors')).toBeVisible();
  await expectNoAxeViolations(page);

  // A broken change is refused with the line to fix; the fixed one is version 2.
  const source = page.getByLabel('Malens tekst');
  await source.fill('# {{ title }}\n\n{% for p in purposes %}\n- {{ p }}\n');
  await page.getByRole('button', { name: 'Lagre som ny versjon' }).click();
  await expect(page.getByText('Malens tekst: har en feil i malspråket')).toBeVisible();
  await expect(page.getByText(/line \d+/)).toBeVisible();
  await expectNoAxeViolations(page);
  await source.fill('# {{ title }}\n\nMellom {{ controller.name }} og {{ processor.name }}.\n\n{% for p in purposes %}\n- {{ p }}\n{% endfor %}\n');
  await page.getByLabel('Hva er endret (til endringsloggen)').fill('Kortere tekst');
  await page.getByRole('button', { name: 'Lagre som ny versjon' }).click();
  await expect(page.getByRole('status')).toHaveText('Malen er lagret.');
  await expect(page.getByText(/Versjon 2 · .* — Kortere tekst/)).toBeVisible();

  // Drafting offers it.
  await page.getByRole('link', { name: 'Avtalemaler' }).click();
  await expect(page.getByRole('row', { name: /Oslos standardavtale/ })).toContainText('2');
  await page.getByRole('link', { name: 'Databehandleravtaler' }).click();
  await page.getByRole('link', { name: 'Ny avtale' }).click();
  await expect(page.getByLabel('Mal')).toContainText('Oslos standardavtale');
  expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  consoleErrors.length = 0;
});
