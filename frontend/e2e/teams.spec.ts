import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { apiLogin, DEMO_PASSWORD, mailLink, signIn, signUp, uniqueEmail, watchConsole } from './helpers';

test('a manager invites a rep, the rep joins and finishes a lesson, the manager sees it and recognises them', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const managerEmail = uniqueEmail('manager');
  const repEmail = uniqueEmail('rep');

  const manager = await (await browser.newContext()).newPage();
  const errors = watchConsole(manager);
  await signUp(manager, 'Mia Manager', managerEmail, 'manager-password-1');
  await manager.getByRole('link', { name: 'Teams' }).click();
  await manager.getByLabel('Team name').fill('Northwind Enterprise');
  await manager.getByRole('button', { name: 'Create team' }).click();
  await expect(manager.getByRole('heading', { name: 'Northwind Enterprise' })).toBeVisible();
  const teamId = manager.url().split('/teams/')[1];

  // Seats come from a subscription or, here, an admin's complimentary grant.
  const admin = await apiLogin(request, 'admin@demo.rapport.local', DEMO_PASSWORD);
  const grant = await request.post('/api/v1/admin/grants', {
    headers: { Authorization: `Bearer ${admin.token}` },
    data: { team_id: teamId, seats: 3, ends_at: new Date(Date.now() + 90 * 864e5).toISOString() },
  });
  expect(grant.status()).toBe(201);
  await manager.reload();
  await expect(manager.getByText(/0 of 3 seats used/)).toBeVisible();

  await manager.getByRole('button', { name: 'Invite reps' }).click();
  await manager.getByLabel('E-mail addresses').fill(`Ray Rep <${repEmail}>`);
  await manager.getByRole('dialog').getByRole('button', { name: /Send 1 invite/ }).click();
  await expect(manager.getByText(repEmail)).toBeVisible();
  await expect(manager.getByText(/1 reserved by invites/)).toBeVisible();

  // The rep follows the link from the real e-mail, signs up with the invited address and joins.
  const link = await mailLink(repEmail, 'Northwind Enterprise', 'http');
  const rep = await (await browser.newContext()).newPage();
  const repErrors = watchConsole(rep);
  const invitePath = new URL(link).pathname;
  await rep.goto(invitePath);
  await expect(rep.getByRole('heading', { name: 'Join Northwind Enterprise on Rapport' })).toBeVisible();
  await rep.getByRole('main').getByRole('link', { name: 'Create an account' }).click();
  await rep.getByLabel('Your name').fill('Ray Rep');
  await rep.getByLabel('Work e-mail').fill(repEmail);
  await rep.getByLabel('Password').fill('rep-password-123');
  await rep.getByRole('button', { name: 'Create account' }).click();
  await expect(rep.getByRole('heading', { name: 'Join Northwind Enterprise on Rapport' })).toBeVisible();
  await rep.getByRole('button', { name: 'Accept and join' }).click();
  // A clear confirmation says what joining means and leads on.
  await expect(rep.getByRole('heading', { name: 'You’ve joined Northwind Enterprise' })).toBeVisible();
  await expect(rep.getByText(/can now see your course progress and skills growth/)).toBeVisible();
  await rep.getByRole('link', { name: 'Go to your dashboard' }).click();
  await expect(rep.getByRole('heading', { name: /^Welcome, Ray/ })).toBeVisible();

  // A team seat makes premium lessons readable; the rep finishes one.
  await rep.goto('/modules/self-awareness/naming-emotions');
  await rep.getByRole('button', { name: 'Mark as complete' }).click();
  await expect(rep.getByText('Lesson complete')).toBeVisible();

  await manager.reload();
  await expect(manager.getByText(/1 of 3 seats used/)).toBeVisible();
  const row = manager.getByRole('row', { name: /Ray Rep/ });
  await expect(row.getByText(/^1\/\d+$/)).toBeVisible();
  await expectAccessible(manager, 'the team dashboard');

  await row.getByRole('button', { name: 'Recognise' }).click();
  await manager.getByLabel('What did they do well?').fill('Great start on self-awareness, Ray: first lesson done in your first hour.');
  await manager.getByRole('dialog', { name: 'Recognise Ray Rep' }).getByRole('button', { name: 'Send recognition' }).click();
  await expect(manager.getByText('Great start on self-awareness').first()).toBeVisible();

  const download = manager.waitForEvent('download');
  await manager.getByRole('button', { name: 'Download CSV' }).click();
  expect((await download).suggestedFilename()).toBe('northwind-enterprise-report.csv');

  await rep.goto('/dashboard');
  await expect(rep.getByText('Great start on self-awareness').first()).toBeVisible();
  expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  expect(repErrors.filter((e) => !/40[12]/.test(e))).toEqual([]);
});

/** noSidewaysScroll asserts the page is no wider than the window (at 390 px, say). */
async function noSidewaysScroll(page: Page, what: string) {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(scroll, `${what}: scrollWidth ${scroll} > innerWidth ${inner}`).toBeLessThanOrEqual(inner);
}

/** billingOff makes GET /api/v1/plans say billing_enabled: false for this page, as on a server without Stripe. */
async function billingOff(page: Page) {
  await page.route('**/api/v1/plans', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...(await response.json()), billing_enabled: false } });
  });
}

test('an admin grants seats by typing the team name; at 0 free seats Invite is disabled with the next step; phone layout', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const suffix = `${Date.now() % 1e6}`;
  const teamName = `Harbor Crew ${suffix}`;
  const manager = await (await browser.newContext()).newPage();
  const errors = watchConsole(manager);
  await signUp(manager, 'Hana Harbor', uniqueEmail('harbor-mgr'), 'manager-password-1');
  await manager.goto('/teams');
  await manager.getByLabel('Team name').fill(teamName);
  await manager.getByRole('button', { name: 'Create team' }).click();
  await expect(manager.getByRole('heading', { name: teamName })).toBeVisible();
  const teamId = manager.url().split('/teams/')[1];

  // No seats: Invite reps is disabled and the next step is named. Billing is on here: buy seats.
  const invite = manager.getByRole('button', { name: 'Invite reps' });
  await expect(invite).toBeDisabled();
  await expect(manager.getByText('Your team has no seats yet.')).toBeVisible();
  await expect(manager.locator('.next-step').getByRole('link', { name: 'Buy seats' })).toHaveAttribute('href', `/pricing?team=${teamId}`);
  await expect(invite).toHaveAccessibleDescription(/no seats yet.*Buy seats/);

  // With billing off the next step is the administrator, in words for the manager, not an operator.
  await billingOff(manager);
  await manager.reload();
  await expect(manager.getByText('Ask your Rapport administrator for seats.')).toBeVisible();
  await expect(manager.getByRole('link', { name: /Buy seats/ })).toHaveCount(0);
  await expect(invite).toBeDisabled();
  await manager.goto(`/pricing?team=${teamId}`);
  await expect(manager.getByText('Ask your Rapport administrator for team seats.')).toBeVisible();
  await expect(manager.getByRole('button', { name: /Buy \d+ seats/ })).toHaveCount(0);
  await expect(manager.locator('body')).not.toContainText(/STRIPE|not configured/i);
  await manager.unroute('**/api/v1/plans');

  // The admin finds the team by typing part of its name and chooses it with the keyboard.
  const admin = await (await browser.newContext()).newPage();
  const adminErrors = watchConsole(admin);
  await signIn(admin, 'admin@demo.rapport.local', DEMO_PASSWORD);
  await admin.goto('/admin/grants');
  await expect(admin.getByRole('radio', { name: 'A team' })).toBeChecked();
  const box = admin.getByRole('combobox', { name: 'Team' });
  await box.fill(`harbor crew ${suffix}`);
  const option = admin.getByRole('option', { name: new RegExp(teamName) });
  await expect(option).toBeVisible();
  await expect(option).toContainText('managed by Hana Harbor');
  await expectAccessible(admin, 'the admin grants page with suggestions open');
  await box.press('ArrowDown');
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await box.press('Enter');
  await expect(box).toHaveValue(teamName);
  await expect(admin.getByText(`Chosen: ${teamName}, managed by Hana Harbor · no seats yet.`)).toBeVisible();
  await admin.getByLabel('Seats').fill('2');
  await admin.getByRole('button', { name: 'Grant seats' }).click();
  await expect(admin.getByRole('status')).toContainText(`2 seats granted to ${teamName} until`);
  const grantRow = admin.getByRole('row', { name: new RegExp(teamName) });
  await expect(grantRow).toContainText('active');
  await expect(admin.locator('table')).not.toContainText(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/);
  await expectAccessible(admin, 'the admin grants page');
  await admin.setViewportSize({ width: 390, height: 844 });
  await admin.reload();
  await expect(admin.getByRole('row', { name: new RegExp(teamName) })).toBeVisible();
  await noSidewaysScroll(admin, 'the admin grants page at 390 px');

  // The manager now has two seats; the dialog refuses more addresses than free seats.
  await manager.goto(`/teams/${teamId}`);
  await expect(manager.getByText(/0 of 2 seats used/)).toBeVisible();
  await invite.click();
  const dialog = manager.getByRole('dialog', { name: 'Invite reps' });
  await expectAccessible(manager, 'the team page with the invite dialog open');
  const repEmail = uniqueEmail('harbor-rep');
  await dialog.getByLabel('E-mail addresses').fill(`${repEmail}, two-${suffix}@e2e.rapport.test, three-${suffix}@e2e.rapport.test`);
  await expect(dialog.getByText('You have 2 free seats, so remove 1 address or get more seats first.')).toBeVisible();
  await expect(dialog.getByRole('button', { name: /Send 3 invites/ })).toBeDisabled();
  await dialog.getByLabel('E-mail addresses').fill(`Rita Rep <${repEmail}>, two-${suffix}@e2e.rapport.test`);
  await dialog.getByRole('button', { name: /Send 2 invites/ }).click();
  await expect(dialog).toBeHidden();
  await expect(manager.getByText(/0 of 2 seats used, 2 reserved by invites/)).toBeVisible();
  await expect(invite).toBeDisabled();
  await expect(manager.getByText('All 2 seats are in use or held by pending invites.')).toBeVisible();

  // Rita joins (through the API: the invite journey itself is the test above).
  const reg = await request.post('/api/v1/auth/register', { data: { email: repEmail, password: 'rep-password-123', name: 'Rita Rep' } });
  expect(reg.status()).toBe(201);
  const repToken = ((await reg.json()) as { access_token: string }).access_token;
  const token = new URL(await mailLink(repEmail, teamName, 'http')).pathname.split('/').pop();
  const accepted = await request.post(`/api/v1/invites/${token}/accept`, { headers: { Authorization: `Bearer ${repToken}` } });
  expect(accepted.status()).toBe(200);

  // At 390 px the team page never scrolls sideways, and each rep's actions stay in reach.
  await manager.setViewportSize({ width: 390, height: 844 });
  await manager.reload();
  await expect(manager.getByText(/1 of 2 seats used/)).toBeVisible();
  const card = manager.getByRole('row', { name: /Rita Rep/ });
  await expect(card.getByRole('button', { name: 'Remove Rita Rep' })).toBeInViewport();
  await noSidewaysScroll(manager, 'the team page at 390 px');
  await expectAccessible(manager, 'the team page at 390 px');
  await card.getByRole('button', { name: 'Recognise Rita Rep' }).click();
  await expect(manager.getByRole('dialog', { name: 'Recognise Rita Rep' })).toBeVisible();
  await noSidewaysScroll(manager, 'the recognition dialog at 390 px');
  await expectAccessible(manager, 'the recognition dialog at 390 px');
  await manager.keyboard.press('Escape');
  await manager.getByRole('link', { name: 'Rita Rep' }).click();
  await expect(manager.getByRole('heading', { name: 'Rita Rep' })).toBeVisible();
  await noSidewaysScroll(manager, 'the rep page at 390 px');
  expect(errors.filter((e) => !/40[12]/.test(e))).toEqual([]);
  expect(adminErrors).toEqual([]);
});
