import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y';
import { signUp, uniqueEmail, watchConsole } from './helpers';

test('a learner reads a module to the end and opens its certificate', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  await signUp(page, 'Rita Reader', uniqueEmail('reader'), 'reader-password-1');
  await expect(page.getByRole('heading', { name: /^Welcome, Rita/ })).toBeVisible();
  await expectAccessible(page, 'the dashboard');

  await page.goto('/modules/buyer-has-changed');
  await expectAccessible(page, 'a module page');
  await page.getByRole('link', { name: 'Start the first lesson' }).click();
  for (let i = 0; i < 5; i++) {
    await expect(page.locator('.prose h2').first()).toBeVisible();
    if (i === 0) await expectAccessible(page, 'the lesson reader');
    await page.getByRole('button', { name: 'Mark as complete' }).click();
    await expect(page.getByText('Lesson complete')).toBeVisible();
    if (i < 4) await page.getByRole('link', { name: /→$/ }).click();
  }
  await page.getByRole('link', { name: 'See your certificate' }).click();
  await expect(page.getByRole('heading', { name: 'Rita Reader' })).toBeVisible();
  await expect(page.getByText('The Buyer Has Changed')).toBeVisible();
  const url = page.url();

  // Anyone can verify it, signed in or not; printing hides the app's chrome.
  const stranger = await page.context().browser()!.newPage();
  await stranger.goto(url);
  await expect(stranger.getByRole('heading', { name: 'Rita Reader' })).toBeVisible();
  await stranger.emulateMedia({ media: 'print' });
  await expect(stranger.locator('.site-header')).toBeHidden();

  await page.goto('/dashboard');
  await expect(page.getByRole('link', { name: 'The Buyer Has Changed' }).first()).toBeVisible();
  await expect(page.getByText('5/5 lessons')).toBeVisible();
  expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
});
