// The mock Dify Service API behind the dev server's proxy (demo/mock-dify.mjs, demo/mock/service-api.mjs):
// the contract the widget tests rely on, checked through /api/dify and /api/apps/<id> like a browser would.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoServer } from '../scripts/dev-server.mjs';
import { createApps } from '../demo/mock/apps.mjs';
import { startServiceApi } from '../demo/mock/service-api.mjs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let dev;
let base;
before(async () => {
  dev = await startDemoServer({ port: 0, host: '127.0.0.1', delay: 0 });
  base = `http://127.0.0.1:${dev.port}`;
});
after(() => dev.server.stop());

const user = () => `u-${Math.random().toString(36).slice(2)}`;
const get = async (p) => {
  const r = await fetch(base + p);
  return { status: r.status, type: r.headers.get('content-type'), json: await r.json().catch(() => null) };
};
const post = (p, body, headers = {}) =>
  fetch(base + p, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const events = (text) =>
  text
    .split('\n\n')
    .filter((b) => b.startsWith('data: '))
    .map((b) => JSON.parse(b.slice(6)));

async function chat(api, query, u, extra = {}) {
  const r = await post(`${api}/chat-messages`, { query, inputs: {}, user: u, response_mode: 'streaming', conversation_id: '', ...extra });
  const text = await r.text();
  return { status: r.status, text, events: r.ok ? events(text) : [], json: r.ok ? null : JSON.parse(text) };
}
async function newApp(config) {
  const r = await post('/api/_mock/apps', config);
  assert.equal(r.status, 201);
  return r.json();
}
async function requests(id) {
  return (await get(`/api/_mock/apps/${id}/requests`)).json;
}

describe('the default app at /api/dify', () => {
  it('/info, /parameters and /site: advanced-chat with every feature on', async () => {
    const info = await get('/api/dify/info');
    assert.equal(info.status, 200);
    assert.equal(info.json.mode, 'advanced-chat');
    const p = (await get('/api/dify/parameters')).json;
    assert.ok(p.opening_statement);
    assert.equal(p.suggested_questions.length, 3);
    assert.equal(p.suggested_questions_after_answer.enabled, true);
    assert.equal(p.speech_to_text.enabled, true);
    assert.deepEqual(Object.keys(p.text_to_speech).sort(), ['autoPlay', 'enabled', 'language', 'voice']);
    assert.equal(p.text_to_speech.enabled, true);
    assert.equal(p.retriever_resource.enabled, true);
    assert.equal(p.user_input_form.length, 1);
    assert.deepEqual(Object.keys(p.user_input_form[0]), ['text-input']);
    assert.equal(p.user_input_form[0]['text-input'].required, false);
    assert.deepEqual(p.file_upload.allowed_file_types, ['image', 'document']);
    assert.ok(p.file_upload.enabled && p.file_upload.image.enabled);
    for (const key of ['allowed_file_extensions', 'allowed_file_upload_methods', 'number_limits']) assert.ok(key in p.file_upload, key);
    for (const key of ['file_size_limit', 'image_file_size_limit', 'audio_file_size_limit']) assert.equal(typeof p.system_parameters[key], 'number');
    const site = (await get('/api/dify/site')).json;
    assert.match(site.chat_color_theme, /^#[0-9a-f]{6}$/i);
    assert.ok(site.custom_disclaimer && site.title);
    assert.equal(site.default_language, 'en-US');
    for (const key of ['icon_type', 'icon', 'icon_background', 'icon_url', 'description', 'copyright', 'privacy_policy']) assert.ok(key in site, key);
  });

  it('requires the app key like Dify (the proxy adds it; without it: 401 unauthorized)', async () => {
    const state = { apps: createApps(), held: new Map(), heldWaiters: new Map(), stops: [], running: new Map(), delay: 0 };
    const service = startServiceApi(state);
    const url = await service.ready;
    try {
      const none = await fetch(`${url}/parameters`);
      assert.equal(none.status, 401);
      assert.equal((await none.json()).code, 'unauthorized');
      const wrong = await fetch(`${url}/parameters`, { headers: { authorization: 'Bearer app-nope' } });
      assert.deepEqual(await wrong.json(), { code: 'unauthorized', message: 'Access token is invalid', status: 401 });
      const right = await fetch(`${url}/parameters`, { headers: { authorization: 'Bearer app-mock-default' } });
      assert.equal(right.status, 200);
    } finally {
      service.server.close();
    }
  });

  it('chat: an advanced-chat stream ending with a real message_end; history, follow-ups and feedback for it', async () => {
    const u = user();
    const first = await chat('/api/dify', 'What teas do you sell?', u);
    assert.equal(first.status, 200);
    const names = first.events.map((e) => e.event);
    assert.equal(names[0], 'workflow_started');
    assert.ok(names.includes('message') && names.includes('workflow_finished'));
    const end = first.events.at(-1);
    assert.equal(end.event, 'message_end');
    assert.match(end.message_id, UUID);
    const conversationId = end.conversation_id;
    const second = await chat('/api/dify', 'And green ones?', u, { conversation_id: conversationId });
    assert.equal(second.events.at(-1).conversation_id, conversationId);

    const history = (await get(`/api/dify/messages?conversation_id=${conversationId}&user=${u}`)).json;
    assert.equal(history.has_more, false);
    assert.deepEqual(history.data.map((m) => m.query), ['What teas do you sell?', 'And green ones?']);
    assert.equal(history.data[0].id, end.message_id);
    assert.ok(history.data[0].answer.includes('What teas do you sell?'));
    for (const key of ['conversation_id', 'parent_message_id', 'inputs', 'status', 'message_files', 'feedback', 'retriever_resources', 'agent_thoughts', 'created_at']) {
      assert.ok(key in history.data[0], key);
    }
    const page = (await get(`/api/dify/messages?conversation_id=${conversationId}&user=${u}&limit=1`)).json;
    assert.deepEqual([page.limit, page.has_more, page.data[0].query], [1, true, 'And green ones?']);
    const older = (await get(`/api/dify/messages?conversation_id=${conversationId}&user=${u}&limit=1&first_id=${page.data[0].id}`)).json;
    assert.deepEqual([older.has_more, older.data[0].query], [false, 'What teas do you sell?']);
    assert.equal((await get(`/api/dify/messages?conversation_id=${conversationId}&user=someone-else`)).status, 404);
    assert.equal((await get(`/api/dify/messages?conversation_id=9da23599-e713-473b-982c-4328d4f5c78a&user=${u}`)).json.code, 'not_found');

    const suggested = (await get(`/api/dify/messages/${end.message_id}/suggested?user=${u}`)).json;
    assert.equal(suggested.result, 'success');
    assert.equal(suggested.data.length, 3);
    assert.equal((await get(`/api/dify/messages/9da23599-e713-473b-982c-4328d4f5c78a/suggested?user=${u}`)).status, 404);

    const feedback = (rating, content) => post(`/api/dify/messages/${end.message_id}/feedbacks`, { rating, user: u, content });
    assert.equal((await feedback(null)).status, 400); // nothing to revoke yet
    assert.deepEqual(await (await feedback('dislike', 'too long')).json(), { result: 'success' });
    assert.deepEqual((await get(`/api/dify/messages?conversation_id=${conversationId}&user=${u}`)).json.data[0].feedback, { rating: 'dislike' });
    assert.equal((await feedback(null)).status, 200);
    assert.equal((await get(`/api/dify/messages?conversation_id=${conversationId}&user=${u}`)).json.data[0].feedback, null);
    assert.equal((await feedback('love')).status, 400);
  });

  it('the commands of /api/chat work here too: /error 429, /agent, /citations', async () => {
    const error = await chat('/api/dify', '/error 429', user());
    assert.equal(error.status, 429);
    assert.equal(error.json.code, 'too_many_requests');
    const agent = await chat('/api/dify', '/agent', user());
    assert.ok(agent.events.some((e) => e.event === 'agent_thought'));
    const cited = await chat('/api/dify', '/citations', user());
    assert.ok(cited.events.at(-1).metadata.retriever_resources.length > 0);
  });

  it('/slow is stopped through {api}/chat-messages/{task_id}/stop', async () => {
    const u = user();
    const r = await post('/api/dify/chat-messages', { query: '/slow', inputs: {}, user: u, response_mode: 'streaming' });
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!/"task_id":"[^"]+"/.test(text)) text += decoder.decode((await reader.read()).value, { stream: true });
    const task = /"task_id":"([^"]+)"/.exec(text)[1];
    assert.deepEqual(await (await post(`/api/dify/chat-messages/${task}/stop`, { user: u })).json(), { result: 'success' });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    assert.equal(events(text).at(-1).event, 'message_end');
  });

  it('/held <id>: the answer waits for the test, chunk by chunk, through the proxy', async () => {
    const u = user();
    const id = `h-${Math.random().toString(36).slice(2)}`;
    const r = await post('/api/dify/chat-messages', { query: `/held ${id}`, inputs: {}, user: u, response_mode: 'streaming' });
    assert.equal(r.status, 200);
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    const push = (body) => fetch(`${base}/api/_mock/held/${id}/push`, { method: 'POST', body });
    await push('Hel');
    const first = events(decoder.decode((await reader.read()).value, { stream: true }));
    assert.deepEqual(first.map((e) => [e.event, e.answer]), [['message', 'Hel']]);
    await push('lo');
    assert.equal(events(decoder.decode((await reader.read()).value, { stream: true }))[0].answer, 'lo');
    await push(JSON.stringify({ event: 'message_replace', answer: 'Hello!' }));
    const replaced = events(decoder.decode((await reader.read()).value, { stream: true }))[0];
    assert.equal(replaced.event, 'message_replace');
    assert.equal(replaced.conversation_id, first[0].conversation_id);
    await fetch(`${base}/api/_mock/held/${id}/end`, { method: 'POST' });
    let rest = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += decoder.decode(value, { stream: true });
    }
    const end = events(rest).at(-1);
    assert.equal(end.event, 'message_end');
    const history = (await get(`/api/dify/messages?conversation_id=${end.conversation_id}&user=${u}`)).json;
    assert.equal(history.data[0].answer, 'Hello!');
    assert.equal(history.data[0].id, end.message_id);
  });

  it('files/upload, a message with the file, audio-to-text and text-to-audio', async () => {
    const u = user();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0])], { type: 'image/png' }), 'cat.png');
    form.append('user', u);
    const upload = await fetch(`${base}/api/dify/files/upload`, { method: 'POST', body: form });
    assert.equal(upload.status, 201);
    const file = await upload.json();
    assert.match(file.id, UUID);
    assert.deepEqual([file.name, file.size, file.extension, file.mime_type], ['cat.png', 6, 'png', 'image/png']);
    for (const key of ['created_by', 'created_at', 'source_url']) assert.ok(key in file, key);
    assert.equal((await fetch(base + file.source_url)).status, 200);

    const withFile = await chat('/api/dify', 'What is in this picture?', u, {
      files: [{ type: 'image', transfer_method: 'local_file', upload_file_id: file.id }],
    });
    assert.equal(withFile.status, 200);
    const history = (await get(`/api/dify/messages?conversation_id=${withFile.events[0].conversation_id}&user=${u}`)).json;
    assert.equal(history.data[0].message_files[0].upload_file_id, file.id);
    const badFile = await chat('/api/dify', 'x', u, { files: [{ type: 'image', transfer_method: 'local_file', upload_file_id: 'nope' }] });
    assert.equal(badFile.status, 400);

    const exe = new FormData();
    exe.append('file', new Blob(['MZ']), 'setup.exe');
    assert.equal((await fetch(`${base}/api/dify/files/upload`, { method: 'POST', body: exe })).status, 415);
    const none = new FormData();
    none.append('user', u);
    const noFile = await fetch(`${base}/api/dify/files/upload`, { method: 'POST', body: none });
    assert.equal((await noFile.json()).code, 'no_file_uploaded');

    const audio = new FormData();
    audio.append('file', new Blob([new Uint8Array(64)], { type: 'audio/webm' }), 'voice.webm');
    audio.append('user', u);
    const stt = await fetch(`${base}/api/dify/audio-to-text`, { method: 'POST', body: audio });
    assert.equal(typeof (await stt.json()).text, 'string');
    const notAudio = new FormData();
    notAudio.append('file', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
    assert.equal((await fetch(`${base}/api/dify/audio-to-text`, { method: 'POST', body: notAudio })).status, 415);

    const tts = await post('/api/dify/text-to-audio', { message_id: withFile.events.at(-1).message_id, user: u });
    assert.equal(tts.status, 200);
    assert.equal(tts.headers.get('content-type'), 'audio/wav');
    const wav = Buffer.from(await tts.arrayBuffer());
    assert.equal(wav.subarray(0, 4).toString(), 'RIFF');
    assert.equal(wav.subarray(8, 12).toString(), 'WAVE');
  });

  it('logs every request it received, for the tests to assert shapes', async () => {
    const u = user();
    await chat('/api/dify', 'logged?', u, { inputs: { name: 'Ada' } });
    const log = await requests('default');
    const last = log.filter((r) => r.path === '/chat-messages').at(-1);
    assert.deepEqual(last.headers, { 'content-type': 'application/json', 'authorization-present': true });
    assert.equal(last.method, 'POST');
    assert.deepEqual(last.json, { query: 'logged?', inputs: { name: 'Ada' }, user: u, response_mode: 'streaming', conversation_id: '' });
    const upload = log.filter((r) => r.path === '/files/upload' && r.form.files.length).at(-1);
    assert.equal(upload.form.files[0].field, 'file');
    assert.deepEqual(Object.keys(upload.form.files[0]).sort(), ['field', 'name', 'size', 'type']);
    const history = log.filter((r) => r.path === '/messages').at(-1);
    assert.equal(typeof history.query.conversation_id, 'string');
  });
});

describe('apps made with POST /api/_mock/apps', () => {
  it('overrides, failures and a bad config', async () => {
    const app = await newApp({ mode: 'chat', parameters: { opening_statement: 'Hoi!', suggested_questions_after_answer: { enabled: false } }, site: { title: 'Tulip' }, fail: { site: 500 } });
    assert.equal(app.api, `/api/apps/${app.id}`);
    assert.equal((await get(`${app.api}/info`)).json.mode, 'chat');
    const p = (await get(`${app.api}/parameters`)).json;
    assert.equal(p.opening_statement, 'Hoi!');
    assert.equal(p.speech_to_text.enabled, true); // other keys keep the default
    const site = await get(`${app.api}/site`);
    assert.equal(site.status, 500);
    assert.equal(site.json.code, 'internal_server_error');
    const answer = await chat(app.api, 'hi', user());
    assert.deepEqual([...new Set(answer.events.map((e) => e.event))], ['message', 'message_end']);
    const follow = await get(`${app.api}/messages/${answer.events.at(-1).message_id}/suggested?user=x`);
    assert.equal(follow.status, 400);
    assert.equal((await post('/api/_mock/apps', { mode: 'soap' })).status, 400);
    assert.equal((await get('/api/apps/nope/info')).status, 404);
    assert.deepEqual((await requests(app.id)).map((r) => r.path), ['/info', '/parameters', '/site', '/chat-messages', '/messages/' + answer.events.at(-1).message_id + '/suggested']);
  });

  it('upload limits come from the app’s system_parameters (413), types from its extension list (415)', async () => {
    const app = await newApp({ mode: 'chat', parameters: { system_parameters: { file_size_limit: 0.001, image_file_size_limit: 0.001 } } });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(2048)], { type: 'text/plain' }), 'notes.txt');
    form.append('user', 'u');
    const big = await fetch(`${base}${app.api}/files/upload`, { method: 'POST', body: form });
    assert.equal(big.status, 413);
    assert.equal((await big.json()).code, 'file_too_large');
    const two = new FormData();
    two.append('file', new Blob(['a']), 'a.txt');
    two.append('file', new Blob(['b']), 'b.txt');
    const refused = await fetch(`${base}${app.api}/files/upload`, { method: 'POST', body: two });
    assert.equal((await refused.json()).code, 'too_many_files');
  });

  it('the user_input_form is enforced for new conversations', async () => {
    const app = await newApp({
      mode: 'chat',
      parameters: {
        user_input_form: [
          { select: { label: 'Size', variable: 'size', required: true, options: ['S', 'M'] } },
          { number: { label: 'Cups', variable: 'cups', required: false } },
          { paragraph: { label: 'Notes', variable: 'notes', required: false, max_length: 5 } },
        ],
      },
    });
    const u = user();
    assert.equal((await chat(app.api, 'hi', u)).json.message, 'size is required in input form');
    assert.equal((await chat(app.api, 'hi', u, { inputs: { size: 'XL' } })).status, 400);
    assert.equal((await chat(app.api, 'hi', u, { inputs: { size: 'S', notes: 'too long' } })).status, 400);
    assert.equal((await chat(app.api, 'hi', u, { inputs: { size: 'S', cups: 'many' } })).status, 400);
    assert.equal((await chat(app.api, 'hi', u, { inputs: { size: 'M', cups: 2 } })).status, 200);
  });

  it('agent-chat: thoughts and agent_message; blocking is refused', async () => {
    const app = await newApp({ mode: 'agent-chat' });
    const answer = await chat(app.api, 'hi', user());
    assert.ok(answer.events.some((e) => e.event === 'agent_thought'));
    assert.ok(answer.events.some((e) => e.event === 'agent_message'));
    const blocking = await post(`${app.api}/chat-messages`, { query: 'hi', inputs: {}, user: 'u', response_mode: 'blocking' });
    assert.equal(blocking.status, 400);
  });

  it('workflow: workflows/run streams nodes, text_chunk and workflow_finished with outputs; chat is refused', async () => {
    const app = await newApp({ mode: 'workflow' });
    const p = (await get(`${app.api}/parameters`)).json;
    assert.equal(Object.values(p.user_input_form[0])[0].variable, 'question');
    const r = await post(`${app.api}/workflows/run`, { inputs: { question: 'Which tea?' }, user: 'u', response_mode: 'streaming' });
    const ev = events(await r.text());
    assert.equal(ev[0].event, 'workflow_started');
    for (const e of ev) assert.deepEqual(Object.keys(e).slice(0, 3), ['event', 'task_id', 'workflow_run_id']);
    const text = ev.filter((e) => e.event === 'text_chunk').map((e) => e.data.text).join('');
    assert.ok(text.includes('Which tea?'));
    const finished = ev.at(-1);
    assert.equal(finished.event, 'workflow_finished');
    assert.equal(finished.data.status, 'succeeded');
    assert.equal(finished.data.outputs.answer, text);
    const failed = events(await (await post(`${app.api}/workflows/run`, { inputs: { question: '/midstream' }, user: 'u', response_mode: 'streaming' })).text());
    assert.equal(failed.at(-1).data.status, 'failed');
    const blocking = await (await post(`${app.api}/workflows/run`, { inputs: { question: 'hi' }, user: 'u', response_mode: 'blocking' })).json();
    assert.equal(blocking.data.status, 'succeeded');
    assert.equal((await chat(app.api, 'hi', 'u')).json.code, 'not_chat_app');
    assert.equal((await post(`${app.api}/workflows/run`, { user: 'u' })).status, 400); // inputs required
  });

  it('completion: completion-messages without conversation_id, stoppable, blocking too', async () => {
    const app = await newApp({ mode: 'completion' });
    const r = await post(`${app.api}/completion-messages`, { inputs: { question: 'Write a haiku' }, user: 'u', response_mode: 'streaming' });
    const ev = events(await r.text());
    assert.ok(ev.length > 2);
    for (const e of ev) assert.ok(!('conversation_id' in e));
    assert.equal(ev.at(-1).event, 'message_end');
    assert.match(ev.at(-1).message_id, UUID);
    const blocking = await (await post(`${app.api}/completion-messages`, { inputs: { question: 'hi' }, user: 'u', response_mode: 'blocking' })).json();
    assert.equal(blocking.mode, 'completion');
    assert.ok(blocking.answer.includes('hi'));
    const stop = await post(`${app.api}/completion-messages/${ev[0].task_id}/stop`, { user: 'u' });
    assert.deepEqual(await stop.json(), { result: 'success' });
  });
});
