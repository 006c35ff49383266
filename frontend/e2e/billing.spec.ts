import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y';
import { apiLogin, postEvent, signUp, uniqueEmail, watchConsole, shot } from './helpers';

test('pricing, checkout, the signed webhooks, then the premium lesson opens', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  const email = uniqueEmail('buyer');
  await signUp(page, 'Bea Buyer', email, 'buyer-password-1');
  const { id: userId } = await apiLogin(page.request, email, 'buyer-password-1');

  await page.goto('/modules/self-awareness/naming-emotions');
  await expect(page.getByRole('heading', { name: /Unlock Self-Awareness/ })).toBeVisible();
  await page.getByRole('link', { name: 'See plans' }).click();
  await expect(page.getByRole('heading', { name: 'Simple pricing' })).toBeVisible();
  await expectAccessible(page, 'the pricing page');
  await page.getByRole('button', { name: 'Annual' }).click();
  await expect(page.getByText(/Save .* a year/)).toBeVisible();
  await page.getByRole('button', { name: 'Seats' }).count(); // the team picker is on the same page
  await page.getByLabel('Seats').fill('12');
  await expect(page.getByText(/Total .*180/)).toBeVisible();
  await shot(page, 'pricing', true);
  await page.getByRole('button', { name: 'Monthly' }).click();

  // The browser is sent to Stripe Checkout (stripe-mock's URL); stand in for Stripe's page.
  let checkoutURL = '';
  await page.route(/https:\/\/checkout\.stripe\.com\/.*/, (route) => {
    checkoutURL = route.request().url();
    return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Stripe Checkout</title><h1>Stripe Checkout</h1>' });
  });
  const checkout = page.waitForResponse((r) => r.url().endsWith('/api/v1/billing/checkout'));
  await page.getByRole('button', { name: 'Start free trial' }).click();
  expect((await checkout).status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Stripe Checkout' })).toBeVisible();
  expect(checkoutURL).toContain('checkout.stripe.com');

  // Stripe would now call our webhook; post what it sends, signed.
  const customer = `cus_e2e_${Date.now()}`;
  const subscription = `sub_e2e_${Date.now()}`;
  const periodEnd = Math.floor(Date.now() / 1000) + 30 * 24 * 3600;
  await page.goto('/billing/success?session_id=cs_test_e2e');
  await expect(page.getByRole('heading', { name: 'Confirming your subscription…' })).toBeVisible();
  await postEvent(page.request, 'checkout.session.completed', {
    id: 'cs_test_e2e', object: 'checkout.session', mode: 'subscription', customer, subscription,
    client_reference_id: userId, metadata: { user_id: userId, plan_id: 'individual-monthly' },
  });
  await postEvent(page.request, 'customer.subscription.created', {
    id: subscription, object: 'subscription', customer, status: 'trialing', cancel_at_period_end: false,
    current_period_start: periodEnd - 30 * 24 * 3600, current_period_end: periodEnd, metadata: { user_id: userId, plan_id: 'individual-monthly' },
    items: { object: 'list', data: [{ id: 'si_e2e', object: 'subscription_item', quantity: 1, price: { id: 'price_e2e', object: 'price', lookup_key: 'rapport_individual_monthly' } }] },
  });
  await expect(page.getByRole('heading', { name: 'You are all set' })).toBeVisible({ timeout: 30_000 });

  await page.goto('/modules/self-awareness/naming-emotions');
  await expect(page.locator('.prose h2').first()).toBeVisible();
  await page.goto('/billing');
  await expect(page.getByText('Free trial')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Manage billing' })).toBeVisible();
  expect(errors.filter((e) => !/40[12]/.test(e))).toEqual([]);
});

test('with billing off, pricing and billing pages name the next step in words for customers', async ({ page }) => {
  const errors = watchConsole(page);
  await page.route('**/api/v1/plans', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...(await response.json()), billing_enabled: false } });
  });
  await signUp(page, 'Olu Offline', uniqueEmail('offline'), 'offline-password-1');
  await page.goto('/pricing');
  await expect(page.getByText('Plans can’t be bought online on this Rapport site.')).toBeVisible();
  await expect(page.getByText('Ask your Rapport administrator for full access.')).toBeVisible();
  await expect(page.getByRole('button', { name: /Start free trial|Subscribe|Buy \d+ seats/ })).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText(/STRIPE|configured|server/i);
  await expectAccessible(page, 'the pricing page with billing off');
  await page.goto('/billing');
  await expect(page.getByText('Ask your Rapport administrator for full access.')).toBeVisible();
  await expect(page.locator('main')).not.toContainText(/STRIPE|configured|server/i);
  expect(errors.filter((e) => !/40[12]/.test(e))).toEqual([]);
});
