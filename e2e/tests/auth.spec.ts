import { test, expect, expectNoAxeViolations } from './fixtures';
import { demoUser, freshCode } from './credentials';

test('a privacy officer logs in with password and TOTP, sees their roles and logs out', async ({ page, consoleErrors }) => {
  const dpo = demoUser('privacy_officer');
  await page.goto('/organizations');
  await page.getByRole('link', { name: 'Logg inn' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Logg inn' })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel('E-post').fill(dpo.email);
  await page.getByLabel('Passord').fill(dpo.password);
  await page.getByRole('button', { name: 'Fortsett' }).click();
  await expect(page.getByRole('heading', { name: 'Kode fra autentiseringsappen' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('Engangskode (seks sifre)').fill(await freshCode(dpo.totp_secret));
  await page.getByRole('button', { name: 'Logg inn' }).click();

  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Min konto' })).toBeVisible();
  const row = page.getByRole('row', { name: /Oslo kommune/ });
  await expect(row).toContainText('Personvernombud');
  await expect(page.getByText(dpo.email)).toBeVisible();
  await expectNoAxeViolations(page);

  // The session survives a reload through the HttpOnly refresh cookie.
  await page.reload();
  await expect(page.getByRole('row', { name: /Oslo kommune/ })).toBeVisible();
  const cookies = await page.context().cookies();
  const refresh = cookies.find((c) => c.name === 'vern_refresh');
  expect(refresh?.httpOnly).toBe(true);
  expect(refresh?.sameSite).toBe('Strict');

  // Two tabs opened at the same instant both renew the access token with the one cookie;
  // they take turns (Web Locks), so neither presents a spent cookie and the session lives.
  // Each renewal is held back a moment on its way out so the two overlap for certain.
  const hold = async (route: import('@playwright/test').Route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.continue();
  };
  await page.context().route('**/api/v1/auth/refresh', hold);
  const second = await page.context().newPage();
  await Promise.all([page.reload(), second.goto('/account')]);
  await expect(page.getByRole('row', { name: /Oslo kommune/ })).toBeVisible();
  await expect(second.getByRole('row', { name: /Oslo kommune/ })).toBeVisible();
  await page.context().unroute('**/api/v1/auth/refresh', hold);
  await second.reload();
  await expect(second.getByRole('row', { name: /Oslo kommune/ })).toBeVisible();
  await second.close();

  // In English the role reads in English.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('row', { name: /Oslo kommune/ })).toContainText('Data protection officer');
  await page.getByRole('button', { name: 'Norsk bokmål' }).click();

  await page.getByRole('button', { name: 'Logg ut' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/account');
  await expect(page.getByText('Du er ikke logget inn.')).toBeVisible();
  expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  consoleErrors.length = 0;
});

test('a wrong password is refused without saying which part was wrong', async ({ page, consoleErrors }) => {
  const dpo = demoUser('privacy_officer');
  await page.goto('/login');
  await page.getByLabel('E-post').fill(dpo.email);
  await page.getByLabel('Passord').fill('dette er feil passord');
  await page.getByRole('button', { name: 'Fortsett' }).click();
  await expect(page.getByRole('alert')).toContainText('E-post, passord eller kode er feil.');
  await expectNoAxeViolations(page);
  // The browser logs the failed requests (401) itself; nothing else may appear.
  expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  consoleErrors.length = 0;
});
