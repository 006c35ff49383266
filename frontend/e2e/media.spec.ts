import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { apiLogin, DEMO_PASSWORD, signIn, watchConsole } from './helpers';

// The media journey (issue 14): an instructor uploads a captioned video, an image and a PDF, places
// them in a lesson and publishes; a learner watches, seeks, reads the transcript and downloads.
// It runs on whatever storage the e2e server was given (disk by default, S3 when E2E_STORAGE_URL
// is set: see scripts/e2e-server.sh). The fixtures are made by scripts/media-fixtures.mjs.

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
const VIDEO = fixture('discovery-call.webm');
const CAPTIONS = fixture('discovery-call.vtt');
const IMAGE = fixture('conversation-stages.png');
const PDF = fixture('discovery-worksheet.pdf');
const ALT = 'Three stages of a sales conversation: open, discover, commit';

/** expectNoSidewaysScroll fails when the page is wider than the viewport. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll, `${what}: page width ${scroll} px in a ${inner} px viewport`).toBeLessThanOrEqual(inner);
}

/** draftModule makes a free module with one lesson through the API, as setup. */
async function draftModule(request: APIRequestContext, slug: string) {
  const { token } = await apiLogin(request, 'instructor@demo.rapport.local', DEMO_PASSWORD);
  const headers = { Authorization: `Bearer ${token}` };
  const mod = await request.post('/api/v1/studio/modules', {
    headers,
    data: { slug, title: 'Discovery in Practice', summary: 'Watch a discovery call and practise its questions.', access: 'free', competencies: ['job_diagnosis'] },
  });
  expect(mod.status(), await mod.text()).toBe(201);
  const l = await request.post(`/api/v1/studio/modules/${slug}/lessons`, {
    headers,
    data: { slug: 'watch-a-call', title: 'Watch a Discovery Call', minutes: 5, markdown: '## Watch the call\n\nNotice how Dana asks why now before anything else.\n' },
  });
  expect(l.status(), await l.text()).toBe(201);
}

test('an instructor places a captioned video, an image and a PDF in a lesson; a learner watches, seeks, reads and downloads', async ({ browser, request }, info) => {
  test.setTimeout(300_000); // uploads, a publish, media playback and axe at two widths on a shared machine
  const slug = `discovery-${Date.now()}`;
  await draftModule(request, slug);

  // --- The instructor uploads four files at once, and one the server must refuse.
  const instructor = await (await browser.newContext()).newPage();
  const errors = watchConsole(instructor);
  await signIn(instructor, 'instructor@demo.rapport.local', DEMO_PASSWORD);
  await instructor.getByRole('link', { name: 'Studio' }).click();
  await instructor.getByRole('navigation', { name: 'Studio' }).getByRole('link', { name: 'Media library' }).click();
  await expect(instructor.getByRole('heading', { level: 1, name: 'Media library' })).toBeVisible();
  await instructor.getByLabel('Choose files').setInputFiles([VIDEO, CAPTIONS, IMAGE, PDF]);
  const uploads = instructor.getByRole('list', { name: 'Uploads' });
  await expect(uploads.getByText('Uploaded')).toHaveCount(4, { timeout: 30_000 });
  await expect(uploads.getByRole('progressbar')).toHaveCount(4);

  // A page of HTML named like an image is refused by its bytes, in words, beside the file.
  await instructor.getByLabel('Choose files').setInputFiles({ name: 'diagram.png', mimeType: 'image/png', buffer: Buffer.from('<!doctype html><script>alert(1)</script>') });
  const refused = uploads.getByRole('listitem').filter({ hasText: 'diagram.png' });
  await expect(refused.getByRole('alert')).toContainText(/./);
  await expect(refused).toHaveClass(/upload-failed/);
  await refused.getByRole('button', { name: 'Dismiss' }).click();

  const library = instructor.getByRole('list').filter({ has: instructor.locator('.media-card') });
  const card = (title: string) => library.getByRole('listitem').filter({ has: instructor.getByRole('heading', { name: title, exact: true }) });
  // The curriculum's own media is in the library too; ours are the four just uploaded.
  await expect(card('discovery-call')).toHaveCount(2);
  await expect(card('conversation-stages')).toHaveCount(1);
  await expect(card('discovery-worksheet')).toHaveCount(1);

  // Title and alt text are edited in place.
  const video = card('discovery-call').filter({ has: instructor.locator('.badge', { hasText: /^Video$/ }) });
  await video.getByLabel('Title').fill('Discovery call');
  await video.getByRole('button', { name: 'Save' }).click();
  await expect(card('Discovery call').getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  const image = card('conversation-stages');
  await image.getByLabel('Alt text').fill(ALT);
  await image.getByRole('button', { name: 'Save' }).click();
  await expect(image.getByText('Saved')).toBeVisible();
  await expect(image.getByRole('img', { name: ALT })).toBeVisible();
  await expect(image.getByLabel('Markdown')).toHaveValue(/^!\[Three stages.*\]\(media:[^)]+\)$/);
  await expect(card('discovery-worksheet').getByLabel('Markdown')).toHaveValue(/^::download\{media=[^}]+\}$/);
  await expectAccessible(instructor, 'media library');
  await instructor.screenshot({ path: info.outputPath('library-1280.png'), fullPage: true });
  await instructor.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(instructor, 'media library at 390 px');
  await expectAccessible(instructor, 'media library at 390 px');
  await instructor.screenshot({ path: info.outputPath('library-390.png'), fullPage: true });
  await instructor.setViewportSize({ width: 1280, height: 900 });

  // --- The instructor places the three in the lesson with "Insert media".
  await instructor.goto(`/studio/modules/${slug}/lessons/watch-a-call`);
  const markdown = instructor.getByLabel('Markdown');
  await expect(markdown).toHaveValue(/Notice how Dana/);
  await markdown.click();
  await markdown.press('Control+End');
  const insert = async (item: RegExp, extra?: (d: ReturnType<Page['getByRole']>) => Promise<void>) => {
    await instructor.getByRole('button', { name: 'Insert media' }).click();
    const dialog = instructor.getByRole('dialog', { name: 'Insert media' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('radio', { name: item }).check();
    if (extra) await extra(dialog);
    await dialog.getByRole('button', { name: 'Insert', exact: true }).click();
    await expect(dialog).toBeHidden();
  };
  await insert(/Discovery call/, async (d) => {
    await d.getByLabel('Captions').selectOption({ label: 'discovery-call' });
    await expectAccessible(instructor, 'insert media dialog');
  });
  await insert(/conversation-stages/, async (d) => expect(d.getByLabel('Alt text')).toHaveValue(ALT));
  // The autosave that carries the last insert must land before the module is published.
  const savedAll = instructor.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/lessons/watch-a-call') && (r.request().postData() ?? '').includes('::download'));
  await insert(/discovery-worksheet/);
  expect((await savedAll).ok()).toBe(true);
  await expect(markdown).toHaveValue(/\n\n::video\{media=\S+ captions=\S+\}\n\n!\[Three stages[^\]]*\]\(media:\S+\)\n\n::download\{media=\S+\}\n$/);
  await expect(instructor.getByText(/Draft saved at/)).toBeVisible();

  // The preview is the learners' view: the player with its captions, the image, the download.
  const preview = instructor.getByLabel('Preview (exactly as learners will see it)');
  await expect(preview.locator('video[controls] track[kind="captions"]')).toHaveCount(1);
  await expect(preview.getByRole('img', { name: ALT })).toBeVisible();
  await expect(preview.locator('a[download][href^="/media/"]')).toHaveCount(1);
  await expect(preview.getByRole('button', { name: 'Show transcript' })).toBeVisible();

  await instructor.goto(`/studio/modules/${slug}`);
  await instructor.getByRole('button', { name: 'Publish v1' }).click();
  await instructor.getByRole('dialog').getByRole('button', { name: 'Publish now' }).click();
  await expect(instructor.getByText('State: Published v1')).toBeVisible();

  // The library now names the lesson, published.
  await instructor.goto('/studio/media');
  await expect(card('Discovery call').getByRole('link', { name: 'Watch a Discovery Call' })).toBeVisible();
  await expect(card('Discovery call').getByText('Published', { exact: true })).toBeVisible();
  // Deleting what a published lesson shows is refused, and said so.
  await card('discovery-worksheet').getByRole('button', { name: /^Delete/ }).click();
  await instructor.getByRole('dialog', { name: /Delete/ }).getByRole('button', { name: 'Delete' }).click();
  await expect(card('discovery-worksheet').getByRole('alert')).toContainText('used by a published lesson');
  // The browser logs the two refusals this test provoked (415, 409); nothing else may fail.
  expect(errors.filter((e) => !/status of (415|409)/.test(e))).toEqual([]);

  // --- A learner reads the lesson.
  const learner = await (await browser.newContext()).newPage();
  const learnerErrors = watchConsole(learner);
  const ranges: { url: string; range: string | null; status: number }[] = [];
  learner.on('response', async (r) => {
    const req = r.request();
    if (req.resourceType() === 'media') ranges.push({ url: req.url(), range: await req.headerValue('range'), status: r.status() });
  });
  await signIn(learner, 'learner@demo.rapport.local', DEMO_PASSWORD);
  await learner.goto(`/modules/${slug}/watch-a-call`);
  await expect(learner.getByRole('heading', { level: 1, name: 'Watch a Discovery Call' })).toBeVisible();

  const player = learner.locator('.prose video');
  await expect(player).toHaveAttribute('controls', '');
  await expect(player.locator('track[kind="captions"]')).toHaveCount(1);
  // The video plays, then seeks.
  await player.evaluate(async (v: HTMLVideoElement) => {
    v.muted = true;
    await v.play();
  });
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime), { message: 'the video plays' }).toBeGreaterThan(0.2);
  await player.evaluate((v: HTMLVideoElement) => v.pause());
  await player.evaluate((v: HTMLVideoElement) => new Promise<void>((res) => {
    v.addEventListener('seeked', () => res(), { once: true });
    v.currentTime = 3.2;
  }));
  expect(await player.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(3.2, 1);
  expect(await player.evaluate((v: HTMLVideoElement) => v.duration)).toBeCloseTo(4, 0);
  expect(ranges.some((r) => r.range?.startsWith('bytes=') && r.status === 206), `a Range request answered 206: ${JSON.stringify(ranges)}`).toBeTruthy();
  // Captions load as a text track the viewer can switch on.
  const cues = await player.evaluate(async (v: HTMLVideoElement) => {
    const t = v.textTracks[0];
    t.mode = 'hidden';
    for (let i = 0; i < 50 && !(t.cues && t.cues.length); i++) await new Promise((r) => setTimeout(r, 100));
    return t.cues?.length ?? 0;
  });
  expect(cues).toBe(4);

  // The transcript: shown on demand, each timestamp moves the video there.
  await learner.getByRole('button', { name: 'Show transcript' }).click();
  const transcript = learner.getByRole('list', { name: 'Transcript' });
  await expect(transcript.getByText('Dana: Thanks for making time today.')).toBeVisible();
  await expect(transcript.getByRole('listitem')).toHaveCount(4);
  await transcript.getByRole('button', { name: 'Play from 2 seconds' }).click();
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(2, 1);
  await expect(transcript.locator('[aria-current="true"]')).toContainText('Our renewals slipped');
  await expect(learner.getByRole('button', { name: 'Hide transcript' })).toHaveAttribute('aria-expanded', 'true');

  // The image, with its alt text, loaded.
  const img = learner.locator('.prose').getByRole('img', { name: ALT });
  await expect(img).toBeVisible();
  expect(await img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(480);

  // The PDF downloads, byte for byte.
  const link = learner.locator('.prose a[download][href^="/media/"]');
  const [download] = await Promise.all([learner.waitForEvent('download'), link.click()]);
  const saved = await download.path();
  expect(readFileSync(saved)).toEqual(readFileSync(PDF));

  await expectAccessible(learner, 'lesson with media');
  await learner.screenshot({ path: info.outputPath('lesson-1280.png'), fullPage: true });
  await learner.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(learner, 'lesson with media at 390 px');
  const box = await player.boundingBox();
  expect(box!.width, 'the player fits the phone').toBeLessThanOrEqual(390);
  await expectAccessible(learner, 'lesson with media at 390 px');
  await learner.screenshot({ path: info.outputPath('lesson-390.png'), fullPage: true });
  expect(learnerErrors).toEqual([]);
});

test('a large file goes up with tus and continues from its offset after the connection drops', async ({ page }) => {
  test.slow();
  const errors = watchConsole(page);
  await signIn(page, 'instructor@demo.rapport.local', DEMO_PASSWORD);
  await page.goto('/studio/media');
  // 9 MB: a real PDF followed by padding, past the 8 MB point where the SPA switches to tus.
  const big = Buffer.concat([readFileSync(PDF), Buffer.from(`%${' '.repeat(9 * 1024 * 1024)}\n`)]);
  const patches: { offset: number; dropped: boolean }[] = [];
  let dropped = false;
  await page.route('**/api/v1/uploads/**', async (route) => {
    const req = route.request();
    if (req.method() !== 'PATCH') return route.continue();
    const offset = Number(req.headers()['upload-offset']);
    // Drop the connection on the second chunk, once: the client must ask where it stopped (HEAD)
    // and send from there, not from the start.
    if (offset > 0 && !dropped) {
      dropped = true;
      patches.push({ offset, dropped: true });
      return route.abort('connectionreset');
    }
    patches.push({ offset, dropped: false });
    return route.continue();
  });
  await page.getByLabel('Choose files').setInputFiles({ name: 'big-worksheet.pdf', mimeType: 'application/pdf', buffer: big });
  const row = page.getByRole('list', { name: 'Uploads' }).getByRole('listitem').filter({ hasText: 'big-worksheet.pdf' });
  await expect(row.getByText('Uploaded')).toBeVisible({ timeout: 45_000 });
  expect(dropped).toBe(true);
  const drop = patches.findIndex((p) => p.dropped);
  expect(patches[drop + 1]?.offset, `after the drop the upload continued from ${patches[drop].offset}: ${JSON.stringify(patches)}`).toBe(patches[drop].offset);
  expect(patches[0].offset).toBe(0);
  await expect(page.getByRole('heading', { name: 'big-worksheet', exact: true })).toBeVisible();
  expect(errors.filter((e) => !e.includes('ERR_CONNECTION_RESET'))).toEqual([]);
});
