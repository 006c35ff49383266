import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y';
import { advanceClock, signUp, uniqueEmail, watchConsole } from './helpers';

const LESSON_FILE = '../content/modules/01-buyer-has-changed/01-six-buying-jobs.md';

/** lessonChecks reads the first lesson's checks from its content file: each check's id, its
 *  option ids in order and its answer (the API never tells the answer before an answer). */
function lessonChecks(): { id: string; options: string[]; answer: string }[] {
  const fm = readFileSync(LESSON_FILE, 'utf8').split(/^---$/m)[1];
  return fm
    .split(/^ {2}- id: /m)
    .slice(1)
    .map((block) => ({
      id: block.split('\n')[0].trim(),
      options: [...block.matchAll(/^ {6}- id: (\S+)$/gm)].map((m) => m[1]),
      answer: /^ {4}answer: (\S+)$/m.exec(block)![1],
    }));
}

test('a learner answers checks, one wrong, and clears the review the next day', async ({ page, request }) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  const [first, second] = lessonChecks();
  await signUp(page, 'Rhea Reviewer', uniqueEmail('review'), 'review-password-1');

  await page.goto('/modules/buyer-has-changed/six-buying-jobs');
  await expect(page.getByRole('heading', { name: 'Check yourself' })).toBeVisible();
  // Completing the lesson never waits for its checks.
  await page.getByRole('button', { name: 'Mark as complete' }).click();
  await expect(page.getByText('Lesson complete')).toBeVisible();
  await expectAccessible(page, 'the lesson with its checks');

  // The first check, answered wrong with the mouse: feedback explains and shows the better answer.
  const one = page.locator(`form[data-check="${first.id}"]`);
  const wrong = first.options.find((o) => o !== first.answer)!;
  await one.locator(`input[value="${wrong}"]`).check();
  await one.getByRole('button', { name: 'Check my answer' }).click();
  await expect(one.getByText('Not quite.')).toBeVisible();
  await expect(one.getByText('The better answer:')).toBeVisible();
  await expect(one.locator('.check-option.right')).toHaveCount(1);

  // The second, answered right with the keyboard alone.
  const two = page.locator(`form[data-check="${second.id}"]`);
  await two.getByRole('radio').first().focus();
  await page.keyboard.press('Space');
  for (let i = 0; i < second.options.indexOf(second.answer); i++) await page.keyboard.press('ArrowDown');
  await expect(two.locator(`input[value="${second.answer}"]`)).toBeChecked();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(two.getByText('Right.')).toBeVisible();
  await expectAccessible(page, 'checks with feedback');

  // Nothing is due today; the dashboard says when.
  await page.goto('/dashboard');
  await expect(page.getByRole('heading', { name: 'Review', exact: true })).toBeVisible();
  // The day is the browser's: other specs may have moved the server's test clock ahead of it.
  await expect(page.getByText(/All caught up\. Your next review is due/)).toBeVisible();

  // The next day the wrong one is back.
  await advanceClock(request, 25 * 3600);
  await page.reload();
  await expect(page.getByText('1 to review, about 1 minute')).toBeVisible();
  await page.getByRole('link', { name: 'Start review' }).click();
  await expect(page).toHaveURL(/\/review$/);
  await expect(page.getByText('1 of 1')).toBeVisible();
  await expectAccessible(page, 'the review page');
  const card = page.locator(`form[data-check="${first.id}"]`);
  await card.locator(`input[value="${first.answer}"]`).check();
  await card.getByRole('button', { name: 'Check my answer' }).click();
  await expect(card.getByText('Right.')).toBeVisible();
  await page.getByRole('button', { name: 'Finish' }).click();
  await expect(page.getByRole('heading', { name: 'Review done' })).toBeVisible();
  await expect(page.getByText('You answered 1 of 1 right.')).toBeVisible();

  // The review page, opened again, is empty and says when the next review is due.
  await page.getByRole('link', { name: 'Review', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Nothing to review right now' })).toBeVisible();
  await expect(page.getByText(/Your next review is due/)).toBeVisible();
  await expectAccessible(page, 'the empty review page');

  // The dashboard card follows.
  await page.goto('/dashboard');
  await expect(page.getByText(/All caught up\./)).toBeVisible();
  expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
});
