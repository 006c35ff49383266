import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { DEMO_PASSWORD, watchConsole } from './helpers';

// Coaching guides: the demo manager (who manages Demo Sales Team, seeded by `rapport demo`) finds
// the one-page guide on a module page, opens it and prints it without the site's navigation; the
// demo learner, who manages no team, sees no trace of the guides.

async function signInAs(page: Page, email: string) {
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/dashboard$/);
}

test('a manager opens a premium module’s coaching guide and prints it without the navigation', async ({ page }) => {
  test.setTimeout(180_000); // it prints every shipped guide twice (A4 and Letter)
  const errors = watchConsole(page);
  await signInAs(page, 'manager@demo.rapport.local');
  await page.goto('/modules/self-awareness');
  await expect(page.getByRole('heading', { level: 1, name: 'Self-Awareness on the Call' })).toBeVisible();
  const panel = page.getByRole('complementary', { name: 'Coaching guide for managers' });
  await expect(panel).toBeVisible();
  await expectAccessible(page, 'the module page with the coaching panel');
  await panel.getByRole('link', { name: 'Open the coaching guide' }).click();

  await page.waitForURL(/\/coaching\/self-awareness$/);
  const guide = page.getByRole('article', { name: 'Self-Awareness on the Call' });
  await expect(guide.getByRole('heading', { level: 2, name: 'What good looks like' })).toBeVisible();
  await expect(guide.getByRole('heading', { level: 2, name: 'Team discussion questions' })).toBeVisible();
  await expect(guide.getByRole('heading', { level: 2, name: '1:1 prompts' })).toBeVisible();
  await expect(guide.getByRole('heading', { level: 2, name: 'Recognise it when you see it' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Print this guide' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expectAccessible(page, 'the coaching guide');

  // The Print button opens the browser's print dialog; stub it to see that it is called.
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed++;
    };
  });
  await page.getByRole('button', { name: 'Print this guide' }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);

  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('header.site-header')).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.locator('footer.site-footer')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print this guide' })).toBeHidden();
  await expect(page.getByRole('link', { name: '← Back to the module' })).toBeHidden();
  await expect(guide.getByRole('heading', { level: 2, name: 'What good looks like' })).toBeVisible();
  // Black on white.
  const colours = await guide.evaluate((el) => {
    const s = getComputedStyle(el.querySelector('.coaching-body p') ?? el);
    return { color: s.color, background: getComputedStyle(el).backgroundColor };
  });
  expect(colours).toEqual({ color: 'rgb(0, 0, 0)', background: 'rgb(255, 255, 255)' });
  await page.screenshot({ path: 'test-results/coaching-print.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await page.screenshot({ path: 'test-results/coaching-screen.png', fullPage: true });

  // Every shipped guide prints on one page: Chromium's own print output, counted in pages (page.pdf
  // follows the emulated media, so print is emulated again).
  await page.emulateMedia({ media: 'print' });
  for (const slug of ['buyer-has-changed', 'self-awareness', 'self-management', 'reading-buyers',
    'relationships-across-the-account', 'diagnose-the-buying-job', 'build-consensus', 'leading-sellers']) {
    await page.goto(`/coaching/${slug}`);
    await expect(page.getByRole('heading', { level: 2, name: 'What good looks like' })).toBeVisible();
    for (const format of ['A4', 'Letter'] as const) {
      const buf = await page.pdf({ format, preferCSSPageSize: false, margin: { top: '12mm', bottom: '12mm', left: '14mm', right: '14mm' } });
      const pdf = buf.toString('latin1');
      const pages = pdf.match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
      expect(pages, `${slug} on ${format}`).toBe(1);
    }
  }
  await page.emulateMedia({ media: 'screen' });
  expect(errors).toEqual([]);
});

test('a learner who manages no team sees no coaching guide', async ({ page }) => {
  const errors = watchConsole(page);
  await signInAs(page, 'learner@demo.rapport.local');
  await page.goto('/modules/buyer-has-changed');
  await expect(page.getByRole('heading', { level: 1, name: 'The Buyer Has Changed' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Lessons' })).toBeVisible();
  await expect(page.getByText('Coaching guide for managers')).toHaveCount(0);
  await expect(page.getByRole('link', { name: /coaching guide/i })).toHaveCount(0);
  await expectAccessible(page, 'the module page for a learner');
  // The guide's address answers like any page that doesn't exist.
  await page.goto('/coaching/buyer-has-changed');
  await expect(page.getByRole('heading', { level: 1, name: 'We could not find that page' })).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(0);
  expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
});
