// Helpers of the node test suites (node:test): a recording fake upstream, raw HTTP requests (paths
// are sent byte for byte, never normalised), and servers on 127.0.0.1 port 0.
import http from 'node:http';

/** Listen on 127.0.0.1, any free port. */
export function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

export function close(server) {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port nobody listens on (for "upstream down"). */
export async function closedPort() {
  const s = http.createServer();
  const port = await listen(s);
  await close(s);
  return port;
}

/** A promise with its resolve function, for held upstream responses. */
export function gate() {
  let open;
  const promise = new Promise((resolve) => (open = resolve));
  return { promise, open };
}

/**
 * A fake Dify upstream that records every request: { method, url, headers, body, closedEarly, finished }.
 * `upstream.handler = async (req, res, entry) => …` answers; the default echoes a small JSON object.
 */
export async function fakeUpstream() {
  const seen = [];
  const fake = {
    seen,
    handler: null,
    port: 0,
    url: '',
    reset() {
      seen.length = 0;
      fake.handler = null;
    },
  };
  const server = http.createServer(async (req, res) => {
    const entry = { method: req.method, url: req.url, headers: req.headers, body: Buffer.alloc(0), closedEarly: false, finished: false };
    seen.push(entry);
    res.on('close', () => {
      if (!res.writableFinished) entry.closedEarly = true;
    });
    const chunks = [];
    try {
      for await (const chunk of req) chunks.push(chunk);
    } catch {
      return;
    }
    entry.body = Buffer.concat(chunks);
    if (fake.handler) {
      await fake.handler(req, res, entry);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'upstream=1; Path=/' });
      res.end(JSON.stringify({ result: 'success', method: req.method, url: req.url }));
    }
    entry.finished = true;
  });
  fake.server = server;
  fake.port = await listen(server);
  fake.url = `http://127.0.0.1:${fake.port}/v1`;
  return fake;
}

/**
 * One raw HTTP/1.1 request. Resolves with { status, headers, body (Buffer), text, json? }.
 * `body` may be a string/Buffer; `onResponse(res, req)` sees the live response instead (streaming tests).
 */
export function rawRequest(port, { method = 'GET', path = '/', headers = {}, body, host = `127.0.0.1:${port}` } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { host, ...headers }, setHost: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        const out = { status: res.statusCode, headers: res.headers, body: buf, text: buf.toString('utf8') };
        try {
          out.json = JSON.parse(out.text);
        } catch {
          /* not JSON */
        }
        resolve(out);
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Open a request and hand back the live response (for reading chunk by chunk, or aborting). */
export function openRequest(port, { method = 'POST', path = '/', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => resolve({ req, res }));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The next chunk of a node readable response, as text (or null at the end). */
export function nextChunk(res) {
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      cleanup();
      res.pause();
      resolve(chunk.toString('utf8'));
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (e) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      res.off('data', onData);
      res.off('end', onEnd);
      res.off('error', onError);
    };
    res.on('data', onData);
    res.on('end', onEnd);
    res.on('error', onError);
    res.resume();
  });
}

/** Wait until `test()` holds (polling), at most `ms`. */
export async function waitFor(test, ms = 3000) {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
