// The built-in mock Dify bot: Koa-style middleware for @web/dev-server and @web/test-runner.
//
//   import { mockDify } from './demo/mock-dify.mjs';
//   middleware: [mockDify({ delay: 0 })]                         // tests: no pacing
//   middleware: [mockDify({ proxy: { url, key } })]              // npm start with DIFY_API_URL/KEY
//
// Routes (everything else goes to next()):
//   POST /api/chat                          Dify Service API (SSE, compact JSON, pings, awkward byte cuts)
//   POST /api/talk                          Dify plugin endpoint framing ("GirlsTalk": bare json.dumps blocks)
//   POST /api/openai/chat/completions       OpenAI-compatible chat completions (stream or not)
//   POST /api/chat-messages/:task_id/stop   Dify stop: {"result":"success"}; the running stream ends
//   GET  /api/files/cat.svg                 the image the /agent answer links to
//   GET  /api/_mock/info                    {mode: "mock"|"proxy", commands}
//   GET  /api/_mock/stops[?user=]           recorded stop calls [{task_id, user}]
//   GET  /api/_mock/active[?user=]          streams still running [{task_id, user, endpoint}]
//   POST /api/_mock/reset                   body {user?}: forget conversations + stops (of that user, or all)
//   ANY  /api/_mock/example/:name           replay a raw example stream (A, B, C, D1, D2, D3, E, F) from
//                                           test/fixtures/dify-streams.js; ?chunk=N&delay=ms to dribble it
//   POST /api/_mock/held/:id                a test-driven stream: stays open until the test drives it with
//   POST /api/_mock/held/:id/push|end|drop  push (request body written verbatim) / end / destroy the socket
//
// A query (or the last OpenAI user message) containing a command such as `/error 429`, `/midstream`,
// `/agent`, … makes the bot do that instead of the default answer; `/help` lists them all.
//
// Every request is handled on its own: several widgets (and parallel test files) can stream at once.
// State (conversations, stops, running tasks) lives in the object returned by mockDify(), in memory.

import { randomUUID } from 'node:crypto';
import {
  COMMANDS,
  EXAMPLES,
  OPENAI_DONE,
  RESPONSE_D3,
  SSE_PING,
  awkwardSplit,
  bareFrame,
  difyTurn,
  encodeUtf8,
  openaiChunk,
  openaiError,
  parseCommand,
  sseFrame,
  usageFor,
  wordChunks,
} from '../test/fixtures/dify-streams.js';

const STALL_LIMIT_MS = 5 * 60 * 1000;
const HELD_LIMIT_MS = 60 * 1000;
const BODY_LIMIT = 1024 * 1024;
const SPLIT_MODES = ['utf8', 'json', 'prefix', 'terminator'];

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'Content-Type, Authorization, Accept, X-App-Code',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-max-age': '600',
};
const STREAM_HEADERS = { 'cache-control': 'no-cache', 'x-accel-buffering': 'no', ...CORS };

/** Dify's pre-stream error bodies by status (`/error <status>`). */
const DIFY_ERRORS = {
  400: ['invalid_param', 'Invalid parameter: the request could not be processed.'],
  401: ['unauthorized', 'Access token is invalid'],
  403: ['forbidden', "The app's API service has been disabled."],
  404: ['not_found', 'Conversation Not Exists.'],
  413: ['file_too_large', 'File size exceeded.'],
  415: ['unsupported_file_type', 'File type not allowed.'],
  429: ['too_many_requests', 'Too many requests. Please try again later.'],
  500: [
    'internal_server_error',
    'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
  ],
  503: ['service_unavailable', 'The server is temporarily unable to service your request. Please try again later.'],
};

/** OpenAI-style error bodies by status. */
const OPENAI_ERRORS = {
  400: ['Invalid request: the mock was asked for a 400.', 'invalid_request_error', null],
  401: ['Incorrect API key provided: sk-mock***. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key'],
  403: ['You are not allowed to use this model.', 'invalid_request_error', 'model_not_allowed'],
  404: ['The model `mock-1` does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found'],
  429: ['Rate limit reached for requests. Please try again in 20s.', 'requests', 'rate_limit_exceeded'],
  500: ['The server had an error while processing your request. Sorry about that!', 'server_error', null],
  503: ['The engine is currently overloaded, please try again later.', 'server_error', null],
};

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const CAT_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="180" viewBox="0 0 240 180" role="img" aria-labelledby="t">
  <title id="t">A pink cartoon cat</title>
  <rect width="240" height="180" rx="16" fill="#fde7f1"/>
  <path d="M70 60 L84 24 L104 54 Z M170 60 L156 24 L136 54 Z" fill="#f472b6"/>
  <ellipse cx="120" cy="100" rx="62" ry="54" fill="#f9a8d4"/>
  <circle cx="98" cy="92" r="8" fill="#1f2937"/><circle cx="142" cy="92" r="8" fill="#1f2937"/>
  <circle cx="101" cy="89" r="2.5" fill="#fff"/><circle cx="145" cy="89" r="2.5" fill="#fff"/>
  <path d="M114 110 L126 110 L120 117 Z" fill="#be185d"/>
  <path d="M120 117 Q112 127 104 122 M120 117 Q128 127 136 122" stroke="#be185d" stroke-width="3" fill="none" stroke-linecap="round"/>
  <path d="M60 106 L30 100 M60 114 L28 118 M180 106 L210 100 M180 114 L212 118" stroke="#831843" stroke-width="2.5" stroke-linecap="round"/>
</svg>
`;

const sleepPlain = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * @param {{ delay?: number, proxy?: { url: string, key: string } | null }} [options]
 * @returns {(ctx: any, next: () => Promise<any>) => Promise<any>}
 */
export function mockDify(options = {}) {
  const delay = Number.isFinite(options.delay) && options.delay >= 0 ? options.delay : 35;
  const proxy =
    options.proxy && options.proxy.url && options.proxy.key
      ? { url: String(options.proxy.url).replace(/\/+$/, ''), key: String(options.proxy.key) }
      : null;

  const state = {
    delay,
    proxy,
    /** conversation id → { user, createdAt } */
    conversations: new Map(),
    /** recorded stop calls, oldest first */
    stops: [],
    /** task id → { wire, user, endpoint } for running streams */
    running: new Map(),
    /** test-driven streams: id → { res } and waiters */
    held: new Map(),
    heldWaiters: new Map(),
  };

  return async function mockDifyMiddleware(ctx, next) {
    const path = ctx.path;
    if (!path.startsWith('/api/')) return next();
    const method = ctx.method;
    try {
      if (path === '/api/chat') {
        return await allow(ctx, method, 'POST', () => (proxy ? proxyChat(ctx, state) : difyChat(ctx, state, 'sse')));
      }
      if (path === '/api/talk') return await allow(ctx, method, 'POST', () => difyChat(ctx, state, 'bare'));
      if (path === '/api/openai/chat/completions') return await allow(ctx, method, 'POST', () => openaiChat(ctx, state));
      const stop = /^\/api\/chat-messages\/([^/]+)\/stop$/.exec(path);
      if (stop) return await allow(ctx, method, 'POST', () => stopTask(ctx, state, decodeURIComponent(stop[1])));
      if (path === '/api/files/cat.svg') {
        return await allow(ctx, method, 'GET', () =>
          send(ctx, 200, CAT_SVG, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' }),
        );
      }
      if (path.startsWith('/api/_mock/')) return await mockControl(ctx, state, path, method, next);
      return next();
    } catch (err) {
      if (ctx.res.headersSent) {
        ctx.res.destroy();
        return undefined;
      }
      const status = err instanceof HttpError ? err.status : 500;
      if (!(err instanceof HttpError)) console.error('[mock-dify]', err);
      return sendJson(ctx, status, err.body ?? difyError(500));
    }
  };
}

// ---------------------------------------------------------------------------------------------------
// small HTTP helpers

class HttpError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

function allow(ctx, method, wanted, handler) {
  if (method === 'OPTIONS') return send(ctx, 204, '', { allow: `${wanted}, OPTIONS` });
  if (method !== wanted && !(wanted === 'GET' && method === 'HEAD')) {
    return sendJson(ctx, 405, { code: 'method_not_allowed', message: 'The method is not allowed for the requested URL.', status: 405 }, { allow: `${wanted}, OPTIONS` });
  }
  return handler();
}

function send(ctx, status, body, headers = {}) {
  ctx.respond = false;
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  ctx.res.writeHead(status, { 'content-length': buf.length, ...CORS, ...headers });
  ctx.res.end(ctx.method === 'HEAD' ? undefined : buf);
}

function sendJson(ctx, status, obj, headers = {}) {
  return send(ctx, status, JSON.stringify(obj), { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
}

function difyError(status, message) {
  const [code, text] = DIFY_ERRORS[status] ?? [`http_${status}`, `HTTP ${status}`];
  return { code, message: message ?? text, status };
}

async function readRaw(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new HttpError(413, { code: 'request_too_large', message: 'Request body too large.', status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function readJson(req, { openai = false } = {}) {
  const raw = await readRaw(req);
  if (!raw.length) return {};
  try {
    const body = JSON.parse(raw.toString('utf8'));
    if (body && typeof body === 'object' && !Array.isArray(body)) return body;
  } catch {
    /* fall through */
  }
  throw new HttpError(
    400,
    openai
      ? openaiError('We could not parse the JSON body of your request.', 'invalid_request_error')
      : { code: 'bad_request', message: 'The browser (or proxy) sent a request that this server could not understand.', status: 400 },
  );
}

/** Start a streaming response. */
function startStream(ctx, contentType) {
  ctx.respond = false;
  ctx.res.writeHead(200, { 'content-type': contentType, ...STREAM_HEADERS });
  ctx.res.flushHeaders?.();
}

// ---------------------------------------------------------------------------------------------------
// Wire: one response being streamed, with abortable sleeps (client gone, or Stop called)

class Wire {
  constructor(res, { framing, delay }) {
    this.res = res;
    this.framing = framing; // 'sse' | 'bare' | 'openai' | 'collect'
    this.delay = delay;
    this.closed = false;
    this.stopped = false;
    this.count = 0;
    this.pending = null;
    this.forceSplit = null;
    this.wakers = new Set();
    this.collected = [];
    if (res) {
      res.on('close', () => {
        this.closed = true;
        this.wake();
      });
    }
  }

  get done() {
    return this.closed || this.stopped;
  }

  wake() {
    for (const w of [...this.wakers]) w();
    this.wakers.clear();
  }

  stop() {
    this.stopped = true;
    this.wake();
  }

  /** Sleep `ms`, waking early when the client goes away or Stop is called. */
  sleep(ms) {
    if (this.done || !this.res) return Promise.resolve();
    if (ms <= 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakers.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakers.add(finish);
    });
  }

  async write(bytes) {
    if (this.closed || !this.res) return;
    if (!this.res.write(bytes)) {
      await new Promise((resolve) => {
        const finish = () => {
          this.res.off('drain', finish);
          this.wakers.delete(finish);
          resolve();
        };
        this.res.once('drain', finish);
        this.wakers.add(finish);
      });
    }
  }

  /**
   * Write one serialised frame. Every third frame is cut in two writes at an awkward place (inside
   * the JSON, a UTF-8 character, `data:` or the blank line); every seventh is held back and goes out in
   * the same write as the next one (several events per read).
   */
  async frame(text, { split = true } = {}) {
    if (this.closed) return;
    let bytes = encodeUtf8(text);
    const n = this.count++;
    if (this.pending) {
      const merged = new Uint8Array(this.pending.length + bytes.length);
      merged.set(this.pending);
      merged.set(bytes, this.pending.length);
      bytes = merged;
      this.pending = null;
    } else if (split && !this.forceSplit && n % 7 === 5) {
      this.pending = bytes;
      return;
    }
    const mode = this.forceSplit ?? (split && n % 3 === 1 ? SPLIT_MODES[Math.floor(n / 3) % SPLIT_MODES.length] : null);
    if (!mode) return this.write(bytes);
    const [head, tail] = awkwardSplit(bytes, mode);
    await this.write(head);
    if (!tail) return;
    await this.sleep(this.delay > 0 ? Math.min(this.delay, 15) : 1);
    await this.write(tail);
  }

  async flush() {
    if (this.pending) {
      const bytes = this.pending;
      this.pending = null;
      await this.write(bytes);
    }
  }

  async end() {
    await this.flush();
    if (!this.closed && this.res && !this.res.writableEnded) this.res.end();
  }
}

// ---------------------------------------------------------------------------------------------------
// /api/chat and /api/talk (Dify events)

async function difyChat(ctx, state, framing) {
  const body = await readJson(ctx.req);
  const query = typeof body.query === 'string' ? body.query : null;
  const plugin = framing === 'bare';
  const blocking = !plugin && body.response_mode !== 'streaming';

  // validation, in Dify's order: user, query, conversation id
  if (plugin) {
    // the GirlsTalk endpoint answers bad input with plain text; it sends no user (shared DEFAULT-USER)
    if (!query) return send(ctx, 400, 'Query is required', { 'content-type': 'text/plain; charset=utf-8' });
  } else {
    if (typeof body.user !== 'string' || !body.user) return sendJson(ctx, 400, difyError(400, 'Arg user must be provided.'));
    if (query === null) return sendJson(ctx, 400, difyError(400, 'query is required'));
  }
  const user = plugin ? 'DEFAULT-USER' : body.user;
  const command = parseCommand(query);

  if (command?.name === 'error') return preStreamError(ctx, command.arg);

  let conversationId = typeof body.conversation_id === 'string' ? body.conversation_id : '';
  if (conversationId) {
    const known = state.conversations.get(conversationId);
    if (!known || known.user !== user) return sendJson(ctx, 404, difyError(404));
    if (command?.name === 'completed') {
      return sendJson(ctx, 400, {
        code: 'conversation_completed',
        message: 'The conversation has ended. Please start a new conversation.',
        status: 400,
      });
    }
  }

  const script = pickScript(command, query);
  if (blocking && script.mode === 'agent-chat') {
    return sendJson(ctx, 400, difyError(400, 'Agent Chat App does not support blocking mode'));
  }

  if (!conversationId) {
    conversationId = randomUUID();
    state.conversations.set(conversationId, { user, createdAt: Date.now() });
  }
  const turn = difyTurn({
    conversationId,
    messageId: randomUUID(),
    taskId: randomUUID(),
    createdAt: nowSeconds(),
    workflowRunId: randomUUID(),
  });
  const ctxScript = { turn, query, conversationId, user, delay: state.delay, command };

  if (blocking) return blockingAnswer(ctx, state, script, ctxScript);

  const wire = new Wire(ctx.res, { framing, delay: state.delay });
  if (script.forceSplit) wire.forceSplit = script.forceSplit;
  const taskId = turn.ids.taskId;
  state.running.set(taskId, { wire, user: plugin ? null : user, endpoint: ctx.path });
  try {
    startStream(ctx, plugin ? 'text/event-stream' : 'text/event-stream; charset=utf-8');
    await runScript(wire, script, ctxScript, (event) => (plugin ? bareFrame(event) : sseFrame(event)));
  } finally {
    state.running.delete(taskId);
  }
  return undefined;
}

function preStreamError(ctx, arg, { openai = false } = {}) {
  let status = Number.parseInt(arg, 10);
  if (!(status >= 400 && status <= 599)) status = 500;
  if (status === 502 || status === 504) {
    // what a proxy in front of the API says: an HTML page, not JSON
    const html = status === 502 ? NGINX_502 : NGINX_502.replaceAll('502 Bad Gateway', '504 Gateway Time-out');
    return send(ctx, status, html, { 'content-type': 'text/html' });
  }
  if (openai) {
    const [message, type, code] = OPENAI_ERRORS[status] ?? [`HTTP ${status}`, 'server_error', null];
    return sendJson(ctx, status, openaiError(message, type, code));
  }
  return sendJson(ctx, status, difyError(status));
}

/**
 * Run a script (an async generator of steps) onto a wire.
 * Steps: {event} (a Dify event; `wait` overrides the pause after it), {ping}, {pause}, {drop}, {stall}.
 */
async function runScript(wire, script, sc, serialise) {
  const started = Date.now();
  const steps = script.run(sc);
  let sent = 0;
  let answerChars = 0;
  try {
    if (wire.framing === 'sse' && !script.noPing) await wire.frame(SSE_PING, { split: false });
    for await (const step of steps) {
      if (wire.closed) return;
      if (wire.stopped) break;
      if (step.ping) {
        if (wire.framing === 'sse') await wire.frame(SSE_PING, { split: false });
        else if (wire.framing === 'openai') await wire.frame(': ping\n\n', { split: false });
        continue;
      }
      if (step.pause) {
        await wire.sleep(step.pause);
        continue;
      }
      if (step.drop) {
        await wire.flush();
        await sleepPlain(10); // let the bytes leave before the cut
        wire.res.socket?.destroy();
        wire.res.destroy();
        return;
      }
      if (step.stall) {
        await wire.flush();
        await wire.sleep(STALL_LIMIT_MS);
        if (wire.closed) return;
        if (wire.stopped) break;
        await wire.end(); // 5 minutes of silence: give up without a closing event
        return;
      }
      if (step.event) {
        // a keep-alive now and then (before an event, so never after the closing one)
        if (wire.framing === 'sse' && sent > 0 && sent % 15 === 0) await wire.frame(SSE_PING, { split: false });
        const text = serialise(step.event);
        if (text) await wire.frame(text, { split: step.split !== false });
        if (typeof step.event.answer === 'string') answerChars += step.event.answer.length;
        sent++;
        const wait = step.wait ?? sc.delay;
        if (wait >= 0) await wire.sleep(wait);
      }
    }
    if (wire.stopped && !wire.closed) {
      // Dify after a stop: (Chatflow: workflow_finished "stopped") then message_end with the partial answer
      const { turn } = sc;
      if (script.mode === 'advanced-chat') {
        const text = serialise(turn.workflow('workflow_finished', workflowFinishedData(sc, 'stopped', started, { error: 'Workflow execution stopped by user.' })));
        if (text) await wire.frame(text, { split: false });
      }
      const text = serialise(turn.messageEnd({ usage: usageFor(tokens(sc.query), Math.ceil(answerChars / 4), (Date.now() - started) / 1000) }));
      if (text) await wire.frame(text, { split: false });
    }
    await wire.end();
  } finally {
    await steps.return?.();
  }
}

async function blockingAnswer(ctx, state, script, sc) {
  const started = Date.now();
  const wire = new Wire(ctx.res, { framing: 'collect', delay: 0 });
  let answer = '';
  let replaced = false;
  let sawAgentMessage = false;
  let end = null;
  for await (const step of script.run({ ...sc, delay: 0 })) {
    if (wire.closed) return;
    if (step.drop) {
      ctx.res.socket?.destroy();
      return;
    }
    if (step.stall) {
      await wire.sleep(STALL_LIMIT_MS);
      if (!wire.closed) sendJson(ctx, 504, difyError(504, 'Gateway Time-out'));
      return;
    }
    const e = step.event;
    if (!e) continue;
    if (e.event === 'error') return sendJson(ctx, e.status ?? 400, { code: e.code, message: e.message, status: e.status ?? 400 });
    if (e.event === 'message_replace') {
      answer = e.answer;
      replaced = true;
    } else if (e.event === 'message' && sawAgentMessage) answer = e.answer;
    else if (e.event === 'agent_message') {
      sawAgentMessage = true;
      if (!replaced) answer += e.answer;
    } else if (typeof e.answer === 'string' && !replaced) answer += e.answer;
    if (e.event === 'message_end') end = e;
  }
  const t = sc.turn.ids;
  return sendJson(ctx, 200, {
    event: 'message',
    task_id: t.taskId,
    id: t.messageId,
    message_id: t.messageId,
    conversation_id: t.conversationId,
    mode: script.mode ?? 'chat',
    answer,
    metadata: end?.metadata ?? { usage: usageFor(tokens(sc.query), tokens(answer), (Date.now() - started) / 1000), retriever_resources: [] },
    created_at: t.createdAt,
  });
}

// ---------------------------------------------------------------------------------------------------
// /api/openai/chat/completions

async function openaiChat(ctx, state) {
  const body = await readJson(ctx.req, { openai: true });
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return sendJson(ctx, 400, openaiError("'messages' is a required property and must be a non-empty array", 'invalid_request_error'));
  }
  const lastUser = [...body.messages].reverse().find((m) => m && m.role === 'user');
  const query = lastUser ? messageText(lastUser.content) : '';
  if (!lastUser) return sendJson(ctx, 400, openaiError('The messages must contain at least one user message.', 'invalid_request_error'));
  const command = parseCommand(query);
  if (command?.name === 'error') return preStreamError(ctx, command.arg, { openai: true });

  const model = typeof body.model === 'string' && body.model ? body.model : 'mock-1';
  const id = `chatcmpl-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const created = nowSeconds();
  const script = pickScript(command?.name === 'completed' ? null : command, query);
  const turn = difyTurn({ conversationId: '', messageId: randomUUID(), taskId: randomUUID(), createdAt: created, workflowRunId: randomUUID() });
  const sc = { turn, query, conversationId: '', user: 'openai', delay: state.delay, command, history: body.messages.length };

  if (body.stream !== true) {
    // blocking: one chat.completion object (errors in OpenAI style)
    let content = '';
    let sawAgentMessage = false;
    for await (const step of script.run({ ...sc, delay: 0 })) {
      if (step.drop) return ctx.res.socket?.destroy();
      if (step.stall) {
        const wire = new Wire(ctx.res, { framing: 'collect', delay: 0 });
        await wire.sleep(STALL_LIMIT_MS);
        return wire.closed ? undefined : sendJson(ctx, 504, openaiError('Gateway timeout', 'server_error'));
      }
      const e = step.event;
      if (!e) continue;
      if (e.event === 'error') return sendJson(ctx, 500, openaiError(e.message, 'server_error', e.code));
      if (e.event === 'message_replace') content = e.answer;
      else if (e.event === 'message' && sawAgentMessage) content = e.answer;
      else if (e.event === 'agent_message') {
        sawAgentMessage = true;
        content += e.answer;
      } else if (typeof e.answer === 'string') content += e.answer;
    }
    return sendJson(ctx, 200, {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: tokens(query), completion_tokens: tokens(content), total_tokens: tokens(query) + tokens(content) },
    });
  }

  const wire = new Wire(ctx.res, { framing: 'openai', delay: state.delay });
  if (script.forceSplit) wire.forceSplit = script.forceSplit;
  const taskId = turn.ids.taskId;
  state.running.set(taskId, { wire, user: null, endpoint: ctx.path });
  let first = true;
  let sawAgentMessage = false;
  let ended = false;
  const chunk = (delta, finishReason = null) => sseFrame(openaiChunk({ id, created, model, delta, finishReason }));
  // re-frame Dify events as OpenAI chunks, as the official OpenAI-compatible extension does
  const serialise = (e) => {
    let text = null;
    if (e.event === 'agent_message') {
      sawAgentMessage = true;
      text = e.answer;
    } else if (e.event === 'message' && !sawAgentMessage) text = e.answer;
    else if (e.event === 'message_file' && typeof e.answer === 'string') text = e.answer;
    if (e.event === 'error') return sseFrame(openaiError(e.message, 'server_error', e.code));
    if (e.event === 'message_end') {
      if (ended) return '';
      ended = true;
      return chunk({}, 'stop') + OPENAI_DONE;
    }
    if (text === null || text === '') return '';
    const delta = first ? { role: 'assistant', content: text } : { content: text };
    first = false;
    return chunk(delta);
  };
  try {
    startStream(ctx, 'text/event-stream; charset=utf-8');
    await runScript(wire, { ...script, noPing: true }, sc, serialise);
  } finally {
    state.running.delete(taskId);
  }
  return undefined;
}

function messageText(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'string' ? part : part && part.type === 'text' ? String(part.text ?? '') : ''))
      .join('');
  }
  return '';
}

// ---------------------------------------------------------------------------------------------------
// stop, proxy, test controls

async function stopTask(ctx, state, taskId) {
  // proxy mode: stops for the real Dify's tasks go upstream; the still-mocked /api/talk and OpenAI
  // streams are stopped here
  if (state.proxy && !state.running.has(taskId)) return proxyStop(ctx, state, taskId);
  const body = await readJson(ctx.req);
  if (typeof body.user !== 'string' || !body.user) return sendJson(ctx, 400, difyError(400, 'Arg user must be provided.'));
  state.stops.push({ task_id: taskId, user: body.user });
  if (state.stops.length > 1000) state.stops.splice(0, state.stops.length - 1000);
  const task = state.running.get(taskId);
  // like Dify: always "success"; a stop for another user's task silently does nothing
  if (task && (task.user === null || task.user === body.user)) task.wire.stop();
  return sendJson(ctx, 200, { result: 'success' });
}

async function proxyChat(ctx, state) {
  const raw = await readRaw(ctx.req);
  return forward(ctx, `${state.proxy.url}/chat-messages`, state.proxy.key, raw);
}

async function proxyStop(ctx, state, taskId) {
  const raw = await readRaw(ctx.req);
  try {
    const body = JSON.parse(raw.toString('utf8') || '{}');
    state.stops.push({ task_id: taskId, user: typeof body.user === 'string' ? body.user : '' });
  } catch {
    /* the upstream will complain */
  }
  return forward(ctx, `${state.proxy.url}/chat-messages/${encodeURIComponent(taskId)}/stop`, state.proxy.key, raw);
}

/** POST `raw` to the real Dify API with the secret key and stream the answer back, unbuffered. */
async function forward(ctx, url, key, raw) {
  const controller = new AbortController();
  const onClose = () => {
    if (!ctx.res.writableFinished) controller.abort();
  };
  ctx.res.on('close', onClose);
  try {
    let upstream;
    try {
      upstream = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: ctx.get('accept') || 'text/event-stream',
          'accept-encoding': 'identity',
          authorization: `Bearer ${key}`,
        },
        body: raw,
        signal: controller.signal,
      });
    } catch (err) {
      if (controller.signal.aborted) return undefined;
      const reason = err?.cause?.code || err?.cause?.message || err?.message || 'network error';
      return sendJson(ctx, 502, { code: 'bad_gateway', message: `Can't reach the Dify API (${reason}).`, status: 502 });
    }
    ctx.respond = false;
    ctx.res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') || 'application/octet-stream',
      ...STREAM_HEADERS,
    });
    ctx.res.flushHeaders?.();
    if (upstream.body) {
      try {
        for await (const chunk of upstream.body) {
          if (ctx.res.destroyed) break;
          if (!ctx.res.write(chunk)) {
            await new Promise((resolve) => {
              const done = () => {
                ctx.res.off('drain', done);
                ctx.res.off('close', done);
                resolve();
              };
              ctx.res.once('drain', done);
              ctx.res.once('close', done);
            });
          }
        }
      } catch {
        // upstream cut the body (or we aborted it): cut ours too, so the client sees a dropped stream
        if (!controller.signal.aborted) ctx.res.destroy();
        return undefined;
      }
    }
    if (!ctx.res.writableEnded) ctx.res.end();
    return undefined;
  } finally {
    ctx.res.off('close', onClose);
  }
}

async function mockControl(ctx, state, path, method, next) {
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

/** Test-driven streams: the test decides when each byte is sent. */
async function heldStream(ctx, state, id, action) {
  if (!action) {
    startStream(ctx, ctx.query?.type || 'text/event-stream; charset=utf-8');
    const res = ctx.res;
    await readRaw(ctx.req).catch(() => undefined);
    const entry = { res };
    state.held.set(id, entry);
    for (const resolve of state.heldWaiters.get(id) ?? []) resolve(entry);
    state.heldWaiters.delete(id);
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
    if (state.held.get(id) === entry) state.held.delete(id);
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
  if (!entry || entry.res.destroyed || entry.res.writableEnded) {
    return sendJson(ctx, 404, { code: 'not_found', message: `No open held stream "${id}".`, status: 404 });
  }
  if (action === 'push') entry.res.write(body);
  else if (action === 'end') entry.res.end(body.length ? body : undefined);
  else if (action === 'drop') {
    entry.res.socket?.destroy();
    entry.res.destroy();
  }
  return sendJson(ctx, 200, { result: 'success' });
}

// ---------------------------------------------------------------------------------------------------
// Scripts: what the bot says. Each is { mode, run(sc) → async generator of steps }.

function pickScript(command, query) {
  switch (command?.name) {
    case 'help':
      return textScript(() => helpText());
    case 'completed':
      return textScript(
        () =>
          'The `/completed` command answers **400 `conversation_completed`** when it is sent *inside* an existing conversation. ' +
          'This is the first message of a new conversation, so here is a normal answer instead: send `/completed` again to see the error.',
      );
    case 'midstream':
      return { mode: 'chat', run: midstreamScript };
    case 'drop':
      return { mode: 'chat', run: dropScript };
    case 'empty':
      return { mode: 'chat', noPing: true, run: emptyScript };
    case 'stall':
      return { mode: 'chat', run: stallScript };
    case 'slow':
      return textScript((sc) => defaultAnswer(sc.query), { wait: 400 });
    case 'agent':
      return { mode: 'agent-chat', run: agentScript };
    case 'newagent':
      return { mode: 'agent', run: newAgentScript };
    case 'chatflow':
      return { mode: 'advanced-chat', run: chatflowScript };
    case 'chatflow-fail':
      return { mode: 'advanced-chat', run: chatflowFailScript };
    case 'think':
      return { mode: 'chat', run: thinkScript };
    case 'replace':
      return { mode: 'chat', run: replaceScript };
    case 'filetext':
      return { mode: 'chat', run: fileTextScript };
    case 'citations':
      return textScript((sc) => defaultAnswer(sc.query), { citations: true });
    case 'long':
      return textScript(() => longAnswer(), { sizes: [8, 10, 12], fast: true });
    case 'unicode':
      return { ...textScript(() => UNICODE_TEXT), forceSplit: 'utf8' };
    default:
      return textScript((sc) => defaultAnswer(sc.query));
  }
}

const tokens = (text) => Math.max(1, Math.ceil(String(text ?? '').length / 4));

/** Pause after each delta: `wait` (ms, /slow) or the server's delay; `fast` = a quick stream. */
function pace(sc, opts = {}) {
  if (opts.wait !== undefined) return opts.wait;
  if (opts.fast) return sc.delay > 0 ? Math.min(sc.delay, 4) : 0;
  return sc.delay;
}

function* deltas(text, make, sizes) {
  for (const piece of wordChunks(text, sizes)) yield make(piece);
}

/** A plain Chatbot answer: message deltas, then message_end (with citations when asked). */
function textScript(makeText, opts = {}) {
  return {
    mode: 'chat',
    async *run(sc) {
      const started = Date.now();
      const text = makeText(sc);
      const wait = pace(sc, opts);
      for (const e of deltas(text, (p) => sc.turn.message(p), opts.sizes)) yield { event: e, wait };
      yield {
        event: sc.turn.messageEnd({
          usage: usageFor(tokens(sc.query), tokens(text), (Date.now() - started) / 1000),
          retrieverResources: opts.citations ? citations(sc) : [],
        }),
      };
    },
  };
}

async function* midstreamScript(sc) {
  for (const e of deltas('Let me check our stock for you… the Sakura Sencha is ', (p) => sc.turn.message(p))) yield { event: e };
  yield { event: sc.turn.error('completion_request_error', 400, '[openai] Rate Limit Error, Error code: 429') };
}

async function* dropScript(sc) {
  for (const e of deltas('Checking the warehouse — one moment while I look that up for you', (p) => sc.turn.message(p))) yield { event: e };
  yield { drop: true };
}

async function* emptyScript() {
  yield { ping: true };
}

async function* stallScript(sc) {
  for (const e of deltas('Let me think about that for a moment', (p) => sc.turn.message(p))) yield { event: e };
  yield { stall: true };
}

async function* agentScript(sc) {
  const { turn } = sc;
  const started = Date.now();
  const slow = sc.delay * 4;
  const t1 = randomUUID();
  const t2 = randomUUID();
  const fileId = randomUUID();
  const tool = 'current_time';
  const toolLabels = { current_time: { en_US: 'Current Time', zh_Hans: '获取当前时间' } };
  const toolInput = JSON.stringify({ current_time: { timezone: 'Europe/Paris' } });
  const time = parisTime();
  const observation = JSON.stringify({ current_time: `${time.full} (Europe/Paris)` });
  yield { event: turn.agentThought({ id: t1, position: 1 }), wait: slow };
  yield { event: turn.agentThought({ id: t1, position: 1, tool, toolLabels, toolInput }), wait: slow };
  yield { event: turn.agentThought({ id: t1, position: 1, tool, toolLabels, toolInput, observation }), wait: slow };
  yield { event: turn.messageFile({ id: fileId, type: 'image', belongsTo: 'assistant', url: '/api/files/cat.svg' }) };
  yield { event: turn.agentThought({ id: t1, position: 1, tool, toolLabels, toolInput, observation, messageFiles: [fileId] }) };
  yield { event: turn.agentThought({ id: t2, position: 2 }), wait: slow };
  const answer = `I checked the clock: it is **${time.short}** in Paris right now, so our café in Lyon is ${time.open ? 'open — come by for a cup!' : 'closed; it opens at 8am.'} I also found a picture of our shop cat for you. 🐱`;
  for (const e of deltas(answer, (p) => turn.agentMessage(p))) yield { event: e };
  yield { event: turn.agentThought({ id: t2, position: 2, thought: answer }) };
  yield {
    event: turn.messageEnd({ usage: usageFor(310 + tokens(sc.query), tokens(answer), (Date.now() - started) / 1000) }),
  };
}

async function* newAgentScript(sc) {
  const { turn } = sc;
  const started = Date.now();
  const thought = randomUUID();
  const answer =
    'Here is my plan: **check the order**, then **suggest a tea**.\n\n' +
    '1. Your order ships within 2 business days.\n' +
    '2. While you wait, try the *Earl Grey Crème* — it pairs well with crème brûlée.\n';
  yield { event: turn.agentThought({ id: thought, position: 1, thought: 'Planning the answer…' }) };
  for (const e of deltas(answer, (p) => turn.agentMessage(p))) yield { event: e };
  yield { event: turn.agentThought({ id: thought, position: 1, thought: 'Answered from the order FAQ.' }) };
  yield { event: turn.message(answer) };
  yield { event: turn.messageEnd({ usage: usageFor(tokens(sc.query) + 120, tokens(answer), (Date.now() - started) / 1000) }) };
}

function workflowStartedData(sc) {
  return {
    id: sc.turn.ids.workflowRunId,
    workflow_id: '7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345',
    inputs: { 'sys.query': sc.query, 'sys.files': [], 'sys.conversation_id': sc.conversationId, 'sys.user_id': sc.user },
    created_at: sc.turn.ids.createdAt,
  };
}

function workflowFinishedData(sc, status, started, extra = {}) {
  return {
    id: sc.turn.ids.workflowRunId,
    workflow_id: '7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345',
    status,
    outputs: null,
    error: null,
    elapsed_time: (Date.now() - started) / 1000,
    total_tokens: 0,
    total_steps: 0,
    created_by: { id: 'e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9', user: sc.user },
    created_at: sc.turn.ids.createdAt,
    finished_at: nowSeconds(),
    exceptions_count: 0,
    files: [],
    ...extra,
  };
}

function nodeData(sc, node, extra = {}) {
  return {
    id: node.execId,
    node_id: node.id,
    node_type: node.type,
    title: node.title,
    index: node.index,
    predecessor_node_id: node.predecessor ?? null,
    inputs: null,
    created_at: nowSeconds(),
    extras: {},
    iteration_id: null,
    loop_id: null,
    ...extra,
  };
}

function chatflowNodes() {
  const mk = (id, type, title, index, predecessor) => ({ id, type, title, index, predecessor, execId: randomUUID() });
  return {
    start: mk('1751358999000', 'start', 'Start', 1, null),
    retrieval: mk('1751359000000', 'knowledge-retrieval', 'Knowledge Retrieval', 2, '1751358999000'),
    llm: mk('1751359000001', 'llm', 'LLM', 3, '1751359000000'),
    http: mk('1751359000002', 'http-request', 'HTTP Request', 3, '1751359000000'),
    answer: mk('answer', 'answer', 'Answer', 4, '1751359000001'),
  };
}

async function* chatflowScript(sc) {
  const { turn } = sc;
  const started = Date.now();
  const slow = sc.delay * 4;
  const nodes = chatflowNodes();
  const resources = citations(sc);
  const answer =
    'According to our **refund policy**, refunds are accepted within *30 days* of delivery, and returns ship free. ' +
    'Open teas can be returned if the pouch is at least half full.\n\n' +
    '- Start a return from **My orders → Return**.\n- The refund reaches your card within 5 business days.\n';
  const finished = (node, outputs, elapsed) =>
    turn.workflow('node_finished', nodeData(sc, node, { status: 'succeeded', outputs, process_data: null, error: null, elapsed_time: elapsed, execution_metadata: {}, finished_at: nowSeconds(), files: [] }));

  yield { event: turn.workflow('workflow_started', workflowStartedData(sc)), wait: slow };
  yield { event: turn.workflow('node_started', nodeData(sc, nodes.start)) };
  yield { event: finished(nodes.start, { 'sys.query': sc.query }, 0.01) };
  yield { event: turn.workflow('node_started', nodeData(sc, nodes.retrieval)), wait: slow * 2 };
  yield { event: finished(nodes.retrieval, { result: resources.map((r) => ({ content: r.content, title: r.document_name })) }, 0.42) };
  yield { event: turn.workflow('node_started', nodeData(sc, nodes.llm)), wait: slow };
  for (const e of deltas(answer, (p) => turn.message(p, [nodes.llm.id, 'text']))) yield { event: e };
  yield { event: finished(nodes.llm, { text: answer }, 1.42) };
  yield { event: turn.workflow('node_started', nodeData(sc, nodes.answer)) };
  yield { event: finished(nodes.answer, { answer }, 0.01) };
  yield {
    event: turn.workflow(
      'workflow_finished',
      workflowFinishedData(sc, 'succeeded', started, { outputs: { answer }, total_tokens: 212, total_steps: 4 }),
    ),
  };
  yield {
    event: turn.messageEnd({
      usage: usageFor(180 + tokens(sc.query), tokens(answer), (Date.now() - started) / 1000),
      retrieverResources: resources,
      files: [],
    }),
  };
}

async function* chatflowFailScript(sc) {
  const { turn } = sc;
  const started = Date.now();
  const slow = sc.delay * 4;
  const nodes = chatflowNodes();
  yield { event: turn.workflow('workflow_started', workflowStartedData(sc)), wait: slow };
  yield { event: turn.workflow('node_started', nodeData(sc, nodes.llm)), wait: slow };
  for (const e of deltas('Let me look up the tracking number for your parcel', (p) => turn.message(p, [nodes.llm.id, 'text']))) {
    yield { event: e };
  }
  yield { event: turn.workflow('node_started', nodeData(sc, nodes.http)), wait: slow * 3 };
  yield {
    event: turn.workflow(
      'node_finished',
      nodeData(sc, nodes.http, { status: 'failed', outputs: null, process_data: null, error: 'timeout', elapsed_time: 10.0, execution_metadata: {}, finished_at: nowSeconds(), files: [] }),
    ),
  };
  yield {
    event: turn.workflow(
      'workflow_finished',
      workflowFinishedData(sc, 'failed', started, { error: 'Node HTTP Request run failed: timeout', total_steps: 2 }),
    ),
  };
  yield { event: turn.error('invalid_param', 400, 'Run failed: Node HTTP Request run failed: timeout') };
}

async function* thinkScript(sc) {
  const { turn } = sc;
  const started = Date.now();
  const q = oneLine(sc.query).slice(0, 80);
  const pieces = [
    '<think>',
    '\nThe visitor asks about ',
    `“${q}”. `,
    'Let me recall the shop policies: ',
    'orders ship within two business days, ',
    'returns are free for thirty days. ',
    'I should answer briefly and kindly.\n</th',
    'ink>\n\n',
  ];
  for (const p of pieces) yield { event: turn.message(p) };
  const answer =
    'Short answer: **your order ships within 2 business days**, and returns are free for 30 days.\n\n' +
    'Anything else I can help with? ☕';
  for (const e of deltas(answer, (p) => turn.message(p))) yield { event: e };
  const all = pieces.join('') + answer;
  yield { event: turn.messageEnd({ usage: usageFor(tokens(sc.query), tokens(all), (Date.now() - started) / 1000) }) };
}

async function* replaceScript(sc) {
  const { turn } = sc;
  for (const e of deltas('Sure, here is the secret staff discount code: PINK-', (p) => turn.message(p))) yield { event: e };
  yield { event: turn.messageReplace("Sorry, I can't help with that.", '') };
  yield { event: turn.messageEnd({ usage: usageFor(tokens(sc.query), 5, 0.61) }) };
}

async function* fileTextScript(sc) {
  const { turn } = sc;
  const started = Date.now();
  yield { event: turn.messageFile({ id: randomUUID(), type: 'image', belongsTo: 'assistant', url: '/api/files/cat.svg' }) };
  const answer =
    'Here is the picture you asked for: our shop cat, **Mochi**. ' +
    'These words arrive as `message_file` events that carry `answer` — a Dify quirk since PR #22988.';
  for (const e of deltas(answer, (p) => turn.messageFileText(p))) yield { event: e };
  yield { event: turn.messageEnd({ usage: usageFor(tokens(sc.query), tokens(answer), (Date.now() - started) / 1000) }) };
}

function citations(sc) {
  return [
    {
      position: 1,
      dataset_id: '101b4c97-fc2e-463c-90b1-5261a4cdcafb',
      dataset_name: 'Store FAQ',
      document_id: '8dd1ad74-0b5f-4175-b735-7d98bbbb4e00',
      document_name: 'refunds.md',
      data_source_type: 'upload_file',
      segment_id: randomUUID(),
      retriever_from: 'api',
      score: 0.91,
      hit_count: 4,
      word_count: 48,
      segment_position: 2,
      content: 'Refunds are accepted within 30 days of delivery. Opened tea pouches qualify if at least half full.',
    },
    {
      position: 2,
      dataset_id: '101b4c97-fc2e-463c-90b1-5261a4cdcafb',
      dataset_name: 'Store FAQ',
      document_id: '2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901',
      document_name: 'shipping.md',
      data_source_type: 'upload_file',
      segment_id: randomUUID(),
      retriever_from: 'api',
      score: 0.78,
      hit_count: 2,
      word_count: 35,
      segment_position: 1,
      content: `Orders ship from Lyon within 2 business days. (Matched for: ${oneLine(sc.query).slice(0, 60)})`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------
// texts

function oneLine(s) {
  return String(s ?? '').replace(/\s+/g, ' ').trim();
}

function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The default answer: markdown that echoes the question; the layout varies with the question. */
export function defaultAnswer(query) {
  let q = oneLine(query);
  if (q.length > 120) q = `${q.slice(0, 119)}…`;
  if (!q) q = '(an empty message)';
  switch (hash(q) % 3) {
    case 0:
      return (
        `### About “${q}”\n\n` +
        `Thanks for asking! Here is a quick answer from the **Blossom & Brew** help desk:\n\n` +
        `- Orders ship within *2 business days* from our café in Lyon.\n` +
        `- Returns are free for **30 days** — no naïve fine print.\n` +
        `- Keep your order number handy if you write to us.\n\n` +
        `More details are in the [shipping guide](https://example.com/docs/shipping). ` +
        `Type \`/help\` to see what else this demo bot can do. 👋`
      );
    case 1:
      return (
        `**You asked:** ${q}\n\n` +
        `Here is how that works with our shop API, step by step:\n\n` +
        `1. Create a cart.\n` +
        `2. Add the tea you like (try the *Sakura Sencha*).\n` +
        `3. Check out — that's it.\n\n` +
        '```js\n' +
        `const cart = await shop.carts.create();\n` +
        `await cart.add({ sku: 'sakura-sencha', qty: 1 });\n` +
        `const order = await cart.checkout(); // ✓ ships in 2 days\n` +
        '```\n\n' +
        `See the [API reference](https://example.com/docs/api) for more, or send \`/help\` for the demo commands. 👋`
      );
    default:
      return (
        `#### “${q}” — good question!\n\n` +
        `> Our café is open daily, 8am–6pm. Crème brûlée on Fridays. ☕\n\n` +
        `A few favourites while you are here:\n\n` +
        `| Tea | Price |\n|---|---|\n| Sakura Sencha | €12 |\n| Earl Grey Crème | €9 |\n\n` +
        `- Free shipping over **€40**\n- Gift wrapping on request\n\n` +
        `Anything else? Read the [FAQ](https://example.com/docs/faq) or type \`/help\` for the demo commands. 👋`
      );
  }
}

function helpText() {
  const lines = COMMANDS.map((c) => `- \`${c.command}\` — ${c.description}`);
  return (
    `### Demo commands\n\n` +
    `I am a **mock Dify bot**. Put one of these in your message to see how the widget copes:\n\n` +
    `${lines.join('\n')}\n\n` +
    `Anything else gets a short markdown answer that echoes your question.`
  );
}

function longAnswer() {
  const parts = ['# The Blossom & Brew handbook\n\nA long answer to test fast streaming and long-text rendering.\n'];
  const teas = ['Sakura Sencha', 'Earl Grey Crème', 'Genmaicha', 'Darjeeling First Flush', 'Rooibos Vanille', 'Jasmine Pearls'];
  for (let i = 1; parts.join('').length < 20_000; i++) {
    const tea = teas[i % teas.length];
    parts.push(
      `## ${i}. ${tea}\n\n` +
        `The **${tea}** is steeped at ${70 + (i % 4) * 5} °C for ${2 + (i % 3)} minutes. ` +
        `It is one of our customers' favourites — *smooth, fragrant and never bitter* — and it ships in a resealable pouch. ` +
        `We source it directly from growers we have known for years, and every batch is tasted in our café before it goes on sale.\n\n` +
        `- Caffeine: ${['low', 'medium', 'high'][i % 3]}\n- Pairs with: crème brûlée, shortbread, fruit\n- Pouch: ${50 + (i % 3) * 25} g\n\n` +
        (i % 3 === 0 ? '```text\nwater → 80 °C\nleaves → 3 g per 200 ml\nwait → 2–3 min\n```\n\n' : '') +
        (i % 4 === 0 ? `> Tip ${i}: warm the cup first; the tea stays hot twice as long.\n\n` : '') +
        (i % 5 === 0 ? `| Size | Price |\n|---|---|\n| 50 g | €${8 + (i % 4)} |\n| 100 g | €${14 + (i % 4)} |\n\n` : ''),
    );
  }
  parts.push('That is the whole handbook. Thanks for reading! 🍵');
  return parts.join('');
}

const UNICODE_TEXT =
  '### Unicode stress test ✨\n\n' +
  '- French: café, naïve, crème brûlée, où est la théière ?\n' +
  '- German: Grüße aus der Straße\n' +
  '- Greek: Καλημέρα κόσμε\n' +
  '- Russian: Привет, мир\n' +
  '- Japanese: こんにちは世界、お茶をどうぞ 🍵\n' +
  '- Chinese: 你好，世界\n' +
  '- Korean: 안녕하세요\n' +
  '- Arabic (RTL): مرحبا بالعالم\n' +
  '- Hebrew (RTL): שלום עולם\n' +
  '- Hindi: नमस्ते दुनिया\n' +
  '- Emoji: 👋 👋🏽 👩‍💻 🇫🇷 ❤️ 🧑‍🤝‍🧑 🫖\n' +
  '- Symbols: ∑ ∞ ≠ √2 — “quotes”, ‘apostrophes’ and … an ellipsis\n' +
  '- Astral: 𝒜𝓁𝓅𝒽𝒶 𝔹𝕖𝕥𝕒 😀😃😄\n\n' +
  'Every frame of this answer is cut on the wire in the middle of a multi-byte character. 👋';

function parisTime() {
  const d = new Date();
  const fmt = (opts) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', ...opts }).format(d);
  const hour = Number(fmt({ hour: '2-digit', hourCycle: 'h23' }));
  return {
    short: fmt({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    full: fmt({ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
    open: hour >= 8 && hour < 18,
  };
}
