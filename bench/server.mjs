// Local HTTP server for the benchmark (127.0.0.1, random free port).
//   GET  /bench/*, /dist/*                 static files from bench/ and dist/
//   POST /bench/stream?chunks=N&pace=MS    the deterministic answer (bench/answer.mjs) as Dify SSE
//   POST /bench/raw?chunks=N&pace=MS       the same events, for the plain-JS baseline page
//   GET  /bench/answer?chunks=N            { answer, words } as JSON (for checks; not used when timing)
// pace=0 writes every event as its own write, as fast as the socket takes them (awaiting 'drain');
// pace>0 writes one event every `pace` ms (scheduled against absolute times, so timer drift does not add up).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeAnswer, sseEvents } from './answer.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const STATIC = ['bench', 'dist'];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const eventCache = new Map();
const eventsFor = (n) => {
  if (!eventCache.has(n)) eventCache.set(n, sseEvents(makeAnswer(n).chunks));
  return eventCache.get(n);
};

async function stream(req, res, url) {
  for await (const _ of req); // drain the request body (the chat request JSON); its content does not matter
  const n = Number(url.searchParams.get('chunks') ?? 500);
  const pace = Number(url.searchParams.get('pace') ?? 0);
  if (!Number.isFinite(n) || n < 1 || n > 100000 || !Number.isFinite(pace) || pace < 0) {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'invalid_param', message: 'bad chunks/pace', status: 400 }));
    return;
  }
  const events = eventsFor(n);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.flushHeaders();
  let closed = false;
  res.on('close', () => { closed = true; });
  const start = performance.now();
  for (let i = 0; i < events.length && !closed; i++) {
    if (pace > 0) {
      const wait = start + i * pace - performance.now();
      if (wait > 0) await sleep(wait);
    }
    if (!res.write(events[i]) && !closed) {
      await new Promise((r) => {
        const go = () => {
          res.off('drain', go);
          res.off('close', go);
          r();
        };
        res.on('drain', go);
        res.on('close', go);
      });
    }
  }
  res.end();
}

async function serveFile(res, path) {
  const rel = normalize(decodeURIComponent(path)).replace(/^[/\\]+/, '');
  const file = join(ROOT, rel);
  const top = rel.split(/[/\\]/)[0];
  if (!STATIC.includes(top) || !file.startsWith(ROOT + sep)) return false;
  try {
    const info = await stat(file);
    if (!info.isFile()) return false;
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
    return true;
  } catch {
    return false;
  }
}

/** Starts the server; resolves to { origin, port, close() }. */
export async function startServer({ port = 0 } = {}) {
  const sockets = new Set();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    try {
      if (req.method === 'POST' && (url.pathname === '/bench/stream' || url.pathname === '/bench/raw')) {
        return await stream(req, res, url);
      }
      if (req.method === 'GET' && url.pathname === '/bench/answer') {
        const { answer, words } = makeAnswer(Number(url.searchParams.get('chunks') ?? 500));
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ answer, words }));
      }
      if ((req.method === 'GET' || req.method === 'HEAD') && (await serveFile(res, url.pathname))) return;
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204);
        return res.end();
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((r, j) => server.listen(port, '127.0.0.1', r).once('error', j));
  const actual = server.address().port;
  return {
    port: actual,
    origin: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

// `node bench/server.mjs [port]`: run it alone, e.g. to open the pages in a browser
if (import.meta.url === `file://${process.argv[1]}`) {
  const { origin } = await startServer({ port: Number(process.argv[2] ?? 0) });
  console.log(`bench server: ${origin}/bench/chat.html?chunks=500&pace=20  ${origin}/bench/baseline.html?chunks=500&pace=20`);
}
