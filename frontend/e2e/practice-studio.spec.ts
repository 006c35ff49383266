import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y';
import { apiLogin, DEMO_PASSWORD, signIn, watchConsole } from './helpers';

const anchors = (what: string) => ({ '1': `Skips ${what}.`, '3': `Does ${what} in part.`, '5': `Does ${what} well.` });

test('an instructor rewrites a criterion of a practice activity, previews the brief and saves; the learner sees the change', async ({ page, request }) => {
  // The activity is the spec's own, so other specs keep the shipped activities as written.
  const slug = `studio-practice-${Date.now()}`;
  const { token } = await apiLogin(request, 'instructor@demo.rapport.local', DEMO_PASSWORD);
  const created = await request.post('/api/v1/studio/practice', {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      slug,
      title: 'Answer the procurement lead',
      module_slug: 'build-consensus',
      competencies: ['self_management', 'job_diagnosis'],
      kind: 'audio',
      brief: '## The situation\n\nDev Patel asks for fifteen percent off.\n\n## Your task\n\nYou have 90 seconds.',
      time_limit_seconds: 90,
      rubric: [
        { id: 'stays-steady', competency: 'self_management', criterion: 'Stays steady', anchors: anchors('staying steady') },
        { id: 'explores', competency: 'job_diagnosis', criterion: 'Explores the comparison', anchors: anchors('exploring') },
        { id: 'next-step', competency: 'job_diagnosis', criterion: 'Proposes a next step', anchors: anchors('a next step') },
      ],
    },
  });
  expect(created.status()).toBe(201);

  const errors = watchConsole(page);
  await signIn(page, 'instructor@demo.rapport.local', DEMO_PASSWORD);
  await page.getByRole('link', { name: 'Studio' }).click();
  await page.getByRole('navigation', { name: 'Studio' }).getByRole('link', { name: 'Practice' }).click();
  await expect(page.getByRole('heading', { name: 'Practice activities' })).toBeVisible();
  await page.getByRole('link', { name: 'Answer the procurement lead' }).click();
  await expect(page.getByRole('heading', { name: 'Answer the procurement lead' })).toBeVisible();

  // The brief's live preview is the server's sanitised rendering.
  const preview = page.getByLabel('Preview (exactly as learners will see it)');
  await page.getByLabel('Markdown').fill(
    '## The situation\n\n> "We like the solution, but you\'ll need to come down **fifteen percent**."\n\n<script>window.hacked = true</script>\n\n## Your task\n\nYou have 90 seconds.',
  );
  await expect(preview.locator('blockquote strong')).toHaveText('fifteen percent');
  await expect(preview.locator('script')).toHaveCount(0);

  // A criterion is reworded, keeping its id; a blank anchor is refused with its field named.
  await page.getByLabel('Criterion 2: the behaviour scored').fill('Explores what the fifteen percent is compared with');
  await page.getByLabel('Criterion 2: a 5').fill(' ');
  await page.getByRole('button', { name: 'Save activity' }).first().click();
  await expect(page.getByText('Not saved yet. Please fix the highlighted fields.')).toBeVisible();
  await expect(page.getByLabel('Criterion 2: a 5')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Criterion 2: a 5').fill('Asks what each option includes and links the price to the cost of the problem.');
  await page.getByRole('button', { name: 'Save activity' }).first().click();
  await expect(page.getByText('Saved. Learners see this version now.')).toBeVisible();
  await expectAccessible(page, 'the practice activity editor');
  // The one refused save above is the only error the browser saw.
  expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);

  // The learner's view of the activity has the new criterion, its anchors and the new brief.
  const learner = await apiLogin(request, 'learner@demo.rapport.local', DEMO_PASSWORD);
  const seen = await request.get(`/api/v1/practice/${slug}`, { headers: { Authorization: `Bearer ${learner.token}` } });
  expect(seen.status()).toBe(200);
  const activity = (await seen.json()) as { brief_html: string; rubric: { id: string; criterion: string; anchors: Record<string, string> }[] };
  expect(activity.rubric[1]).toMatchObject({
    id: 'explores',
    criterion: 'Explores what the fifteen percent is compared with',
    anchors: { '5': 'Asks what each option includes and links the price to the cost of the problem.' },
  });
  expect(activity.brief_html).toContain('<strong>fifteen percent</strong>');
  expect(activity.brief_html).not.toContain('<script');
});

test('the practice Studio works at 390 px', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  // On a phone the navigation folds into a menu, so signing in is confirmed by the dashboard.
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill('instructor@demo.rapport.local');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/studio/practice/new');
  await expect(page.getByRole('heading', { name: 'New practice activity' })).toBeVisible();
  await expect(page.getByLabel('Criterion 1: a 5')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(page, 'a new practice activity at 390 px');
  await context.close();
});
