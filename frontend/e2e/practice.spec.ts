import { chromium, expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { apiLogin, DEMO_PASSWORD, MAILPIT, mailLink, signIn, uniqueEmail, watchConsole } from './helpers';

// Chromium's fake camera and microphone: a test pattern and a beep, recorded for real by
// MediaRecorder. --use-fake-ui-for-media-stream answers the permission prompt with Allow.
const baseArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const fakeDevices = '--use-fake-device-for-media-stream';
test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: [...baseArgs, fakeDevices, '--use-fake-ui-for-media-stream'] } });

type Activity = { slug: string; title: string; kind: 'video' | 'audio' | 'text'; access: string; time_limit_seconds: number };
type Setup = { teamId: string; teamName: string; managerEmail: string; managerPassword: string; repEmail: string; repPassword: string; repName: string };

/** teamWithRep makes a manager with a team, seats from an admin grant, and a rep who joined through
 *  the real invitation e-mail, all through the API (the teams journey itself is teams.spec.ts). */
async function teamWithRep(request: APIRequestContext, label: string): Promise<Setup> {
  const suffix = `${Date.now() % 1e6}`;
  const s: Setup = {
    teamId: '',
    teamName: `${label} ${suffix}`,
    managerEmail: uniqueEmail(`${label.toLowerCase().replace(/\W+/g, '-')}-mgr`),
    managerPassword: 'manager-password-1',
    repEmail: uniqueEmail(`${label.toLowerCase().replace(/\W+/g, '-')}-rep`),
    repPassword: 'rep-password-123',
    repName: 'Rosa Rep',
  };
  const reg = await request.post('/api/v1/auth/register', { data: { email: s.managerEmail, password: s.managerPassword, name: 'Mateo Manager' } });
  expect(reg.status()).toBe(201);
  const managerToken = ((await reg.json()) as { access_token: string }).access_token;
  const auth = { Authorization: `Bearer ${managerToken}` };
  const team = await request.post('/api/v1/teams', { headers: auth, data: { name: s.teamName } });
  expect(team.status()).toBe(201);
  s.teamId = ((await team.json()) as { id: string }).id;
  const admin = await apiLogin(request, 'admin@demo.rapport.local', DEMO_PASSWORD);
  const grant = await request.post('/api/v1/admin/grants', {
    headers: { Authorization: `Bearer ${admin.token}` },
    data: { team_id: s.teamId, seats: 3, ends_at: new Date(Date.now() + 90 * 864e5).toISOString() },
  });
  expect(grant.status()).toBe(201);
  const invite = await request.post(`/api/v1/teams/${s.teamId}/invites`, { headers: auth, data: { emails: [s.repEmail] } });
  expect(invite.status()).toBe(201);
  const repReg = await request.post('/api/v1/auth/register', { data: { email: s.repEmail, password: s.repPassword, name: s.repName } });
  expect(repReg.status()).toBe(201);
  const repToken = ((await repReg.json()) as { access_token: string }).access_token;
  const token = new URL(await mailLink(s.repEmail, s.teamName, 'http')).pathname.split('/').pop();
  const accepted = await request.post(`/api/v1/invites/${token}/accept`, { headers: { Authorization: `Bearer ${repToken}` } });
  expect(accepted.status()).toBe(200);
  return s;
}

/** activities lists the shipped practice activities. */
async function activities(request: APIRequestContext, email: string, password: string): Promise<Activity[]> {
  const { token } = await apiLogin(request, email, password);
  const r = await request.get('/api/v1/practice', { headers: { Authorization: `Bearer ${token}` } });
  expect(r.status()).toBe(200);
  return ((await r.json()) as { activities: Activity[] }).activities;
}

/** practiceLink waits for the review e-mail to `to` and returns its link into the SPA. */
async function practiceLink(to: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const r = await fetch(`${MAILPIT}/api/v1/search?query=${encodeURIComponent(`to:"${to}"`)}`);
    const list = (await r.json()) as { messages: { ID: string }[] };
    for (const m of list.messages) {
      const full = (await (await fetch(`${MAILPIT}/api/v1/message/${m.ID}`)).json()) as { Text: string };
      const link = full.Text.split(/\s+/).find((w) => /^https?:\/\/[^ ]*\/reviews\/[0-9a-f-]+$/.test(w));
      if (link) return link;
    }
    await new Promise((res) => setTimeout(res, 300));
  }
  throw new Error(`no practice review e-mail to ${to} within 20 s`);
}

async function newPage(browser: Browser, grant: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  if (grant) await context.grantPermissions(['camera', 'microphone']);
  return { context, page: await context.newPage() };
}

/** scoreAll chooses the same score on every criterion of the rubric on the page. */
async function scoreAll(page: Page, score: number) {
  const sets = page.locator('fieldset[data-criterion]');
  const n = await sets.count();
  expect(n).toBeGreaterThanOrEqual(3);
  for (let i = 0; i < n; i++) await sets.nth(i).getByRole('radio').nth(score - 1).check();
}

async function noSidewaysScroll(page: Page, what: string) {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(scroll, `${what}: scrollWidth ${scroll} > innerWidth ${inner}`).toBeLessThanOrEqual(inner);
}

test('a rep records a video answer and self-scores; the manager reviews blind from the e-mail, then sees the gap; the rep sees the review', async ({ browser, request }) => {
  test.setTimeout(420_000);
  const s = await teamWithRep(request, 'Practice Crew');
  const all = await activities(request, s.repEmail, s.repPassword);
  const video = all.find((a) => a.kind === 'video');
  expect(video, 'a shipped video activity').toBeTruthy();
  const activity = video!;

  // The rep opens the activity from the list.
  const { page: rep } = await newPage(browser, true);
  const repErrors = watchConsole(rep);
  await signIn(rep, s.repEmail, s.repPassword);
  await rep.getByRole('link', { name: 'Practice', exact: true }).click();
  await expect(rep.getByRole('heading', { name: 'Practice', level: 1 })).toBeVisible();
  await expectAccessible(rep, 'the practice list');
  await rep.getByRole('link', { name: activity.title }).click();
  await expect(rep.getByRole('heading', { name: activity.title, level: 1 })).toBeVisible();
  await expect(rep.getByRole('heading', { name: 'What good looks like' })).toBeVisible();
  await rep.getByRole('button', { name: 'Start your attempt' }).click();

  // Camera on, 3-2-1, a few seconds of the fake camera, stop.
  await rep.getByRole('button', { name: 'Turn on your camera and microphone' }).click();
  const start = rep.getByRole('button', { name: 'Start recording' });
  await expect(start).toBeVisible();
  await expect(start).toBeFocused();
  await expectAccessible(rep, 'the recorder with the camera on');
  await start.click();
  await expect(rep.locator('.recorder-countdown')).toHaveText(/^[321]$/);
  await expect(rep.getByRole('button', { name: 'Stop recording' })).toBeVisible({ timeout: 6_000 });
  const timer = rep.getByRole('timer');
  await expect(timer).toHaveAccessibleName(new RegExp(`of ${activity.time_limit_seconds >= 60 ? '\\d+ minute' : '\\d+ seconds'}`));
  await expect(timer).toContainText('0:03', { timeout: 8_000 });
  await rep.getByRole('button', { name: 'Stop recording' }).click();

  // Playback before sending: the take really plays.
  const take = rep.getByLabel('Your recording');
  await expect(take).toBeVisible();
  await expect(rep.getByRole('button', { name: 'Use this recording' })).toBeFocused();
  const played = await take.evaluate(async (v: HTMLVideoElement) => {
    v.muted = true;
    await v.play();
    await new Promise((res) => setTimeout(res, 1200));
    v.pause();
    return v.currentTime;
  });
  expect(played).toBeGreaterThan(0.5);
  await rep.getByRole('button', { name: 'Use this recording' }).click();
  await expect(rep.getByText('Recording saved', { exact: false }).first()).toBeVisible({ timeout: 30_000 });

  // Submit without scores: every criterion says what is missing.
  await rep.getByRole('button', { name: 'Submit for review' }).click();
  await expect(rep.getByText(/Before you submit: score \d more criteria/)).toBeVisible();
  await expect(rep.getByText('Choose a score from 1 to 5.').first()).toBeVisible();
  await expectAccessible(rep, 'the self-review with missing scores');
  await scoreAll(rep, 4);
  await rep.getByLabel(/What did you notice/).fill('I rushed the opening; the numbers landed better.');
  await rep.getByRole('button', { name: 'Submit for review' }).click();
  await expect(rep.getByText('Sent to your manager.')).toBeVisible();
  await expect(rep.getByRole('button', { name: 'Try again' })).toBeVisible();

  // The manager's team page counts the attempt and leads to the queue.
  const { page: manager } = await newPage(browser, true);
  const managerErrors = watchConsole(manager);
  await signIn(manager, s.managerEmail, s.managerPassword);
  await manager.goto(`/teams/${s.teamId}`);
  await expect(manager.getByText(/1\s*attempt is waiting for your review/)).toBeVisible();
  await manager.getByRole('link', { name: 'Review now' }).first().click();
  await expect(manager.getByRole('heading', { name: 'Practice reviews' })).toBeVisible();
  await expect(manager.getByText(s.repName, { exact: true })).toBeVisible();
  await expectAccessible(manager, 'the review queue');

  // The e-mail's link opens the review; the rep's self-score is neither shown nor sent.
  const link = await practiceLink(s.managerEmail);
  const blind = manager.waitForResponse((r) => /\/api\/v1\/submissions\/[0-9a-f-]+$/.test(new URL(r.url()).pathname) && r.request().method() === 'GET');
  await manager.goto(new URL(link).pathname);
  const body = (await (await blind).json()) as Record<string, unknown>;
  expect(body).not.toHaveProperty('self_review');
  expect(JSON.stringify(body)).not.toContain('I rushed the opening');
  await expect(manager.getByText(/You review blind/)).toBeVisible();
  await expect(manager.getByText('Self-score')).toHaveCount(0);
  await expect(manager.getByText('I rushed the opening')).toHaveCount(0);

  // The server's copy is a WebM file (EBML magic bytes).
  const recordingUrl = String(body.recording_url);
  const file = await manager.request.get(recordingUrl);
  expect(file.status()).toBeLessThan(300);
  expect([...(await file.body()).subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);

  // A comment stamped at 0:02; selecting the stamp seeks there.
  const player = manager.getByLabel(`${s.repName}’s recording`);
  await expect(player).toBeVisible();
  // The player first learns the recording's length (browser WebM files do not state it).
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => Number.isFinite(v.duration) && v.duration > 2 && v.currentTime === 0)).toBe(true);
  await player.evaluate((v: HTMLVideoElement) => {
    v.currentTime = 2;
  });
  const add = manager.getByRole('button', { name: 'Add comment at 0:02' });
  await expect(add).toBeVisible();
  await manager.getByLabel('Comment', { exact: true }).fill('Good pause before the numbers.');
  await add.click();
  await expect(manager.getByText('Good pause before the numbers.', { exact: true })).toBeVisible();
  await player.evaluate((v: HTMLVideoElement) => {
    v.currentTime = 0;
  });
  await manager.getByRole('button', { name: 'Play from 0:02' }).click();
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(1.5);
  await expect(player).toBeFocused();

  await scoreAll(manager, 3);
  await manager.getByLabel(/Summary for/).fill('Keep the pause. Next time, ask her what the missed slots cost before you defend the price.');
  await expectAccessible(manager, 'the review form');
  await manager.getByRole('button', { name: 'Submit review' }).click();
  await expect(manager.getByText(/Review sent/)).toBeVisible();
  // Only now: the rep's self-score and the gap per criterion.
  await expect(manager.getByRole('heading', { name: /Your scores against .*’s own/ })).toBeVisible();
  const gapTable = manager.locator('table.scores-compare');
  await expect(gapTable.getByRole('cell', { name: '+1', exact: false }).first()).toBeVisible();
  await expect(manager.getByText('I rushed the opening')).toBeVisible();
  await expectAccessible(manager, 'the review after submitting');

  // The team page no longer counts it as waiting.
  await manager.goto(`/teams/${s.teamId}`);
  await expect(manager.getByText('No practice attempts are waiting for review.')).toBeVisible();

  // The rep sees the review: attempts side by side, and the review with its stamped comment.
  await rep.goto(`/practice/${activity.slug}`);
  await expect(rep.getByRole('heading', { name: 'Your attempts side by side' })).toBeVisible();
  await expect(rep.getByRole('cell', { name: /You 4 · Reviewers 3/ }).first()).toBeVisible();
  await rep.getByRole('link', { name: 'See the review of attempt 1' }).click();
  await expect(rep.getByText('Keep the pause.', { exact: false })).toBeVisible();
  await expect(rep.getByRole('button', { name: 'Play from 0:02' })).toBeVisible();
  await expectAccessible(rep, 'the reviewed attempt');

  // Deleting the attempt asks first, then removes it.
  await rep.getByRole('button', { name: 'Delete attempt 1' }).click();
  await rep.getByRole('dialog', { name: 'Delete attempt 1?' }).getByRole('button', { name: 'Delete attempt' }).click();
  await expect(rep.getByRole('heading', { name: activity.title, level: 1 })).toBeVisible();
  await expect(rep.getByRole('heading', { name: 'Your attempts side by side' })).toHaveCount(0);
  const gone = await manager.request.get(recordingUrl);
  expect(gone.status()).toBe(404);

  expect(repErrors.filter((e) => !/40[124]/.test(e))).toEqual([]);
  expect(managerErrors.filter((e) => !/40[124]/.test(e))).toEqual([]);
});

test('refused camera permission shows how to allow it, and the written alternative is sent instead; phone layout', async ({ request }) => {
  test.setTimeout(180_000);
  const s = await teamWithRep(request, 'Practice Denied');
  const all = await activities(request, s.repEmail, s.repPassword);
  const video = all.find((a) => a.kind === 'video')!;

  // Without the fake prompt and without a grant, Chromium refuses the camera as a person would.
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...baseArgs, fakeDevices] });
  try {
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const rep = await context.newPage();
    const errors = watchConsole(rep);
    await signIn(rep, s.repEmail, s.repPassword);
    await rep.setViewportSize({ width: 390, height: 844 });
    await rep.goto(`/practice/${video.slug}`);
    await rep.getByRole('button', { name: 'Start your attempt' }).click();
    await expect(rep.getByRole('button', { name: 'Turn on your camera and microphone' })).toBeVisible();
    await noSidewaysScroll(rep, 'the recorder at 390 px');
    await expectAccessible(rep, 'the recorder at 390 px');
    await rep.getByRole('button', { name: 'Turn on your camera and microphone' }).click();
    const guidance = rep.getByRole('alert').filter({ hasText: 'Your browser is not letting Rapport use your camera and microphone.' });
    await expect(guidance).toBeVisible();
    await expect(guidance).toContainText('Set Camera and Microphone to Allow for this site.');
    await expect(rep.getByRole('button', { name: 'Try again' })).toBeVisible();
    await noSidewaysScroll(rep, 'the permission guidance at 390 px');
    await expectAccessible(rep, 'the permission guidance at 390 px');

    await rep.getByRole('button', { name: /write my answer instead/ }).click();
    const answer = rep.getByLabel('Your answer, written');
    await answer.fill('Margaret, you are right to ask. Before price: Lars told me one appointment in nine is missed…');
    await expect(rep.getByText(/\d+ \/ 5,000 characters/)).toBeVisible();
    await scoreAll(rep, 3);
    await noSidewaysScroll(rep, 'the self-review at 390 px');
    await rep.getByRole('button', { name: 'Submit for review' }).click();
    await expect(rep.getByText('Sent to your manager.')).toBeVisible();
    await expect(rep.getByRole('cell', { name: /You 3 · Reviewers –/ }).first()).toBeVisible();
    expect(errors.filter((e) => !/40[124]/.test(e))).toEqual([]);
  } finally {
    await browser.close();
  }

  // The manager gets the written answer to review.
  const link = await practiceLink(s.managerEmail);
  const { token } = await apiLogin(request, s.managerEmail, s.managerPassword);
  const id = new URL(link).pathname.split('/').pop();
  const sub = await request.get(`/api/v1/submissions/${id}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(sub.status()).toBe(200);
  const body = (await sub.json()) as Record<string, unknown>;
  expect(body.text).toContain('Lars told me');
  expect(body).not.toHaveProperty('self_review');
});
