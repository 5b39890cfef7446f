// The dify-chat/proxy suite (npm run check:proxy): createDifyProxy as a Fetch handler and through
// toNodeHandler on a real node:http server, against a recording fake Dify on 127.0.0.1.
// Covers: every route forwarded; every refusal (unknown routes, methods, path tricks, look-alike
// prefixes) never reaching the upstream; key hygiene; user binding (JSON, query, multipart); limits;
// CORS; streaming before the upstream ends; client disconnects aborting the upstream; timeouts.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { loadProxy } from '../scripts/load-proxy.mjs';
import { close, closedPort, fakeUpstream, gate, listen, nextChunk, openRequest, rawRequest, waitFor } from './helpers.mjs';

const KEY = `app-secret-${randomUUID()}`;
const SITE = 'http://site.test';
const ID = '9da23599-e713-473b-982c-4328d4f5c78a';
const quiet = () => {};

let createDifyProxy;
let toNodeHandler;
let ROUTES;
let upstream;
/** every response any test saw, checked for the key at the end */
const seenResponses = [];

before(async () => {
  ({ createDifyProxy, toNodeHandler, ROUTES } = await loadProxy());
  upstream = await fakeUpstream();
});
after(async () => {
  await close(upstream.server);
});
beforeEach(() => upstream.reset());

function makeProxy(options = {}) {
  return createDifyProxy({ apiUrl: upstream.url, apiKey: KEY, prefix: '/api/dify', onError: quiet, ...options });
}

/** Call a Fetch handler and keep the response (headers and body text) for the key scan. */
async function call(proxy, path, init = {}) {
  const response = await proxy(new Request(SITE + path, init));
  const text = await response.text();
  const record = { status: response.status, headers: Object.fromEntries(response.headers), text };
  seenResponses.push(record);
  try {
    record.json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return record;
}

const json = (body, headers = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

function assertDifyError(r, status, code) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers['content-type'] ?? '', /application\/json/);
  assert.equal(r.json?.status, status);
  assert.equal(typeof r.json?.message, 'string');
  if (code) assert.equal(r.json.code, code);
  assert.deepEqual(Object.keys(r.json).sort(), ['code', 'message', 'status']);
}

/** A node:http server running toNodeHandler(proxy). */
async function nodeServer(proxy) {
  const handler = toNodeHandler(proxy);
  const server = http.createServer((req, res) => handler(req, res));
  const port = await listen(server);
  return { server, port };
}

// ---------------------------------------------------------------------------------------------------

describe('forwards every route of SPEC §15, with its method, and nothing else', () => {
  const sample = {
    chat: ['chat-messages', { query: 'hi', inputs: {}, user: 'u', response_mode: 'streaming', conversation_id: '' }],
    'chat-stop': [`chat-messages/${ID}/stop`, { user: 'u' }],
    parameters: ['parameters?user=u&secret=1'],
    site: ['site'],
    info: ['info'],
    meta: ['meta'],
    messages: [`messages?conversation_id=${ID}&user=u&first_id=${ID}&limit=20&evil=1`],
    suggested: [`messages/${ID}/suggested?user=u`],
    feedback: [`messages/${ID}/feedbacks`, { rating: 'like', user: 'u', content: 'nice' }],
    upload: ['files/upload', 'multipart'],
    'audio-to-text': ['audio-to-text', 'multipart'],
    'text-to-audio': ['text-to-audio', { text: 'hello', user: 'u' }],
    workflow: ['workflows/run', { inputs: { q: 'x' }, user: 'u', response_mode: 'streaming' }],
    'workflow-stop': [`workflows/tasks/${ID}/stop`, { user: 'u' }],
    completion: ['completion-messages', { inputs: { q: 'x' }, user: 'u', response_mode: 'blocking' }],
    'completion-stop': [`completion-messages/${ID}/stop`, { user: 'u' }],
  };

  it('has a sample for each of the 16 routes', () => {
    assert.deepEqual(Object.keys(sample).sort(), ROUTES.map((r) => r.name).sort());
    assert.equal(ROUTES.length, 16);
  });

  for (const [name, [path, body]] of Object.entries(sample)) {
    it(`${name}: ${path.split('?')[0]}`, async () => {
      const route = ROUTES.find((r) => r.name === name);
      const proxy = makeProxy();
      let init = { method: route.method };
      if (body === 'multipart') {
        const form = new FormData();
        form.append('file', new Blob(['RIFF....WAVE'], { type: 'audio/wav' }), 'voice.wav');
        form.append('user', 'u');
        init = { method: 'POST', body: form };
      } else if (body) init = json(body, { authorization: 'Bearer from-the-browser', cookie: 'session=abc' });
      const r = await call(proxy, `/api/dify/${path}`, init);
      assert.equal(r.status, 200, r.text);
      assert.equal(upstream.seen.length, 1);
      const up = upstream.seen[0];
      assert.equal(up.method, route.method);
      assert.equal(up.url.split('?')[0], `/v1/${path.split('?')[0]}`);
      assert.equal(up.headers.authorization, `Bearer ${KEY}`);
      assert.equal(up.headers.cookie, undefined);
      if (route.body === 'json') {
        assert.equal(up.headers['content-type'], 'application/json');
        assert.deepEqual(JSON.parse(up.body.toString()), body);
      }
      if (route.body === 'multipart') {
        const form = await new Response(up.body, { headers: { 'content-type': up.headers['content-type'] } }).formData();
        assert.equal(form.get('user'), 'u');
        assert.equal(form.get('file').name, 'voice.wav');
        assert.equal(await form.get('file').text(), 'RIFF....WAVE');
      }
      // GET routes pass only their own query parameters
      const query = new URL(up.url, 'http://x').searchParams;
      assert.equal(query.get('secret'), null);
      assert.equal(query.get('evil'), null);
      if (name === 'messages') {
        assert.deepEqual(Object.fromEntries(query), { conversation_id: ID, user: 'u', first_id: ID, limit: '20' });
      }
    });
  }

  it('the `routes` option forwards fewer routes', async () => {
    const proxy = makeProxy({ routes: ['chat', 'chat-stop'] });
    assertDifyError(await call(proxy, '/api/dify/parameters'), 404, 'not_found');
    assert.equal((await call(proxy, '/api/dify/chat-messages', json({ query: 'x', user: 'u' }))).status, 200);
    assert.equal(upstream.seen.length, 1);
    assert.throws(() => makeProxy({ routes: ['conversations'] }), TypeError);
  });

  it('passes upstream errors on with their status and content-type, and strips Set-Cookie', async () => {
    upstream.handler = (req, res) => {
      res.writeHead(404, { 'content-type': 'application/json', 'set-cookie': 'a=b' });
      res.end('{"code": "not_found", "message": "Conversation Not Exists.", "status": 404}');
    };
    const r = await call(makeProxy(), '/api/dify/chat-messages', json({ query: 'x', user: 'u', conversation_id: ID }));
    assertDifyError(r, 404, 'not_found');
    assert.equal(r.json.message, 'Conversation Not Exists.');
    assert.equal(r.headers['set-cookie'], undefined);
    upstream.handler = null;
    const ok = await call(makeProxy(), '/api/dify/site');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['set-cookie'], undefined);
  });
});

describe('refusals: never reach the upstream', () => {
  const refusals = [
    // [what, method, raw path, status]
    ['unknown route', 'GET', '/api/dify/conversations', 404],
    ['unknown route (admin API)', 'GET', '/api/dify/apps', 404],
    ['the prefix itself', 'GET', '/api/dify', 404],
    ['the prefix with a slash', 'GET', '/api/dify/', 404],
    ['a route with a trailing slash', 'GET', '/api/dify/parameters/', 404],
    ['a stop without its id', 'POST', '/api/dify/chat-messages//stop', 404],
    ['a message id with no action', 'GET', `/api/dify/messages/${ID}`, 404],
    ['a deeper path', 'POST', `/api/dify/chat-messages/${ID}/stop/again`, 404],
    ['.. as a task id', 'POST', '/api/dify/chat-messages/../stop', 404],
    ['. as a task id', 'POST', '/api/dify/chat-messages/./stop', 404],
    ['%2e%2e as a task id', 'POST', '/api/dify/chat-messages/%2e%2e/stop', 404],
    ['%2E%2E upper case', 'POST', '/api/dify/chat-messages/%2E%2E/stop', 404],
    ['.%2e mixed', 'POST', '/api/dify/chat-messages/.%2e/stop', 404],
    ['..%2f into another route', 'POST', '/api/dify/chat-messages/..%2f..%2fparameters/stop', 404],
    ['an encoded slash in an id', 'POST', '/api/dify/chat-messages/a%2fb/stop', 404],
    ['an encoded backslash', 'POST', '/api/dify/chat-messages/a%5cb/stop', 404],
    ['a NUL byte', 'GET', `/api/dify/messages/${ID}%00/suggested`, 404],
    ['a dot inside an id', 'POST', '/api/dify/chat-messages/abc.def/stop', 404],
    ['an id over 64 characters', 'POST', `/api/dify/chat-messages/${'a'.repeat(65)}/stop`, 404],
    ['dot segments that normalise into a real route', 'GET', '/api/dify/x/../parameters', 404],
    ['a double slash', 'GET', '/api/dify//parameters', 404],
    ['a double slash before the prefix', 'GET', '//api/dify/parameters', 404],
    ['a look-alike prefix', 'GET', '/api/difyx/parameters', 404],
    ['a look-alike prefix with a dash', 'GET', '/api/dify-admin/parameters', 404],
    ['another prefix', 'GET', '/api/parameters', 404],
    ['the upstream path', 'GET', '/v1/parameters', 404],
    ['GET on chat-messages', 'GET', '/api/dify/chat-messages', 405],
    ['PUT on chat-messages', 'PUT', '/api/dify/chat-messages', 405],
    ['DELETE on a conversation-like path', 'DELETE', `/api/dify/chat-messages/${ID}/stop`, 405],
    ['POST on parameters', 'POST', '/api/dify/parameters', 405],
    ['HEAD on site', 'HEAD', '/api/dify/site', 405],
    ['PATCH on feedbacks', 'PATCH', `/api/dify/messages/${ID}/feedbacks`, 405],
  ];

  let node;
  before(async () => {
    node = await nodeServer(makeProxy());
  });
  after(() => close(node.server));

  for (const [what, method, path, status] of refusals) {
    it(`${what}: ${method} ${path} → ${status}`, async () => {
      const r = await rawRequest(node.port, {
        method,
        path,
        headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
        body: method === 'POST' || method === 'PUT' ? '{"user":"u"}' : undefined,
      });
      seenResponses.push(r);
      assert.equal(r.status, status, r.text);
      if (method !== 'HEAD') {
        assert.equal(r.json?.status, status);
        assert.ok(['not_found', 'method_not_allowed'].includes(r.json.code));
      }
      if (status === 405) assert.match(r.headers.allow, /^(GET|POST), OPTIONS$/);
      assert.equal(upstream.seen.length, 0, 'nothing reached the upstream');
    });
  }

  it('the Fetch handler refuses the same tricks once the platform normalised the URL', async () => {
    const proxy = makeProxy();
    for (const path of ['/api/dify/../v1/parameters', '/api/dify/chat-messages/%2e%2e/%2e%2e/parameters', '/api/difyx/info']) {
      const r = await call(proxy, path);
      assertDifyError(r, 404, 'not_found');
    }
    assert.equal(upstream.seen.length, 0);
  });

  it('a wrong content-type (415), a non-object or broken JSON (400), two files (400)', async () => {
    const proxy = makeProxy();
    assertDifyError(await call(proxy, '/api/dify/chat-messages', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"x"}' }), 415);
    assertDifyError(await call(proxy, '/api/dify/chat-messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' }), 400, 'bad_request');
    assertDifyError(await call(proxy, '/api/dify/chat-messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' }), 400, 'bad_request');
    assertDifyError(await call(proxy, '/api/dify/files/upload', json({ user: 'u' })), 415);
    const form = new FormData();
    form.append('file', new Blob(['a']), 'a.txt');
    form.append('file', new Blob(['b']), 'b.txt');
    assertDifyError(await call(proxy, '/api/dify/files/upload', { method: 'POST', body: form }), 400, 'too_many_files');
    assert.equal(upstream.seen.length, 0);
  });

  it('a guard hook refuses before anything is read or forwarded', async () => {
    const calls = [];
    const proxy = makeProxy({
      guard: (request, info) => {
        calls.push(info);
        if (info.route === 'chat') return new Response('{"code":"too_many_requests","message":"Slow down.","status":429}', { status: 429, headers: { 'content-type': 'application/json' } });
        return undefined;
      },
    });
    assertDifyError(await call(proxy, '/api/dify/chat-messages', json({ query: 'x', user: 'u' })), 429, 'too_many_requests');
    assert.equal(upstream.seen.length, 0);
    assert.equal((await call(proxy, '/api/dify/info')).status, 200);
    assert.deepEqual(calls, [{ route: 'chat', path: 'chat-messages' }, { route: 'info', path: 'info' }]);
  });

  it('an unrelated path goes to next() in middleware use, or gets a 404 without it', async () => {
    const handler = toNodeHandler(makeProxy());
    let nexted = false;
    const server = http.createServer((req, res) =>
      handler(req, res, () => {
        nexted = true;
        res.end('next');
      }),
    );
    const port = await listen(server);
    try {
      assert.equal((await rawRequest(port, { path: '/api/difyx/info' })).text, 'next');
      assert.ok(nexted);
      assert.equal((await rawRequest(port, { path: '/index.html' })).text, 'next');
    } finally {
      await close(server);
    }
    assert.equal(upstream.seen.length, 0);
  });
});

describe('key hygiene', () => {
  it('the browser’s Authorization, Cookie, hop-by-hop and identity headers are not forwarded', async () => {
    const node = await nodeServer(makeProxy());
    try {
      const r = await rawRequest(node.port, {
        method: 'POST',
        path: '/api/dify/chat-messages',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer browser-key',
          cookie: 'session=1',
          connection: 'keep-alive, x-secret',
          'x-secret': '1',
          'proxy-authorization': 'Basic abc',
          origin: `http://127.0.0.1:${node.port}`,
          referer: `http://127.0.0.1:${node.port}/page`,
          'x-forwarded-for': '10.0.0.1',
          'accept-language': 'fr',
          accept: 'text/event-stream',
        },
        body: JSON.stringify({ query: 'x', user: 'u' }),
      });
      assert.equal(r.status, 200, 'same-origin request');
    } finally {
      await close(node.server);
    }
    const up = upstream.seen[0];
    assert.equal(up.headers.authorization, `Bearer ${KEY}`);
    for (const name of ['cookie', 'x-secret', 'proxy-authorization', 'origin', 'referer', 'x-forwarded-for']) {
      assert.equal(up.headers[name], undefined, name);
    }
    assert.equal(up.headers['accept-language'], 'fr');
    assert.equal(up.headers.accept, 'text/event-stream');
  });

  it('an upstream that is down gives a Dify-shaped 502 that says nothing about the upstream', async () => {
    const port = await closedPort();
    const proxy = createDifyProxy({ apiUrl: `http://127.0.0.1:${port}/v1`, apiKey: KEY, prefix: '/api/dify', onError: quiet });
    const r = await call(proxy, '/api/dify/chat-messages', json({ query: 'x', user: 'u' }));
    assertDifyError(r, 502, 'bad_gateway');
    for (const secret of [KEY, String(port), '127.0.0.1', 'ECONNREFUSED', 'fetch failed']) assert.ok(!r.text.includes(secret), secret);
  });

  it('the default error log names the failure without URL or key', async () => {
    const port = await closedPort();
    const lines = [];
    const original = console.warn;
    console.warn = (...args) => lines.push(args.join(' '));
    try {
      const proxy = createDifyProxy({ apiUrl: `http://127.0.0.1:${port}/v1`, apiKey: KEY, prefix: '/api/dify' });
      await call(proxy, '/api/dify/info');
    } finally {
      console.warn = original;
    }
    assert.equal(lines.length, 1);
    assert.match(lines[0], /upstream failure on info/);
    assert.ok(!lines[0].includes(KEY) && !lines[0].includes(String(port)));
  });

  it('an upstream error body that echoes the key has it redacted', async () => {
    upstream.handler = (req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'unauthorized', message: `Access token ${req.headers.authorization} is invalid`, status: 401 }));
    };
    const r = await call(makeProxy(), '/api/dify/parameters');
    assert.equal(r.status, 401);
    assert.ok(!r.text.includes(KEY));
    assert.match(r.json.message, /\[redacted\]/);
  });

  it('an upstream error body over 64 KiB is not passed on', async () => {
    upstream.handler = (req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('x'.repeat(70 * 1024));
    };
    assertDifyError(await call(makeProxy(), '/api/dify/parameters'), 502, 'bad_gateway');
  });

  it('an upstream redirect is not followed nor passed on', async () => {
    upstream.handler = (req, res) => {
      res.writeHead(302, { location: 'https://elsewhere.example/steal' });
      res.end();
    };
    const r = await call(makeProxy(), '/api/dify/parameters');
    assertDifyError(r, 502, 'bad_gateway');
    assert.equal(r.headers.location, undefined);
  });

  it('options that would leak are refused at creation, without echoing them', () => {
    const attempt = (options) => {
      try {
        createDifyProxy({ apiUrl: upstream.url, apiKey: KEY, ...options });
        return null;
      } catch (error) {
        return error;
      }
    };
    const withCredentials = attempt({ apiUrl: 'https://admin:hunter2@dify.example/v1' });
    assert.ok(withCredentials instanceof TypeError);
    assert.ok(!withCredentials.message.includes('hunter2'));
    assert.ok(attempt({ apiUrl: 'ftp://dify.example/v1' }) instanceof TypeError);
    assert.ok(attempt({ apiUrl: 'not a url' }) instanceof TypeError);
    assert.ok(attempt({ apiKey: '' }) instanceof TypeError);
    assert.ok(attempt({ apiKey: 'app-1\r\nx-injected: 1' }) instanceof TypeError);
    assert.ok(attempt({ allowedOrigins: ['*'] }) instanceof TypeError);
    assert.ok(attempt({ allowedOrigins: ['https://a.example/path'] }) instanceof TypeError);
    assert.ok(attempt({ prefix: '/api/../dify' }) instanceof TypeError);
    assert.ok(attempt({ timeoutMs: -1 }) instanceof TypeError);
  });

  after(() => {
    // across every response of this file: the key is in no status text, header or body
    assert.ok(seenResponses.length > 60, `${seenResponses.length} responses checked`);
    for (const r of seenResponses) {
      const all = `${JSON.stringify(r.headers)}\n${r.text}`;
      assert.ok(!all.includes(KEY), `the key leaked in a ${r.status} response`);
    }
  });
});

describe('user binding', () => {
  const proxy = () =>
    makeProxy({ user: (request) => (request.headers.get('x-session') === 'alice-session' ? 'site-user-alice' : null) });
  const signedIn = { 'x-session': 'alice-session' };

  it('overrides user in a JSON body', async () => {
    const r = await call(proxy(), '/api/dify/chat-messages', json({ query: 'x', user: 'mallory', inputs: { a: 1 } }, signedIn));
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(upstream.seen[0].body.toString()), { query: 'x', user: 'site-user-alice', inputs: { a: 1 } });
  });

  it('adds user to a JSON body that had none', async () => {
    await call(proxy(), `/api/dify/chat-messages/${ID}/stop`, json({}, signedIn));
    assert.deepEqual(JSON.parse(upstream.seen[0].body.toString()), { user: 'site-user-alice' });
  });

  it('overrides user in the query string', async () => {
    await call(proxy(), `/api/dify/messages?conversation_id=${ID}&user=mallory&user=eve`, { headers: signedIn });
    await call(proxy(), `/api/dify/messages/${ID}/suggested`, { headers: signedIn });
    const users = upstream.seen.map((s) => new URL(s.url, 'http://x').searchParams.getAll('user'));
    assert.deepEqual(users, [['site-user-alice'], ['site-user-alice']]);
  });

  it('overrides the user field of a multipart upload, keeping the file', async () => {
    const form = new FormData();
    form.append('user', 'mallory');
    form.append('file', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }), 'cat.png');
    form.append('extra', 'dropped');
    const r = await call(proxy(), '/api/dify/files/upload', { method: 'POST', body: form, headers: signedIn });
    assert.equal(r.status, 200);
    const up = upstream.seen[0];
    const received = await new Response(up.body, { headers: { 'content-type': up.headers['content-type'] } }).formData();
    assert.deepEqual(received.getAll('user'), ['site-user-alice']);
    assert.equal(received.get('extra'), null);
    const file = received.get('file');
    assert.equal(file.name, 'cat.png');
    assert.equal(file.type, 'image/png');
    assert.deepEqual([...new Uint8Array(await file.arrayBuffer())], [0x89, 0x50, 0x4e, 0x47]);
  });

  it('no session: 401, nothing forwarded', async () => {
    assertDifyError(await call(proxy(), '/api/dify/chat-messages', json({ query: 'x', user: 'mallory' })), 401, 'unauthorized');
    assertDifyError(await call(proxy(), '/api/dify/parameters'), 401, 'unauthorized');
    assert.equal(upstream.seen.length, 0);
  });
});

describe('limits', () => {
  it('a JSON body over maxBodyBytes: 413, declared or not', async () => {
    const proxy = makeProxy({ maxBodyBytes: 1024 });
    const big = JSON.stringify({ query: 'x'.repeat(2000), user: 'u' });
    assertDifyError(await call(proxy, '/api/dify/chat-messages', json(JSON.parse(big))), 413);
    // streamed without content-length
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const r = await call(proxy, '/api/dify/chat-messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' });
    assertDifyError(r, 413);
    assert.equal(upstream.seen.length, 0);
  });

  it('an upload over maxUploadBytes: 413 file_too_large', async () => {
    const proxy = makeProxy({ maxUploadBytes: 4096 });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(8192)]), 'big.png');
    assertDifyError(await call(proxy, '/api/dify/files/upload', { method: 'POST', body: form }), 413, 'file_too_large');
    const small = new FormData();
    small.append('file', new Blob([new Uint8Array(1000)]), 'small.png');
    assert.equal((await call(proxy, '/api/dify/files/upload', { method: 'POST', body: small })).status, 200);
    assert.equal(upstream.seen.length, 1);
  });

  it('a URL over 4 KiB: 414', async () => {
    assertDifyError(await call(makeProxy(), `/api/dify/messages?conversation_id=${'a'.repeat(5000)}`), 414);
  });

  it('a request body that arrives too slowly is cut off (408) and never forwarded', async () => {
    const node = await nodeServer(makeProxy({ bodyTimeoutMs: 150 }));
    try {
      const { req, res } = await new Promise((resolve, reject) => {
        const request = http.request(
          { host: '127.0.0.1', port: node.port, method: 'POST', path: '/api/dify/chat-messages', headers: { 'content-type': 'application/json', 'content-length': '100' } },
          (response) => resolve({ req: request, res: response }),
        );
        request.on('error', reject);
        request.write('{"query":'); // and then nothing
      });
      assert.equal(res.statusCode, 408);
      assert.equal(res.headers.connection, 'close');
      req.destroy();
    } finally {
      await close(node.server);
    }
    assert.equal(upstream.seen.length, 0);
  });
});

describe('CORS', () => {
  const other = 'https://shop.example';

  it('same-origin only by default: no Access-Control-Allow-Origin, foreign origins refused', async () => {
    const proxy = makeProxy();
    const noOrigin = await call(proxy, '/api/dify/info');
    assert.equal(noOrigin.status, 200);
    assert.equal(noOrigin.headers['access-control-allow-origin'], undefined);
    const same = await call(proxy, '/api/dify/info', { headers: { origin: SITE } });
    assert.equal(same.status, 200);
    assert.equal(same.headers['access-control-allow-origin'], undefined);
    const foreign = await call(proxy, '/api/dify/chat-messages', json({ query: 'x', user: 'u' }, { origin: other }));
    assertDifyError(foreign, 403, 'forbidden');
    assert.equal(foreign.headers['access-control-allow-origin'], undefined);
    const opaque = await call(proxy, '/api/dify/info', { headers: { origin: 'null' } });
    assertDifyError(opaque, 403, 'forbidden');
    assert.equal(upstream.seen.length, 2);
  });

  it('a multipart upload from a foreign page (a "simple" request, no preflight) is refused', async () => {
    const form = new FormData();
    form.append('file', new Blob(['a']), 'a.txt');
    assertDifyError(await call(makeProxy(), '/api/dify/files/upload', { method: 'POST', body: form, headers: { origin: other } }), 403);
    assert.equal(upstream.seen.length, 0);
  });

  it('an allowed origin gets the headers, on answers and on errors', async () => {
    const proxy = makeProxy({ allowedOrigins: [other] });
    const r = await call(proxy, '/api/dify/chat-messages', json({ query: 'x', user: 'u' }, { origin: other }));
    assert.equal(r.status, 200);
    assert.equal(r.headers['access-control-allow-origin'], other);
    assert.match(r.headers.vary, /Origin/);
    assert.equal(r.headers['access-control-allow-credentials'], undefined);
    const error = await call(proxy, '/api/dify/nope', { headers: { origin: other } });
    assert.equal(error.status, 404);
    assert.equal(error.headers['access-control-allow-origin'], other);
    const refused = await call(proxy, '/api/dify/info', { headers: { origin: 'https://evil.example' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers['access-control-allow-origin'], undefined);
  });

  it('preflight: allowed origin → 204 with methods and headers; refused origin → 403 without them', async () => {
    const proxy = makeProxy({ allowedOrigins: [other], allowCredentials: true });
    const preflight = { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' };
    const ok = await call(proxy, '/api/dify/chat-messages', { method: 'OPTIONS', headers: { origin: other, ...preflight } });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers['access-control-allow-origin'], other);
    assert.equal(ok.headers['access-control-allow-methods'], 'POST, OPTIONS');
    assert.match(ok.headers['access-control-allow-headers'], /Content-Type/);
    assert.doesNotMatch(ok.headers['access-control-allow-headers'], /Authorization/i);
    assert.equal(ok.headers['access-control-allow-credentials'], 'true');
    const get = await call(proxy, '/api/dify/parameters', { method: 'OPTIONS', headers: { origin: other, ...preflight } });
    assert.equal(get.headers['access-control-allow-methods'], 'GET, OPTIONS');
    const refused = await call(proxy, '/api/dify/chat-messages', { method: 'OPTIONS', headers: { origin: 'https://evil.example', ...preflight } });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers['access-control-allow-origin'], undefined);
    const unknown = await call(proxy, '/api/dify/conversations', { method: 'OPTIONS', headers: { origin: other, ...preflight } });
    assert.equal(unknown.status, 404);
    assert.equal(upstream.seen.length, 0);
  });

  it('allowedOrigins as a function', async () => {
    const proxy = makeProxy({ allowedOrigins: (origin) => origin.endsWith('.example') });
    assert.equal((await call(proxy, '/api/dify/info', { headers: { origin: other } })).headers['access-control-allow-origin'], other);
    assert.equal((await call(proxy, '/api/dify/info', { headers: { origin: 'https://evil.test' } })).status, 403);
  });
});

describe('streaming', () => {
  /** An upstream that writes the first SSE event, then holds until `release` is opened. */
  function heldUpstream() {
    const release = gate();
    upstream.handler = async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.write('data: {"event":"message","answer":"Hel"}\n\n');
      await release.promise;
      if (!res.destroyed) res.end('data: {"event":"message_end"}\n\n');
    };
    return release;
  }

  it('Fetch handler: the first chunk arrives while the upstream is still holding; headers for no buffering', async () => {
    const release = heldUpstream();
    const response = await makeProxy()(new Request(`${SITE}/api/dify/chat-messages`, json({ query: 'x', user: 'u' })));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.equal(response.headers.get('x-accel-buffering'), 'no');
    const reader = response.body.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.equal(first, 'data: {"event":"message","answer":"Hel"}\n\n');
    assert.equal(upstream.seen[0].finished, false, 'the upstream has not ended yet');
    release.open();
    let rest = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    assert.equal(rest, 'data: {"event":"message_end"}\n\n');
  });

  it('node adapter: the first chunk arrives while the upstream is still holding', async () => {
    const release = heldUpstream();
    const node = await nodeServer(makeProxy());
    try {
      const { res } = await openRequest(node.port, {
        path: '/api/dify/chat-messages',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'x', user: 'u' }),
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['x-accel-buffering'], 'no');
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.equal(await nextChunk(res), 'data: {"event":"message","answer":"Hel"}\n\n');
      assert.equal(upstream.seen[0].finished, false);
      release.open();
      assert.equal(await nextChunk(res), 'data: {"event":"message_end"}\n\n');
      assert.equal(await nextChunk(res), null);
    } finally {
      await close(node.server);
    }
  });

  it('bytes pass through unchanged, even a write cut inside a UTF-8 character', async () => {
    const bytes = Buffer.from('data: {"event":"message","answer":"café 👋"}\n\n', 'utf8');
    const cut = bytes.indexOf(0xf0) + 2;
    upstream.handler = async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(bytes.subarray(0, cut));
      await new Promise((resolve) => setTimeout(resolve, 20));
      res.end(bytes.subarray(cut));
    };
    const response = await makeProxy()(new Request(`${SITE}/api/dify/chat-messages`, json({ query: 'x', user: 'u' })));
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes);
  });

  it('binary answers (text-to-audio) pass through', async () => {
    const audio = Buffer.from([0x49, 0x44, 0x33, 0x04, 0x00, 0xff, 0xfb]);
    upstream.handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'audio/mpeg' });
      res.end(audio);
    };
    const response = await makeProxy()(new Request(`${SITE}/api/dify/text-to-audio`, json({ text: 'hi', user: 'u' })));
    assert.equal(response.headers.get('content-type'), 'audio/mpeg');
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), audio);
  });

  it('node adapter: a client that disconnects aborts the upstream request', async () => {
    const release = heldUpstream();
    const node = await nodeServer(makeProxy());
    try {
      const { req, res } = await openRequest(node.port, {
        path: '/api/dify/chat-messages',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'x', user: 'u' }),
      });
      await nextChunk(res);
      req.destroy();
      assert.ok(await waitFor(() => upstream.seen[0]?.closedEarly), 'the upstream saw the connection close');
      assert.equal(upstream.seen[0].finished, false);
    } finally {
      release.open();
      await close(node.server);
    }
  });

  it('node adapter: a client that disconnects before the answer starts aborts the upstream request', async () => {
    const release = gate();
    upstream.handler = async (req, res) => {
      await release.promise;
      if (!res.destroyed) res.end('{}');
    };
    const node = await nodeServer(makeProxy());
    try {
      const req = http.request({ host: '127.0.0.1', port: node.port, method: 'POST', path: '/api/dify/chat-messages', headers: { 'content-type': 'application/json' } });
      req.on('error', () => {});
      req.end(JSON.stringify({ query: 'x', user: 'u' }));
      assert.ok(await waitFor(() => upstream.seen.length === 1 && upstream.seen[0].body.length > 0));
      req.destroy();
      assert.ok(await waitFor(() => upstream.seen[0].closedEarly), 'the upstream saw the connection close');
    } finally {
      release.open();
      await close(node.server);
    }
  });

  it('Fetch handler: request.signal aborting (and cancelling the body) aborts the upstream', async () => {
    const release = heldUpstream();
    const controller = new AbortController();
    const response = await makeProxy()(
      new Request(`${SITE}/api/dify/chat-messages`, { ...json({ query: 'x', user: 'u' }), signal: controller.signal }),
    );
    const reader = response.body.getReader();
    await reader.read();
    controller.abort();
    assert.ok(await waitFor(() => upstream.seen[0]?.closedEarly));
    release.open();

    const again = heldUpstream();
    const second = await makeProxy()(new Request(`${SITE}/api/dify/chat-messages`, json({ query: 'x', user: 'u' })));
    const secondReader = second.body.getReader();
    await secondReader.read();
    await secondReader.cancel();
    assert.ok(await waitFor(() => upstream.seen[1]?.closedEarly));
    again.open();
  });

  it('an upstream that never answers: 504 after timeoutMs', async () => {
    const release = gate();
    upstream.handler = async (req, res) => {
      await release.promise;
      res.end();
    };
    const r = await call(makeProxy({ timeoutMs: 150 }), '/api/dify/parameters');
    assertDifyError(r, 504, 'gateway_timeout');
    assert.ok(await waitFor(() => upstream.seen[0]?.closedEarly), 'the upstream request was aborted');
    release.open();
  });

  it('an upstream that goes silent mid-answer: the stream is cut after timeoutMs and the upstream aborted', async () => {
    const release = heldUpstream();
    const node = await nodeServer(makeProxy({ timeoutMs: 150 }));
    try {
      const { res } = await openRequest(node.port, {
        path: '/api/dify/chat-messages',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'x', user: 'u' }),
      });
      assert.equal(await nextChunk(res), 'data: {"event":"message","answer":"Hel"}\n\n');
      const outcome = await nextChunk(res).then(
        (chunk) => (chunk === null ? 'ended' : 'data'),
        () => 'cut',
      );
      assert.notEqual(outcome, 'data');
      assert.ok(await waitFor(() => upstream.seen[0]?.closedEarly));
    } finally {
      release.open();
      await close(node.server);
    }
  });

  it('an upstream that breaks off mid-answer: the client connection is cut too (not a clean end)', async () => {
    upstream.handler = async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"event":"message","answer":"Hel"}\n\n');
      await new Promise((resolve) => setTimeout(resolve, 20));
      res.socket.destroy();
    };
    const node = await nodeServer(makeProxy());
    try {
      const { res } = await openRequest(node.port, {
        path: '/api/dify/chat-messages',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'x', user: 'u' }),
      });
      await nextChunk(res);
      const outcome = await new Promise((resolve) => {
        res.on('end', () => resolve('clean end'));
        res.on('error', () => resolve('cut'));
        res.on('aborted', () => resolve('cut'));
        res.resume();
      });
      assert.equal(outcome, 'cut');
    } finally {
      await close(node.server);
    }
  });
});

describe('the build', () => {
  const built = existsSync('dist/proxy.js');
  it('dist/proxy.js (when built) exports the same API and has no imports; the widget bundle does not contain it', { skip: !built && 'run npm run build first' }, async () => {
    const source = readFileSync('dist/proxy.js', 'utf8');
    assert.doesNotMatch(source, /^\s*import\s/m);
    assert.doesNotMatch(source, /\bdocument\b|customElements|from ['"]lit/);
    const mod = await import(new URL('../dist/proxy.js', import.meta.url).href);
    assert.equal(typeof mod.createDifyProxy, 'function');
    assert.equal(typeof mod.toNodeHandler, 'function');
    assert.ok(existsSync('dist/types/proxy/index.d.ts'));
    const bundle = readFileSync('dist/dify-chat.js', 'utf8');
    assert.ok(!bundle.includes('createDifyProxy') && !bundle.includes('x-accel-buffering'));
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    assert.deepEqual(pkg.exports['./proxy'], { types: './dist/types/proxy/index.d.ts', default: './dist/proxy.js' });
  });
});
