import { expect, test } from '@playwright/test';
import { watchConsole, shot } from './helpers';

test('the landing page says what Rapport is, without console errors', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/quality of the relationship/);
  await expect(page.getByRole('link', { name: 'Start free' }).first()).toBeVisible();
  await shot(page, 'landing', true);
  expect(errors).toEqual([]);
});

test('an unknown path shows the 404 page from the app', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'We could not find that page' })).toBeVisible();
  expect(errors).toEqual([]);
});
