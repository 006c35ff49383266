// Takes screenshots of pages of a running Rapport for a look (usage: node scripts/shots.mjs BASE OUTDIR [email password] path...).
import { chromium } from '@playwright/test';

const [base, out, email, password, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
for (const [name, viewport] of [['desktop', { width: 1280, height: 860 }], ['mobile', { width: 390, height: 844 }]]) {
  const page = await browser.newPage({ viewport });
  page.on('console', (m) => m.type() === 'error' && console.log(`[${name}] console:`, m.text()));
  if (email && email !== '-') {
    await page.goto(base + '/signin');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/dashboard/);
  }
  for (const p of paths) {
    await page.goto(base + p);
    await page.waitForTimeout(700);
    const file = `${out}/${name}${p.replace(/[^a-z0-9]+/gi, '_')}.png`;
    await page.screenshot({ path: file, fullPage: name === 'desktop' });
    console.log(file);
  }
  await page.close();
}
await browser.close();
