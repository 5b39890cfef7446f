// The dev server of `npm start` (scripts/dev-server.mjs), started on port 0 and probed with raw HTTP
// requests (paths are sent as written, never normalised). Issue 8, items 1–3:
//  1. it serves only what the demo needs (no dot-files, no outside-root paths, no sources the page does
//     not load) and answers only to localhost Host headers;
//  2. proxy mode is same-origin only (no `Access-Control-Allow-Origin: *`);
//  3. the stop route cannot be steered into other upstream paths; 502 bodies do not echo fetch errors;
//     /api/_mock/* is off in proxy mode; upstream and request-body timeouts.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ROOT, isAllowedHost, startDemoServer } from '../scripts/dev-server.mjs';
import { close, closedPort, fakeUpstream, gate, rawRequest, waitFor } from './helpers.mjs';

const KEY = `app-devkey-${randomUUID()}`;
const ROOT_DEPTH = ROOT.split(path.sep).filter(Boolean).length;
const TASK = '9da23599-e713-473b-982c-4328d4f5c78a';

describe('mock mode: what the dev server serves', () => {
  let dev;
  const envFile = path.join(ROOT, '.env');
  let madeEnv = false;
  before(async () => {
    if (!existsSync(envFile)) {
      writeFileSync(envFile, `DIFY_API_KEY=${KEY}\n`);
      madeEnv = true;
    }
    dev = await startDemoServer({ port: 0, host: '127.0.0.1', delay: 0 });
  });
  after(async () => {
    if (madeEnv) rmSync(envFile);
    await dev.server.stop();
  });
  const get = (p, headers = {}) => rawRequest(dev.port, { path: p, headers });

  it('serves the demo, its TypeScript and the packages it imports', async () => {
    const page = await get('/demo/');
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /text\/html/);
    assert.match(page.text, /<dify-chat/);
    const entry = await get('/src/index.ts');
    assert.equal(entry.status, 200);
    assert.match(entry.headers['content-type'], /javascript/);
    assert.equal((await get('/demo/demo.css')).status, 200);
    assert.equal((await get('/node_modules/lit/index.js')).status, 200);
    assert.equal((await get('/node_modules/streaming-markdown/smd.js')).status, 200);
    const root = await get('/');
    assert.equal(root.status, 302);
    assert.equal(root.headers.location, '/demo/');
  });

  const refused = [
    // dot-files and dot-directories, plain and encoded
    '/.env',
    '/.gitignore',
    '/.git',
    '/.git/HEAD',
    '/.git/config',
    '/.ci/run',
    '/%2eenv',
    '/%2Egitignore',
    '/.ci%2frun',
    '/demo/../.env',
    '/demo/%2e%2e/.env',
    '/src/..%2f.env',
    '/node_modules/.package-lock.json',
    '/node_modules/lit/../../.env',
    // the dev server's outside-root paths reach any file on the machine
    // (N = how many levels up: from the checkout to the file system root)
    `/__wds-outside-root__/${ROOT_DEPTH}/proc/self/environ`,
    `/__wds-outside-root__/${ROOT_DEPTH}/etc/passwd`,
    `/__wds-outside-root__/${ROOT_DEPTH}${ROOT}/package.json`,
    '/__wds-outside-root__/1/proc/self/environ',
    // what the page does not load
    '/package.json',
    '/package-lock.json',
    '/README.md',
    '/tsconfig.json',
    '/scripts/serve.mjs',
    '/scripts/dev-server.mjs',
    '/demo/mock-dify.mjs',
    '/demo/mock/service-api.mjs',
    '/test/mock-server.test.ts',
    '/node_modules/typescript/package.json',
    '/node_modules/@web/dev-server/package.json',
    '/node_modules/lit/package.json',
    '/examples/dify-plugin/manifest.yaml',
    '//etc/passwd',
    '/src%5c..%5cpackage.json',
  ];
  for (const p of refused) {
    it(`refuses ${p}`, async () => {
      const r = await get(p);
      assert.equal(r.status, 404, `${p} → ${r.status}`);
      assert.ok(!r.text.includes(KEY) && !r.text.includes('root:x:0:0') && !r.text.includes('PATH='), 'no file content');
    });
  }

  it('answers only to localhost Host headers', async () => {
    for (const host of ['evil.example', `evil.example:${dev.port}`, 'localhost.evil.example', '127.0.0.1.nip.io', '']) {
      const page = await rawRequest(dev.port, { path: '/demo/', host });
      assert.equal(page.status, 403, `Host: ${host}`);
      const api = await rawRequest(dev.port, { path: '/api/dify/info', host });
      assert.equal(api.status, 403, `Host: ${host} on /api`);
    }
    for (const host of [`localhost:${dev.port}`, `127.0.0.1:${dev.port}`, `[::1]:${dev.port}`, `app.localhost:${dev.port}`]) {
      assert.equal((await rawRequest(dev.port, { path: '/demo/', host })).status, 200, `Host: ${host}`);
    }
  });

  it('HOST set explicitly adds that one name', () => {
    assert.equal(isAllowedHost('devbox.lan:8000'), false);
    assert.equal(isAllowedHost('devbox.lan:8000', 'devbox.lan'), true);
    assert.equal(isAllowedHost('other.lan:8000', 'devbox.lan'), false);
    assert.equal(isAllowedHost('192.168.1.20:8000'), true);
  });

  it('the mock endpoints cut off a request body that arrives too slowly', async () => {
    const slow = await startDemoServer({ port: 0, host: '127.0.0.1', delay: 0, bodyTimeoutMs: 200 });
    try {
      const response = await new Promise((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port: slow.port, method: 'POST', path: '/api/talk', headers: { 'content-type': 'application/json', 'content-length': '500' } },
          (res) => {
            resolve({ status: res.statusCode, connection: res.headers.connection });
            req.destroy();
          },
        );
        req.on('error', reject);
        req.write('{"query":"hi'); // and nothing more
      });
      assert.deepEqual(response, { status: 408, connection: 'close' });
    } finally {
      await slow.server.stop();
    }
  });

  it('the mock controls answer in mock mode', async () => {
    const info = await get('/api/_mock/info');
    assert.equal(info.status, 200);
    assert.equal(info.json.mode, 'mock');
  });
});

describe('proxy mode (DIFY_API_URL + DIFY_API_KEY)', () => {
  let upstream;
  let dev;
  before(async () => {
    upstream = await fakeUpstream();
    dev = await startDemoServer({ port: 0, host: '127.0.0.1', proxy: { url: `${upstream.url}/`, key: KEY }, timeoutMs: 300, bodyTimeoutMs: 300 });
  });
  after(async () => {
    await dev.server.stop();
    await close(upstream.server);
  });
  beforeEach(() => upstream.reset());
  const site = () => `http://127.0.0.1:${dev.port}`;
  const chatBody = JSON.stringify({ query: 'hi', inputs: {}, user: 'u', conversation_id: '', response_mode: 'streaming' });
  const post = (p, headers = {}, body = '{"user":"u"}') =>
    rawRequest(dev.port, { method: 'POST', path: p, headers: { 'content-type': 'application/json', ...headers }, body });

  it('/api/chat and /api/dify/* reach the real Service API with the key added server-side', async () => {
    const chat = await post('/api/chat', { authorization: 'Bearer from-the-browser', origin: site() }, chatBody);
    assert.equal(chat.status, 200, chat.text);
    assert.equal(upstream.seen[0].url, '/v1/chat-messages');
    assert.equal(upstream.seen[0].headers.authorization, `Bearer ${KEY}`);
    assert.equal(JSON.parse(upstream.seen[0].body).query, 'hi');
    const info = await rawRequest(dev.port, { path: '/api/dify/info' });
    assert.equal(info.status, 200);
    assert.equal(upstream.seen[1].url, '/v1/info');
    for (const r of [chat, info]) assert.ok(!JSON.stringify(r.headers).includes(KEY) && !r.text.includes(KEY));
  });

  it('same-origin only: no Access-Control-Allow-Origin at all; a foreign origin is refused', async () => {
    const same = await post('/api/chat', { origin: site() }, chatBody);
    assert.equal(same.status, 200);
    assert.equal(same.headers['access-control-allow-origin'], undefined);
    const foreign = await post('/api/chat', { origin: 'https://evil.example' }, chatBody);
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers['access-control-allow-origin'], undefined);
    const preflight = await rawRequest(dev.port, {
      method: 'OPTIONS',
      path: '/api/chat',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    assert.equal(upstream.seen.length, 1, 'only the same-origin request went upstream');
  });

  it('the stop route forwards a task id, and cannot be steered elsewhere by ., .. or %2e%2e', async () => {
    const ok = await post(`/api/chat-messages/${TASK}/stop`);
    assert.equal(ok.status, 200);
    assert.equal(upstream.seen[0].url, `/v1/chat-messages/${TASK}/stop`);
    upstream.reset();
    for (const id of ['..', '.', '%2e%2e', '%2E%2E', '.%2e', '..%2f..%2fparameters', '%2e%2e%2fparameters', 'a%2fb', '..%5cinfo']) {
      const r = await post(`/api/chat-messages/${id}/stop`);
      assert.equal(r.status, 404, `${id} → ${r.status}`);
      assert.equal(r.json?.code, 'not_found');
    }
    assert.equal(upstream.seen.length, 0, 'nothing reached the upstream');
  });

  it('/api/_mock/* does not answer (it would list visitors’ user and task ids)', async () => {
    for (const p of ['/api/_mock/info', '/api/_mock/stops', '/api/_mock/active', '/api/_mock/apps/default/requests']) {
      const r = await rawRequest(dev.port, { path: p });
      assert.equal(r.status, 404, p);
      assert.ok(!r.text.includes('"mode"'), p);
    }
    assert.equal((await post('/api/_mock/reset')).status, 404);
    assert.equal((await post('/api/_mock/apps', {}, '{}')).status, 404);
    assert.equal((await post('/api/_mock/held/x')).status, 404);
  });

  it('an upstream that never answers: 504 after the timeout, and the upstream request is dropped', async () => {
    const release = gate();
    upstream.handler = async (req, res) => {
      await release.promise;
      if (!res.destroyed) res.end();
    };
    const r = await post('/api/chat', {}, chatBody);
    assert.equal(r.status, 504);
    assert.equal(r.json.code, 'gateway_timeout');
    assert.ok(await waitFor(() => upstream.seen[0]?.closedEarly));
    release.open();
  });

  it('a request body that arrives too slowly is cut off', async () => {
    const status = await new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: dev.port, method: 'POST', path: '/api/chat', headers: { 'content-type': 'application/json', 'content-length': '500' } },
        (res) => {
          resolve(res.statusCode);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.write('{"query":"hi'); // and nothing more
    });
    assert.equal(status, 408);
    assert.equal(upstream.seen.length, 0);
  });
});

describe('proxy mode: an upstream that is down', () => {
  it('502 in Dify’s shape, without the fetch error, the address or the key', async () => {
    const port = await closedPort();
    const dev = await startDemoServer({ port: 0, host: '127.0.0.1', proxy: { url: `http://127.0.0.1:${port}/v1`, key: KEY } });
    const warn = console.warn;
    console.warn = () => {};
    try {
      const r = await rawRequest(dev.port, {
        method: 'POST',
        path: '/api/chat',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'hi', inputs: {}, user: 'u', response_mode: 'streaming' }),
      });
      assert.equal(r.status, 502);
      assert.deepEqual(r.json, { code: 'bad_gateway', message: 'The Dify API could not be reached.', status: 502 });
      for (const secret of [KEY, String(port), 'ECONNREFUSED', 'fetch failed']) assert.ok(!r.text.includes(secret), secret);
    } finally {
      console.warn = warn;
      await dev.server.stop();
    }
  });

  it('a DIFY_API_URL with credentials is refused at start, without echoing them', async () => {
    await assert.rejects(
      startDemoServer({ port: 0, host: '127.0.0.1', proxy: { url: 'https://admin:hunter2@dify.example/v1', key: KEY } }),
      (error) => error instanceof TypeError && !error.message.includes('hunter2') && !error.message.includes(KEY),
    );
  });
});
