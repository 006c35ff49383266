import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y';
import { apiLogin, signUp, uniqueEmail, watchConsole } from './helpers';

// A new learner's dashboard: "Welcome", a first-steps checklist ticked from real data (each step
// links to where it is done, the list goes once all are done), "Welcome back" after, modules
// counted as in progress or finished, and "what to study next" never offering a finished module.
test('a new learner works through the first steps on the dashboard', async ({ page, request }) => {
  test.setTimeout(180_000);
  const errors = watchConsole(page);
  const email = uniqueEmail('first-steps');
  const password = 'first-steps-password-1';
  await signUp(page, 'Dana Newcomer', email, password);
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Dana' })).toBeVisible();
  const steps = page.getByRole('region', { name: 'Your first steps' });
  await expect(steps.getByText('0 of 3 done')).toBeVisible();
  await expect(steps.getByRole('link', { name: 'Take your baseline skills profile' })).toHaveAttribute('href', '/assessments/sales-eq-profile');
  await expect(page.getByText('Nothing started yet.')).toBeVisible();
  await expectAccessible(page, 'a new learner’s dashboard');

  // The goal step opens the goal form in place, with the focus in the field.
  await steps.getByRole('link', { name: 'Set your weekly learning goal' }).click();
  await expect(page.getByLabel('Minutes per week')).toBeFocused();
  await page.getByLabel('Minutes per week').fill('30');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(steps.getByText('1 of 3 done')).toBeVisible();
  await expect(page.getByText('30 minutes to your goal.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome back, Dana' })).toBeVisible();

  // The lesson step leads to the free module; finishing one lesson ticks it and the module is in progress.
  await steps.getByRole('link', { name: 'Read your first lesson' }).click();
  await page.getByRole('link', { name: 'Start the first lesson' }).click();
  await page.getByRole('button', { name: 'Mark as complete' }).click();
  await expect(page.getByText('Lesson complete')).toBeVisible();
  await page.goto('/dashboard');
  await expect(steps.getByText('2 of 3 done')).toBeVisible();
  await expect(page.getByText('1 in progress · 0 finished')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Continue where you left off' })).toBeVisible();

  // Baseline and the rest of the free module through the API: the checklist goes, the module is
  // finished, and what to study next is another module.
  const { token } = await apiLogin(request, email, password);
  const auth = { Authorization: `Bearer ${token}` };
  const attempt = (await (await request.post('/api/v1/assessments/sales-eq-profile/attempts', { headers: auth })).json()) as {
    id: string;
    items: { id: string; type: string; options: ({ id: string } | string)[] }[];
  };
  for (const [i, item] of attempt.items.entries()) {
    const value = item.type === 'likert' ? 1 + (i % 5) : item.type === 'sjt' ? item.options.map(() => 3) : (item.options[0] as { id: string }).id;
    expect((await request.put(`/api/v1/attempts/${attempt.id}/responses/${item.id}`, { headers: auth, data: { value } })).status()).toBe(204);
  }
  expect((await request.post(`/api/v1/attempts/${attempt.id}/submit`, { headers: auth })).status()).toBe(200);
  const mod = (await (await request.get('/api/v1/modules/buyer-has-changed', { headers: auth })).json()) as { title: string; lessons: { id: string }[] };
  for (const l of mod.lessons) {
    expect((await request.put(`/api/v1/progress/lessons/${l.id}`, { headers: auth, data: { status: 'completed' } })).status()).toBe(200);
  }
  await page.reload();
  await expect(page.getByText('0 in progress · 1 finished')).toBeVisible();
  await expect(steps).toHaveCount(0);
  const next = page.getByRole('region', { name: 'What to study next' });
  await expect(next.getByRole('link', { name: 'Open the module' })).toBeVisible();
  await expect(next.getByText(mod.title)).toHaveCount(0);
  await expectAccessible(page, 'the dashboard after the first steps');
  expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
});
