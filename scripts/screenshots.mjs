#!/usr/bin/env node
// `npm run screenshots`: the demo conversation (demo/conversation.js) in every skin and in the element's own
// light and dark palettes, inline, as an open launcher and as a closed launcher (teaser and unread badge), at
// 1440 and 375 px wide, photographed by headless Chromium from demo/skin.html and cropped to the widget.
// Writes docs/screenshots/<skin>-<inline|launcher|closed>-<1440|375>.png (the README shows them).
//
//   node scripts/screenshots.mjs [--only cute,dark] [--out docs/screenshots]
//
// The page is served by the `npm start` server (scripts/dev-server.mjs, with its mock bot) on a free port.
// Hangul in the conversation needs a Korean font (Debian: fonts-nanum or fonts-noto-cjk) and the emoji a
// colour-emoji font (fonts-noto-color-emoji); the script warns when fontconfig lists neither.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from './chromium.mjs';
import { ROOT, startDemoServer } from './dev-server.mjs';
import { SKINS } from '../demo/conversation.js';

requireChromium();

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = option('--only')?.split(',').filter(Boolean);
const out = path.resolve(ROOT, option('--out') ?? 'docs/screenshots');

const ALL = ['default', 'default-dark', ...SKINS.map((s) => s.name)];
const skins = only ? ALL.filter((s) => only.includes(s)) : ALL;
if (!skins.length) {
  console.error(`--only names none of: ${ALL.join(', ')}`);
  process.exit(1);
}
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 375, height: 667, isMobile: true, hasTouch: true },
];
const SHOTS = ['inline', 'launcher', 'closed'];
/** Room around the widget in a crop (the launcher's shadow reaches ~30 px). */
const MARGIN = 28;

function warnAboutFonts() {
  try {
    const families = execFileSync('fc-list', [':', 'family'], { encoding: 'utf8' });
    if (!/hangul|nanum|cjk|kr\b/i.test(families)) console.warn('! no Korean font found: Hangul will show as boxes (apt-get install fonts-nanum)');
    if (!/emoji/i.test(families)) console.warn('! no colour-emoji font found (apt-get install fonts-noto-color-emoji)');
  } catch {
    // no fontconfig: nothing to say
  }
}

/** The box to photograph, in CSS pixels: the widget (inline) or the launcher's panel and button. */
function cropOf(page, shot) {
  return page.evaluate((shot) => {
    const el = document.querySelector('dify-chat');
    const box = (node) => node?.getBoundingClientRect();
    const root = el.shadowRoot;
    const boxes =
      shot === 'inline'
        ? [box(el)]
        : ['launcher', 'badge', 'teaser', ...(shot === 'launcher' ? ['panel'] : [])].map((name) => box(root.querySelector(`[part~="${name}"]`)));
    const seen = boxes.filter((b) => b && b.width && b.height);
    const left = Math.min(...seen.map((b) => b.left));
    const top = Math.min(...seen.map((b) => b.top));
    const right = Math.max(...seen.map((b) => b.right));
    const bottom = Math.max(...seen.map((b) => b.bottom));
    return { left, top, right, bottom, vw: innerWidth, vh: innerHeight };
  }, shot);
}

async function photograph(browser, base, skin, viewport, shot) {
  const page = await browser.newPage();
  try {
    await page.setViewport({ ...viewport, deviceScaleFactor: 1 });
    await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
    await page.emulateTimezone('Europe/Paris');
    const mode = shot === 'inline' ? 'inline' : 'launcher';
    await page.goto(`${base}/demo/skin.html?skin=${skin}&mode=${mode}${shot === 'closed' ? '&closed' : ''}`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', { timeout: 20000 });
    // a frame for the last layout (images, fonts)
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const c = await cropOf(page, shot);
    const full = viewport.width < 640 && shot === 'launcher'; // a phone's open panel is the whole screen
    const x = full ? 0 : Math.max(0, Math.floor(c.left - MARGIN));
    const y = full ? 0 : Math.max(0, Math.floor(c.top - MARGIN));
    const right = full ? c.vw : Math.min(c.vw, Math.ceil(c.right + MARGIN));
    const bottom = full ? c.vh : Math.min(c.vh, Math.ceil(c.bottom + MARGIN));
    const file = path.join(out, `${skin}-${shot}-${viewport.width}.png`);
    await page.screenshot({ path: file, clip: { x, y, width: right - x, height: bottom - y } });
    return path.relative(ROOT, file);
  } finally {
    await page.close();
  }
}

warnAboutFonts();
mkdirSync(out, { recursive: true });
const { server, base } = await startDemoServer({ port: 0, host: '127.0.0.1', autoExitProcess: false });
// the same pixels run after run (a re-run that changes nothing leaves git clean)
const STABLE = ['--force-color-profile=srgb', '--font-render-hinting=none', '--disable-lcd-text'];
const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...STABLE] });
let failed = 0;
try {
  for (const skin of skins) {
    for (const viewport of VIEWPORTS) {
      for (const shot of SHOTS) {
        try {
          console.log(await photograph(browser, base, skin, viewport, shot));
        } catch (error) {
          failed++;
          console.error(`✗ ${skin} ${shot} ${viewport.width}: ${error.message}`);
        }
      }
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
if (failed) {
  console.error(`${failed} screenshot(s) failed`);
  process.exit(1);
}
