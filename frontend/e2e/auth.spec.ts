import { expect, test } from '@playwright/test';
import { mailLink, signIn, uniqueEmail, watchConsole } from './helpers';

test('sign up, sign out, sign in, then reset the password through the e-mailed link', async ({ page }) => {
  const errors = watchConsole(page);
  const email = uniqueEmail('journey');
  const first = 'first-password-123';
  const second = 'second-password-456';

  await page.goto('/signup');
  await page.getByLabel('Your name').fill('Jordan Journey');
  await page.getByLabel('Work e-mail').fill(email);
  await page.getByLabel('Password').fill(first);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Please confirm your e-mail address')).toBeVisible();

  // The verification link from the real e-mail confirms the address.
  const verify = await mailLink(email, 'Confirm your e-mail', 'http');
  await page.goto(new URL(verify).pathname + new URL(verify).search);
  await expect(page.getByRole('heading', { name: 'Your e-mail is confirmed' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();

  // A wrong password is refused with a clear message.
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText(/e-mail address or password is wrong/i);

  await signIn(page, email, first);
  // A reload keeps the session: the refresh cookie becomes a new in-memory access token.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  await page.goto('/forgot-password');
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByText('a reset link is on its way')).toBeVisible();
  const reset = await mailLink(email, 'Reset your Rapport password', 'http');
  await page.goto(new URL(reset).pathname + new URL(reset).search);
  await page.getByLabel('New password').fill(second);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByText('Your password has been changed')).toBeVisible();

  await signIn(page, email, second);
  await page.goto('/account');
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(page.getByText(`${email} · e-mail confirmed`)).toBeVisible();
  expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
});
