import { test, expect, expectNoAxeViolations } from './fixtures';

test('a visitor lists, searches and opens organisations, in three languages', async ({ page, consoleErrors }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/organizations$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Organisasjoner' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'nb');
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(51); // header + 50
  await expect(page.getByText('Viser 50 organisasjoner')).toBeVisible();
  await expectNoAxeViolations(page);

  // Language switch: nynorsk, then English; the choice survives a reload.
  await page.getByRole('button', { name: 'Norsk nynorsk' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Organisasjonar' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'nn');
  await expect(page.getByRole('button', { name: 'Norsk nynorsk' })).toHaveAttribute('aria-pressed', 'true');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
  await expect(page).toHaveTitle('Organisations – Vern');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
  await expectNoAxeViolations(page);

  // Search ignores case and accents; the result opens the organisation.
  await page.getByLabel('Search by name').fill('BODØ');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/q=BOD%C3%98/);
  await page.getByRole('link', { name: 'Bodø kommune' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bodø kommune' })).toBeVisible();
  await expect(page.getByText('1804')).toBeVisible();
  await expect(page.getByText('Nordland - Nordlánnda (18)')).toBeVisible();
  await expectNoAxeViolations(page);

  // Back to bokmål for the rest.
  await page.getByRole('button', { name: 'Norsk bokmål' }).click();
  await expect(page.getByRole('link', { name: 'Tilbake til organisasjonene' })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('a deep link opens an organisation directly', async ({ page, request, consoleErrors }) => {
  const list = await (await request.get('/api/v1/organizations?q=oslo&kind=municipality')).json();
  const oslo = list.items[0];
  await page.goto(`/organizations/${oslo.id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Oslo kommune' })).toBeVisible();
  await expect(page.getByText('0301')).toBeVisible();
  await expect(page).toHaveTitle('Oslo kommune – Vern');
  await expectNoAxeViolations(page);
  expect(consoleErrors).toEqual([]);
});

test('filters and pages live in the address, so links and the back button work', async ({ page }) => {
  await page.goto('/organizations?kind=vendor');
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(4); // header + 3 vendors
  await expect(page.getByLabel('Type organisasjon')).toHaveValue('vendor');

  await page.goto('/organizations');
  const firstRow = page.getByRole('table').getByRole('row').nth(1);
  const firstName = await firstRow.getByRole('link').textContent();
  await page.getByRole('link', { name: 'Neste side' }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(firstRow.getByRole('link')).not.toHaveText(firstName ?? '');
  await expect(page.getByRole('link', { name: 'Første side' })).toBeVisible();
  await page.goBack();
  await expect(firstRow.getByRole('link')).toHaveText(firstName ?? '');
});

test('an unknown organisation and an unknown page explain themselves', async ({ page }) => {
  await page.goto('/organizations/0192f1a0-7c3e-7d2a-9b1e-3f5a6b7c8d9e');
  await expect(page.getByRole('alert')).toContainText('Vi fant ikke det du lette etter');
  await expect(page.getByRole('alert')).toContainText('Referanse for feilmelding');
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { level: 1, name: 'Fant ikke siden' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('the app works with the keyboard alone', async ({ page }) => {
  await page.goto('/organizations');
  await expect(page.getByRole('table')).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Hopp til hovedinnholdet' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  // Tab on into the search field and search with Enter.
  await page.getByLabel('Søk etter navn').focus();
  await page.keyboard.type('tromsø');
  await page.keyboard.press('Enter');
  const link = page.getByRole('link', { name: 'Tromsø kommune' });
  await expect(link).toBeVisible();
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Tromsø kommune' })).toBeVisible();
  // After a client-side navigation, focus starts at the new page's content.
  await expect(page.locator('main')).toBeFocused();
});
