// The Dify plugin example end to end in Chromium: its /chat page (served by the plugin's Python
// endpoints with the stand-in SDK, examples/dify-plugin/tests/serve_fake.py) loads the built widget
// from /widget/dify-chat.js, and the widget renders what the plugin's /talk produced from recorded
// Dify chunks. Needs `npm run build` first (skipped otherwise) and python3 with werkzeug.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = existsSync(path.join(root, 'dist', 'dify-chat.js'));
const python = spawnSync('python3', ['-c', 'import werkzeug'], { stdio: 'ignore' }).status === 0;
const skip = !built ? 'run npm run build first' : !python ? 'python3 with werkzeug is not installed' : false;

describe('the Dify plugin page in a browser', { skip }, () => {
  let server;
  let port;
  let browser;
  let widgetDir;

  before(async () => {
    widgetDir = mkdtempSync(path.join(os.tmpdir(), 'dify-chat-widget-'));
    // exactly what a packaged plugin holds: the bundle, the parts it loads beside itself, the skins
    const copied = spawnSync('node', [path.join(root, 'examples/dify-plugin/build.mjs'), widgetDir], { encoding: 'utf8' });
    assert.equal(copied.status, 0, copied.stderr);
    server = spawn('python3', [path.join(root, 'examples/dify-plugin/tests/serve_fake.py')], {
      env: { ...process.env, WIDGET_DIR: widgetDir, DIFY_CHAT_SETTINGS: JSON.stringify({ bot_name: 'Candy <3', skin: 'dark' }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    port = await new Promise((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (chunk) => {
        out += chunk;
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      server.on('exit', (code) => reject(new Error(`serve_fake.py exited with ${code}`)));
    });
    const { default: puppeteer } = await import('puppeteer-core');
    const { CHROMIUM, CHROMIUM_ARGS } = await import('../scripts/chromium.mjs');
    browser = await puppeteer.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });

  after(async () => {
    await browser?.close();
    server?.kill();
    if (widgetDir) rmSync(widgetDir, { recursive: true, force: true });
  });

  it('renders the answer the plugin streamed from Dify’s chunks, with the settings’ bot name and skin', async () => {
    const page = await browser.newPage();
    const failed = [];
    page.on('pageerror', (error) => failed.push(String(error)));
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`http://127.0.0.1:${port}/e/hook-1/chat`);
    await page.waitForFunction(() => customElements.get('dify-chat') !== undefined, { timeout: 10_000 });
    const result = await page.evaluate(async () => {
      const el = document.querySelector('dify-chat');
      await el.send('When do you open?');
      const bot = [...el.shadowRoot.querySelectorAll('[part~="message--bot"]')].at(-1);
      return {
        botName: el.botName,
        skin: el.className,
        endpoint: el.endpoint,
        conversationId: el.conversationId,
        text: bot?.textContent ?? '',
        bold: bot?.querySelector('strong')?.textContent ?? '',
      };
    });
    assert.deepEqual(failed, []);
    assert.equal(result.botName, 'Candy <3');
    assert.equal(result.skin, 'dark');
    assert.equal(result.endpoint, './talk');
    assert.equal(result.conversationId, '45701982-8118-4bc5-8e9b-64562b4555f2');
    assert.match(result.text, /Hi! I'm Candy ✨\s*Our café opens at 8am\./);
    assert.equal(result.bold, '8am');
    await page.close();
  });
});
