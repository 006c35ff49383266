import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, shot, signIn, uniqueEmail, watchConsole } from './helpers';

test('an instructor writes and publishes a lesson that a learner then reads', async ({ browser }) => {
  const slug = `negotiation-${Date.now()}`;
  const instructor = await browser.newPage();
  const errors = watchConsole(instructor);
  await signIn(instructor, 'instructor@demo.rapport.local', DEMO_PASSWORD);

  await instructor.getByRole('link', { name: 'Studio' }).click();
  await expect(instructor.getByRole('heading', { name: 'Studio' })).toBeVisible();
  await instructor.getByRole('link', { name: 'New module' }).click();
  await instructor.getByLabel('Title').fill('Negotiating with Care');
  await instructor.getByLabel('Slug').fill(slug);
  await instructor.getByLabel('Summary').fill('Hold your price without losing the relationship.');
  await instructor.getByLabel('Free for everyone').check();
  await instructor.getByLabel('Relationship management').check();
  await instructor.getByRole('button', { name: 'Create module' }).click();
  await expect(instructor.getByText('State: Draft')).toBeVisible();

  await instructor.getByLabel('New lesson title').fill('Silence Is a Tool');
  await instructor.getByRole('button', { name: 'Add lesson' }).click();
  await expect(instructor.getByLabel('Markdown')).toBeVisible();
  const md = [
    'When the buyer says the price is too high, **pause**.',
    '',
    '## Practice',
    '',
    'Count to three before answering. <script>window.hacked = true</script>',
    '',
    '[a bad link](javascript:alert(1))',
  ].join('\n');
  await instructor.getByLabel('Markdown').fill(md);
  // The live preview is the server's sanitised rendering.
  const preview = instructor.getByLabel('Preview (exactly as learners will see it)');
  await expect(preview.getByRole('heading', { name: 'Practice' })).toBeVisible();
  await expect(preview.locator('strong')).toHaveText('pause');
  await expect(preview.locator('script')).toHaveCount(0);
  await expect(instructor.getByText(/Draft saved at/)).toBeVisible();
  await shot(instructor, 'studio-editor', false);

  await instructor.getByRole('link', { name: /Negotiating with Care/ }).click();
  await instructor.getByRole('button', { name: 'Publish v1' }).click();
  await instructor.getByRole('dialog').getByRole('button', { name: 'Publish now' }).click();
  await expect(instructor.getByText('State: Published v1')).toBeVisible();
  await expect(instructor.getByText(/v1 · .* · 1 lessons/)).toBeVisible();
  expect(errors).toEqual([]);

  const learner = await browser.newPage();
  await signIn(learner, 'learner@demo.rapport.local', DEMO_PASSWORD);
  await expect(learner.getByRole('link', { name: 'Studio' })).toHaveCount(0);
  await learner.goto('/catalog');
  await learner.getByRole('link', { name: 'Negotiating with Care' }).click();
  await learner.getByRole('link', { name: 'Silence Is a Tool' }).click();
  await expect(learner.getByRole('heading', { level: 1, name: 'Silence Is a Tool' })).toBeVisible();
  await expect(learner.locator('.prose strong')).toHaveText('pause');
  expect(await learner.evaluate(() => (window as unknown as { hacked?: boolean }).hacked)).toBeUndefined();
  await expect(learner.locator('.prose a[href^="javascript"]')).toHaveCount(0);
});

test('a premium lesson shows the upgrade panel to a learner without a subscription', async ({ page }) => {
  const errors = watchConsole(page);
  const email = uniqueEmail('free');
  const r = await page.request.post('/api/v1/auth/register', { data: { email, password: 'free-learner-123', name: 'Freya Free' } });
  expect(r.status()).toBe(201);
  await signIn(page, email, 'free-learner-123');
  await page.goto('/modules/self-awareness/naming-emotions');
  await expect(page.getByRole('heading', { name: /Unlock Self-Awareness on the Call/ })).toBeVisible();
  expect(errors.filter((e) => !e.includes('402'))).toEqual([]);
});
