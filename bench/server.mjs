// Local HTTP server for the benchmark (127.0.0.1, random free port).
//   GET  /bench/*, /dist/*                 static files from bench/ and dist/ (/bench/smd.js: streaming-markdown)
//   POST /bench/stream?chunks=N&pace=MS    the deterministic answer (bench/answer.mjs) as Dify SSE
//   POST /bench/raw?chunks=N&pace=MS       the same events, for the plain-JS baseline page
//        …&single=1                        the whole answer in one `message` event (then message_end)
//   GET  /bench/answer?chunks=N            { answer, words } as JSON (for checks; not used when timing)
//   GET  /bench/transcript?n=N             a stored transcript of N messages ({v: 1, messages}, answer.mjs)
//   GET  /bench/launcher.html?el=0|1       a host page that loads the bundle, with (1) or without (0) a
//                                          closed <dify-chat mode="launcher"> in its markup
// pace=0 writes every event as its own write, as fast as the socket takes them (awaiting 'drain');
// pace>0 writes one event every `pace` ms (scheduled against absolute times, so timer drift does not add up).
// startServer({ bundle }) serves that file as /dist/dify-chat.js (to measure another build).
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeAnswer, makeTranscript, sseEvents } from './answer.mjs';

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
const eventsFor = (n, single) => {
  const key = `${n}:${single ? 1 : 0}`;
  if (!eventCache.has(key)) {
    const { answer, chunks } = makeAnswer(n);
    eventCache.set(key, sseEvents(single ? [answer] : chunks));
  }
  return eventCache.get(key);
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
  const events = eventsFor(n, url.searchParams.get('single') === '1');
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

async function serveFile(res, path, bundle) {
  let rel = normalize(decodeURIComponent(path)).replace(/^[/\\]+/, '');
  const top = rel.split(/[/\\]/)[0];
  // the markdown floor page's parser: the widget's own dependency, as published
  if (rel === join('bench', 'smd.js')) rel = join('node_modules', 'streaming-markdown', 'smd.js');
  const file = bundle && rel === join('dist', 'dify-chat.js') ? resolve(bundle) : join(ROOT, rel);
  if (!STATIC.includes(top) || (file !== bundle && !file.startsWith(ROOT + sep))) return false;
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

/** The launcher page, with or without the element in its markup. */
async function launcherPage(res, url) {
  launcherHtml ??= await readFile(join(ROOT, 'bench', 'launcher.html'), 'utf8');
  const html = launcherHtml;
  const element = '<dify-chat mode="launcher" endpoint="/bench/stream?chunks=50" storage-key="bench-launcher" bot-name="Assistant"></dify-chat>';
  res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' });
  res.end(html.replace('<!-- element -->', url.searchParams.get('el') === '1' ? element : ''));
}

let launcherHtml;
/** Stored transcripts (as JSON) by length: the restore cases ask for the same one on every run. */
const transcripts = new Map();

/** Starts the server; resolves to { origin, port, close() }. */
export async function startServer({ port = 0, bundle } = {}) {
  bundle = bundle ? resolve(bundle) : undefined;
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
      if (req.method === 'GET' && url.pathname === '/bench/transcript') {
        const n = Math.min(1000, Math.max(0, Number(url.searchParams.get('n') ?? 100) || 0));
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        if (!transcripts.has(n)) transcripts.set(n, JSON.stringify({ v: 1, messages: makeTranscript(n) }));
        return res.end(transcripts.get(n));
      }
      if (req.method === 'GET' && url.pathname === '/bench/launcher.html') return await launcherPage(res, url);
      if ((req.method === 'GET' || req.method === 'HEAD') && (await serveFile(res, url.pathname, bundle))) return;
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
  console.log(`  ${origin}/bench/chat.html?chunks=2000&pace=0&restore=100  ${origin}/bench/chat.html?restore=100&mode=restore  ${origin}/bench/launcher.html?el=1`);
}
