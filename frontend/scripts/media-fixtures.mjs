// Makes the small media files the media journey (e2e/media.spec.ts) uploads, into e2e/fixtures/:
// a 4-second WebM (VP8 encoded by Chromium's WebCodecs from canvas frames, muxed with webm-muxer so
// it has a duration and cues and seeks like any real upload), a PNG diagram drawn on a canvas, a
// one-page PDF worksheet written by hand, and WebVTT captions for the video.
// Run: cd frontend && node scripts/media-fixtures.mjs   (the outputs are committed)
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const out = new URL('../e2e/fixtures/', import.meta.url);
const muxer = readFileSync(new URL('../node_modules/webm-muxer/build/webm-muxer.js', import.meta.url), 'utf8');

// WebCodecs needs a secure context: a page on 127.0.0.1 is one, about:blank is not.
const server = createServer((_req, res) => res.end('<!doctype html><title>fixtures</title>'));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
await page.goto(url);
await page.addScriptTag({ content: muxer });

const { webm, png } = await page.evaluate(async () => {
  const W = 320, H = 180, FPS = 15, SECONDS = 4;
  const canvas = new OffscreenCanvas(W, H);
  const g = canvas.getContext('2d');
  const colours = ['#0f5c55', '#b4530b', '#2f3a8f', '#912018'];
  // @ts-ignore WebMMuxer is the UMD global added above.
  const { Muxer, ArrayBufferTarget } = WebMMuxer;
  const target = new ArrayBufferTarget();
  const mux = new Muxer({ target, video: { codec: 'V_VP8', width: W, height: H, frameRate: FPS }, firstTimestampBehavior: 'offset' });
  const enc = new VideoEncoder({ output: (chunk, meta) => mux.addVideoChunk(chunk, meta), error: (e) => { throw e; } });
  enc.configure({ codec: 'vp8', width: W, height: H, bitrate: 150_000, framerate: FPS });
  for (let i = 0; i < FPS * SECONDS; i++) {
    const sec = Math.floor(i / FPS);
    g.fillStyle = colours[sec % colours.length];
    g.fillRect(0, 0, W, H);
    g.fillStyle = '#fff';
    g.font = 'bold 48px sans-serif';
    g.textAlign = 'center';
    g.fillText(`0:0${sec}`, W / 2, H / 2 + 8);
    g.font = '16px sans-serif';
    g.fillText('Rapport discovery call', W / 2, H - 24);
    g.fillRect(0, H - 6, (W * (i + 1)) / (FPS * SECONDS), 6);
    const frame = new VideoFrame(canvas, { timestamp: Math.round((i * 1e6) / FPS), duration: Math.round(1e6 / FPS) });
    enc.encode(frame, { keyFrame: i % FPS === 0 });
    frame.close();
  }
  await enc.flush();
  mux.finalize();
  const webm = Array.from(new Uint8Array(target.buffer));

  // A small diagram: three stages of a conversation, as boxes and arrows.
  const c = new OffscreenCanvas(480, 200);
  const d = c.getContext('2d');
  d.fillStyle = '#ffffff';
  d.fillRect(0, 0, 480, 200);
  const stages = [['Open', '#e6f2f0'], ['Discover', '#fdf1e7'], ['Commit', '#eef0ff']];
  stages.forEach(([label, fill], k) => {
    const x = 20 + k * 160;
    d.fillStyle = fill;
    d.strokeStyle = '#1f2430';
    d.lineWidth = 2;
    d.beginPath();
    d.roundRect(x, 60, 120, 80, 12);
    d.fill();
    d.stroke();
    d.fillStyle = '#1f2430';
    d.font = 'bold 20px sans-serif';
    d.textAlign = 'center';
    d.fillText(label, x + 60, 107);
    if (k < 2) {
      d.beginPath();
      d.moveTo(x + 124, 100);
      d.lineTo(x + 154, 100);
      d.lineTo(x + 146, 94);
      d.moveTo(x + 154, 100);
      d.lineTo(x + 146, 106);
      d.stroke();
    }
  });
  const blob = await c.convertToBlob({ type: 'image/png' });
  const png = Array.from(new Uint8Array(await blob.arrayBuffer()));
  return { webm, png };
});
await browser.close();
server.close();

writeFileSync(new URL('discovery-call.webm', out), Buffer.from(webm));
writeFileSync(new URL('conversation-stages.png', out), Buffer.from(png));

writeFileSync(
  new URL('discovery-call.vtt', out),
  `WEBVTT

1
00:00:00.000 --> 00:00:01.000
<v Dana>Thanks for making time today.

2
00:00:01.000 --> 00:00:02.000
<v Dana>What made this a priority now?

3
00:00:02.000 --> 00:00:03.000
<v Sam>Our renewals slipped last quarter.

4
00:00:03.000 --> 00:00:04.000
<v Dana>Tell me more about that.
`,
);

// A one-page PDF, written object by object so the cross-reference offsets are exact.
function pdf(lines) {
  const text = lines.map((l, i) => `BT /F1 ${i === 0 ? 18 : 12} Tf 72 ${720 - i * 28} Td (${l.replace(/[()\\]/g, (c) => `\\${c}`)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((n) => `${String(n).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return body;
}
writeFileSync(
  new URL('discovery-worksheet.pdf', out),
  pdf([
    'Discovery call worksheet',
    '1. What changed that makes this a priority now?',
    '2. Who else feels the problem, and how?',
    '3. What happens if nothing changes this quarter?',
    '4. What would a good outcome look like in 90 days?',
  ]),
);
console.log('fixtures written to', out.pathname);
