import { test, expect } from './fixtures';

test('the API documentation works offline, from this server', async ({ page, consoleErrors }) => {
  const external: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.hostname !== 'localhost') external.push(req.url());
  });
  await page.goto('/api/docs');
  await expect(page).toHaveURL(/\/api\/docs\/$/);
  await expect(page.getByRole('heading', { name: /Vern API/ })).toBeVisible();
  await expect(page.getByText('/api/v1/organizations/{org_id}', { exact: true })).toBeVisible();
  expect(external).toEqual([]);
  expect(consoleErrors).toEqual([]);
});
