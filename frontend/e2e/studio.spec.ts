import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { apiLogin, DEMO_PASSWORD, signIn, uniqueEmail, watchConsole } from './helpers';

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
  // The new lesson's editor opens on the lesson at once: never a "Lesson not found" on the way
  // (which is what left the first keystrokes nowhere to go).
  await instructor.evaluate(() => {
    new MutationObserver(() => {
      if ([...document.querySelectorAll('h1')].some((h) => h.textContent === 'Lesson not found')) {
        (window as unknown as { sawNotFound?: boolean }).sawNotFound = true;
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await instructor.getByRole('button', { name: 'Add lesson' }).click();
  // The lesson's own editor ("Markdown" exactly: the module page's coaching guide is "Guide
  // (Markdown)"), typed into once, as soon as it shows: nothing it holds may be reset after.
  const lessonMarkdown = instructor.getByLabel('Markdown', { exact: true });
  await expect(lessonMarkdown).toBeVisible();
  const md = [
    'When the buyer says the price is too high, **pause**.',
    '',
    '## Practice',
    '',
    'Count to three before answering. <script>window.hacked = true</script>',
    '',
    '[a bad link](javascript:alert(1))',
  ].join('\n');
  expect(await instructor.evaluate(() => (window as unknown as { sawNotFound?: boolean }).sawNotFound)).toBeUndefined();
  await lessonMarkdown.fill(md);
  // The live preview is the server's sanitised rendering.
  const preview = instructor.getByLabel('Preview (exactly as learners will see it)');
  await expect(preview.getByRole('heading', { name: 'Practice' })).toBeVisible();
  await expect(lessonMarkdown).toHaveValue(md);
  await expect(preview.locator('strong')).toHaveText('pause');
  await expect(preview.locator('script')).toHaveCount(0);
  await expect(instructor.getByText(/Draft saved at/)).toBeVisible();

  await instructor.getByRole('link', { name: /Negotiating with Care/ }).click();
  await instructor.getByRole('button', { name: 'Publish v1' }).click();
  await instructor.getByRole('dialog').getByRole('button', { name: 'Publish now' }).click();
  await expect(instructor.getByText('State: Published v1')).toBeVisible();
  await expect(instructor.getByRole('listitem').filter({ hasText: /^v1 · .* · 1 lesson(?!s)/ })).toBeVisible();
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

/** expectNoSidewaysScroll fails when the page is wider than the viewport. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll, `${what}: page width ${scroll} px in a ${inner} px viewport`).toBeLessThanOrEqual(inner);
}

/** studioModule creates a draft module with two lessons through the API, as setup. */
async function studioModule(request: APIRequestContext, slug: string) {
  const { token } = await apiLogin(request, 'instructor@demo.rapport.local', DEMO_PASSWORD);
  const headers = { Authorization: `Bearer ${token}` };
  const mod = await request.post('/api/v1/studio/modules', {
    headers,
    data: { slug, title: 'Closing Without Pressure', summary: 'Ask for the decision the buyer is ready to make.', access: 'free', competencies: ['prescriptive_guidance'] },
  });
  expect(mod.status()).toBe(201);
  const lessons = [
    { slug: 'read-the-room', title: 'Read the Room', markdown: '## Read the room\n\nNotice who has gone quiet.\n\nAsk what would make the decision easy.\n' },
    { slug: 'the-soft-close', title: 'The Soft Close', markdown: '## The soft close\n\nSummarise what the buyer said.\n' },
  ];
  for (const l of lessons) {
    const r = await request.post(`/api/v1/studio/modules/${slug}/lessons`, { headers, data: { ...l, minutes: 4 } });
    expect(r.status()).toBe(201);
  }
}

for (const width of [1280, 390]) {
  test(`an instructor opens a published version read-only and compares it with the draft (${width} px)`, async ({ page, request }) => {
    test.slow(); // six axe runs on a shared machine
    const errors = watchConsole(page);
    const slug = `closing-${width}-${Date.now()}`;
    await studioModule(request, slug);
    await signIn(page, 'instructor@demo.rapport.local', DEMO_PASSWORD);
    await page.setViewportSize({ width, height: 900 });

    await page.goto(`/studio/modules/${slug}`);
    await expect(page.getByText('State: Draft')).toBeVisible();
    await page.getByRole('button', { name: 'Publish v1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish Closing Without Pressure?' });
    await expect(dialog).toBeVisible();
    await expectAccessible(page, 'publish dialog');
    await dialog.getByRole('button', { name: 'Publish now' }).click();
    await expect(page.getByText('State: Published v1')).toBeVisible();
    await expectNoSidewaysScroll(page, 'module editor');
    await expectAccessible(page, 'module editor');

    // Edit the draft: rewrite one line of the first lesson, and add a third lesson.
    await page.getByRole('link', { name: 'Read the Room' }).click();
    const md = page.getByLabel('Markdown');
    await expect(md).toHaveValue(/Notice who has gone quiet/);
    await md.fill('## Read the room\n\nNotice who has stopped asking questions.\n\nAsk what would make the decision easy.\n');
    await expect(page.getByText(/Draft saved at/)).toBeVisible();
    await expectNoSidewaysScroll(page, 'lesson editor');
    await expectAccessible(page, 'lesson editor');
    await expect(page.getByRole('link', { name: 'Changes since v1' })).toBeVisible();
    await page.getByRole('link', { name: /Closing Without Pressure/ }).click();
    await page.getByLabel('New lesson title').fill('Handling a Stall');
    await page.getByRole('button', { name: 'Add lesson' }).click();
    // As in the first journey: typed once, as soon as the new lesson's editor shows.
    const stall = page.getByLabel('Markdown', { exact: true });
    await expect(stall).toBeVisible();
    await stall.fill('When the buyer stalls, ask what changed.');
    await expect(page.getByText(/Draft saved at/)).toBeVisible();
    await expect(stall).toHaveValue('When the buyer stalls, ask what changed.');
    await page.getByRole('link', { name: /Closing Without Pressure/ }).click();

    // The published version, read-only: what learners saw, not the new draft.
    await page.getByRole('link', { name: 'View version 1' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Closing Without Pressure' })).toBeVisible();
    await expect(page.getByText('Published version 1 · read-only')).toBeVisible();
    const first = page.getByRole('article', { name: '1. Read the Room' });
    await expect(first.getByText('Notice who has gone quiet.')).toBeVisible();
    await expect(page.getByText('Notice who has stopped asking questions.')).toHaveCount(0);
    await expect(page.getByRole('article')).toHaveCount(2);
    await expect(page.getByRole('main').locator('textarea, input, [contenteditable]')).toHaveCount(0);
    await expectAccessible(page, 'published version');
    await expectNoSidewaysScroll(page, 'published version');

    // The comparison names each lesson's fate and shows the changed line.
    await page.getByRole('link', { name: 'Compare with the draft' }).click();
    await expect(page.getByText('The drafts against version 1: 1 lesson added, 1 changed, 1 unchanged.')).toBeVisible();
    const changed = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Read the Room' }) });
    await expect(changed.getByText('Changed', { exact: true })).toBeVisible();
    const diff = changed.getByRole('group', { name: 'Changes to the text of Read the Room' });
    await expect(diff.locator('del')).toHaveText('Removed: Notice who has gone quiet.');
    await expect(diff.locator('ins')).toHaveText('Added: Notice who has stopped asking questions.');
    const added = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Handling a Stall' }) });
    await expect(added.getByText('Added', { exact: true })).toBeVisible();
    const same = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'The Soft Close' }) });
    await expect(same.getByText('Unchanged', { exact: true })).toBeVisible();
    await expectAccessible(page, 'version comparison');
    await expectNoSidewaysScroll(page, 'version comparison');
    expect(errors).toEqual([]);
  });
}

test('assessment statistics show each item with its text, explain alpha and flags, and offer the CSV', async ({ page }) => {
  test.slow(); // axe reads every item's row twice, at two widths
  const errors = watchConsole(page);
  await signIn(page, 'instructor@demo.rapport.local', DEMO_PASSWORD);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/studio');
    await page.getByRole('link', { name: 'Assessment statistics' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Assessment statistics' })).toBeVisible();
    await expect(page.getByText(/is the stratified alpha of the combined score/)).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'α composite' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Download CSV' })).toBeEnabled();
    await expect(page.getByRole('row', { name: /Self-awareness/ }).first()).toBeVisible();
    // A statement is shown in full; a long scenario shortened, with its full text a click away.
    await expect(page.getByText('I notice when my mood is changing how I speak to a buyer.')).toBeVisible();
    const scenario = page.getByRole('cell').filter({ hasText: 'At Lyndhurst Clinics, your champion' });
    await expect(scenario).not.toContainText('I\'ll sort it.');
    await scenario.getByRole('button', { name: 'Show full text' }).click();
    await expect(scenario).toContainText('Amara tells you, "Leave them to me. I\'ll sort it."');
    await expect(scenario.getByRole('button', { name: 'Show less' })).toHaveAttribute('aria-expanded', 'true');
    await expectAccessible(page, `assessment statistics at ${width} px`);
    await expectNoSidewaysScroll(page, 'assessment statistics');
  }
  expect(errors).toEqual([]);
});

test('the studio pages fit a phone and pass axe', async ({ page }) => {
  await signIn(page, 'instructor@demo.rapport.local', DEMO_PASSWORD);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/studio');
  await expect(page.getByRole('heading', { level: 1, name: 'Studio' })).toBeVisible();
  await expectAccessible(page, 'studio home');
  await expectNoSidewaysScroll(page, 'studio home');
  await page.goto('/studio/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New module' })).toBeVisible();
  await expectAccessible(page, 'new module');
  await expectNoSidewaysScroll(page, 'new module');
});
