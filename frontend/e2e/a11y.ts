import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** axeProblems lists the serious or critical axe-core violations on the current page, one line each. */
export async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  return bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

/** expectAccessible fails on serious or critical axe-core violations on the current page. */
export async function expectAccessible(page: Page, what: string) {
  expect(await axeProblems(page), `axe on ${what}`).toEqual([]);
}
