import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y';
import { apiLogin, DEMO_PASSWORD, mailLink, postEvent, signIn, signUp, uniqueEmail, watchConsole } from './helpers';

test('download my data, then delete my account: signed out, and the password no longer signs in', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  const email = uniqueEmail('leaver');
  const password = 'leaving-password-123';
  await signUp(page, 'Lee Leaver', email, password);

  await page.goto('/account');
  await expect(page.getByRole('heading', { name: 'Your data' })).toBeVisible();
  await expectAccessible(page, 'the account page');

  // The export is a ZIP whose data.json describes this account.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^rapport-data-\d{4}-\d{2}-\d{2}\.zip$/);
  const file = await download.path();
  const json = execFileSync('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("data.json").decode())', file]);
  const data = JSON.parse(json.toString()) as { account: { email: string; name: string } };
  expect(data.account.email).toBe(email);
  expect(data.account.name).toBe('Lee Leaver');

  // The confirmation says what goes and asks for the password; a wrong one keeps the account.
  await page.getByRole('button', { name: 'Delete my account' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('you are signed out on every device')).toBeVisible();
  await dialog.getByLabel('Your password').fill('not-my-password');
  await dialog.getByRole('button', { name: 'Delete my account for good' }).click();
  await expect(dialog.getByRole('alert')).toContainText('password isn’t right');

  await dialog.getByLabel('Your password').fill(password);
  await dialog.getByRole('button', { name: 'Delete my account for good' }).click();
  await expect(page.getByRole('heading', { name: 'Your account has been deleted' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(page, 'the account-deleted page');

  // The old password no longer signs in.
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText(/e-mail address or password is wrong/i);
  expect(errors.filter((e) => !e.includes('401') && !e.includes('403'))).toEqual([]);
});

test('an admin downloads a user’s data on their behalf, then deletes the account after a confirmation that says what goes', async ({ page, request }) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  const email = uniqueEmail('asked-support');
  const password = 'support-asked-123';
  const reg = await request.post('/api/v1/auth/register', { data: { email, password, name: 'Sam Support' } });
  expect(reg.status()).toBe(201);

  await signIn(page, 'admin@demo.rapport.local', DEMO_PASSWORD);
  await page.goto('/admin');
  await page.getByLabel('Search by name or e-mail').fill(email);
  const row = page.getByRole('row', { name: /Sam Support/ });
  await expect(row).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Download data of Sam Support' }).click()]);
  const json = execFileSync('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("data.json").decode())', await download.path()]);
  expect((JSON.parse(json.toString()) as { account: { email: string } }).account.email).toBe(email);

  await row.getByRole('button', { name: 'Delete account of Sam Support' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete Sam Support’s account?' });
  await expect(dialog.getByText('they are signed out on every device')).toBeVisible();
  await expectAccessible(page, 'the admin’s delete-account confirmation');
  await dialog.getByRole('button', { name: 'Delete the account for good' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('No accounts match.')).toBeVisible();

  const login = await request.post('/api/v1/auth/login', { data: { email, password } });
  expect(login.status()).toBe(401);
  expect(errors).toEqual([]);
});

test('a leaver with a subscription, a recording, pulses, a team seat and a certificate takes their data with them and leaves nothing behind', async ({ page, request }) => {
  test.setTimeout(180_000);
  const errors = watchConsole(page);
  const email = uniqueEmail('full-leaver');
  const password = 'full-leaver-password-1';
  const reg = await request.post('/api/v1/auth/register', { data: { email, password, name: 'Fay Fullhouse' } });
  expect(reg.status()).toBe(201);
  const leaver = await apiLogin(request, email, password);
  const asLeaver = { Authorization: `Bearer ${leaver.token}` };

  // A subscription of their own, as Stripe's signed webhooks report it.
  const customer = `cus_e2e_leaver_${Date.now()}`;
  const subscription = `sub_e2e_leaver_${Date.now()}`;
  const periodEnd = Math.floor(Date.now() / 1000) + 30 * 24 * 3600;
  const meta = { user_id: leaver.id, plan_id: 'individual-monthly' };
  await postEvent(request, 'checkout.session.completed', {
    id: `cs_test_leaver_${Date.now()}`, object: 'checkout.session', mode: 'subscription', customer, subscription, client_reference_id: leaver.id, metadata: meta,
  });
  await postEvent(request, 'customer.subscription.created', {
    id: subscription, object: 'subscription', customer, status: 'active', cancel_at_period_end: false,
    current_period_start: periodEnd - 30 * 24 * 3600, current_period_end: periodEnd, metadata: meta,
    items: { object: 'list', data: [{ id: 'si_e2e_leaver', object: 'subscription_item', quantity: 1, price: { id: 'price_e2e', object: 'price', lookup_key: 'rapport_individual_monthly' } }] },
  });
  await expect.poll(async () => ((await (await request.get('/api/v1/me/subscription', { headers: asLeaver })).json()) as { status?: string } | null)?.status, { timeout: 30_000 }).toBe('active');

  // A seat on someone else's team: the manager invites them and they accept through the mailed link.
  const managerEmail = uniqueEmail('leaver-manager');
  const managerReg = await request.post('/api/v1/auth/register', { data: { email: managerEmail, password: 'manager-password-1', name: 'Mo Manager' } });
  expect(managerReg.status()).toBe(201);
  const asManager = { Authorization: `Bearer ${((await managerReg.json()) as { access_token: string }).access_token}` };
  const teamResp = await request.post('/api/v1/teams', { headers: asManager, data: { name: 'Leaver Sellers' } });
  expect(teamResp.status()).toBe(201);
  const team = (await teamResp.json()) as { id: string };
  const admin = await apiLogin(request, 'admin@demo.rapport.local', DEMO_PASSWORD);
  const grant = await request.post('/api/v1/admin/grants', {
    headers: { Authorization: `Bearer ${admin.token}` },
    data: { team_id: team.id, seats: 2, ends_at: new Date(Date.now() + 90 * 864e5).toISOString() },
  });
  expect(grant.status()).toBe(201);
  expect((await request.post(`/api/v1/teams/${team.id}/invites`, { headers: asManager, data: { emails: [email] } })).status()).toBe(201);
  const inviteToken = new URL(await mailLink(email, 'Leaver Sellers', 'http')).pathname.split('/').pop();
  expect((await request.post(`/api/v1/invites/${inviteToken}/accept`, { headers: asLeaver })).status()).toBe(200);
  const reportMembers = async () =>
    ((await (await request.get(`/api/v1/teams/${team.id}/report`, { headers: asManager })).json()) as { members: { user_id: string }[] }).members.map((m) => m.user_id);
  expect(await reportMembers()).toContain(leaver.id);

  // Buyer Pulses: one answered by the buyer, one still waiting for its answer.
  const newPulse = async (meeting: string) => {
    const r = await request.post('/api/v1/pulses', { headers: asLeaver, data: { meeting, prediction: { clarity: 4, understood: 4, again: 4 } } });
    expect(r.status()).toBe(201);
    return `/p/${((await r.json()) as { link: string }).link.split('/p/')[1]}`;
  };
  const answeredLink = await newPulse('Discovery call with Globex');
  expect((await request.post(`/api/v1${answeredLink.replace('/p/', '/pulse/')}`, { data: { clarity: 5, understood: 4, again: 5 } })).status()).toBe(204);
  const waitingLink = await newPulse('Pricing call with Initech');
  expect((await request.get(waitingLink)).status()).toBe(200);

  // A certificate: the free module's lessons completed through the API.
  const mod = (await (await request.get('/api/v1/modules/buyer-has-changed', { headers: asLeaver })).json()) as { lessons: { id: string }[] };
  expect(mod.lessons.length).toBeGreaterThan(0);
  let certificateCode = '';
  for (const lesson of mod.lessons) {
    const r = await request.put(`/api/v1/progress/lessons/${lesson.id}`, { headers: asLeaver, data: { status: 'completed' } });
    expect(r.status()).toBe(200);
    certificateCode = ((await r.json()) as { certificate?: { code: string } }).certificate?.code ?? certificateCode;
  }
  expect(certificateCode, 'a certificate for the finished module').not.toBe('');
  expect((await request.get(`/api/v1/certificates/${certificateCode}`)).status()).toBe(200);

  // A practice recording, uploaded as the raw bytes of a WebM file (stored on S3 in make test).
  const webm = readFileSync(new URL('./fixtures/discovery-call.webm', import.meta.url));
  const started = await request.post('/api/v1/practice/why-now-why-this-year/submissions', { headers: asLeaver });
  expect(started.status()).toBe(201);
  const submissionId = ((await started.json()) as { id: string }).id;
  const put = await request.put(`/api/v1/submissions/${submissionId}/recording`, { headers: { ...asLeaver, 'Content-Type': 'audio/webm' }, data: webm });
  expect(put.status(), await put.text()).toBe(204);
  const sub = (await (await request.get(`/api/v1/submissions/${submissionId}`, { headers: asLeaver })).json()) as { recording_url: string };
  expect(sub.recording_url).toBeTruthy();
  const stored = await request.get(sub.recording_url);
  expect(stored.status()).toBeLessThan(300);
  expect(Buffer.compare(await stored.body(), webm)).toBe(0);

  // Through the account page: the export holds every section, and the recording byte for byte.
  await signIn(page, email, password);
  await page.goto('/account');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data' }).click()]);
  const zip = await download.path();
  const readZip = (name: string) => execFileSync('python3', ['-c', 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))', zip, name]);
  type Export = {
    account: { email: string };
    billing: { subscriptions: { plan: string; status: string }[] };
    teams: { memberships: { team_id: string; team: string }[] };
    pulses: { meeting: string; response: { clarity: number } | null }[];
    practice: { submissions: { id: string; recording: { file: string; bytes: number } | null }[] };
  };
  const data = JSON.parse(readZip('data.json').toString()) as Export;
  expect(data.account.email).toBe(email);
  expect(data.billing.subscriptions).toEqual([expect.objectContaining({ plan: 'individual-monthly', status: 'active' })]);
  expect(data.teams.memberships).toEqual([expect.objectContaining({ team_id: team.id, team: 'Leaver Sellers' })]);
  expect(data.pulses).toHaveLength(2);
  expect(data.pulses.find((p) => p.meeting === 'Discovery call with Globex')?.response).toEqual(expect.objectContaining({ clarity: 5 }));
  expect(data.pulses.find((p) => p.meeting === 'Pricing call with Initech')?.response).toBeNull();
  const recording = data.practice.submissions.find((s) => s.id === submissionId)?.recording;
  expect(recording?.file).toMatch(/^recordings\/.+\.webm$/);
  expect(recording?.bytes).toBe(webm.length);
  expect(Buffer.compare(readZip(recording!.file), webm), `${recording!.file} in the ZIP is the uploaded file`).toBe(0);

  await page.getByRole('button', { name: 'Delete my account' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
  await dialog.getByLabel('Your password').fill(password);
  await dialog.getByRole('button', { name: 'Delete my account for good' }).click();
  await expect(page.getByRole('heading', { name: 'Your account has been deleted' })).toBeVisible();

  // Nothing of theirs answers any more.
  expect((await request.get('/api/v1/me', { headers: asLeaver })).status(), 'the old access token').toBe(401);
  expect((await request.get(sub.recording_url)).status(), 'the recording’s signed link').toBe(404);
  expect((await request.get(`/api/v1/certificates/${certificateCode}`)).status(), 'the certificate’s public page').toBe(404);
  for (const link of [waitingLink, answeredLink]) expect([404, 410], `the buyer's pulse page ${link}`).toContain((await request.get(link)).status());
  expect(await reportMembers()).not.toContain(leaver.id);
  // The address is free: the same e-mail registers a new account.
  expect((await request.post('/api/v1/auth/register', { data: { email, password: 'a-new-start-123', name: 'Fay Again' } })).status()).toBe(201);
  expect(errors.filter((e) => !/40[13]/.test(e))).toEqual([]);
});
