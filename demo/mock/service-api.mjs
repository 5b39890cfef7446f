// The mock Dify Service API (`/v1/...`): a node:http server on 127.0.0.1 that the dev server's
// `createDifyProxy` forwards to, like a real Dify behind a real proxy. It checks
// `Authorization: Bearer <app key>` and picks the app by key; shapes follow Dify's Service API
// (reference/dify-protocol.md §3–§5). Every request is logged per app for the tests.
import http from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { difyTurn, parseCommand, sseFrame, usageFor } from '../../test/fixtures/dify-streams.js';
import { CHAT_MODES } from './apps.mjs';
import { registerHeld } from './control.mjs';
import { preStreamError } from './endpoints.mjs';
import { difyError, nowSeconds, send, sendJson, startStream } from './http.mjs';
import { defaultAnswer, deltas, oneLine, pickScript, tokens } from './scripts.mjs';
import { Wire, blockingAnswer, runScript } from './wire.mjs';

const UPSTREAM_BODY_LIMIT = 64 * 1024 * 1024;
const MAX_REQUEST_LOG = 500;
const MAX_CONVERSATIONS = 1000;
const MAX_MESSAGES = 5000;
const MAX_FILE_STORE = 64 * 1024 * 1024;
const HELD_LIMIT_MS = 60 * 1000;
const AUDIO_LIMIT = 30 * 1024 * 1024;
const WORKFLOW_ID = '7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345';

const FILE_TYPES = {
  image: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'svg'],
  document: ['txt', 'md', 'markdown', 'mdx', 'pdf', 'html', 'htm', 'xlsx', 'xls', 'vtt', 'properties', 'doc', 'docx', 'csv', 'eml', 'msg', 'pptx', 'ppt', 'xml', 'epub', 'json'],
  audio: ['mp3', 'm4a', 'wav', 'amr', 'mpga', 'ogg', 'weba'],
  video: ['mp4', 'mov', 'mpeg', 'webm'],
};
const MIME_BY_EXT = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
  txt: 'text/plain', md: 'text/markdown', pdf: 'application/pdf', csv: 'text/csv', json: 'application/json',
  html: 'text/html', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  mp3: 'audio/mpeg', wav: 'audio/wav', m4a: 'audio/mp4', ogg: 'audio/ogg', webm: 'video/webm', mp4: 'video/mp4',
};

const fileTypeOf = (ext) => Object.keys(FILE_TYPES).find((t) => FILE_TYPES[t].includes(ext)) ?? null;
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const cap = (list, max) => {
  if (list.length > max) list.splice(0, list.length - max);
};

class Refusal extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}
const refuse = (status, code, message) => {
  throw new Refusal(status, code, message);
};
const requireUser = (value) => {
  if (typeof value !== 'string' || !value) refuse(400, 'invalid_param', 'Arg user must be provided.');
  return value;
};

/** `/held <id>` in the visitor's text: a test-driven answer (Service API only). */
export function parseHeld(text) {
  const m = /(?:^|\s)\/held[ \t]+([\w.-]{1,64})/.exec(typeof text === 'string' ? text : '');
  return m ? m[1] : null;
}

/**
 * Start the mock Service API on 127.0.0.1 (a random port). `state` is mockDify()'s state: apps,
 * held streams, stops and running tasks are shared with the control routes.
 * @returns {{ server: import('node:http').Server, ready: Promise<string> }} ready → `http://127.0.0.1:PORT/v1`
 */
export function startServiceApi(state) {
  const server = http.createServer((req, res) => {
    handle(req, res, state).catch((error) => {
      console.error('[mock-dify service api]', error);
      if (!res.headersSent) sendJson(ctxFor(req, res, new URL('http://x/')), 500, difyError(500));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  const ready = new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      resolve(`http://127.0.0.1:${server.address().port}/v1`);
    });
  });
  return { server, ready };
}

/** The Koa-like ctx the shared helpers (send, sendJson, startStream, Wire) expect. */
function ctxFor(req, res, url) {
  return {
    req,
    res,
    method: req.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    get: (name) => req.headers[name.toLowerCase()] ?? '',
    respond: true,
  };
}

async function readAll(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > UPSTREAM_BODY_LIMIT) throw new Refusal(413, 'request_entity_too_large', 'Request body too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function handle(req, res, state) {
  const url = new URL(req.url, 'http://upstream');
  const ctx = ctxFor(req, res, url);
  const fail = (status, code, message) => sendJson(ctx, status, { code, message, status });
  if (!url.pathname.startsWith('/v1/')) return fail(404, 'not_found', 'The requested URL was not found on the server.');
  const path = url.pathname.slice(3);

  const auth = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/.exec(auth);
  if (!bearer) return fail(401, 'unauthorized', "Authorization header must be provided and start with 'Bearer'");
  const app = state.apps.byKey.get(bearer[1]);
  if (!app) return fail(401, 'unauthorized', 'Access token is invalid');

  let raw;
  try {
    raw = req.method === 'GET' || req.method === 'HEAD' ? Buffer.alloc(0) : await readAll(req);
  } catch (error) {
    if (error instanceof Refusal) return fail(error.status, error.code, error.message);
    throw error;
  }
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const entry = {
    method: req.method,
    path,
    query: Object.fromEntries(url.searchParams),
    headers: { 'content-type': req.headers['content-type'] ?? null, 'authorization-present': Boolean(req.headers.authorization) },
  };
  let json;
  let form;
  if (type === 'application/json' && raw.length) {
    try {
      json = JSON.parse(raw.toString('utf8'));
      entry.json = json;
    } catch {
      entry.body = raw.subarray(0, 1024).toString('utf8');
    }
  } else if (type === 'multipart/form-data') {
    try {
      form = await new Response(raw, { headers: { 'content-type': req.headers['content-type'] } }).formData();
      const fields = {};
      const files = [];
      for (const [field, value] of form.entries()) {
        if (typeof value === 'string') fields[field] = value;
        else files.push({ field, name: value.name, type: value.type, size: value.size });
      }
      entry.form = { fields, files };
    } catch {
      entry.form = { fields: {}, files: [], malformed: true };
    }
  }
  app.requests.push(entry);
  cap(app.requests, MAX_REQUEST_LOG);

  const c = { ctx, app, state, url, json, form, raw };
  try {
    return await route(c, req.method, path);
  } catch (error) {
    if (error instanceof Refusal) return fail(error.status, error.code, error.message);
    throw error;
  }
}

async function route(c, method, path) {
  const { app } = c;
  const only = (wanted) => {
    if (method !== wanted) refuse(405, 'method_not_allowed', 'The method is not allowed for the requested URL.');
  };
  const body = () => {
    if (!isObject(c.json)) refuse(400, 'bad_request', 'The browser (or proxy) sent a request that this server could not understand.');
    return c.json;
  };
  let m;
  switch (path) {
    case '/parameters':
    case '/site':
    case '/info':
    case '/meta': {
      only('GET');
      const name = path.slice(1);
      if (app.fail[name]) return sendJson(c.ctx, app.fail[name], difyError(app.fail[name]));
      const out = { parameters: app.parameters, site: app.site, info: app.info, meta: { tool_icons: {} } }[name];
      return sendJson(c.ctx, 200, out);
    }
    case '/chat-messages':
      only('POST');
      return chatMessages(c, body());
    case '/completion-messages':
      only('POST');
      return completionMessages(c, body());
    case '/workflows/run':
      only('POST');
      return workflowRun(c, body());
    case '/messages':
      only('GET');
      return listMessages(c);
    case '/files/upload':
      only('POST');
      return uploadFile(c);
    case '/audio-to-text':
      only('POST');
      return audioToText(c);
    case '/text-to-audio':
      only('POST');
      return textToAudio(c, body());
    default:
  }
  if ((m = /^\/(chat-messages|completion-messages)\/([^/]+)\/stop$/.exec(path))) {
    only('POST');
    return stopTask(c, body(), m[2], m[1]);
  }
  if ((m = /^\/workflows\/tasks\/([^/]+)\/stop$/.exec(path))) {
    only('POST');
    return stopTask(c, body(), m[1], 'workflows');
  }
  if ((m = /^\/messages\/([^/]+)\/suggested$/.exec(path))) {
    only('GET');
    return suggested(c, m[1]);
  }
  if ((m = /^\/messages\/([^/]+)\/feedbacks$/.exec(path))) {
    only('POST');
    return feedback(c, body(), m[1]);
  }
  return refuse(404, 'not_found', 'The requested URL was not found on the server.');
}

// ---------------------------------------------------------------------------------------------------
// inputs and files, validated the way Dify does before a run

function formFields(app) {
  const out = [];
  for (const item of Array.isArray(app.parameters.user_input_form) ? app.parameters.user_input_form : []) {
    if (!isObject(item)) continue;
    const [kind, field] = Object.entries(item)[0] ?? [];
    if (isObject(field) && typeof field.variable === 'string') out.push({ kind, ...field });
  }
  return out;
}

function checkInputs(app, inputs) {
  if (inputs === undefined || inputs === null) inputs = {};
  if (!isObject(inputs)) refuse(400, 'invalid_param', 'inputs must be an object.');
  const clean = {};
  for (const f of formFields(app)) {
    const value = inputs[f.variable];
    const empty = value === undefined || value === null || value === '';
    if (empty) {
      if (f.required) refuse(400, 'invalid_param', `${f.variable} is required in input form`);
      continue;
    }
    if (f.kind === 'number') {
      if (typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))) {
        refuse(400, 'invalid_param', `${f.variable} in input form must be a valid number`);
      }
    } else if (f.kind === 'text-input' || f.kind === 'paragraph' || f.kind === 'select') {
      if (typeof value !== 'string') refuse(400, 'invalid_param', `${f.variable} in input form must be a string`);
      if (f.max_length && value.length > f.max_length) {
        refuse(400, 'invalid_param', `${f.variable} in input form must be less than ${f.max_length} characters`);
      }
      if (f.kind === 'select' && Array.isArray(f.options) && !f.options.includes(value)) {
        refuse(400, 'invalid_param', `${f.variable} in input form must be one of the following: ${f.options.join(', ')}`);
      }
    }
    clean[f.variable] = value;
  }
  return { ...inputs, ...clean };
}

/** The text a workflow or completion app works on: its first text/paragraph variable, else `query`. */
function visitorText(app, inputs, fallback = '') {
  const field = formFields(app).find((f) => f.kind === 'text-input' || f.kind === 'paragraph');
  const value = field ? inputs[field.variable] : inputs.query;
  return typeof value === 'string' && value ? value : typeof fallback === 'string' ? fallback : '';
}

function checkFiles(app, files, user) {
  if (files === undefined || files === null) return [];
  if (!Array.isArray(files)) refuse(400, 'invalid_param', 'files must be a list.');
  const config = app.parameters.file_upload;
  if (!isObject(config) || !(config.enabled || config.image?.enabled)) return []; // Dify ignores files then
  const limit = Number(config.number_limits ?? config.image?.number_limits ?? 3);
  if (files.length > limit) refuse(400, 'invalid_param', `Number of files exceeds the limit of ${limit}.`);
  const allowedTypes = Array.isArray(config.allowed_file_types) ? config.allowed_file_types : ['image'];
  return files.map((f) => {
    if (!isObject(f)) refuse(400, 'invalid_param', 'Each file must be an object.');
    if (!allowedTypes.includes(f.type) && !allowedTypes.includes('custom')) {
      refuse(400, 'invalid_param', `File type ${String(f.type)} is not allowed.`);
    }
    if (f.transfer_method === 'local_file') {
      const stored = app.files.get(f.upload_file_id);
      if (!stored || stored.user !== user) refuse(400, 'invalid_param', 'Invalid upload file id.');
      return {
        id: randomUUID(),
        filename: stored.meta.name,
        type: f.type,
        url: stored.meta.source_url,
        mime_type: stored.meta.mime_type,
        size: stored.meta.size,
        transfer_method: 'local_file',
        belongs_to: 'user',
        upload_file_id: stored.meta.id,
      };
    }
    if (f.transfer_method === 'remote_url') {
      if (typeof f.url !== 'string' || !/^https?:\/\//.test(f.url)) refuse(400, 'invalid_param', 'Invalid file url.');
      return { id: randomUUID(), filename: f.url.split('/').pop() || 'file', type: f.type, url: f.url, mime_type: null, size: -1, transfer_method: 'remote_url', belongs_to: 'user', upload_file_id: null };
    }
    return refuse(400, 'invalid_param', 'transfer_method must be local_file or remote_url.');
  });
}

// ---------------------------------------------------------------------------------------------------
// scripts by app mode, history, held answers

/** The answer of a chat app when the text has no command: shaped by the app's mode. */
function modeScript(mode, command, query) {
  if (command) return pickScript(command, query);
  if (mode === 'agent-chat') return { mode: 'agent-chat', run: agentDefaultScript };
  if (mode === 'advanced-chat') return { mode: 'advanced-chat', run: chatflowDefaultScript };
  return pickScript(null, query);
}

async function* agentDefaultScript(sc) {
  const { turn } = sc;
  const started = Date.now();
  const thought = randomUUID();
  const answer = defaultAnswer(sc.query);
  yield { event: turn.agentThought({ id: thought, position: 1 }) };
  for (const e of deltas(answer, (p) => turn.agentMessage(p))) yield { event: e };
  yield { event: turn.agentThought({ id: thought, position: 1, thought: answer }) };
  yield { event: turn.messageEnd({ usage: usageFor(tokens(sc.query), tokens(answer), (Date.now() - started) / 1000) }) };
}

async function* chatflowDefaultScript(sc) {
  const { turn } = sc;
  const started = Date.now();
  const answer = defaultAnswer(sc.query);
  const node = (id, type, title, index) => ({ id, node_type: type, title, index, execId: randomUUID() });
  const start = node('1751358999000', 'start', 'Start', 1);
  const llm = node('1751359000001', 'llm', 'LLM', 2);
  const reply = node('answer', 'answer', 'Answer', 3);
  const data = (n, extra = {}) => ({ id: n.execId, node_id: n.id, node_type: n.node_type, title: n.title, index: n.index, predecessor_node_id: null, inputs: null, created_at: nowSeconds(), extras: {}, iteration_id: null, loop_id: null, ...extra });
  const done = (n, outputs) => turn.workflow('node_finished', data(n, { status: 'succeeded', outputs, process_data: null, error: null, elapsed_time: 0.01, execution_metadata: {}, finished_at: nowSeconds(), files: [] }));
  const run = { id: turn.ids.workflowRunId, workflow_id: WORKFLOW_ID };
  yield { event: turn.workflow('workflow_started', { ...run, inputs: { 'sys.query': sc.query, 'sys.conversation_id': sc.conversationId, 'sys.user_id': sc.user }, created_at: turn.ids.createdAt }) };
  yield { event: turn.workflow('node_started', data(start)) };
  yield { event: done(start, { 'sys.query': sc.query }) };
  yield { event: turn.workflow('node_started', data(llm)) };
  for (const e of deltas(answer, (p) => turn.message(p, [llm.id, 'text']))) yield { event: e };
  yield { event: done(llm, { text: answer }) };
  yield { event: turn.workflow('node_started', data(reply)) };
  yield { event: done(reply, { answer }) };
  yield {
    event: turn.workflow('workflow_finished', {
      ...run, status: 'succeeded', outputs: { answer }, error: null, elapsed_time: (Date.now() - started) / 1000,
      total_tokens: tokens(answer), total_steps: 3, created_by: { id: sc.endUserId, user: sc.user },
      created_at: turn.ids.createdAt, finished_at: nowSeconds(), exceptions_count: 0, files: [],
    }),
  };
  yield { event: turn.messageEnd({ usage: usageFor(tokens(sc.query), tokens(answer), (Date.now() - started) / 1000), files: [] }) };
}

/** A test-driven answer: waits for /api/_mock/held/<id>/push|end|drop. */
function heldScript(state, id) {
  return {
    mode: 'chat',
    noPing: true,
    async *run(sc) {
      const queue = [];
      let wake = null;
      const add = (item) => {
        if (queue.length < 1000) queue.push(item);
        wake?.();
      };
      const forget = registerHeld(state, id, {
        push: (bytes) => add({ kind: 'push', bytes }),
        end: (bytes) => add({ kind: 'end', bytes }),
        drop: () => add({ kind: 'drop' }),
        isOpen: () => !sc.wire.done,
      });
      const deadline = Date.now() + HELD_LIMIT_MS;
      try {
        for (;;) {
          while (!queue.length) {
            if (sc.wire.done || Date.now() >= deadline) return;
            await Promise.race([new Promise((resolve) => (wake = resolve)), sc.wire.sleep(deadline - Date.now())]);
            wake = null;
          }
          const item = queue.shift();
          if (item.kind === 'drop') {
            yield { drop: true };
            return;
          }
          const text = item.bytes?.toString('utf8') ?? '';
          let custom = null;
          try {
            const parsed = JSON.parse(text);
            if (isObject(parsed) && typeof parsed.event === 'string') custom = parsed;
          } catch {
            /* plain text */
          }
          if (item.kind === 'end') {
            const metadata = isObject(custom?.metadata) ? custom.metadata : {};
            yield { event: sc.turn.messageEnd({ usage: usageFor(tokens(sc.query), 10, 0.1), retrieverResources: metadata.retriever_resources ?? [] }), split: false };
            return;
          }
          let event;
          if (custom) {
            const { event: name, ...payload } = custom;
            event = sc.turn.event(name, payload);
          } else event = sc.turn.message(text);
          yield { event, split: false, wait: -1 };
        }
      } finally {
        forget();
      }
    },
  };
}

/** Watch the events of a script and keep the message up to date (answer, citations, thoughts, status). */
function recording(script, message, app) {
  let agent = false;
  const observe = (e) => {
    switch (e.event) {
      case 'agent_message':
        agent = true;
        message.answer += e.answer;
        break;
      case 'message':
        if (agent) message.answer = e.answer;
        else message.answer += e.answer ?? '';
        break;
      case 'message_file':
        if (typeof e.answer === 'string') message.answer += e.answer;
        else if (typeof e.url === 'string') {
          message.message_files.push({ id: e.id, filename: e.url.split('/').pop(), type: e.type, url: e.url, mime_type: null, size: -1, transfer_method: 'tool_file', belongs_to: 'assistant', upload_file_id: null });
        }
        break;
      case 'message_replace':
        message.answer = e.answer;
        break;
      case 'agent_thought': {
        const at = message.agent_thoughts.findIndex((t) => t.id === e.id);
        const thought = { id: e.id, chain_id: null, message_id: message.id, position: e.position, thought: e.thought, tool: e.tool, tool_labels: e.tool_labels, tool_input: e.tool_input, created_at: e.created_at, observation: e.observation, files: e.message_files };
        if (at >= 0) message.agent_thoughts[at] = thought;
        else if (message.agent_thoughts.length < 50) message.agent_thoughts.push(thought);
        break;
      }
      case 'message_end':
        message.retriever_resources = e.metadata?.retriever_resources ?? [];
        break;
      case 'error':
        message.status = 'error';
        message.error = e.message;
        break;
      case 'workflow_finished':
        if (e.data?.status === 'failed') {
          message.status = 'error';
          message.error = e.data.error;
        }
        break;
      default:
    }
    if (message.answer.length > 200_000) message.answer = message.answer.slice(0, 200_000);
  };
  app.messages.set(message.id, message);
  while (app.messages.size > MAX_MESSAGES) app.messages.delete(app.messages.keys().next().value);
  return {
    ...script,
    async *run(sc) {
      for await (const step of script.run(sc)) {
        if (step.event) observe(step.event);
        yield step;
      }
    },
  };
}

function endUserId(app, user) {
  let id = app.endUsers.get(user);
  if (!id) {
    const h = createHash('sha256').update(`${app.id}:${user}`).digest('hex');
    id = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
    if (app.endUsers.size < 10_000) app.endUsers.set(user, id);
  }
  return id;
}

function track(c, taskId, wire, user, kind) {
  c.app.running.set(taskId, { wire, user, kind });
  c.state.running.set(taskId, { wire, user, endpoint: `/v1/${kind}` });
  return () => {
    c.app.running.delete(taskId);
    c.state.running.delete(taskId);
  };
}

// ---------------------------------------------------------------------------------------------------
// chat-messages, completion-messages, workflows/run

async function chatMessages(c, body) {
  const { app } = c;
  if (!CHAT_MODES.has(app.mode)) refuse(400, 'not_chat_app', 'Please check if your app mode matches the right API route.');
  const user = requireUser(body.user);
  if (typeof body.query !== 'string') refuse(400, 'invalid_param', 'query is required');
  const query = body.query;
  const blocking = body.response_mode !== 'streaming';
  const command = parseCommand(query);
  const heldId = parseHeld(query);
  if (command?.name === 'error') return preStreamError(c.ctx, command.arg);

  let conversationId = typeof body.conversation_id === 'string' ? body.conversation_id : '';
  let conversation = null;
  if (conversationId) {
    conversation = app.conversations.get(conversationId);
    if (!conversation || conversation.user !== user) refuse(404, 'not_found', 'Conversation Not Exists.');
    if (command?.name === 'completed') refuse(400, 'conversation_completed', 'The conversation has ended. Please start a new conversation.');
  }
  // Dify uses the conversation's inputs once it exists; a new conversation validates the form
  const inputs = conversation ? conversation.inputs : checkInputs(app, body.inputs);
  const files = checkFiles(app, body.files, user);
  const script = heldId ? heldScript(c.state, heldId) : modeScript(app.mode, command, query);
  if (blocking && (app.mode === 'agent-chat' || script.mode === 'agent-chat')) {
    refuse(400, 'invalid_param', 'Agent Chat App does not support blocking mode');
  }

  if (!conversation) {
    conversationId = randomUUID();
    conversation = { id: conversationId, user, inputs, messages: [], createdAt: Date.now() };
    app.conversations.set(conversationId, conversation);
    while (app.conversations.size > MAX_CONVERSATIONS) app.conversations.delete(app.conversations.keys().next().value);
  }
  const turn = difyTurn({ conversationId, messageId: randomUUID(), taskId: randomUUID(), createdAt: nowSeconds(), workflowRunId: randomUUID() });
  const message = {
    id: turn.ids.messageId,
    conversation_id: conversationId,
    parent_message_id: conversation.messages.at(-1) ?? null,
    inputs,
    query,
    answer: '',
    message_files: files,
    feedback: null,
    retriever_resources: [],
    agent_thoughts: [],
    created_at: turn.ids.createdAt,
    status: 'normal',
    error: null,
    user,
  };
  conversation.messages.push(message.id);
  cap(conversation.messages, 500);
  const recorded = recording(script, message, app);
  const sc = { turn, query, conversationId, user, endUserId: endUserId(app, user), delay: c.state.delay, command };

  if (blocking) {
    if (heldId) refuse(400, 'invalid_param', '/held needs response_mode "streaming".');
    return blockingAnswer(c.ctx, c.state, recorded, sc);
  }
  const wire = new Wire(c.ctx.res, { framing: 'sse', delay: c.state.delay });
  if (script.forceSplit) wire.forceSplit = script.forceSplit;
  sc.wire = wire;
  const untrack = track(c, turn.ids.taskId, wire, user, 'chat-messages');
  try {
    startStream(c.ctx, 'text/event-stream; charset=utf-8');
    await runScript(wire, recorded, sc, (e) => sseFrame(e));
  } finally {
    untrack();
  }
  return undefined;
}

/** Completion apps: the chat events re-shaped (no conversation_id; no thoughts or workflow events). */
function completionSerialiser(turn) {
  const base = { message_id: turn.ids.messageId, created_at: turn.ids.createdAt };
  let agent = false;
  return (e) => {
    const frame = (event, payload) => sseFrame({ event, ...base, ...payload });
    switch (e.event) {
      case 'agent_message':
        agent = true;
      // falls through
      case 'message':
        if (e.event === 'message' && agent) return '';
        return frame('message', { task_id: turn.ids.taskId, id: turn.ids.messageId, answer: e.answer, from_variable_selector: null });
      case 'message_file':
        return typeof e.answer === 'string' ? frame('message', { task_id: turn.ids.taskId, id: turn.ids.messageId, answer: e.answer, from_variable_selector: null }) : '';
      case 'message_replace':
        return frame('message_replace', { task_id: turn.ids.taskId, answer: e.answer, reason: e.reason ?? '' });
      case 'message_end':
        return frame('message_end', { task_id: turn.ids.taskId, id: turn.ids.messageId, metadata: e.metadata, files: e.files ?? null });
      case 'error':
        return frame('error', { code: e.code, status: e.status, message: e.message });
      default:
        return '';
    }
  };
}

async function completionMessages(c, body) {
  const { app } = c;
  if (app.mode !== 'completion') refuse(400, 'app_unavailable', 'Please check if your app mode matches the right API route.');
  const user = requireUser(body.user);
  const inputs = checkInputs(app, body.inputs);
  const files = checkFiles(app, body.files, user);
  const text = visitorText(app, inputs, body.query);
  const command = parseCommand(text);
  const heldId = parseHeld(text);
  if (command?.name === 'error') return preStreamError(c.ctx, command.arg);
  const script = heldId ? heldScript(c.state, heldId) : pickScript(command?.name === 'completed' ? null : command, text);
  const turn = difyTurn({ conversationId: null, messageId: randomUUID(), taskId: randomUUID(), createdAt: nowSeconds(), workflowRunId: randomUUID() });
  const message = {
    id: turn.ids.messageId, conversation_id: null, parent_message_id: null, inputs, query: text, answer: '', message_files: files,
    feedback: null, retriever_resources: [], agent_thoughts: [], created_at: turn.ids.createdAt, status: 'normal', error: null, user,
  };
  const recorded = recording(script, message, app);
  const sc = { turn, query: text, conversationId: '', user, endUserId: endUserId(app, user), delay: c.state.delay, command };

  if (body.response_mode !== 'streaming') {
    if (heldId) refuse(400, 'invalid_param', '/held needs response_mode "streaming".');
    const result = await collect(recorded, sc);
    if (result.error) return sendJson(c.ctx, result.error.status ?? 400, { code: result.error.code, message: result.error.message, status: result.error.status ?? 400 });
    return sendJson(c.ctx, 200, {
      event: 'message', task_id: turn.ids.taskId, id: turn.ids.messageId, message_id: turn.ids.messageId, mode: 'completion',
      answer: result.answer, metadata: result.end?.metadata ?? { usage: usageFor(tokens(text), tokens(result.answer), 0.5), retriever_resources: [] },
      created_at: turn.ids.createdAt,
    });
  }
  const wire = new Wire(c.ctx.res, { framing: 'sse', delay: c.state.delay });
  sc.wire = wire;
  const untrack = track(c, turn.ids.taskId, wire, user, 'completion-messages');
  try {
    startStream(c.ctx, 'text/event-stream; charset=utf-8');
    await runScript(wire, { ...recorded, mode: 'completion' }, sc, completionSerialiser(turn));
  } finally {
    untrack();
  }
  return undefined;
}

/** Workflow apps: the chat events re-shaped into a run (nodes, `text_chunk`, `workflow_finished` with outputs). */
function workflowSerialiser(sc, wire, inputs) {
  const { turn } = sc;
  const started = Date.now();
  const env = { task_id: turn.ids.taskId, workflow_run_id: turn.ids.workflowRunId };
  const frame = (event, data) => sseFrame({ event, ...env, data });
  const node = (id, type, title, index) => ({ id, type, title, index, execId: randomUUID() });
  const nodes = { start: node('1751358999000', 'start', 'Start', 1), llm: node('1751359000001', 'llm', 'LLM', 2), end: node('1751359000009', 'end', 'End', 3) };
  const nodeData = (n, extra = {}) => ({ id: n.execId, node_id: n.id, node_type: n.type, title: n.title, index: n.index, predecessor_node_id: null, inputs: null, created_at: nowSeconds(), extras: {}, iteration_id: null, loop_id: null, ...extra });
  const finished = (n, status, outputs, error = null) => frame('node_finished', nodeData(n, { status, outputs, process_data: null, error, elapsed_time: 0.01, execution_metadata: {}, finished_at: nowSeconds(), files: [] }));
  const run = (status, outputs, error = null) =>
    frame('workflow_finished', {
      id: turn.ids.workflowRunId, workflow_id: WORKFLOW_ID, status, outputs, error, elapsed_time: (Date.now() - started) / 1000,
      total_tokens: tokens(text), total_steps: 3, created_by: { id: sc.endUserId, user: sc.user }, created_at: turn.ids.createdAt,
      finished_at: nowSeconds(), exceptions_count: 0, files: [],
    });
  let opened = false;
  let closed = false;
  let agent = false;
  let text = '';
  const head = () => {
    if (opened) return '';
    opened = true;
    return (
      frame('workflow_started', { id: turn.ids.workflowRunId, workflow_id: WORKFLOW_ID, inputs: { ...inputs, 'sys.user_id': sc.user, 'sys.files': [] }, created_at: turn.ids.createdAt }) +
      frame('node_started', nodeData(nodes.start)) +
      finished(nodes.start, 'succeeded', inputs) +
      frame('node_started', nodeData(nodes.llm))
    );
  };
  const serialise = (e) => {
    if (closed) return '';
    switch (e.event) {
      case 'agent_message':
        agent = true;
      // falls through
      case 'message':
      case 'message_file': {
        if ((e.event === 'message' && agent) || typeof e.answer !== 'string') return head();
        text += e.answer;
        return head() + frame('text_chunk', { text: e.answer, from_variable_selector: [nodes.llm.id, 'text'] });
      }
      case 'message_replace':
        text = e.answer;
        return head() + frame('text_replace', { text: e.answer });
      case 'error':
        closed = true;
        return head() + finished(nodes.llm, 'failed', null, e.message) + run('failed', null, e.message);
      case 'message_end':
        closed = true;
        if (wire.stopped) return head() + run('stopped', null, 'Workflow execution stopped by user.');
        return (
          head() +
          finished(nodes.llm, 'succeeded', { text }) +
          frame('node_started', nodeData(nodes.end)) +
          finished(nodes.end, 'succeeded', { answer: text }) +
          run('succeeded', { answer: text })
        );
      default:
        return head();
    }
  };
  return { serialise, result: () => ({ text }) };
}

async function workflowRun(c, body) {
  const { app } = c;
  if (app.mode !== 'workflow') refuse(400, 'not_workflow_app', 'Please check if your app mode matches the right API route.');
  const user = requireUser(body.user);
  if (!isObject(body.inputs)) refuse(400, 'invalid_param', 'inputs is required');
  const inputs = checkInputs(app, body.inputs);
  checkFiles(app, body.files, user);
  const text = visitorText(app, inputs);
  const command = parseCommand(text);
  const heldId = parseHeld(text);
  if (command?.name === 'error') return preStreamError(c.ctx, command.arg);
  // a chat failure becomes a failed run
  const failing = command?.name === 'midstream' || command?.name === 'chatflow-fail';
  const script = heldId ? heldScript(c.state, heldId) : pickScript(failing ? { name: 'midstream', arg: '' } : command?.name === 'completed' ? null : command, text);
  const turn = difyTurn({ conversationId: null, messageId: randomUUID(), taskId: randomUUID(), createdAt: nowSeconds(), workflowRunId: randomUUID() });
  const sc = { turn, query: text, conversationId: '', user, endUserId: endUserId(app, user), delay: c.state.delay, command };

  if (body.response_mode !== 'streaming') {
    if (heldId) refuse(400, 'invalid_param', '/held needs response_mode "streaming".');
    const started = Date.now();
    const result = await collect(script, sc);
    const failed = Boolean(result.error);
    return sendJson(c.ctx, 200, {
      task_id: turn.ids.taskId,
      workflow_run_id: turn.ids.workflowRunId,
      data: {
        id: turn.ids.workflowRunId, workflow_id: WORKFLOW_ID, status: failed ? 'failed' : 'succeeded',
        outputs: failed ? null : { answer: result.answer }, error: failed ? result.error.message : null,
        elapsed_time: (Date.now() - started) / 1000, total_tokens: tokens(result.answer), total_steps: 3,
        created_at: turn.ids.createdAt, finished_at: nowSeconds(),
      },
    });
  }
  const wire = new Wire(c.ctx.res, { framing: 'sse', delay: c.state.delay });
  sc.wire = wire;
  const { serialise } = workflowSerialiser(sc, wire, inputs);
  const untrack = track(c, turn.ids.taskId, wire, user, 'workflows');
  try {
    startStream(c.ctx, 'text/event-stream; charset=utf-8');
    await runScript(wire, { ...script, mode: 'workflow' }, sc, serialise);
  } finally {
    untrack();
  }
  return undefined;
}

/** Run a script with no pacing and gather the answer (blocking mode of completion and workflow apps). */
async function collect(script, sc) {
  let answer = '';
  let agent = false;
  let end = null;
  for await (const step of script.run({ ...sc, delay: 0, wire: { done: false, sleep: () => Promise.resolve() } })) {
    const e = step.event;
    if (step.stall || step.drop) return { answer, end, error: { status: 504, code: 'gateway_timeout', message: 'Gateway Time-out' } };
    if (!e) continue;
    if (e.event === 'error') return { answer, end, error: e };
    if (e.event === 'message_replace') answer = e.answer;
    else if (e.event === 'agent_message') {
      agent = true;
      answer += e.answer;
    } else if (e.event === 'message' && agent) answer = e.answer;
    else if (typeof e.answer === 'string') answer += e.answer;
    if (e.event === 'message_end') end = e;
  }
  return { answer, end, error: null };
}

async function stopTask(c, body, taskId, kind) {
  const user = requireUser(body.user);
  c.state.stops.push({ task_id: taskId, user });
  cap(c.state.stops, 1000);
  const task = c.app.running.get(taskId);
  // like Dify: always success; chat and completion stops only act on the same user's task, the
  // workflow stop does not check the user
  if (task && (kind === 'workflows' || task.user === user)) task.wire.stop();
  return sendJson(c.ctx, 200, { result: 'success' });
}

// ---------------------------------------------------------------------------------------------------
// history, follow-ups, feedback

function messageView(m) {
  return {
    id: m.id,
    conversation_id: m.conversation_id,
    parent_message_id: m.parent_message_id,
    inputs: m.inputs,
    query: m.query,
    answer: m.answer,
    status: m.status,
    error: m.error,
    message_files: m.message_files,
    feedback: m.feedback ? { rating: m.feedback.rating } : null,
    retriever_resources: m.retriever_resources,
    agent_thoughts: m.agent_thoughts,
    created_at: m.created_at,
  };
}

function listMessages(c) {
  const { app } = c;
  const q = c.url.searchParams;
  const user = requireUser(q.get('user'));
  const conversationId = q.get('conversation_id');
  if (!conversationId) refuse(400, 'invalid_param', 'conversation_id is required');
  const limitText = q.get('limit') ?? '20';
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100) refuse(400, 'invalid_param', 'limit must be an integer between 1 and 100');
  const conversation = app.conversations.get(conversationId);
  if (!conversation || conversation.user !== user) refuse(404, 'not_found', 'Conversation Not Exists.');
  const ids = conversation.messages.filter((id) => app.messages.has(id));
  let end = ids.length;
  const firstId = q.get('first_id');
  if (firstId) {
    end = ids.indexOf(firstId);
    if (end < 0) refuse(404, 'not_found', 'First Message Not Exists.');
  }
  const start = Math.max(0, end - limit);
  const data = ids.slice(start, end).map((id) => messageView(app.messages.get(id)));
  return sendJson(c.ctx, 200, { limit, has_more: start > 0, data });
}

function findMessage(app, id, user) {
  const message = app.messages.get(id);
  if (!message || message.user !== user) refuse(404, 'not_found', 'Message Not Exists.');
  return message;
}

function suggested(c, messageId) {
  const { app } = c;
  const user = requireUser(c.url.searchParams.get('user'));
  if (!app.parameters.suggested_questions_after_answer?.enabled) refuse(400, 'bad_request', 'Suggested Questions Is Disabled.');
  const message = findMessage(app, messageId, user);
  let topic = oneLine(message.query).replace(/\/\S+\s*/g, '').slice(0, 40).trim();
  if (!topic) topic = 'that';
  return sendJson(c.ctx, 200, {
    result: 'success',
    data: [`Tell me more about ${topic}`, 'How long does shipping take?', 'Which tea would you recommend?'],
  });
}

function feedback(c, body, messageId) {
  const { app } = c;
  const user = requireUser(body.user);
  const rating = body.rating ?? null;
  if (rating !== null && rating !== 'like' && rating !== 'dislike') refuse(400, 'invalid_param', 'rating must be like, dislike or null');
  if (body.content !== undefined && body.content !== null && typeof body.content !== 'string') refuse(400, 'invalid_param', 'content must be a string');
  const message = findMessage(app, messageId, user);
  if (rating === null) {
    if (!message.feedback) refuse(400, 'invalid_param', 'rating cannot be None when feedback not exists');
    message.feedback = null;
  } else {
    message.feedback = { rating, content: typeof body.content === 'string' ? body.content.slice(0, 2000) : null };
  }
  return sendJson(c.ctx, 200, { result: 'success' });
}

// ---------------------------------------------------------------------------------------------------
// files, voice

function onlyFile(c, missing) {
  if (!c.form) refuse(400, 'bad_request', 'The request must be multipart/form-data.');
  const files = c.form.getAll('file').filter((f) => typeof f !== 'string');
  if (files.length === 0) refuse(400, ...missing);
  if (files.length > 1) refuse(400, 'too_many_files', 'Only one file is allowed.');
  return files[0];
}

async function uploadFile(c) {
  const { app } = c;
  const file = onlyFile(c, ['no_file_uploaded', 'Please upload your file.']);
  const userField = c.form.get('user');
  const user = typeof userField === 'string' && userField ? userField : 'DEFAULT-USER';
  const name = String(file.name || '');
  if (!name || /[\\/]/.test(name)) refuse(400, 'filename_not_exists_error', 'The specified filename does not exist.');
  const ext = name.includes('.') ? name.split('.').pop().toLowerCase() : '';
  const kind = fileTypeOf(ext);
  if (!kind) refuse(415, 'unsupported_file_type', 'File type not allowed.');
  const limits = app.parameters.system_parameters ?? {};
  const limitMb = Number(kind === 'image' ? limits.image_file_size_limit : kind === 'video' ? limits.video_file_size_limit : kind === 'audio' ? limits.audio_file_size_limit : limits.file_size_limit) || 15;
  if (file.size > limitMb * 1024 * 1024) {
    refuse(413, 'file_too_large', `File size exceeded. ${(file.size / 1024 / 1024).toFixed(2)} MB > ${limitMb} MB`);
  }
  const bytes = Buffer.from(await file.arrayBuffer());
  const id = randomUUID();
  const meta = {
    id,
    name,
    size: bytes.length,
    extension: ext,
    mime_type: file.type || MIME_BY_EXT[ext] || 'application/octet-stream',
    created_by: endUserId(app, user),
    created_at: nowSeconds(),
    preview_url: null,
    source_url: `/api/_mock/files/${id}`,
    original_url: null,
    user_id: endUserId(app, user),
    tenant_id: '3f2c6a0e-0000-4000-8000-00000000d1f7',
    conversation_id: null,
    file_key: `upload_files/mock/${id}.${ext}`,
  };
  app.files.set(id, { meta, bytes, user });
  app.fileBytes += bytes.length;
  while (app.fileBytes > MAX_FILE_STORE && app.files.size > 1) {
    const [oldest, stored] = app.files.entries().next().value;
    app.files.delete(oldest);
    app.fileBytes -= stored.bytes.length;
  }
  return sendJson(c.ctx, 201, meta);
}

async function audioToText(c) {
  const { app } = c;
  if (!app.parameters.speech_to_text?.enabled) refuse(400, 'provider_not_support_speech_to_text', 'Speech to text is not enabled for this app.');
  const file = onlyFile(c, ['no_audio_uploaded', 'Please upload your audio.']);
  if (file.size === 0) refuse(400, 'no_audio_uploaded', 'Please upload your audio.');
  const type = String(file.type || '').split(';')[0].toLowerCase();
  if (!/^(audio\/[\w.+-]+|video\/(webm|mp4|mpeg))$/.test(type)) refuse(415, 'unsupported_audio_type', 'Audio type not allowed.');
  if (file.size > AUDIO_LIMIT) refuse(413, 'audio_too_large', 'Audio size exceeded.');
  return sendJson(c.ctx, 200, { text: 'What teas do you sell?' });
}

/** A short, valid WAV file: 0.4 s of a soft two-tone chime, 8 kHz mono 16-bit. */
function chimeWav() {
  const rate = 8000;
  const samples = Math.round(rate * 0.4);
  const buf = Buffer.alloc(44 + samples * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + samples * 2, 4);
  buf.write('WAVE', 8);
  buf.write('fmt ', 12);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    const freq = t < 0.2 ? 660 : 880;
    const envelope = Math.min(1, i / 200, (samples - i) / 400);
    buf.writeInt16LE(Math.round(Math.sin(2 * Math.PI * freq * t) * 6000 * envelope), 44 + i * 2);
  }
  return buf;
}
const CHIME = chimeWav();

function textToAudio(c, body) {
  const { app } = c;
  if (!app.parameters.text_to_speech?.enabled) refuse(400, 'provider_not_support_text_to_speech', 'Text to speech is not enabled for this app.');
  const user = requireUser(body.user);
  let text = typeof body.text === 'string' ? body.text : '';
  if (typeof body.message_id === 'string' && body.message_id) text = findMessage(app, body.message_id, user).answer;
  if (!text) refuse(400, 'invalid_param', 'Either message_id or text is required.');
  return send(c.ctx, 200, CHIME, { 'content-type': 'audio/wav', 'cache-control': 'no-store' });
}
