// Test controls under /api/_mock/ (mock mode only): info, stops, active streams, reset, example
// replays and held (test-driven) streams.
import { COMMANDS, EXAMPLES, RESPONSE_D3 } from '../../test/fixtures/dify-streams.js';
import { allow, cutConnection, readJson, readRaw, send, sendJson, sleepPlain, startStream } from './http.mjs';

const HELD_LIMIT_MS = 60 * 1000;

export async function mockControl(ctx, state, path, method, next) {
  const query = ctx.query ?? {};
  if (path === '/api/_mock/info') {
    return allow(ctx, method, 'GET', () =>
      sendJson(ctx, 200, {
        mode: state.proxy ? 'proxy' : 'mock',
        delay: state.delay,
        commands: COMMANDS.map(({ command, example, description }) => ({ command, example, description })),
      }),
    );
  }
  if (path === '/api/_mock/stops') {
    return allow(ctx, method, 'GET', () =>
      sendJson(ctx, 200, query.user ? state.stops.filter((s) => s.user === query.user) : state.stops),
    );
  }
  if (path === '/api/_mock/active') {
    return allow(ctx, method, 'GET', () => {
      const list = [...state.running].map(([task_id, t]) => ({ task_id, user: t.user, endpoint: t.endpoint }));
      return sendJson(ctx, 200, query.user ? list.filter((t) => t.user === query.user) : list);
    });
  }
  if (path === '/api/_mock/reset') {
    return allow(ctx, method, 'POST', async () => {
      const body = await readJson(ctx.req).catch(() => ({}));
      const user = typeof body.user === 'string' && body.user ? body.user : null;
      for (const app of state.apps.byId.values()) {
        for (const [id, c] of app.conversations) if (!user || c.user === user) app.conversations.delete(id);
      }
      if (user) {
        for (const [id, c] of state.conversations) if (c.user === user) state.conversations.delete(id);
        state.stops = state.stops.filter((s) => s.user !== user);
      } else {
        state.conversations.clear();
        state.stops = [];
      }
      return sendJson(ctx, 200, { result: 'success' });
    });
  }
  const example = /^\/api\/_mock\/example\/([A-Za-z0-9]+)$/.exec(path);
  if (example) {
    if (method === 'OPTIONS') return send(ctx, 204, '');
    if (method === 'POST') await readRaw(ctx.req);
    return replayExample(ctx, example[1].toUpperCase(), query);
  }
  if (path === '/api/_mock/apps') {
    return allow(ctx, method, 'POST', async () => {
      const body = await readJson(ctx.req);
      let app;
      try {
        app = state.apps.create(body);
      } catch (problem) {
        if (typeof problem !== 'string') throw problem;
        return sendJson(ctx, 400, { code: 'invalid_param', message: problem, status: 400 });
      }
      return sendJson(ctx, 201, { id: app.id, api: `/api/apps/${app.id}` });
    });
  }
  const requests = /^\/api\/_mock\/apps\/([A-Za-z0-9_-]{1,32})\/requests$/.exec(path);
  if (requests) {
    return allow(ctx, method, 'GET', () => {
      const app = state.apps.byId.get(requests[1]);
      if (!app) return sendJson(ctx, 404, { code: 'not_found', message: 'No such mock app.', status: 404 });
      return sendJson(ctx, 200, app.requests);
    });
  }
  const file = /^\/api\/_mock\/files\/([0-9a-f-]{36})$/.exec(path);
  if (file) {
    return allow(ctx, method, 'GET', () => {
      for (const app of state.apps.byId.values()) {
        const stored = app.files.get(file[1]);
        if (!stored) continue;
        const { mime_type: type, name } = stored.meta;
        const inline = /^image\/(png|jpeg|gif|webp)$/.test(type);
        return send(ctx, 200, stored.bytes, {
          'content-type': inline ? type : 'application/octet-stream',
          'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${name.replace(/[^\w.-]/g, '_')}"`,
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox",
          'cache-control': 'no-store',
        });
      }
      return sendJson(ctx, 404, { code: 'not_found', message: 'File Not Exists.', status: 404 });
    });
  }
  const held = /^\/api\/_mock\/held\/([\w.-]+)(?:\/(push|end|drop))?$/.exec(path);
  if (held) return allow(ctx, method, 'POST', () => heldStream(ctx, state, held[1], held[2]));
  return next();
}

async function replayExample(ctx, name, query) {
  if (name === 'D3') {
    return send(ctx, RESPONSE_D3.status, RESPONSE_D3.body, { 'content-type': RESPONSE_D3.contentType });
  }
  const example = EXAMPLES[name];
  if (!example) return sendJson(ctx, 404, { code: 'not_found', message: `No example stream "${name}".`, status: 404 });
  const bytes = Buffer.from(example.body, 'utf8');
  const size = Math.max(1, Number.parseInt(query.chunk, 10) || bytes.length);
  const pause = Math.max(0, Number.parseInt(query.delay, 10) || 0);
  startStream(ctx, 'text/event-stream; charset=utf-8');
  let closed = false;
  ctx.res.on('close', () => (closed = true));
  for (let i = 0; i < bytes.length && !closed; i += size) {
    ctx.res.write(bytes.subarray(i, i + size));
    if (pause && i + size < bytes.length) await sleepPlain(pause);
  }
  if (!closed) ctx.res.end();
  return undefined;
}

/**
 * Make a held stream known under `id`: `entry` is `{ res }` (raw bytes are written to it) or
 * `{ push(bytes), end(bytes), drop(), isOpen() }` (a Service API answer that turns pushes into events).
 * Returns a function that forgets it.
 */
export function registerHeld(state, id, entry) {
  state.held.set(id, entry);
  for (const resolve of state.heldWaiters.get(id) ?? []) resolve(entry);
  state.heldWaiters.delete(id);
  return () => {
    if (state.held.get(id) === entry) state.held.delete(id);
  };
}

const heldOpen = (entry) => (entry.isOpen ? entry.isOpen() : !entry.res.destroyed && !entry.res.writableEnded);

/** Test-driven streams: the test decides when each byte is sent. */
async function heldStream(ctx, state, id, action) {
  if (!action) {
    startStream(ctx, ctx.query?.type || 'text/event-stream; charset=utf-8');
    const res = ctx.res;
    await readRaw(ctx.req).catch(() => undefined);
    const forget = registerHeld(state, id, { res });
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (!res.writableEnded) res.end();
        resolve();
      }, HELD_LIMIT_MS);
      res.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    forget();
    return undefined;
  }
  const body = await readRaw(ctx.req);
  let entry = state.held.get(id);
  if (!entry) {
    entry = await Promise.race([
      new Promise((resolve) => {
        const list = state.heldWaiters.get(id) ?? [];
        list.push(resolve);
        state.heldWaiters.set(id, list);
      }),
      sleepPlain(5000).then(() => null),
    ]);
  }
  if (!entry || !heldOpen(entry)) {
    return sendJson(ctx, 404, { code: 'not_found', message: `No open held stream "${id}".`, status: 404 });
  }
  if (entry.push) {
    if (action === 'push') entry.push(body);
    else if (action === 'end') entry.end(body);
    else entry.drop();
  } else if (action === 'push') entry.res.write(body);
  else if (action === 'end') entry.res.end(body.length ? body : undefined);
  else if (action === 'drop') await cutConnection(entry.res);
  return sendJson(ctx, 200, { result: 'success' });
}
