import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { parse } from 'yaml';
import { expectAccessible } from './a11y';
import { advanceClock, signUp, uniqueEmail, watchConsole } from './helpers';

type Opt = { id: string; text: string; key: number };
type YItem = { id: string; type: string; prompt: string; reverse?: boolean; options?: Opt[] };
const instrument = parse(readFileSync('../content/assessments/sales-eq-profile.yaml', 'utf8')) as { items: YItem[] };
const likert = new Map(instrument.items.filter((i) => i.type === 'likert').map((i) => [i.prompt.trim(), i]));
const optionKeys = new Map(instrument.items.flatMap((i) => (i.options ?? []).map((o) => [o.text.trim(), o.key] as const)));

/** answerAll answers every screen: `best` picks the expert answers, otherwise the worst ones. */
async function answerAll(page: Page, best: boolean) {
  let keyboardDone = false;
  for (let screen = 0; screen < 40; screen++) {
    const groups = page.locator('fieldset.scale');
    // The screen's heading can show before its items do (the attempt is still loading): count the
    // groups only once they are there, or an empty count sends the loop to a disabled Next.
    await expect(groups.first()).toBeVisible();
    const n = await groups.count();
    for (let i = 0; i < n; i++) {
      const g = groups.nth(i);
      const legend = (await g.locator('legend').innerText()).trim();
      let value: number;
      const item = likert.get(legend);
      if (item) {
        const high = best !== !!item.reverse;
        value = high ? 5 : 1;
      } else {
        const key = optionKeys.get(legend);
        expect(key, `a key for the action "${legend}"`).toBeDefined();
        value = best ? key! : key! >= 3 ? 1 : 5;
      }
      if (item && !keyboardDone) {
        // Keyboard only, on the first statement: focus the first radio, move with the arrow keys.
        keyboardDone = true;
        await g.locator('input[type=radio]').first().focus();
        await page.keyboard.press('Space');
        for (let k = 1; k < value; k++) await page.keyboard.press('ArrowRight');
        await expect(g.locator('input[type=radio]').nth(value - 1)).toBeChecked();
      } else {
        await g.locator('label.scale-option').nth(value - 1).click();
      }
    }
    const submit = page.getByRole('button', { name: 'See my results' });
    if (await submit.isVisible()) {
      await expect(submit).toBeEnabled();
      await submit.click();
      return;
    }
    await page.getByRole('button', { name: 'Next' }).click();
  }
  throw new Error('the assessment did not end');
}

test('baseline, radar chart, a progress check-in 14 days later, and real growth', async ({ page, request }) => {
  test.setTimeout(180_000);
  const errors = watchConsole(page);
  await signUp(page, 'Gina Growth', uniqueEmail('growth'), 'growth-password-1');

  await page.goto('/assessments');
  await expectAccessible(page, 'the assessments page');
  await page.getByRole('link', { name: 'Take the baseline' }).click();
  await expect(page.getByText('Baseline')).toBeVisible();
  await expectAccessible(page, 'an assessment screen');

  // Answer a little, reload, and find the answers still there (autosave + resume).
  // (The first screen is a group of statements or one scenario, in this attempt's random order.)
  const groups = page.locator('fieldset.scale');
  await expect(groups.first()).toBeVisible();
  const count = await groups.count();
  const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/responses/'));
  // One statement is one answer; a scenario is saved once all of its actions are rated.
  const answered: string[] = [];
  for (let i = 0; i < count; i++) {
    await groups.nth(i).locator('label.scale-option').nth(2).click();
    const legend = (await groups.nth(i).locator('legend').innerText()).trim();
    answered.push(legend);
    if (likert.has(legend)) break;
  }
  expect((await saved).status()).toBe(204);
  await expect(page.getByText('all answers saved')).toBeVisible();
  await page.reload();
  // The answer survived the reload; the flow resumes at the first screen still unanswered.
  await expect(page.getByText(/^1 of \d+ answered/)).toBeVisible();
  const back = page.getByRole('button', { name: 'Back' });
  if (await back.isEnabled()) await back.click();
  const g = page.locator('fieldset.scale').filter({ has: page.locator('legend', { hasText: answered[0] }) }).first();
  await expect(g.locator('input[type=radio]').nth(2)).toBeChecked();
  if (await page.getByRole('button', { name: 'Next' }).isEnabled()) await page.getByRole('button', { name: 'Next' }).click();

  await answerAll(page, false);
  await expect(page.getByRole('heading', { name: 'Your skills' })).toBeVisible();
  await expect(page.getByRole('img', { name: /Radar chart of your baseline/ })).toBeVisible();
  await expect(page.getByText('What to study next')).toBeVisible();
  await expectAccessible(page, 'the skills page after the baseline');
  await expect(page.getByText(/Next check-in opens/)).toBeVisible();

  // The admin's API call runs in its own request context, so the learner's browser session is untouched.
  await advanceClock(request, 14 * 24 * 3600 + 60);
  await page.reload();
  await page.getByRole('link', { name: 'Take a progress check-in' }).click();
  await expect(page.getByText('Progress check-in')).toBeVisible();
  await answerAll(page, true);

  await expect(page.getByRole('heading', { name: 'Your skills' })).toBeVisible();
  await expect(page.getByText('Real growth').first()).toBeVisible();
  await expect(page.getByRole('img', { name: /scores over time, with the band where the true score likely lies/ }).first()).toBeVisible();
  await expect(page.getByText(/The shaded band is where your true score likely lies/).first()).toBeVisible();
  expect(errors.filter((e) => !/40[19]/.test(e))).toEqual([]);
});
