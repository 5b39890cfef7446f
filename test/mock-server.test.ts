// Network-level tests of the mock Dify bot (demo/mock-dify.mjs), mounted by web-test-runner.config.mjs
// as mockDify({ delay: 0 }). Real fetch, real streams; no widget involved.
import { expect } from '@open-wc/testing';
import {
  COMMANDS,
  EXAMPLES,
  RESPONSE_D3,
  awkwardSplit,
  encodeUtf8,
  parseCommand,
  pyJsonDumps,
  wordChunks,
} from './fixtures/dify-streams.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ev = Record<string, any>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const newUser = () => `test-${crypto.randomUUID()}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function post(path: string, body: unknown, init: RequestInit = {}) {
  return fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
    ...init,
  });
}

const chat = (query: string, user: string, conversationId = '', init: RequestInit = {}) =>
  post('/api/chat', { query, inputs: {}, conversation_id: conversationId, user, response_mode: 'streaming' }, init);

/** Read a whole body with one streaming decoder; `failed` is set when the connection broke. */
async function readAll(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let reads = 0;
  let failed: unknown = null;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      reads++;
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    failed = error;
  }
  text += decoder.decode();
  return { text, reads, failed };
}

/** Frames of an SSE body (split on blank lines). */
const blocks = (text: string) => text.split('\n\n').filter((b) => b.length > 0);

/** Dify events of an SSE body (pings skipped). */
function sseEvents(text: string): Ev[] {
  return blocks(text)
    .filter((b) => b !== 'event: ping')
    .map((b) => {
      expect(b.startsWith('data: '), `frame starts with "data: ": ${b.slice(0, 40)}`).to.be.true;
      return JSON.parse(b.slice(6));
    });
}

/** The answer a client builds from Dify events (append, replace, New Agent's closing message). */
function answerOf(events: Ev[]) {
  let answer = '';
  let agent = false;
  for (const e of events) {
    if (e.event === 'message_replace') answer = e.answer;
    else if (e.event === 'agent_message') {
      agent = true;
      answer += e.answer;
    } else if (e.event === 'message' && agent) answer = e.answer;
    else if ((e.event === 'message' || e.event === 'message_file') && typeof e.answer === 'string') answer += e.answer;
  }
  return answer;
}

async function streamOf(query: string, user = newUser(), path = '/api/chat') {
  const response =
    path === '/api/chat' ? await chat(query, user) : await post(path, { query, conversation_id: '' });
  expect(response.status).to.equal(200);
  const { text, failed } = await readAll(response);
  return { response, text, failed, events: path === '/api/chat' ? sseEvents(text) : [] };
}

/** Read from a live stream until `test(textSoFar)` holds. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, decoder: TextDecoder, test: (text: string) => boolean, sofar = '') {
  let text = sofar;
  while (!test(text)) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

describe('mock Dify bot: POST /api/chat (Service API framing)', () => {
  it('streams SSE with a new conversation id, Dify envelopes and a closing message_end', async () => {
    const user = newUser();
    const response = await chat('What teas do you sell?', user);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).to.equal('no-cache');
    const { text, failed } = await readAll(response);
    expect(failed).to.equal(null);
    expect(text.startsWith('event: ping\n\n'), 'starts with a keep-alive ping').to.be.true;
    expect(text).not.to.include('\uFFFD');
    for (const b of blocks(text).filter((x) => x !== 'event: ping')) expect(b).to.match(/^data: \{"event":"/); // compact JSON

    const events = sseEvents(text);
    const first = events[0];
    expect(first.conversation_id).to.match(UUID);
    expect(first.message_id).to.match(UUID);
    expect(first.task_id).to.match(UUID);
    expect(first.created_at).to.be.a('number');
    for (const e of events) {
      expect(Object.keys(e).slice(0, 5)).to.deep.equal(['event', 'conversation_id', 'message_id', 'created_at', 'task_id']);
      expect(e.conversation_id).to.equal(first.conversation_id);
      expect(e.task_id).to.equal(first.task_id);
    }
    const messages = events.filter((e) => e.event === 'message');
    expect(messages.length).to.be.greaterThan(5); // a few words per event
    for (const m of messages) expect(m.id).to.equal(first.message_id);

    const last = events.at(-1)!;
    expect(last.event).to.equal('message_end');
    expect(last.metadata.usage.total_tokens).to.be.greaterThan(0);
    const answer = answerOf(events);
    expect(answer).to.include('What teas do you sell?'); // echoes the question
    expect(answer).to.match(/\]\(https:\/\/example\.com\//); // a markdown link
    expect(answer.split('\n\n').length).to.be.greaterThan(2); // several paragraphs
  });

  it('continues a known conversation; 404s an unknown one or another user’s', async () => {
    const user = newUser();
    const firstRun = await streamOf('hello', user);
    const conversationId = firstRun.events[0].conversation_id;

    const again = await chat('and again', user, conversationId);
    expect(again.status).to.equal(200);
    const events = sseEvents((await readAll(again)).text);
    expect(events.every((e) => e.conversation_id === conversationId)).to.be.true;
    expect(events[0].message_id).not.to.equal(firstRun.events[0].message_id);

    const unknown = await chat('hi', user, crypto.randomUUID());
    expect(unknown.status).to.equal(404);
    expect(unknown.headers.get('content-type')).to.match(/application\/json/);
    expect(await unknown.json()).to.deep.equal({ code: 'not_found', message: 'Conversation Not Exists.', status: 404 });

    const otherUser = await chat('hi', newUser(), conversationId);
    expect(otherUser.status).to.equal(404);
    expect((await otherUser.json()).code).to.equal('not_found');
  });

  it('rejects a request without user (400 invalid_param)', async () => {
    const response = await post('/api/chat', { query: 'hi', inputs: {}, conversation_id: '', response_mode: 'streaming' });
    expect(response.status).to.equal(400);
    expect(await response.json()).to.deep.equal({ code: 'invalid_param', message: 'Arg user must be provided.', status: 400 });
  });

  it('answers a blocking request with one JSON body', async () => {
    const response = await post('/api/chat', { query: 'hi', inputs: {}, conversation_id: '', user: newUser(), response_mode: 'blocking' });
    expect(response.status).to.equal(200);
    const body = await response.json();
    expect(body.event).to.equal('message');
    expect(body.conversation_id).to.match(UUID);
    expect(body.answer).to.include('hi');
  });

  it('/error <status> fails before the stream with Dify’s {code, message, status}', async () => {
    const tooMany = await chat('/error 429', newUser());
    expect(tooMany.status).to.equal(429);
    expect(await tooMany.json()).to.deep.equal({
      code: 'too_many_requests',
      message: 'Too many requests. Please try again later.',
      status: 429,
    });
    const expected: Record<number, string> = { 400: 'invalid_param', 401: 'unauthorized', 403: 'forbidden', 500: 'internal_server_error' };
    for (const [status, code] of Object.entries(expected)) {
      const response = await chat(`please /error ${status}`, newUser());
      expect(response.status).to.equal(Number(status));
      const body = await response.json();
      expect(body.code).to.equal(code);
      expect(body.status).to.equal(Number(status));
    }
    const unauthorized = await chat('/error 401', newUser());
    expect((await unauthorized.json()).message).to.equal('Access token is invalid');
    const gateway = await chat('/error 502', newUser());
    expect(gateway.status).to.equal(502);
    expect(gateway.headers.get('content-type')).to.match(/text\/html/); // a proxy page, not JSON
  });

  it('/completed → 400 conversation_completed once a conversation id is sent', async () => {
    const user = newUser();
    const first = await streamOf('/completed', user); // a new conversation: a normal answer
    const conversationId = first.events[0].conversation_id;
    const response = await chat('/completed', user, conversationId);
    expect(response.status).to.equal(400);
    expect(await response.json()).to.deep.equal({
      code: 'conversation_completed',
      message: 'The conversation has ended. Please start a new conversation.',
      status: 400,
    });
  });

  it('/midstream: text, then an error event without task_id, then the body ends', async () => {
    const { events } = await streamOf('/midstream');
    expect(events.at(-2)!.event).to.equal('message');
    const error = events.at(-1)!;
    expect(error.event).to.equal('error');
    expect(error).not.to.have.property('task_id');
    expect(error.code).to.equal('completion_request_error');
    expect(error.status).to.equal(400);
    expect(error.message).to.equal('[openai] Rate Limit Error, Error code: 429');
    expect(events.some((e) => e.event === 'message_end')).to.be.false;
  });

  it('/drop: text, then the connection is cut with no closing event', async () => {
    const response = await chat('/drop', newUser());
    expect(response.status).to.equal(200);
    const { text, failed } = await readAll(response);
    expect(failed, 'reading the body fails').not.to.equal(null);
    expect(text).to.include('"event":"message"');
    expect(text).not.to.include('message_end');
    expect(text).not.to.include('"event":"error"');
  });

  it('/empty: 200 text/event-stream with only a ping', async () => {
    const { response, text } = await streamOf('/empty');
    expect(response.headers.get('content-type')).to.match(/^text\/event-stream/);
    expect(text).to.equal('event: ping\n\n');
  });

  it('/stall: holds the connection until the client aborts, then cleans up', async () => {
    const user = newUser();
    const controller = new AbortController();
    const response = await chat('/stall', user, '', { signal: controller.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const text = await readUntil(reader, decoder, (t) => t.includes('moment'));
    expect(text).to.include('"event":"message"');
    const active = async () => (await (await fetch(`/api/_mock/active?user=${user}`)).json()) as Ev[];
    expect(await active()).to.have.length(1);
    const next = reader.read();
    const quiet = await Promise.race([next.then(() => 'data'), sleep(300).then(() => 'quiet')]);
    expect(quiet).to.equal('quiet');
    controller.abort();
    await next.catch(() => undefined);
    let left = await active();
    for (let t = 0; t < 2000 && left.length; t += 50) {
      await sleep(50);
      left = await active();
    }
    expect(left).to.deep.equal([]);
  });

  it('/agent: thoughts re-sent under one id, an image file with a relative url, agent_message deltas', async () => {
    const { events } = await streamOf('/agent what time is it?');
    const thoughts = events.filter((e) => e.event === 'agent_thought');
    const ids = [...new Set(thoughts.map((t) => t.id))];
    expect(ids).to.have.length(2);
    expect(thoughts.filter((t) => t.id === ids[0]).length).to.be.greaterThan(2);
    const withTool = thoughts.find((t) => t.tool === 'current_time' && t.observation)!;
    expect(JSON.parse(withTool.tool_input)).to.deep.equal({ current_time: { timezone: 'Europe/Paris' } });
    const file = events.find((e) => e.event === 'message_file')!;
    expect(file).to.include({ type: 'image', belongs_to: 'assistant', url: '/api/files/cat.svg' });
    expect(events.filter((e) => e.event === 'agent_message').length).to.be.greaterThan(3);
    expect(events.at(-1)!.event).to.equal('message_end');
    const image = await fetch(file.url);
    expect(image.status).to.equal(200);
    expect(image.headers.get('content-type')).to.equal('image/svg+xml');
    const svg = await image.text();
    expect(svg).to.match(/^<svg /);
    expect(svg).not.to.match(/<script|on\w+=/i);
  });

  it('/newagent: agent_message deltas, then one message with the complete answer', async () => {
    const { events } = await streamOf('/newagent');
    const deltas = events.filter((e) => e.event === 'agent_message').map((e) => e.answer).join('');
    const closing = events.filter((e) => e.event === 'message');
    expect(closing).to.have.length(1);
    expect(closing[0].answer).to.equal(deltas);
    expect(events.at(-1)!.event).to.equal('message_end');
  });

  it('/chatflow: workflow and node events, the answer, citations in message_end', async () => {
    const { events } = await streamOf('/chatflow refunds?');
    expect(events[0].event).to.equal('workflow_started');
    const titles = events.filter((e) => e.event === 'node_started').map((e) => e.data.title);
    expect(titles).to.include.members(['Knowledge Retrieval', 'LLM']);
    expect(events.find((e) => e.event === 'workflow_finished')!.data.status).to.equal('succeeded');
    const end = events.at(-1)!;
    expect(end.event).to.equal('message_end');
    const resources = end.metadata.retriever_resources;
    expect(resources).to.have.length(2);
    for (const r of resources) expect(r).to.include.keys('dataset_name', 'document_name', 'content', 'score', 'position');
    expect(answerOf(events)).to.include('refund policy');
  });

  it('/chatflow-fail: workflow_finished failed, then an invalid_param error', async () => {
    const { events } = await streamOf('/chatflow-fail');
    const finished = events.at(-2)!;
    expect(finished.event).to.equal('workflow_finished');
    expect(finished.data).to.include({ status: 'failed', error: 'Node HTTP Request run failed: timeout' });
    expect(events.at(-1)).to.include({ event: 'error', code: 'invalid_param', status: 400, message: 'Run failed: Node HTTP Request run failed: timeout' });
    expect(events.some((e) => e.event === 'message')).to.be.true;
  });

  it('/think, /replace, /filetext, /citations', async () => {
    const think = answerOf((await streamOf('/think')).events);
    expect(think).to.match(/^<think>[\s\S]+<\/think>\n\n\S/);

    const replace = (await streamOf('/replace')).events;
    expect(replace.map((e) => e.event)).to.include('message_replace');
    expect(replace.find((e) => e.event === 'message_replace')).to.include({ answer: "Sorry, I can't help with that.", reason: '' });
    expect(replace.at(-1)!.event).to.equal('message_end');

    const fileText = (await streamOf('/filetext')).events;
    const textFiles = fileText.filter((e) => e.event === 'message_file' && typeof e.answer === 'string');
    expect(textFiles.length).to.be.greaterThan(3);
    expect(fileText.some((e) => e.event === 'message')).to.be.false;

    const citations = (await streamOf('/citations')).events;
    expect(citations.at(-1)!.metadata.retriever_resources.length).to.be.greaterThan(0);
  });

  it('/unicode and /long decode intact', async () => {
    const unicode = await streamOf('/unicode');
    expect(unicode.text).not.to.include('\uFFFD');
    const answer = answerOf(unicode.events);
    for (const s of ['café', 'naïve', '👋🏽', '👩‍💻', 'مرحبا', 'こんにちは']) expect(answer).to.include(s);

    const long = await streamOf('/long');
    const longAnswer = answerOf(long.events);
    expect(longAnswer.length).to.be.within(18_000, 30_000);
    expect(long.events.at(-1)!.event).to.equal('message_end');
  });

  it('/help lists every command', async () => {
    const answer = answerOf((await streamOf('/help')).events);
    for (const c of COMMANDS) expect(answer).to.include(c.command);
  });
});

describe('mock Dify bot: POST /api/talk (plugin endpoint framing)', () => {
  it('writes bare json.dumps blocks: no data: prefix, Python separators, \\u escapes, no pings', async () => {
    const response = await post('/api/talk', { query: 'café 👋', conversation_id: '' });
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('text/event-stream');
    const { text } = await readAll(response);
    expect(text).not.to.include('data:');
    expect(text).not.to.include('event: ping');
    expect(/^[\n\x20-\x7e]*$/.test(text), 'the body is pure ASCII').to.be.true;
    expect(text).to.include('caf\\u00e9');
    expect(text).to.include('\\ud83d\\udc4b');
    const parsed = blocks(text).map((b) => JSON.parse(b) as Ev);
    for (const [i, b] of blocks(text).entries()) expect(b).to.equal(pyJsonDumps(parsed[i])); // exact json.dumps formatting
    expect(text.startsWith('{"event": "message", "conversation_id": "')).to.be.true;
    expect(parsed.at(-1)!.event).to.equal('message_end');
    expect(answerOf(parsed)).to.include('café 👋');

    // the conversation continues on the same endpoint
    const again = await post('/api/talk', { query: 'more', conversation_id: parsed[0].conversation_id });
    expect(again.status).to.equal(200);
    expect(JSON.parse(blocks((await readAll(again)).text)[0]).conversation_id).to.equal(parsed[0].conversation_id);
  });

  it('answers a missing query with a plain-text 400, as the plugin does', async () => {
    const response = await post('/api/talk', { conversation_id: '' });
    expect(response.status).to.equal(400);
    expect(await response.text()).to.equal('Query is required');
  });
});

describe('mock Dify bot: POST /api/openai/chat/completions', () => {
  const openai = (content: string, stream = true) =>
    post('/api/openai/chat/completions', {
      model: 'mock-1',
      stream,
      messages: [
        { role: 'user', content: 'earlier question' },
        { role: 'assistant', content: 'earlier answer' },
        { role: 'user', content },
      ],
    });

  it('streams chat.completion.chunk events, a stop chunk, then data: [DONE]', async () => {
    const response = await openai('Tell me about Genmaicha');
    expect(response.status).to.equal(200);
    const { text } = await readAll(response);
    expect(text.endsWith('data: [DONE]\n\n')).to.be.true;
    const chunks = blocks(text)
      .slice(0, -1)
      .map((b) => JSON.parse(b.replace(/^data: /, '')) as Ev);
    for (const c of chunks) {
      expect(c.object).to.equal('chat.completion.chunk');
      expect(c.model).to.equal('mock-1');
      expect(c.id).to.equal(chunks[0].id);
    }
    expect(chunks[0].choices[0].delta.role).to.equal('assistant');
    const last = chunks.at(-1)!;
    expect(last.choices[0].finish_reason).to.equal('stop');
    expect(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null)).to.be.true;
    const content = chunks.map((c) => c.choices[0].delta.content ?? '').join('');
    expect(content).to.include('Tell me about Genmaicha'); // answers the LAST user message
  });

  it('answers stream:false with one chat.completion', async () => {
    const body = await (await openai('hello there', false)).json();
    expect(body.object).to.equal('chat.completion');
    expect(body.choices[0].message.role).to.equal('assistant');
    expect(body.choices[0].message.content).to.include('hello there');
  });

  it('reports errors OpenAI-style', async () => {
    const response = await openai('/error 401');
    expect(response.status).to.equal(401);
    const body = await response.json();
    expect(body.error).to.include({ type: 'invalid_request_error', code: 'invalid_api_key' });
    expect(body.error.message).to.be.a('string');

    const midstream = (await readAll(await openai('/midstream'))).text;
    expect(midstream).not.to.include('[DONE]');
    expect(JSON.parse(blocks(midstream).at(-1)!.replace(/^data: /, '')).error.message).to.include('Rate Limit');
  });
});

describe('mock Dify bot: stop, controls, replays', () => {
  it('POST /api/chat-messages/:task_id/stop records the call and ends the running stream with message_end', async () => {
    const user = newUser();
    const started = performance.now();
    const response = await chat('/slow', user); // 400 ms per chunk: ~10 s if nobody stops it
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = await readUntil(reader, decoder, (t) => /"task_id":"[^"]+"/.test(t));
    const taskId = /"task_id":"([^"]+)"/.exec(text)![1];

    // another user's stop does nothing (but still answers success, like Dify)
    const foreign = await post(`/api/chat-messages/${taskId}/stop`, { user: newUser() });
    expect(await foreign.json()).to.deep.equal({ result: 'success' });

    const stop = await post(`/api/chat-messages/${taskId}/stop`, { user });
    expect(stop.status).to.equal(200);
    expect(await stop.json()).to.deep.equal({ result: 'success' });
    text = await readUntil(reader, decoder, () => false, text);
    expect(performance.now() - started).to.be.below(4000);
    const events = sseEvents(text);
    expect(events.at(-1)!.event).to.equal('message_end');
    expect(events.at(-1)!.task_id).to.equal(taskId);

    const stops = await (await fetch(`/api/_mock/stops?user=${user}`)).json();
    expect(stops).to.deep.equal([{ task_id: taskId, user }]);
    const none = await post('/api/chat-messages/whatever/stop', {});
    expect(none.status).to.equal(400);
  });

  it('POST /api/_mock/reset {user} forgets that user’s conversations and stops', async () => {
    const user = newUser();
    const { events } = await streamOf('hi', user);
    await post(`/api/chat-messages/${events[0].task_id}/stop`, { user });
    const reset = await post('/api/_mock/reset', { user });
    expect(await reset.json()).to.deep.equal({ result: 'success' });
    expect(await (await fetch(`/api/_mock/stops?user=${user}`)).json()).to.deep.equal([]);
    const stale = await chat('hi again', user, events[0].conversation_id);
    expect(stale.status).to.equal(404);
  });

  it('GET /api/_mock/info lists the mode and the commands', async () => {
    const info = await (await fetch('/api/_mock/info')).json();
    expect(info.mode).to.equal('mock');
    expect(info.commands.map((c: Ev) => c.command)).to.deep.equal(COMMANDS.map((c) => c.command));
  });

  it('replays the reference example streams byte for byte, optionally in small pieces', async () => {
    for (const [name, example] of Object.entries(EXAMPLES)) {
      const response = await post(`/api/_mock/example/${name}?chunk=7`, {});
      expect(response.status).to.equal(200);
      expect((await readAll(response)).text).to.equal(example.body);
    }
    const d3 = await fetch('/api/_mock/example/D3');
    expect(d3.status).to.equal(RESPONSE_D3.status);
    expect(await d3.text()).to.equal(RESPONSE_D3.body);
  });

  it('held streams send exactly what the test pushes, when it pushes it', async () => {
    const id = `held-${crypto.randomUUID()}`;
    const response = await post(`/api/_mock/held/${id}`, {});
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const push = (bytes: BodyInit) => fetch(`/api/_mock/held/${id}/push`, { method: 'POST', body: bytes });
    await push('data: {"event":"message","answer":"caf');
    expect(decoder.decode((await reader.read()).value, { stream: true })).to.equal('data: {"event":"message","answer":"caf');
    await push(new Uint8Array([0xc3])); // half of "é"
    expect(decoder.decode((await reader.read()).value, { stream: true })).to.equal('');
    await push(new Uint8Array([0xa9, 0x22, 0x7d, 0x0a, 0x0a]));
    expect(decoder.decode((await reader.read()).value, { stream: true })).to.equal('é"}\n\n');
    await fetch(`/api/_mock/held/${id}/end`, { method: 'POST' });
    expect((await reader.read()).done).to.be.true;
  });
});

describe('shared fixtures (test/fixtures/dify-streams.js)', () => {
  it('pyJsonDumps matches Python’s json.dumps', () => {
    // python3 -c 'import json; print(json.dumps({"a": "café 👋", "b": [1, 2.5, None, True], "c": {}, "d": "q\"/\\\n"}))'
    expect(pyJsonDumps({ a: 'café 👋', b: [1, 2.5, null, true], c: {}, d: 'q"/\\\n' })).to.equal(
      '{"a": "caf\\u00e9 \\ud83d\\udc4b", "b": [1, 2.5, null, true], "c": {}, "d": "q\\"/\\\\\\n"}',
    );
  });

  it('parses commands at the start or after whitespace only', () => {
    expect(parseCommand('/error 429')).to.deep.equal({ name: 'error', arg: '429' });
    expect(parseCommand('please /chatflow-fail now')!.name).to.equal('chatflow-fail');
    expect(parseCommand('/newagent')!.name).to.equal('newagent');
    expect(parseCommand('see https://example.com/agent')).to.equal(null);
    expect(parseCommand('hello')).to.equal(null);
  });

  it('wordChunks and awkwardSplit keep every byte', () => {
    const text = 'Hello  there,\nhow are you 👋 today?';
    expect(wordChunks(text).join('')).to.equal(text);
    const bytes = encodeUtf8('data: {"answer":"👋"}\n\n');
    const [head, tail] = awkwardSplit(bytes, 'utf8');
    expect(head.length + tail!.length).to.equal(bytes.length);
    expect(tail![0] & 0xc0).to.equal(0x80); // the cut is inside the emoji
    expect(new TextDecoder().decode(awkwardSplit(bytes, 'prefix')[0])).to.equal('da');
  });

  it('example streams are well-formed', () => {
    for (const example of Object.values(EXAMPLES)) {
      const events = blocks(example.body)
        .filter((b) => b !== 'event: ping')
        .map((b) => JSON.parse(example.framing === 'sse' ? b.slice(6) : b) as Ev);
      expect(answerOf(events)).to.equal(example.answer);
      expect(events[0].conversation_id).to.equal(example.conversationId);
    }
  });
});
