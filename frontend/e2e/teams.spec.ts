import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y';
import { apiLogin, DEMO_PASSWORD, mailLink, signIn, signUp, uniqueEmail, watchConsole, shot } from './helpers';

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
  await shot(manager, 'team', true);

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
