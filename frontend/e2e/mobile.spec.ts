import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { axeProblems } from './a11y';
import { DEMO_PASSWORD, apiLogin, mailLink, uniqueEmail } from './helpers';

// The sweep: every main page of every persona, on a phone (390 × 844) and on a desktop (1280 × 800).
// On each page (and with each dialog open) nothing may scroll sideways and axe-core must find no
// serious or critical problem. Soft assertions, so one run reports every page that fails.
// The data is made here through the API (fresh accounts), not taken from the demo accounts.

const PASSWORD = 'sweep-password-1';
const FREE = 'buyer-has-changed';

type Auth = { token: string; id: string };
type Data = {
  learner: { email: string };
  certificate: string;
  freeLesson: string;
  manager: { email: string };
  team: string;
  rep: Auth;
  studioModule: string;
  studioLesson: string;
};

let data: Data | undefined;

const bearer = (a: Auth | string) => ({ Authorization: `Bearer ${typeof a === 'string' ? a : a.token}` });

async function register(request: APIRequestContext, name: string, email: string): Promise<Auth> {
  const r = await request.post('/api/v1/auth/register', { data: { email, password: PASSWORD, name } });
  expect(r.status(), `register ${email}`).toBe(201);
  const b = (await r.json()) as { access_token: string; user: { id: string } };
  return { token: b.access_token, id: b.user.id };
}

async function ok(r: Promise<import('@playwright/test').APIResponse>, what: string) {
  const res = await r;
  expect(res.ok(), `${what}: ${res.status()} ${await res.text()}`).toBeTruthy();
  return res;
}

/** takeBaseline answers every item of the shipped instrument through the API, with varied values. */
async function takeBaseline(request: APIRequestContext, a: Auth) {
  type Item = { id: string; type: 'likert' | 'sjt' | 'choice'; options: ({ id: string } | string)[] };
  const r = await ok(request.post('/api/v1/assessments/sales-eq-profile/attempts', { headers: bearer(a) }), 'start the baseline');
  const attempt = (await r.json()) as { id: string; items: Item[] };
  for (const [i, item] of attempt.items.entries()) {
    const value =
      item.type === 'likert' ? 1 + (i % 5) : item.type === 'sjt' ? item.options.map((_, j) => 1 + ((i + j) % 5)) : (item.options[i % item.options.length] as { id: string }).id;
    await ok(request.put(`/api/v1/attempts/${attempt.id}/responses/${item.id}`, { headers: bearer(a), data: { value } }), 'answer an item');
  }
  await ok(request.post(`/api/v1/attempts/${attempt.id}/submit`, { headers: bearer(a) }), 'submit the baseline');
}

/** setup makes the sweep's data once: a learner with a baseline, one finished module (with its
 *  certificate) and one started; a manager whose team has seats and one rep; a draft module. */
async function setup(request: APIRequestContext): Promise<Data> {
  if (data) return data;
  const learnerEmail = uniqueEmail('sweep-learner');
  const learner = await register(request, 'Sam Sweep-Learner', learnerEmail);
  const mod = (await (await ok(request.get(`/api/v1/modules/${FREE}`, { headers: bearer(learner) }), 'free module')).json()) as {
    lessons: { id: string; slug: string }[];
  };
  for (const l of mod.lessons) {
    await ok(request.put(`/api/v1/progress/lessons/${l.id}`, { headers: bearer(learner), data: { status: 'completed' } }), 'complete a lesson');
  }
  await takeBaseline(request, learner);
  const certs = (await (await ok(request.get('/api/v1/certificates', { headers: bearer(learner) }), 'certificates')).json()) as {
    certificates: { code: string }[];
  };

  const managerEmail = uniqueEmail('sweep-manager');
  const manager = await register(request, 'Mia Sweep-Manager', managerEmail);
  const team = (await (await ok(request.post('/api/v1/teams', { headers: bearer(manager), data: { name: 'Sweep Sales Team' } }), 'create team')).json()) as {
    id: string;
  };
  const admin = await apiLogin(request, 'admin@demo.rapport.local', DEMO_PASSWORD);
  const ends = new Date(Date.now() + 90 * 86400_000).toISOString();
  await ok(request.post('/api/v1/admin/grants', { headers: bearer(admin), data: { team_id: team.id, seats: 5, ends_at: ends } }), 'grant seats');
  const repEmail = uniqueEmail('sweep-rep');
  await ok(request.post(`/api/v1/teams/${team.id}/invites`, { headers: bearer(manager), data: { emails: [repEmail] } }), 'invite a rep');
  const rep = await register(request, 'Rory Sweep-Representative-With-A-Long-Name', repEmail);
  const token = new URL(await mailLink(repEmail, 'Sweep Sales Team', 'http')).pathname.split('/').pop();
  await ok(request.post(`/api/v1/invites/${token}/accept`, { headers: bearer(rep) }), 'accept the invite');

  const instructor = await apiLogin(request, 'instructor@demo.rapport.local', DEMO_PASSWORD);
  const slug = `sweep-${Date.now()}`;
  await ok(
    request.post('/api/v1/studio/modules', {
      headers: bearer(instructor),
      data: { slug, title: 'Sweep: Reading the room', summary: 'A draft made by the mobile sweep.', access: 'premium', competencies: ['social_awareness'] },
    }),
    'create a module',
  );
  await ok(
    request.post(`/api/v1/studio/modules/${slug}/lessons`, {
      headers: bearer(instructor),
      data: { slug: 'first', title: 'First lesson', minutes: 5, markdown: '# Hello\n\nA long link: https://example.com/a/very/long/path/that/does/not/break/easily/on/a/phone/screen/at/all' },
    }),
    'create a lesson',
  );
  data = {
    learner: { email: learnerEmail },
    certificate: certs.certificates[0]?.code ?? '',
    freeLesson: mod.lessons[0].slug,
    manager: { email: managerEmail },
    team: team.id,
    rep,
    studioModule: slug,
    studioLesson: 'first',
  };
  return data;
}

async function signInAs(page: Page, email: string, password: string) {
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** settle waits until the page has its heading and no loading placeholder or request in flight. */
async function settle(page: Page) {
  await expect(page.locator('main h1').first()).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await page.waitForLoadState('networkidle');
}

/** sweepCheck asserts no sideways scroll (naming the elements that stick out) and a clean axe run. */
async function sweepCheck(page: Page, what: string) {
  const m = await page.evaluate(() => {
    const iw = window.innerWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > iw + 1 && el.getClientRects().length > 0)
      .slice(0, 4)
      .map((el) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''}`);
    return { sw: document.documentElement.scrollWidth, iw, wide };
  });
  expect.soft(m.sw, `${what} scrolls sideways (${m.sw} > ${m.iw}); too wide: ${m.wide.join(', ')}`).toBeLessThanOrEqual(m.iw);
  expect.soft(await axeProblems(page), `axe on ${what}`).toEqual([]);
}

async function visit(page: Page, path: string, what: string) {
  await page.goto(path);
  await settle(page);
  await sweepCheck(page, what);
  // SWEEP_SHOTS=dir saves a full-page screenshot of every visit, to look at by eye.
  const dir = process.env.SWEEP_SHOTS;
  if (dir) await page.screenshot({ path: `${dir}/${page.viewportSize()?.width}-${what.replace(/\W+/g, '-')}.png`, fullPage: true });
}

/** withDialog opens a dialog with the button named `opener`, checks the page with it open, and cancels. */
async function withDialog(page: Page, opener: string | RegExp, what: string) {
  await page.getByRole('button', { name: opener }).first().click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await sweepCheck(page, `${what} (dialog open)`);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
}

/** withMenu opens the phone navigation, checks it, and closes it again. */
async function withMenu(page: Page, what: string) {
  const toggle = page.getByRole('button', { name: 'Menu' });
  if (!(await toggle.isVisible())) return;
  await toggle.click();
  await expect(page.locator('#site-nav')).toBeVisible();
  await sweepCheck(page, `${what} (menu open)`);
  await toggle.click();
}

for (const vp of [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
]) {
  test.describe(`${vp.name} ${vp.width}px`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });
    // Many pages, each checked by axe-core: far slower than one journey.
    test.beforeEach(() => test.setTimeout(240_000));

    test('anonymous visitor', async ({ page, request }) => {
      const d = await setup(request);
      await visit(page, '/', 'the landing page');
      await withMenu(page, 'the landing page');
      await visit(page, '/catalog', 'the catalog');
      await visit(page, '/pricing', 'pricing');
      await visit(page, '/signin', 'sign in');
      await visit(page, '/signup', 'sign up');
      await visit(page, `/modules/${FREE}`, 'a module page');
      await visit(page, `/modules/${FREE}/${d.freeLesson}`, 'a free lesson');
      await visit(page, `/certificates/${d.certificate}`, 'a certificate');
    });

    test('learner', async ({ page, request }) => {
      const d = await setup(request);
      await signInAs(page, d.learner.email, PASSWORD);
      await visit(page, '/dashboard', 'the dashboard');
      await withMenu(page, 'the dashboard');
      await visit(page, '/catalog', 'the catalog (signed in)');
      await visit(page, `/modules/${FREE}`, 'a module page (signed in)');
      await visit(page, `/modules/${FREE}/${d.freeLesson}`, 'a lesson (signed in)');
      await visit(page, '/modules/self-awareness', 'a premium module page');
      await visit(page, '/assessments', 'assessments');
      await visit(page, '/skills', 'skills');
      await visit(page, '/account', 'account');
      await visit(page, '/billing', 'billing');
    });

    test('manager', async ({ page, request }) => {
      const d = await setup(request);
      await signInAs(page, d.manager.email, PASSWORD);
      await visit(page, '/teams', 'the teams list');
      await visit(page, `/teams/${d.team}`, 'a team page');
      await withDialog(page, 'Invite reps', 'a team page');
      await withDialog(page, 'Remove', 'a team page');
      await withDialog(page, 'Recognise', 'a team page');
      await visit(page, `/teams/${d.team}/members/${d.rep.id}`, 'a member page');
    });

    test('instructor', async ({ page, request }) => {
      const d = await setup(request);
      await signInAs(page, 'instructor@demo.rapport.local', DEMO_PASSWORD);
      await visit(page, '/studio', 'the studio home');
      await visit(page, `/studio/modules/${d.studioModule}`, 'the module editor');
      await withDialog(page, /^Publish v/, 'the module editor');
      await visit(page, `/studio/modules/${d.studioModule}/lessons/${d.studioLesson}`, 'the lesson editor');
      await withDialog(page, 'Delete lesson', 'the lesson editor');
    });

    test('admin', async ({ page, request }) => {
      await setup(request);
      await signInAs(page, 'admin@demo.rapport.local', DEMO_PASSWORD);
      await visit(page, '/admin', 'admin users');
      await visit(page, '/admin/grants', 'admin grants');
      await visit(page, '/admin/events', 'admin events');
    });
  });
}
