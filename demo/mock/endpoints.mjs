// The mock's own endpoints: POST /api/chat (Service API framing), /api/talk (plugin framing),
// /api/openai/chat/completions and the stop route. Each request is handled on its own.
import { randomUUID } from 'node:crypto';
import { OPENAI_DONE, bareFrame, difyTurn, openaiChunk, openaiError, parseCommand, sseFrame } from '../../test/fixtures/dify-streams.js';
import { NGINX_502, OPENAI_ERRORS, cutConnection, difyError, nowSeconds, readJson, send, sendJson, startStream } from './http.mjs';
import { pickScript, tokens } from './scripts.mjs';
import { STALL_LIMIT_MS, Wire, blockingAnswer, runScript } from './wire.mjs';

// ---------------------------------------------------------------------------------------------------
// /api/chat and /api/talk (Dify events)

export async function difyChat(ctx, state, framing) {
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

export function preStreamError(ctx, arg, { openai = false } = {}) {
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

// ---------------------------------------------------------------------------------------------------
// /api/openai/chat/completions

export async function openaiChat(ctx, state) {
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
      if (step.drop) return cutConnection(ctx.res);
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

export async function stopTask(ctx, state, taskId) {
  const body = await readJson(ctx.req);
  if (typeof body.user !== 'string' || !body.user) return sendJson(ctx, 400, difyError(400, 'Arg user must be provided.'));
  state.stops.push({ task_id: taskId, user: body.user });
  if (state.stops.length > 1000) state.stops.splice(0, state.stops.length - 1000);
  const task = state.running.get(taskId);
  // like Dify: always "success"; a stop for another user's task silently does nothing
  if (task && (task.user === null || task.user === body.user)) task.wire.stop();
  return sendJson(ctx, 200, { result: 'success' });
}

