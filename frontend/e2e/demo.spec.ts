import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, shot, watchConsole } from './helpers';

// `rapport demo` (run by the e2e server before it serves) leaves the demo accounts with eight
// weeks of history made through the services. These checks open them as a visitor would, on a
// desktop and on a phone, and find that history on the screens the README points to. Specs that
// run earlier may move the server's clock forward (advanceClock), so nothing here depends on
// today's date: the weekly streak and the pending invite are checked by cmd/rapport/demo_test.go.

async function signInAs(page: Page, email: string) {
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/dashboard$/);
}

for (const width of [1280, 390]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('the demo learner has growth on her skills chart, certificates and a module to resume', async ({ page }) => {
      const errors = watchConsole(page);
      await signInAs(page, 'learner@demo.rapport.local');
      await expect(page.getByRole('heading', { name: 'This week' })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Continue where you left off' })).toBeVisible();
      const certificates = page.getByRole('region', { name: 'Certificates' });
      await expect(certificates.getByRole('link', { name: 'The Buyer Has Changed' })).toBeVisible();
      // The README's screenshots are these demo screens (make screenshots), so a new user finds
      // each of them right after `make run` under the account the README names.
      if (width === 1280) await shot(page, 'dashboard', true);

      await page.goto('/skills');
      await expect(page.getByRole('img', { name: /Radar chart of your baseline and latest scores/ })).toBeVisible();
      await expect(page.getByText('Real growth').first()).toBeVisible();
      await expect(page.getByRole('img', { name: 'Self-awareness scores over time' })).toBeVisible();
      if (width === 1280) await shot(page, 'skills', true);

      await page.goto('/dashboard');
      await certificates.getByRole('link', { name: 'The Buyer Has Changed' }).click();
      const main = page.getByRole('main');
      await expect(main.getByText('Lena Learner').first()).toBeVisible();
      await expect(main.getByText('The Buyer Has Changed').first()).toBeVisible();
      if (width === 1280) await shot(page, 'certificate', false);
      expect(errors).toEqual([]);
    });

    test('the demo manager sees Demo Sales Team with reps, assignments and recognition', async ({ page }) => {
      const errors = watchConsole(page);
      await signInAs(page, 'manager@demo.rapport.local');
      await page.goto('/teams');
      await page.getByRole('link', { name: /Demo Sales Team/ }).first().click();
      await expect(page.getByRole('heading', { level: 1, name: 'Demo Sales Team' })).toBeVisible();
      const reps = page.getByRole('region', { name: 'Reps' });
      for (const name of ['Priya Patel', 'Diego Alvarez', 'Sam Okafor', 'Hannah Berg', 'Tom Reilly', 'Aisha Khan', 'Leo Novak']) {
        await expect(reps.getByText(name, { exact: true }).first()).toBeVisible();
      }
      await expect(reps.getByText(/Real growth/).first()).toBeVisible();

      const assignments = page.getByRole('region', { name: 'Assignments' });
      await expect(assignments.getByRole('heading', { name: 'Self-Awareness on the Call' })).toBeVisible();
      await expect(assignments.getByRole('heading', { name: 'Buyer Enablement II: Build Consensus' })).toBeVisible();
      await expect(assignments.getByText('Overdue').first()).toBeVisible();

      const feed = page.getByRole('region', { name: 'Recognition' });
      await expect(feed.getByText(/three stakeholders at Brightwell/)).toBeVisible();
      if (width === 1280) await shot(page, 'team', true);
      expect(errors).toEqual([]);
    });
  });
}

test('the demo instructor has a draft lesson waiting to be published', async ({ page }) => {
  const errors = watchConsole(page);
  await signInAs(page, 'instructor@demo.rapport.local');
  await page.goto('/studio/modules/leading-sellers');
  await expect(page.getByText('One-to-Ones Reps Look Forward To')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Publish v2' })).toBeVisible();
  await page.getByRole('link', { name: 'One-to-Ones Reps Look Forward To' }).click();
  await expect(page.getByLabel('Title')).toHaveValue('One-to-Ones Reps Look Forward To');
  await expect(page.locator('.preview h2, .preview p').first()).toBeVisible();
  await shot(page, 'studio-editor', false);
  expect(errors).toEqual([]);
});
