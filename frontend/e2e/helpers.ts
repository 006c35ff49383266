import { createHmac } from 'node:crypto';
import { expect, type Page } from '@playwright/test';

export const MAILPIT = process.env.MAILPIT_API ?? 'http://127.0.0.1:8025';
export const DEMO_PASSWORD = 'rapport-demo-2026';

/** uniqueEmail makes an address no other test (or earlier run) has used. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@e2e.rapport.test`;
}

/** watchConsole collects console errors and page errors so a test can assert there were none. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

type MailSummary = { ID: string; Subject: string; To: { Address: string }[] };

/** mailLink waits for a message to `to` whose subject contains `subject` and returns the first link
 *  in its text that starts with `prefix`. */
export async function mailLink(to: string, subject: string, prefix: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const r = await fetch(`${MAILPIT}/api/v1/search?query=${encodeURIComponent(`to:"${to}"`)}`);
    const list = (await r.json()) as { messages: MailSummary[] };
    const m = list.messages.find((x) => x.Subject.includes(subject));
    if (m) {
      const full = (await (await fetch(`${MAILPIT}/api/v1/message/${m.ID}`)).json()) as { Text: string };
      const link = full.Text.split(/\s+/).find((w) => w.startsWith(prefix));
      expect(link, `a ${prefix} link in the mail`).toBeTruthy();
      return link!;
    }
    await new Promise((res) => setTimeout(res, 300));
  }
  throw new Error(`no mail "${subject}" to ${to} within 15 s`);
}

/** signIn logs in through the form. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

type APIRequest = import('@playwright/test').APIRequestContext;

/** apiLogin signs in through the API and returns the access token and user id. */
export async function apiLogin(request: APIRequest, email: string, password: string): Promise<{ token: string; id: string }> {
  const r = await request.post('/api/v1/auth/login', { data: { email, password } });
  expect(r.status(), `login ${email}`).toBe(200);
  const body = (await r.json()) as { access_token: string; user: { id: string } };
  return { token: body.access_token, id: body.user.id };
}

const WEBHOOK_SECRET = 'whsec_e2e_secret'; // scripts/e2e-server.sh gives the server the same secret

/** postEvent signs a Stripe event the way Stripe does and posts it to our webhook. */
export async function postEvent(request: APIRequest, type: string, object: Record<string, unknown>) {
  const now = Math.floor(Date.now() / 1000);
  const payload = JSON.stringify({
    id: `evt_e2e_${type.replace(/\W/g, '_')}_${now}_${Math.floor(Math.random() * 1e6)}`,
    object: 'event',
    api_version: '2023-10-16',
    created: now,
    livemode: false,
    type,
    data: { object },
  });
  const sig = createHmac('sha256', WEBHOOK_SECRET).update(`${now}.${payload}`).digest('hex');
  const r = await request.post('/api/v1/billing/webhook', {
    data: payload,
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': `t=${now},v1=${sig}` },
  });
  expect(r.status(), `${type}: ${await r.text()}`).toBe(200);
}

/** advanceClock moves the e2e server's clock forward (RAPPORT_TEST_CLOCK=1, admin only). Pass the
 *  test's own `request` fixture, not page.request: signing in sets a cookie in that context. */
export async function advanceClock(request: APIRequest, seconds: number) {
  const { token } = await apiLogin(request, 'admin@demo.rapport.local', DEMO_PASSWORD);
  const r = await request.post('/api/v1/testing/clock', { data: { advance_seconds: seconds }, headers: { Authorization: `Bearer ${token}` } });
  expect(r.status()).toBe(200);
}

/** signUp creates an account through the form and lands on the dashboard. */
export async function signUp(page: Page, name: string, email: string, password: string) {
  await page.goto('/signup');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Work e-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** shot saves a README screenshot when UPDATE_SCREENSHOTS=1 (make screenshots), so ordinary test
 *  runs leave the committed images alone. */
export async function shot(page: Page, name: string, fullPage = true) {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  await page.screenshot({ path: `../docs/screenshots/${name}.png`, fullPage });
}
