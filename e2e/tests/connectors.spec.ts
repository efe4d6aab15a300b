import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUserIn, logIn } from './credentials';

// Oslo's register editor gives Elevtorget a connector: a plain-http address to another
// machine is refused, an https one is taken and the shared secret is shown once; after a
// reload only the address shows. A new secret can be made, and the connector removed.
test('a register editor sets up a system connector and sees its secret once', async ({ page, consoleErrors }) => {
  await logIn(page, demoUserIn('register_editor', /Oslo/));
  await page.getByRole('row', { name: /Oslo kommune/ }).getByRole('link', { name: 'Systemer', exact: true }).click();
  await page.getByRole('table', { name: 'Systemer' }).getByRole('link', { name: 'Elevtorget' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rediger systemet' })).toBeVisible();
  const connector = page.getByRole('region', { name: 'Kobling' });
  await expect(connector).toContainText('Systemet har ingen kobling.');
  await expectNoAxeViolations(page);

  await connector.getByLabel('Adresse').fill('http://elevtorget.example.org/vern');
  await connector.getByRole('button', { name: 'Lagre koblingen' }).click();
  await expect(connector.getByRole('alert')).toContainText('må begynne med https://');
  expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  consoleErrors.length = 0;

  await connector.getByLabel('Adresse').fill('https://elevtorget.example.org/vern');
  await connector.getByRole('button', { name: 'Lagre koblingen' }).click();
  const once = connector.getByRole('status');
  await expect(once).toContainText('vises bare nå');
  const secret = (await once.locator('code').textContent())!.trim();
  expect(secret.length).toBeGreaterThanOrEqual(40);
  await expect(connector).toContainText('Oppgaver sendes til https://elevtorget.example.org/vern');
  await expectNoAxeViolations(page);

  await page.reload();
  const again = page.getByRole('region', { name: 'Kobling' });
  await expect(again).toContainText('Oppgaver sendes til https://elevtorget.example.org/vern');
  await expect(again).not.toContainText(secret);
  await again.getByRole('button', { name: 'Lag ny hemmelighet' }).click();
  const rotated = (await again.getByRole('status').locator('code').textContent())!.trim();
  expect(rotated).not.toBe(secret);
  await again.getByRole('button', { name: 'Fjern koblingen' }).click();
  await expect(again).toContainText('Systemet har ingen kobling.');
  await expectNoAxeViolations(page);
  expect(consoleErrors).toEqual([]);
});
