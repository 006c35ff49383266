import { expect, test, type Page } from '@playwright/test';
import { signUp, uniqueEmail, watchConsole } from './helpers';

const REFRESH = '**/api/v1/auth/refresh';

/** refreshAnswers counts the refresh requests the page sends and the statuses it receives. */
function refreshAnswers(page: Page): number[] {
  const seen: number[] = [];
  page.on('requestfinished', async (req) => {
    if (req.url().endsWith('/api/v1/auth/refresh')) seen.push((await req.response())?.status() ?? 0);
  });
  page.on('requestfailed', (req) => {
    if (req.url().endsWith('/api/v1/auth/refresh')) seen.push(0);
  });
  return seen;
}

test('an outage of refresh does not sign the user out; a refused refresh does', async ({ page }) => {
  const errors = watchConsole(page);
  await signUp(page, 'Sam Session', uniqueEmail('session'), 'session-password-1');
  await page.goto('/dashboard');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  const seen = refreshAnswers(page);

  // The server is briefly unavailable: the first refresh after the reload answers 503.
  await page.route(REFRESH, (route) => route.fulfill({ status: 503, contentType: 'application/problem+json',
    body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'Rapport is briefly unavailable.' }) }), { times: 1 });
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect.poll(() => seen).toEqual([503, 200]);

  // The network drops the refresh request: the same.
  seen.length = 0;
  await page.route(REFRESH, (route) => route.abort('connectionreset'), { times: 1 });
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect.poll(() => seen).toEqual([0, 200]);

  // A longer outage outlasts the client's retries: a banner says so, the user is not signed out,
  // and the session comes back by itself once the server answers again.
  seen.length = 0;
  await page.route(REFRESH, (route) => route.fulfill({ status: 503, contentType: 'application/problem+json',
    body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'Rapport is briefly unavailable.' }) }), { times: 4 });
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'We can’t reach Rapport right now' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('We can’t reach Rapport right now')).toHaveCount(0);
  await expect(page).toHaveURL(/\/dashboard$/);
  expect(seen).toEqual([503, 503, 503, 503, 200]);

  // The server refuses the refresh token: now the session is over.
  await page.route(REFRESH, (route) => route.fulfill({ status: 401, contentType: 'application/problem+json',
    body: JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Your session has ended. Please sign in again.' }) }), { times: 1 });
  await page.reload();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  // It stays over after another reload: the page no longer believes a session exists.
  await page.reload();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
});

test('forms check their fields in the browser and say what is wrong next to each field', async ({ page }) => {
  let posted = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/api/v1/auth/')) posted++;
  });
  await page.goto('/signup');
  await page.getByRole('button', { name: 'Create account' }).click();
  const name = page.getByLabel('Your name');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toBeFocused();
  const nameError = page.locator(`#${(await name.getAttribute('aria-describedby'))!.split(' ').pop()}`);
  await expect(nameError).toHaveText('Enter your name.');
  await expect(page.getByText('Enter your work e-mail address.')).toBeVisible();

  await name.fill('Val Idate');
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Work e-mail').fill('val@');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter a valid e-mail address, such as name@company.com.')).toBeVisible();
  await expect(page.getByText('Use at least 10 characters for your password.')).toBeVisible();
  expect(posted).toBe(0);

  // Sign in and the password reset request check theirs too.
  await page.goto('/signin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Enter your e-mail address.')).toBeVisible();
  await expect(page.getByText('Enter your password.')).toBeVisible();
  await page.goto('/forgot-password');
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByText('Enter the e-mail address of your account.')).toBeVisible();
  expect(posted).toBe(0);
});
