#!/usr/bin/env node
// Checks the proxy mode of demo/mock-dify.mjs (what `npm start` does with DIFY_API_URL + DIFY_API_KEY)
// against a fake Dify on 127.0.0.1, through the real @web/dev-server stack:
//   - /api/chat is forwarded to {url}/chat-messages with `Authorization: Bearer <key>` added server-side
//     (a client's own Authorization header is not passed on);
//   - the SSE body passes through byte for byte and unbuffered (chunks arrive as the upstream writes them,
//     including a write cut inside a UTF-8 character);
//   - status and content-type of pre-stream errors are copied; stop calls are forwarded;
//   - a client disconnect aborts the upstream request;
//   - the key never reaches the client; an unreachable upstream gives a 502 JSON error;
//   - /api/talk stays mocked.
// Prints TAP-like lines; exits 0 when all pass, 1 on a failed check, 2 on a crash or timeout.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { startDevServer } from '@web/dev-server';
import { mockDify } from '../demo/mock-dify.mjs';

const KEY = `app-check-${randomUUID()}`;
const GAP = 150; // ms between upstream writes
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const watchdog = setTimeout(() => {
  console.error('not ok - timed out after 30 s');
  process.exit(2);
}, 30_000);
watchdog.unref();

let failures = 0;
let count = 0;
function check(name, ok, detail = '') {
  count++;
  if (ok) console.log(`ok ${count} - ${name}`);
  else {
    failures++;
    console.log(`not ok ${count} - ${name}${detail ? `\n  # ${detail}` : ''}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// the fake Dify Service API

const seen = []; // every upstream request: { url, auth, contentType, body, closedEarly, finished }
const sse = (obj) => `data: ${JSON.stringify(obj)}\n\n`;

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const upstream = http.createServer(async (req, res) => {
  const entry = {
    url: req.url,
    auth: req.headers.authorization,
    contentType: req.headers['content-type'],
    body: await readBody(req),
    closedEarly: false,
    finished: false,
    written: [],
  };
  seen.push(entry);
  res.on('close', () => {
    if (!res.writableFinished) entry.closedEarly = true;
  });
  if (req.headers.authorization !== `Bearer ${KEY}`) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'unauthorized', message: 'Access token is invalid', status: 401 }));
    return;
  }
  const stop = /^\/v1\/chat-messages\/([^/]+)\/stop$/.exec(req.url);
  if (req.method === 'POST' && stop) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"result": "success"}');
    return;
  }
  if (req.method !== 'POST' || req.url !== '/v1/chat-messages') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"code": "not_found", "message": "The requested URL was not found on the server.", "status": 404}');
    return;
  }
  const body = JSON.parse(entry.body || '{}');
  if (body.conversation_id === 'stale') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"code": "not_found", "message": "Conversation Not Exists.", "status": 404}');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  const env = { conversation_id: randomUUID(), message_id: randomUUID(), created_at: 1751360000, task_id: randomUUID() };
  const write = async (piece) => {
    if (res.destroyed) return;
    const buf = Buffer.isBuffer(piece) ? piece : Buffer.from(piece, 'utf8');
    entry.written.push(buf);
    res.write(buf);
    await sleep(GAP);
  };
  if (body.query === 'long') {
    for (let i = 0; i < 60 && !res.destroyed; i++) await write(sse({ event: 'message', ...env, answer: `part ${i} ` }));
  } else {
    await write('event: ping\n\n');
    await write(sse({ event: 'message', ...env, id: env.message_id, answer: 'Café ' }));
    // one event cut in two writes inside the 4-byte emoji
    const framed = Buffer.from(sse({ event: 'message', ...env, id: env.message_id, answer: 'hours 👋 ' }), 'utf8');
    const cut = framed.indexOf(0xf0) + 2;
    await write(framed.subarray(0, cut));
    await write(framed.subarray(cut));
    await write(sse({ event: 'message', ...env, id: env.message_id, answer: 'are 8am-6pm.' }));
    await write(sse({ event: 'message_end', ...env, id: env.message_id, metadata: { usage: { total_tokens: 9 } } }));
  }
  entry.finished = true;
  res.end();
});

function listen(server, host = '127.0.0.1') {
  return new Promise((resolve) => server.listen(0, host, () => resolve(server.address().port)));
}

async function freePort() {
  const s = http.createServer();
  const port = await listen(s);
  await new Promise((resolve) => s.close(resolve));
  return port;
}

async function devServer(proxy) {
  const server = await startDevServer({
    config: {
      rootDir: process.cwd(),
      hostname: '127.0.0.1',
      port: await freePort(),
      watch: false,
      middleware: [mockDify({ delay: 0, proxy })],
    },
    readCliArgs: false,
    readFileConfig: false,
    autoExitProcess: false,
    logStartMessage: false,
  });
  return { server, base: `http://127.0.0.1:${server.server.address().port}` };
}

async function readTimed(response) {
  const reads = [];
  const start = Date.now();
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    reads.push({ at: Date.now() - start, bytes: Buffer.from(value) });
  }
  return reads;
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  const upstreamPort = await listen(upstream);
  const apiUrl = `http://127.0.0.1:${upstreamPort}/v1/`; // trailing slash on purpose
  const { server, base } = await devServer({ url: apiUrl, key: KEY });
  const post = (path, body, headers = {}, signal) =>
    fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
      body: JSON.stringify(body),
      signal,
    });

  try {
    // 1. streaming passthrough
    const request = { query: 'hello', inputs: {}, conversation_id: '', user: 'check-user', response_mode: 'streaming' };
    const response = await post('/api/chat', request, { authorization: 'Bearer from-the-browser' });
    const headerText = JSON.stringify([...response.headers]);
    const reads = await readTimed(response);
    const got = Buffer.concat(reads.map((r) => r.bytes));
    const up = seen.find((s) => s.url === '/v1/chat-messages');
    const sent = Buffer.concat(up?.written ?? []);
    check('proxied /api/chat answers 200 text/event-stream', response.status === 200 && /^text\/event-stream/.test(response.headers.get('content-type') ?? ''), `${response.status} ${response.headers.get('content-type')}`);
    check('sets cache-control: no-cache and x-accel-buffering: no', response.headers.get('cache-control') === 'no-cache' && response.headers.get('x-accel-buffering') === 'no', headerText);
    check('upstream got POST {url}/chat-messages (trailing slash in DIFY_API_URL handled)', !!up);
    check('upstream got Authorization: Bearer <key> (not the browser’s header)', up?.auth === `Bearer ${KEY}`, up?.auth);
    check('upstream got the request body unchanged as JSON', up?.contentType === 'application/json' && JSON.stringify(JSON.parse(up.body)) === JSON.stringify(request), up?.body);
    check('body passes through byte for byte (incl. a write cut inside an emoji)', got.equals(sent), `got ${got.length} bytes, upstream wrote ${sent.length}`);
    const spread = reads.length ? reads.at(-1).at - reads[0].at : 0;
    check(`unbuffered: ${reads.length} reads spread over ${spread} ms (upstream writes ${GAP} ms apart)`, reads.length >= 4 && spread >= GAP * 3, JSON.stringify(reads.map((r) => [r.at, r.bytes.length])));
    const firstMessageRead = reads.findIndex((r) => r.bytes.includes('"answer"'));
    check('the first answer chunk arrives before the upstream has finished', firstMessageRead >= 0 && reads[firstMessageRead].at < spread, `${reads[firstMessageRead]?.at} ms`);
    check('the key is in neither the response headers nor the body', !headerText.includes(KEY) && !got.toString('utf8').includes(KEY));

    // 2. pre-stream errors: status and content-type copied
    const stale = await post('/api/chat', { ...request, conversation_id: 'stale' });
    const staleBody = await stale.text();
    check('upstream 404 JSON is passed through with its status and content-type', stale.status === 404 && /application\/json/.test(stale.headers.get('content-type') ?? '') && JSON.parse(staleBody).code === 'not_found', `${stale.status} ${staleBody}`);

    // 3. stop is forwarded with the key
    const stopResponse = await post('/api/chat-messages/task-123/stop', { user: 'check-user' });
    const stopBody = await stopResponse.text();
    const upStop = seen.find((s) => s.url === '/v1/chat-messages/task-123/stop');
    check('stop is forwarded to {url}/chat-messages/:task_id/stop with the key', stopResponse.status === 200 && JSON.parse(stopBody).result === 'success' && upStop?.auth === `Bearer ${KEY}` && JSON.parse(upStop.body).user === 'check-user', `${stopResponse.status} ${stopBody}`);

    // 4. a client disconnect aborts the upstream request
    const controller = new AbortController();
    const long = await post('/api/chat', { ...request, query: 'long' }, {}, controller.signal);
    const reader = long.body.getReader();
    // a buffering proxy would hold the first chunk until the upstream ends (9 s): don't wait for that
    const firstChunk = await Promise.race([reader.read().then(() => true, () => false), sleep(2000).then(() => false)]);
    check('the first chunk of a long stream arrives while the upstream is still writing', firstChunk);
    controller.abort();
    await reader.read().catch(() => undefined);
    const upLong = () => seen.find((s) => s.body.includes('"long"'));
    for (let t = 0; t < 3000 && !upLong()?.closedEarly; t += 50) await sleep(50);
    check('client disconnect aborts the upstream request', upLong()?.closedEarly === true && upLong()?.finished === false);

    // 5. the plugin and OpenAI routes stay mocked
    const before = seen.length;
    const talk = await post('/api/talk', { query: 'hi', conversation_id: '' });
    const talkText = await talk.text();
    check('/api/talk stays mocked (bare json.dumps blocks, no upstream call)', talk.status === 200 && talkText.startsWith('{"event": "message"') && seen.length === before, talkText.slice(0, 80));
    const info = await (await fetch(`${base}/api/_mock/info`)).text();
    check('/api/_mock/info reports proxy mode without the key or URL secrets', JSON.parse(info).mode === 'proxy' && !info.includes(KEY));
  } finally {
    await server.stop();
  }

  // 6. unreachable upstream → 502 JSON
  const closedPort = await freePort();
  const dead = await devServer({ url: `http://127.0.0.1:${closedPort}/v1`, key: KEY });
  try {
    const response = await fetch(`${dead.base}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'hi', inputs: {}, conversation_id: '', user: 'u', response_mode: 'streaming' }),
    });
    const text = await response.text();
    check('unreachable upstream → 502 JSON {code:"bad_gateway"} without the key', response.status === 502 && JSON.parse(text).code === 'bad_gateway' && !text.includes(KEY), `${response.status} ${text}`);
  } finally {
    await dead.server.stop();
  }
}

try {
  await main();
} catch (error) {
  console.error('not ok - crashed:', error);
  process.exitCode = 2;
} finally {
  upstream.closeAllConnections?.();
  upstream.close();
}
if (!process.exitCode) {
  console.log(`\n${count - failures}/${count} proxy checks passed`);
  process.exitCode = failures ? 1 : 0;
}
setTimeout(() => process.exit(process.exitCode), 100).unref();
