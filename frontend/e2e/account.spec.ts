import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y';
import { DEMO_PASSWORD, signIn, signUp, uniqueEmail, watchConsole } from './helpers';

test('download my data, then delete my account: signed out, and the password no longer signs in', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  const email = uniqueEmail('leaver');
  const password = 'leaving-password-123';
  await signUp(page, 'Lee Leaver', email, password);

  await page.goto('/account');
  await expect(page.getByRole('heading', { name: 'Your data' })).toBeVisible();
  await expectAccessible(page, 'the account page');

  // The export is a ZIP whose data.json describes this account.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^rapport-data-\d{4}-\d{2}-\d{2}\.zip$/);
  const file = await download.path();
  const json = execFileSync('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("data.json").decode())', file]);
  const data = JSON.parse(json.toString()) as { account: { email: string; name: string } };
  expect(data.account.email).toBe(email);
  expect(data.account.name).toBe('Lee Leaver');

  // The confirmation says what goes and asks for the password; a wrong one keeps the account.
  await page.getByRole('button', { name: 'Delete my account' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('you are signed out on every device')).toBeVisible();
  await dialog.getByLabel('Your password').fill('not-my-password');
  await dialog.getByRole('button', { name: 'Delete my account for good' }).click();
  await expect(dialog.getByRole('alert')).toContainText('password isn’t right');

  await dialog.getByLabel('Your password').fill(password);
  await dialog.getByRole('button', { name: 'Delete my account for good' }).click();
  await expect(page.getByRole('heading', { name: 'Your account has been deleted' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(page, 'the account-deleted page');

  // The old password no longer signs in.
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText(/e-mail address or password is wrong/i);
  expect(errors.filter((e) => !e.includes('401') && !e.includes('403'))).toEqual([]);
});

test('an admin downloads a user’s data on their behalf, then deletes the account after a confirmation that says what goes', async ({ page, request }) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  const email = uniqueEmail('asked-support');
  const password = 'support-asked-123';
  const reg = await request.post('/api/v1/auth/register', { data: { email, password, name: 'Sam Support' } });
  expect(reg.status()).toBe(201);

  await signIn(page, 'admin@demo.rapport.local', DEMO_PASSWORD);
  await page.goto('/admin');
  await page.getByLabel('Search by name or e-mail').fill(email);
  const row = page.getByRole('row', { name: /Sam Support/ });
  await expect(row).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Download data of Sam Support' }).click()]);
  const json = execFileSync('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("data.json").decode())', await download.path()]);
  expect((JSON.parse(json.toString()) as { account: { email: string } }).account.email).toBe(email);

  await row.getByRole('button', { name: 'Delete account of Sam Support' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete Sam Support’s account?' });
  await expect(dialog.getByText('they are signed out on every device')).toBeVisible();
  await expectAccessible(page, 'the admin’s delete-account confirmation');
  await dialog.getByRole('button', { name: 'Delete the account for good' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('No accounts match.')).toBeVisible();

  const login = await request.post('/api/v1/auth/login', { data: { email, password } });
  expect(login.status()).toBe(401);
  expect(errors).toEqual([]);
});
