import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { apiLogin, DEMO_PASSWORD, mailLink, signIn, uniqueEmail, watchConsole } from './helpers';

const PASSWORD = 'pulse-password-123';
type Auth = { token: string; id: string };
const bearer = (a: Auth) => ({ Authorization: `Bearer ${a.token}` });

async function register(request: APIRequestContext, name: string, email: string): Promise<Auth> {
  const r = await request.post('/api/v1/auth/register', { data: { email, password: PASSWORD, name } });
  expect(r.status(), `register ${email}`).toBe(201);
  const b = (await r.json()) as { access_token: string; user: { id: string } };
  return { token: b.access_token, id: b.user.id };
}

/** answerByAPI creates a pulse for the rep and answers it as a buyer through the JSON API. */
async function answerByAPI(request: APIRequestContext, rep: Auth, meeting: string, answer: Record<string, number>) {
  const c = await request.post('/api/v1/pulses', { headers: bearer(rep), data: { meeting, prediction: { clarity: 3, understood: 3, again: 3 } } });
  expect(c.status()).toBe(201);
  const token = ((await c.json()) as { link: string }).link.split('/p/')[1];
  expect((await request.post(`/api/v1/pulse/${token}`, { data: answer })).status()).toBe(204);
}

/** pick chooses value v (1-5) in the buyer page's question group by clicking its label. */
async function pick(page: Page, question: RegExp, v: number) {
  const choice = page.getByRole('group', { name: question }).locator('.scale label').nth(v - 1);
  await choice.click();
  await expect(choice.locator('input')).toBeChecked();
}

test('a rep asks a buyer, the buyer answers with no account (and no JavaScript), the rep sees accuracy, the manager recognises it', async ({ browser, request }) => {
  test.setTimeout(240_000);
  // A manager's team with one rep, made through the API.
  const managerEmail = uniqueEmail('pulse-manager');
  const repEmail = uniqueEmail('pulse-rep');
  const manager = await register(request, 'Max Pulse-Manager', managerEmail);
  const team = (await (await request.post('/api/v1/teams', { headers: bearer(manager), data: { name: 'Pulse Sellers' } })).json()) as { id: string };
  const admin = await apiLogin(request, 'admin@demo.rapport.local', DEMO_PASSWORD);
  const ends = new Date(Date.now() + 90 * 864e5).toISOString();
  expect((await request.post('/api/v1/admin/grants', { headers: { Authorization: `Bearer ${admin.token}` }, data: { team_id: team.id, seats: 3, ends_at: ends } })).status()).toBe(201);
  expect((await request.post(`/api/v1/teams/${team.id}/invites`, { headers: bearer(manager), data: { emails: [repEmail] } })).status()).toBe(201);
  const rep = await register(request, 'Pia Pulse-Rep', repEmail);
  const inviteToken = new URL(await mailLink(repEmail, 'Pulse Sellers', 'http')).pathname.split('/').pop();
  expect((await request.post(`/api/v1/invites/${inviteToken}/accept`, { headers: bearer(rep) })).status()).toBe(200);

  // The rep creates a pulse with a prediction.
  const repPage = await (await browser.newContext()).newPage();
  const repErrors = watchConsole(repPage);
  await signIn(repPage, repEmail, PASSWORD);
  await repPage.getByRole('link', { name: 'Buyer Pulse' }).click();
  await expect(repPage.getByRole('heading', { name: 'Buyer Pulse', level: 1 })).toBeVisible();
  await expectAccessible(repPage, 'the Buyer Pulse page');
  await repPage.getByLabel('Meeting').fill('Discovery call with Acme');
  const predict = async (legend: RegExp, v: number) =>
    repPage.getByRole('group', { name: legend }).locator('label.scale-option').nth(v - 1).click();
  await predict(/easier is their decision/, 4);
  await predict(/understand their situation/, 5);
  await predict(/another conversation/, 4);
  await repPage.getByRole('button', { name: 'Create pulse' }).click();
  const link = await repPage.getByLabel('Link for your buyer').inputValue();
  expect(link).toMatch(/\/p\/[A-Za-z0-9_-]{43}$/);
  await expect(repPage.getByRole('button', { name: /Copy link|Copied/ })).toBeVisible();
  await expect(repPage.getByText('Waiting')).toBeVisible();

  // The buyer: a fresh browser, no account, a 390 px phone, JavaScript off.
  const buyerCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const buyer = await buyerCtx.newPage();
  const page = await buyer.goto(link);
  expect(page!.status()).toBe(200);
  await expect(buyer.getByRole('heading', { name: /How did “Discovery call with Acme” go for you\?/ })).toBeVisible();
  await expect(buyer.getByText(/Pia Pulse-Rep asks for your honest view/)).toBeVisible();
  // A missing answer comes back with the problem named, the other answers kept.
  await pick(buyer, /easier/, 3);
  await buyer.getByRole('button', { name: 'Send my answers' }).click();
  await expect(buyer.getByRole('heading', { name: 'Please check your answers' })).toBeVisible();
  await pick(buyer, /understand your situation/, 4);
  await pick(buyer, /another conversation/, 5);
  await buyer.getByLabel(/Anything you’d like/).fill('<b>Clear</b> next steps <script>alert(1)</script>');
  await buyer.getByRole('button', { name: 'Send my answers' }).click();
  await expect(buyer.getByRole('heading', { name: /Thank you/ })).toBeVisible();
  expect(await buyerCtx.cookies()).toEqual([]);
  const again = await buyer.goto(link);
  expect(again!.status()).toBe(409);
  await buyerCtx.close();

  // A second buyer with JavaScript on, at 390 px: the page is accessible and answers the same way.
  await answerByAPI(request, rep, 'Demo for Globex', { clarity: 4, understood: 4, again: 4 });
  const c2 = await request.post('/api/v1/pulses', { headers: bearer(rep), data: { meeting: 'Pricing with Initech', prediction: { clarity: 2, understood: 3, again: 3 } } });
  const link2 = ((await c2.json()) as { link: string }).link;
  const jsCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const jsBuyer = await jsCtx.newPage();
  await jsBuyer.goto(link2);
  await expectAccessible(jsBuyer, 'the buyer’s page at 390 px');
  expect(await jsBuyer.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBeTruthy();
  await pick(jsBuyer, /easier/, 2);
  await pick(jsBuyer, /understand your situation/, 3);
  await pick(jsBuyer, /another conversation/, 4);
  await jsBuyer.getByRole('button', { name: 'Send my answers' }).click();
  await expect(jsBuyer.getByRole('heading', { name: /Thank you/ })).toBeVisible();
  expect(await jsCtx.cookies()).toEqual([]);
  await jsCtx.close();

  // The rep sees the answer, the comment as text, and their accuracy.
  await repPage.reload();
  const item = repPage.getByRole('listitem').filter({ hasText: 'Discovery call with Acme' });
  await expect(item.getByText('Answered', { exact: true })).toBeVisible();
  await expect(item.getByText('<b>Clear</b> next steps <script>alert(1)</script>')).toBeVisible();
  await expect(repPage.getByText(/points off on average over 3 answers/)).toBeVisible();
  await expect(repPage.getByRole('img', { name: /Predicted versus actual/ })).toBeVisible();
  await expectAccessible(repPage, 'the Buyer Pulse page with answers');
  const list = (await (await request.get('/api/v1/pulses', { headers: bearer(rep) })).json()) as { pulses: { id: string; meeting: string }[] };
  const evidenceId = list.pulses.find((p) => p.meeting === 'Discovery call with Acme')!.id;
  await expect(item.getByText(evidenceId)).toBeVisible();

  // The manager sees aggregates (3 answers: averages shown, no comment) and recognises the win
  // with the pulse as evidence.
  const mgrPage = await (await browser.newContext()).newPage();
  const mgrErrors = watchConsole(mgrPage);
  await signIn(mgrPage, managerEmail, PASSWORD);
  await mgrPage.goto(`/teams/${team.id}`);
  const agg = mgrPage.getByRole('region', { name: 'Buyer Pulse' }).getByRole('listitem').filter({ hasText: 'Pia Pulse-Rep' });
  await expect(agg.getByText('3 answers')).toBeVisible();
  await expect(agg.getByText('3.0', { exact: true })).toBeVisible();
  await expect(mgrPage.getByText('next steps')).toHaveCount(0);
  const gaps = mgrPage.getByRole('region', { name: 'Not recognised in 30 days' });
  await expect(gaps.locator('strong', { hasText: 'Pia Pulse-Rep' })).toBeVisible();
  await expectAccessible(mgrPage, 'the team page with Buyer Pulse and gaps');
  await gaps.getByRole('button', { name: 'Recognise Pia Pulse-Rep' }).click();
  const dialog = mgrPage.getByRole('dialog', { name: 'Recognise Pia Pulse-Rep' });
  await dialog.getByLabel('What did they do well?').fill('Your Acme buyer felt understood: great discovery.');
  await dialog.getByLabel('Competency it shows (optional)').selectOption('social_awareness');
  await dialog.getByLabel('A Buyer Pulse answer').check();
  await dialog.getByLabel('Pulse reference').fill('00000000-0000-4000-8000-000000000000');
  await dialog.getByRole('button', { name: 'Send recognition' }).click();
  await expect(dialog.getByText(/isn’t one of this rep’s answered pulses/)).toBeVisible();
  await dialog.getByLabel('Pulse reference').fill(evidenceId);
  await dialog.getByRole('button', { name: 'Send recognition' }).click();
  const feedItem = mgrPage.getByRole('listitem').filter({ hasText: 'Your Acme buyer felt understood' });
  await expect(feedItem.getByText('Social awareness')).toBeVisible();
  await expect(feedItem.getByText(/Evidence:/)).toBeVisible();
  await expect(gaps.locator('strong', { hasText: 'Pia Pulse-Rep' })).toHaveCount(0);

  expect(repErrors.filter((e) => !/40[12]/.test(e))).toEqual([]);
  expect(mgrErrors.filter((e) => !/40[12]|422/.test(e))).toEqual([]);
});
