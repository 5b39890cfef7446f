// The built-in mock Dify bot: Koa-style middleware for @web/dev-server and @web/test-runner.
//
//   import { mockDify } from './demo/mock-dify.mjs';
//   middleware: [mockDify({ delay: 0 })]                         // tests: no pacing
//   middleware: [mockDify({ proxy: { url, key } })]              // npm start with DIFY_API_URL/KEY
//
// Options: `delay` (ms between chunks, default 35), `proxy` ({url, key}: proxy mode), `timeoutMs`
// (upstream idle timeout of the proxies, default 100 000), `bodyTimeoutMs` (request body deadline,
// default 30 000).
//
// ## The whole Service API, behind dify-chat/proxy (mock mode)
//
// A mock of Dify's Service API runs on 127.0.0.1 (a random port, `/v1/...`) and requires
// `Authorization: Bearer <app key>` like Dify (401 `unauthorized` otherwise); the app is picked by
// key. The browser never talks to it: `createDifyProxy` (src/proxy) is mounted in front of it, adds
// the key and forwards only the routes of SPEC §15:
//
//   /api/dify/...                     the default app (below)
//   /api/apps/<id>/...                an app made with POST /api/_mock/apps (mock mode only)
//
//   GET  {api}/info                   {name, description, tags, mode, author_name}
//   GET  {api}/parameters             opening_statement, suggested_questions, suggested_questions_after_answer,
//                                     speech_to_text, text_to_speech {enabled, voice, language, autoPlay},
//                                     retriever_resource, annotation_reply, more_like_this, user_input_form,
//                                     sensitive_word_avoidance, file_upload {enabled, allowed_file_types,
//                                     allowed_file_extensions, allowed_file_upload_methods, number_limits,
//                                     image {…}, fileUploadConfig}, system_parameters (sizes in MB)
//   GET  {api}/site                   title, chat_color_theme, chat_color_theme_inverted, icon_type, icon,
//                                     icon_background, icon_url, description, copyright, privacy_policy,
//                                     custom_disclaimer, default_language, show_workflow_steps, use_icon_as_answer_icon
//   GET  {api}/meta                   {tool_icons: {}}
//   POST {api}/chat-messages          chat apps (chat, agent-chat, advanced-chat); SSE or blocking. Conversations
//                                     are kept, so /messages returns real history. New conversations check the
//                                     user_input_form (required, max_length, select options, number) → 400
//                                     invalid_param; `files` (local_file ids from files/upload, or remote_url)
//                                     are checked against file_upload. The answer's shape follows the mode
//                                     (advanced-chat: workflow + node events around `message` deltas; agent-chat:
//                                     agent_thought + agent_message). 400 not_chat_app for other modes.
//   POST {api}/chat-messages/{task_id}/stop         {user} → {"result":"success"}; the stream ends with message_end
//   POST {api}/completion-messages    completion apps: message / message_end without conversation_id (SSE or blocking)
//   POST {api}/completion-messages/{task_id}/stop
//   POST {api}/workflows/run          workflow apps: workflow_started, node_started/finished, text_chunk,
//                                     workflow_finished {outputs: {answer}} (SSE), or the blocking run object
//   POST {api}/workflows/tasks/{task_id}/stop
//   GET  {api}/messages?conversation_id&user&first_id&limit   {limit, has_more, data} oldest → newest; 404 for an
//                                     unknown (or another user's) conversation or first_id
//   GET  {api}/messages/{id}/suggested?user   {result, data: [3 questions]}; 400 when the feature is off
//   POST {api}/messages/{id}/feedbacks        {rating: like|dislike|null, user, content?} → {result}; 404 unknown id
//   POST {api}/files/upload           multipart file + user → 201 {id, name, size, extension, mime_type, created_by,
//                                     created_at, source_url, …}; 400 no_file_uploaded / too_many_files, 413
//                                     file_too_large (system_parameters sizes), 415 unsupported_file_type
//   POST {api}/audio-to-text          multipart file (audio/*) + user → {text}; 400 / 413 / 415 like Dify
//   POST {api}/text-to-audio          {message_id | text, user} → a short audio/wav
//
// The visitor's text obeys the same commands as /api/chat (`/error 429`, `/slow`, `/agent`, `/citations`,
// `/midstream`, … see /help). Workflow and completion apps read it from their first text/paragraph input
// (else `query`). Service-API-only command: `/held <id>`: the answer waits for the test, which drives it
// with POST /api/_mock/held/<id>/push (body: text → one `message` delta, or a JSON event object sent with the
// real envelope), /end (message_end with the real message_id; a JSON body may carry `metadata`) or /drop.
// Every answer ends with message_end carrying a real message_id that /suggested, /feedbacks and
// /text-to-audio accept.
//
// The default app (`api="/api/dify"`): mode advanced-chat, every feature on: opening statement, three starter
// prompts, follow-ups, text-to-speech, speech-to-text, image + document upload (3 files), citations, a
// user_input_form with one optional text field (`name`), and site branding (title "Blossom & Brew", colour
// #be185d, emoji icon, disclaimer, default_language en-US).
//
// ## Control routes (mock mode only; in proxy mode nothing under /api/_mock/ answers)
//
//   POST /api/_mock/apps              {mode?, parameters?, site?, info?, fail?: {parameters?|site?|info?|meta?: status}}
//                                     → 201 {id, api: "/api/apps/<id>"}. Overrides replace the default's top-level
//                                     keys one by one; `fail` makes those routes answer that Dify error status.
//   GET  /api/_mock/apps/<id>/requests   every request the mock Service API received for that app ("default" for
//                                     /api/dify), oldest first: {method, path (below /v1, e.g. "/chat-messages"),
//                                     query, headers: {content-type, authorization-present}, json?, form?: {fields,
//                                     files: [{field, name, type, size}]}}
//   GET  /api/_mock/files/<id>        an uploaded file (the source_url of files/upload)
//   GET  /api/_mock/info              {mode: "mock", delay, commands}
//   GET  /api/_mock/stops[?user=]     recorded stop calls [{task_id, user}]
//   GET  /api/_mock/active[?user=]    streams still running [{task_id, user, endpoint}]
//   POST /api/_mock/reset             body {user?}: forget conversations + stops (of that user, or all)
//   ANY  /api/_mock/example/:name     replay a raw example stream (A, B, C, D1, D2, D3, E, F) from
//                                     test/fixtures/dify-streams.js; ?chunk=N&delay=ms to dribble it
//   POST /api/_mock/held/:id          a test-driven stream: stays open until the test drives it with
//   POST /api/_mock/held/:id/push|end|drop  push (request body written verbatim) / end / destroy the socket
//
// ## The mock's own endpoints (as before)
//
//   POST /api/chat                          Dify Service API framing (SSE, compact JSON, pings, awkward byte cuts);
//                                           in proxy mode: createDifyProxy's chat route to the real Dify
//   POST /api/talk                          Dify plugin endpoint framing ("GirlsTalk": bare json.dumps blocks)
//   POST /api/openai/chat/completions       OpenAI-compatible chat completions (stream or not)
//   POST /api/chat-messages/:task_id/stop   Dify stop: {"result":"success"}; the running stream ends (proxy mode:
//                                           forwarded through the proxy unless it is a still-mocked stream)
//   GET  /api/files/cat.svg                 the image the /agent answer links to
//
// A query (or the last OpenAI user message) containing a command such as `/error 429`, `/midstream`,
// `/agent`, … makes the bot do that instead of the default answer; `/help` lists them all.
//
// Every request is handled on its own: several widgets (and parallel test files) can stream at once.
// State (apps, conversations, stops, running tasks) lives in the object made by mockDify(), in memory,
// with a cap on every list.

import { loadProxy } from '../scripts/load-proxy.mjs';
import { DEFAULT_APP_ID, createApps } from './mock/apps.mjs';
import { mockControl } from './mock/control.mjs';
import { difyChat, openaiChat, stopTask } from './mock/endpoints.mjs';
import { CAT_SVG, HttpError, allow, difyError, send, sendJson, setBodyTimeout } from './mock/http.mjs';
import { startServiceApi } from './mock/service-api.mjs';

export const DEFAULT_API = '/api/dify';
const APP_PATH = /^\/api\/apps\/([A-Za-z0-9_-]{1,32})(?:\/|$)/;

/**
 * @param {{ delay?: number, proxy?: { url: string, key: string } | null, timeoutMs?: number, bodyTimeoutMs?: number }} [options]
 * @returns {(ctx: any, next: () => Promise<any>) => Promise<any>}
 */
export function mockDify(options = {}) {
  const delay = Number.isFinite(options.delay) && options.delay >= 0 ? options.delay : 35;
  const proxy =
    options.proxy && options.proxy.url && options.proxy.key
      ? { url: String(options.proxy.url).replace(/\/+$/, ''), key: String(options.proxy.key) }
      : null;
  if (options.bodyTimeoutMs !== undefined) setBodyTimeout(options.bodyTimeoutMs);
  const proxyOptions = {
    timeoutMs: options.timeoutMs ?? 100_000,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000,
  };

  const state = {
    delay,
    proxy,
    /** conversation id → { user, createdAt } (the /api/chat and /api/talk endpoints) */
    conversations: new Map(),
    /** recorded stop calls, oldest first */
    stops: [],
    /** task id → { wire, user, endpoint } for running streams */
    running: new Map(),
    /** test-driven streams: id → entry, and waiters */
    held: new Map(),
    heldWaiters: new Map(),
    /** mock Dify apps of the Service API mock */
    apps: createApps(),
  };

  // mock mode: the Service API mock on loopback, started on first use; one proxy per app
  let upstream = null;
  const handlers = new Map();
  async function appHandler(appId) {
    const app = state.apps.byId.get(appId);
    if (!app) return null;
    const cached = handlers.get(appId);
    if (cached && cached.key === app.key) return cached.handler;
    upstream ??= startServiceApi(state);
    const [{ createDifyProxy, toNodeHandler }, apiUrl] = await Promise.all([loadProxy(), upstream.ready]);
    const handler = toNodeHandler(
      createDifyProxy({
        apiUrl,
        apiKey: app.key,
        prefix: appId === DEFAULT_APP_ID ? DEFAULT_API : `/api/apps/${appId}`,
        ...proxyOptions,
        onError: () => {}, // the mock's failures are on purpose
      }),
    );
    handlers.set(appId, { key: app.key, handler });
    for (const id of handlers.keys()) if (!state.apps.byId.has(id)) handlers.delete(id);
    return handler;
  }

  // proxy mode: the same proxy in front of the real Dify
  let realHandler = null;
  async function realDify() {
    realHandler ??= loadProxy().then(({ createDifyProxy, toNodeHandler }) =>
      toNodeHandler(createDifyProxy({ apiUrl: proxy.url, apiKey: proxy.key, prefix: DEFAULT_API, ...proxyOptions })),
    );
    return realHandler;
  }

  /** Hand the request to a proxy handler, optionally under another path (/api/chat → {api}/chat-messages). */
  async function viaProxy(ctx, handler, rewrittenPath) {
    ctx.respond = false;
    if (rewrittenPath) {
      const search = ctx.req.url.includes('?') ? ctx.req.url.slice(ctx.req.url.indexOf('?')) : '';
      ctx.req.url = rewrittenPath + search;
    }
    await handler(ctx.req, ctx.res);
  }

  return async function mockDifyMiddleware(ctx, next) {
    const path = ctx.path;
    if (!path.startsWith('/api/')) return next();
    const method = ctx.method;
    try {
      if (path === DEFAULT_API || path.startsWith(`${DEFAULT_API}/`)) {
        return await viaProxy(ctx, proxy ? await realDify() : await appHandler(DEFAULT_APP_ID));
      }
      if (path.startsWith('/api/apps/')) {
        if (proxy) return next();
        const m = APP_PATH.exec(path);
        const handler = m && (await appHandler(m[1]));
        if (!handler) return sendJson(ctx, 404, { code: 'not_found', message: 'No such mock app.', status: 404 });
        return await viaProxy(ctx, handler);
      }
      if (path === '/api/chat') {
        if (proxy) return await viaProxy(ctx, await realDify(), `${DEFAULT_API}/chat-messages`);
        return await allow(ctx, method, 'POST', () => difyChat(ctx, state, 'sse'));
      }
      if (path === '/api/talk') return await allow(ctx, method, 'POST', () => difyChat(ctx, state, 'bare'));
      if (path === '/api/openai/chat/completions') return await allow(ctx, method, 'POST', () => openaiChat(ctx, state));
      const stop = /^\/api\/chat-messages\/([^/]+)\/stop$/.exec(path);
      if (stop) {
        let taskId = null;
        try {
          taskId = decodeURIComponent(stop[1]);
        } catch {
          /* not a task of ours */
        }
        // proxy mode: a still-mocked stream (/api/talk, OpenAI) is stopped here, anything else goes
        // through the proxy, which refuses path tricks in the raw task id
        if (proxy && !(taskId && state.running.has(taskId))) {
          return await viaProxy(ctx, await realDify(), `${DEFAULT_API}/chat-messages/${stop[1]}/stop`);
        }
        return await allow(ctx, method, 'POST', () => stopTask(ctx, state, taskId ?? ''));
      }
      if (path === '/api/files/cat.svg') {
        return await allow(ctx, method, 'GET', () =>
          send(ctx, 200, CAT_SVG, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' }),
        );
      }
      if (path.startsWith('/api/_mock/')) {
        // debug routes list visitors' user and task ids: never in proxy mode
        if (proxy) return next();
        return await mockControl(ctx, state, path, method, next);
      }
      return next();
    } catch (err) {
      if (ctx.res.headersSent) {
        ctx.res.destroy();
        return undefined;
      }
      const status = err instanceof HttpError ? err.status : 500;
      if (!(err instanceof HttpError)) console.error('[mock-dify]', err);
      return sendJson(ctx, status, err.body ?? difyError(500), err.close ? { connection: 'close' } : {});
    }
  };
}

export { defaultAnswer } from './mock/scripts.mjs';
