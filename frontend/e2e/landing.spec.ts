import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { signUp, uniqueEmail, watchConsole, shot } from './helpers';

const words = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/** premiumCount reads how many published modules are premium, the number the copy must say. */
async function premiumCount(page: Page): Promise<{ total: number; premium: number; freeTitle: string; premiumLesson: string }> {
  const r = await page.request.get('/api/v1/modules');
  const { modules } = (await r.json()) as { modules: { access: string; slug: string; title: string }[] };
  const paid = modules.find((m) => m.access === 'premium')!;
  const detail = (await (await page.request.get(`/api/v1/modules/${paid.slug}`)).json()) as { lessons: { slug: string }[] };
  return {
    total: modules.length,
    premium: modules.filter((m) => m.access === 'premium').length,
    freeTitle: modules.find((m) => m.access === 'free')!.title,
    premiumLesson: `/modules/${paid.slug}/${detail.lessons[0].slug}`,
  };
}

test('the landing page says what Rapport is, without console errors', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/quality of the relationship/);
  await expect(page.getByRole('link', { name: 'Start free' }).first()).toBeVisible();
  await shot(page, 'landing', true);
  expect(errors).toEqual([]);
});

test('the landing page shows the product, what each buyer gets, and prices from the plans', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  for (const who of ['For reps', 'For sales managers', 'For instructors']) {
    await expect(page.getByText(who, { exact: true })).toBeVisible();
  }
  const shots = page.locator('figure.shot img');
  await expect(shots).toHaveCount(3);
  for (const img of await shots.all()) {
    await img.scrollIntoViewIfNeeded();
    await expect(img).toHaveAttribute('alt', /.{20,}/);
    // Loaded and decoded: a broken or missing file has no natural width.
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
  }

  const plans = (await (await page.request.get('/api/v1/plans')).json()) as { plans: { per_seat: boolean; interval: string; amount: number }[] };
  const individual = plans.plans.find((p) => !p.per_seat && p.interval === 'month')!;
  const teaser = page.getByRole('region', { name: 'Start free, subscribe when it helps' });
  await teaser.scrollIntoViewIfNeeded();
  await expect(teaser.getByRole('listitem').filter({ hasText: 'Individual' })).toContainText(`$${individual.amount / 100} / month`);
  const { premium } = await premiumCount(page);
  await expect(teaser).toContainText(`Adds the ${words[premium] ?? premium} premium modules`);
  await teaser.getByRole('link', { name: 'Compare plans and prices' }).click();
  await expect(page).toHaveURL(/\/pricing$/);
  await expect(page.getByRole('heading', { name: 'Simple pricing' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('the catalog shows covers, and a lock on premium modules for an anonymous visitor', async ({ page }) => {
  await page.goto('/catalog');
  const cards = page.getByRole('list', { name: 'Modules' }).locator(':scope > li');
  const { total, premium } = await premiumCount(page);
  await expect(cards).toHaveCount(total);
  await expect(page.locator('.module-cover')).toHaveCount(total);
  await expect(page.getByRole('img', { name: 'Locked: needs a subscription' })).toHaveCount(premium);
  const free = cards.filter({ hasText: 'Free' }).first();
  await expect(free.getByRole('img', { name: /Locked/ })).toHaveCount(0);
  await expect(page.getByText(`${words[premium]} premium modules with a subscription`, { exact: false })).toBeVisible();
  await expectAccessible(page, 'catalog (anonymous)');
  await page.goto('/');
  await expectAccessible(page, 'landing');
});

test('a signed-in learner sees progress on the catalog cards and no locks on free modules', async ({ page }) => {
  await signUp(page, 'Cara Catalog', uniqueEmail('catalog'), 'catalog-pass-2026');
  await page.goto('/catalog');
  const free = page.getByRole('list', { name: 'Modules' }).locator(':scope > li').filter({ hasText: 'Free' }).first();
  await expect(free).toContainText('Not started');
  await free.getByRole('link').click();
  await page.getByRole('link', { name: 'Start the first lesson' }).click();
  await page.getByRole('button', { name: 'Mark as complete' }).click();
  await expect(page.getByText('Lesson complete')).toBeVisible();
  await page.goto('/catalog');
  await expect(free.getByRole('progressbar')).toBeVisible();
  await expect(free).toContainText(/1 of \d+ lessons/);
  await expectAccessible(page, 'catalog (signed in)');
  const { premium, premiumLesson } = await premiumCount(page);
  await page.goto(premiumLesson);
  await expect(page.locator('.upgrade')).toContainText(`opens this module and the other ${words[premium - 1]} premium modules`);
  await expectAccessible(page, 'paywall');
});

test('pricing and the paywall say what is really premium', async ({ page }) => {
  const { premium } = await premiumCount(page);
  await page.goto('/pricing');
  await expect(page.locator('.pricing-head .lead')).toContainText(`Subscribe to open the ${words[premium]} premium modules`);
  await expect(page.locator('.pricing-head .lead')).toContainText('progress check-ins');
  await expectAccessible(page, 'pricing');
  const { freeTitle, premiumLesson } = await premiumCount(page);
  await page.goto(premiumLesson);
  await expect(page.locator('.upgrade')).toContainText(`create a free account to start with the module “${freeTitle}”`);
});

test('no sideways scroll at 390 px on the landing page, catalog and pricing', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ['/', '/catalog', '/pricing']) {
    await page.goto(path);
    await expect(page.locator('main h1')).toBeVisible();
    await page.waitForLoadState('networkidle');
    const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(scroll, `${path} scrollWidth at 390 px`).toBeLessThanOrEqual(inner);
  }
});

test('robots.txt and sitemap.xml come from the server, not the app', async ({ request, baseURL }) => {
  const robots = await request.get('/robots.txt');
  expect(robots.headers()['content-type']).toContain('text/plain');
  expect(await robots.text()).toContain(`Sitemap: ${baseURL}/sitemap.xml`);
  const sitemap = await request.get('/sitemap.xml');
  expect(sitemap.headers()['content-type']).toContain('application/xml');
  expect(await sitemap.text()).toContain(`<loc>${baseURL}/catalog</loc>`);
});

test('an unknown path shows the 404 page from the app', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'We could not find that page' })).toBeVisible();
  expect(errors).toEqual([]);
});
