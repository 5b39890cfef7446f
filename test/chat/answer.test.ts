// AnswerReader (src/chat/answer.ts): stream items in, answer state out. SPEC §5, protocol reference §2 and §11.
import { expect } from '@open-wc/testing';
import { AnswerReader, readServerError } from '../../src/chat/answer.js';
import { splitThinking } from '../../src/chat/think.js';
import { StreamDecoder, type StreamItem } from '../../src/stream/decoder.js';
import { awkwardChunks } from '../helpers/mock-fetch.js';
import {
  DIFY_A_CHATBOT_OLD,
  DIFY_BLOCKING_BODY,
  DIFY_B_AGENT,
  DIFY_C_CHATFLOW,
  DIFY_D1_ERROR_MID_STREAM,
  DIFY_D2_WORKFLOW_FAILED,
  DIFY_E_MESSAGE_REPLACE,
  DIFY_F_PLUGIN_BLOCKS,
  OPENAI_BLOCKING_BODY,
  OPENAI_CHUNKS,
} from '../fixtures/streams.js';

const ENV = { conversation_id: 'conv-1', message_id: 'msg-1', task_id: 'task-1', created_at: 1 };
const ev = (event: string, fields: Record<string, unknown> = {}): StreamItem => ({ type: 'json', value: { event, ...ENV, ...fields } });
const feed = (reader: AnswerReader, ...items: StreamItem[]) => {
  for (const item of items) reader.apply(item);
  return reader;
};
const read = (...items: StreamItem[]) => feed(new AnswerReader('http://example.test/api/chat'), ...items);

/** The whole pipeline: bytes cut every `size` bytes → StreamDecoder → AnswerReader. */
function readBytes(body: string, size: number, base = 'http://example.test/api/chat'): AnswerReader {
  const decoder = new StreamDecoder();
  const reader = new AnswerReader(base);
  for (const piece of awkwardChunks(body, size)) for (const item of decoder.push(piece)) reader.apply(item);
  for (const item of decoder.end()) reader.apply(item);
  return reader;
}

describe('AnswerReader', () => {
  describe('Dify text events', () => {
    it('`message` deltas append', () => {
      const r = read(ev('message', { answer: 'Hel' }), ev('message', { answer: 'lo' }), ev('message', { answer: ' world' }));
      expect(r.text).to.equal('Hello world');
      expect(r.ended).to.equal(false);
      expect(r.sawDifyEvent).to.equal(true);
    });

    it('`agent_message` deltas append', () => {
      expect(read(ev('agent_message', { answer: 'a' }), ev('agent_message', { answer: 'b' })).text).to.equal('ab');
    });

    it('New Agent: the closing `message` with the full answer replaces the agent_message deltas', () => {
      const r = read(
        ev('agent_message', { answer: 'Paris is ' }),
        ev('agent_thought', { id: 't1', position: 1, thought: 'x' }),
        ev('agent_message', { answer: 'the capital.' }),
        ev('message', { answer: 'Paris is the capital.' }),
        ev('message_end', { metadata: {} }),
      );
      expect(r.text).to.equal('Paris is the capital.');
      expect(r.ended).to.equal(true);
    });

    it('`message_replace` replaces the whole answer, every time it comes', () => {
      const r = read(ev('message', { answer: 'Sure, here is how to' }), ev('message_replace', { answer: 'First replacement.' }));
      expect(r.text).to.equal('First replacement.');
      feed(r, ev('message_replace', { answer: 'Sorry, I cannot help.', reason: 'output_moderation' }));
      expect(r.text).to.equal('Sorry, I cannot help.');
    });

    it('`message_file` carrying a string `answer` is text (Dify quirk)', () => {
      const r = read(ev('message', { answer: 'Here ' }), ev('message_file', { id: 'f', answer: 'is the chart.' }));
      expect(r.text).to.equal('Here is the chart.');
      expect(r.files).to.deep.equal([]);
    });

    it('another event with a string `answer` appends too; `text_chunk` data.text appends', () => {
      const r = read(ev('message', { answer: 'a' }), ev('some_future_text_event', { answer: 'b' }), ev('text_chunk', { data: { text: 'c' } }));
      expect(r.text).to.equal('abc');
    });

    it('`ping`, `tts_message`, `tts_message_end`, node events and unknown events are ignored', () => {
      const r = read(
        ev('ping'),
        ev('message', { answer: 'Hello' }),
        ev('tts_message', { audio: 'SUQzBAAAAAAA' }),
        ev('node_finished', { data: { title: 'LLM', outputs: { text: 'Hello' } } }),
        ev('brand_new_event', { data: { text: 'nope' }, payload: 'nope' }),
        ev('agent_log', { data: { label: 'nope' } }),
        ev('tts_message_end', { audio: '' }),
      );
      expect(r.text).to.equal('Hello');
      expect(r.error).to.equal(undefined);
      expect(r.ended).to.equal(false);
    });

    it('uses the SSE `event:` name when the JSON has no `event` field', () => {
      const r = read({ type: 'json', value: { answer: 'from sse' }, event: 'message' });
      expect(r.text).to.equal('from sse');
    });

    it('`invalid` blocks are skipped without ending the answer', () => {
      const r = read(ev('message', { answer: 'a' }), { type: 'invalid', raw: '{"event":"mess' }, ev('message', { answer: 'b' }));
      expect(r.text).to.equal('ab');
      expect(r.error).to.equal(undefined);
    });
  });

  describe('ids', () => {
    it('keeps the first conversation_id and the latest task_id and message_id', () => {
      const r = read(
        ev('message', { answer: 'a', conversation_id: 'conv-first', task_id: 'task-a', message_id: 'm-a' }),
        ev('message', { answer: 'b', conversation_id: 'conv-other', task_id: 'task-b', message_id: 'm-b' }),
      );
      expect(r.conversationId).to.equal('conv-first');
      expect(r.taskId).to.equal('task-b');
      expect(r.messageId).to.equal('m-b');
    });

    it('an `error` event (no task_id) does not lose the task_id', () => {
      const r = read(ev('message', { answer: 'a', task_id: 'task-a' }), { type: 'json', value: { event: 'error', conversation_id: 'conv-1', code: 'x', status: 400, message: 'm' } });
      expect(r.taskId).to.equal('task-a');
    });
  });

  describe('agent thoughts', () => {
    it('are upserted by id, in order of first appearance', () => {
      const r = read(
        ev('agent_thought', { id: 't1', position: 1, thought: '', tool: '', tool_input: '', observation: '' }),
        ev('agent_thought', { id: 't1', position: 1, thought: '', tool: 'current_time', tool_input: '{"tz":"Paris"}', observation: '' }),
        ev('agent_thought', { id: 't2', position: 2, thought: '' }),
        ev('agent_thought', { id: 't1', position: 1, thought: '', tool: 'current_time', tool_input: '{"tz":"Paris"}', observation: '11:00' }),
        ev('agent_thought', { id: 't2', position: 2, thought: 'It is 11:00.' }),
      );
      expect(r.thoughts.map((t) => t.id)).to.deep.equal(['t1', 't2']);
      expect(r.thoughts[0]).to.include({ position: 1, tool: 'current_time', toolInput: '{"tz":"Paris"}', observation: '11:00' });
      expect(r.thoughts[1]).to.include({ position: 2, thought: 'It is 11:00.' });
      expect(r.text).to.equal('');
    });
  });

  describe('files', () => {
    it('an image with a relative URL is resolved against the endpoint', () => {
      const r = read(ev('message_file', { id: 'f1', type: 'image', belongs_to: 'assistant', url: '/files/tools/f1.png?timestamp=1&sign=abc' }));
      expect(r.files).to.deep.equal([{ id: 'f1', type: 'image', url: 'http://example.test/files/tools/f1.png?timestamp=1&sign=abc' }]);
    });

    it('an absolute https image URL is kept; the same file id is not added twice', () => {
      const file = { id: 'f1', type: 'image', url: 'https://cdn.example.com/a.png' };
      const r = read(ev('message_file', file), ev('message_file', file));
      expect(r.files).to.deep.equal([file]);
    });

    it('javascript:, data: and vbscript: URLs are dropped', () => {
      const r = read(
        ev('message_file', { id: 'a', type: 'image', url: 'javascript:alert(1)' }),
        ev('message_file', { id: 'b', type: 'image', url: 'data:image/svg+xml;base64,PHN2Zz4=' }),
        ev('message_file', { id: 'c', type: 'image', url: ' JaVaScRiPt:alert(1)' }),
        ev('message_file', { id: 'd', type: 'image', url: 'vbscript:msgbox(1)' }),
      );
      expect(r.files).to.deep.equal([]);
    });
  });

  describe('end of the answer', () => {
    it('`message_end` ends it and brings the citations', () => {
      const r = read(
        ev('message', { answer: 'Open 8-6.' }),
        ev('message_end', {
          metadata: {
            retriever_resources: [
              { position: 1, dataset_name: 'Store FAQ', document_name: 'hours.md', score: 0.91, content: 'Open daily 8am-6pm.' },
            ],
          },
        }),
      );
      expect(r.ended).to.equal(true);
      expect(r.citations).to.deep.equal([
        { position: 1, datasetName: 'Store FAQ', documentName: 'hours.md', content: 'Open daily 8am-6pm.', score: 0.91 },
      ]);
    });

    it('`message_end` without metadata ends it with no citations', () => {
      const r = read(ev('message', { answer: 'x' }), ev('message_end', {}));
      expect(r.ended).to.equal(true);
      expect(r.citations).to.deep.equal([]);
    });

    it('an `error` event is an error with code and status; the text so far is kept', () => {
      const r = read(ev('message', { answer: 'Let me check' }), {
        type: 'json',
        value: { event: 'error', conversation_id: 'c', message_id: 'm', code: 'completion_request_error', status: 400, message: 'Rate Limit Error' },
      });
      expect(r.error).to.deep.equal({ message: 'Rate Limit Error', code: 'completion_request_error', status: 400 });
      expect(r.text).to.equal('Let me check');
      expect(r.ended).to.equal(false);
    });

    it('`workflow_finished` failed is an error with the node error', () => {
      const r = read(ev('message', { answer: 'partial' }), ev('workflow_finished', { data: { status: 'failed', error: 'Node HTTP Request run failed: timeout' } }));
      expect(r.error?.message).to.equal('Node HTTP Request run failed: timeout');
      expect(r.text).to.equal('partial');
    });

    it('`workflow_finished` succeeded is not an error', () => {
      const r = read(ev('message', { answer: 'ok' }), ev('workflow_finished', { data: { status: 'succeeded' } }), ev('message_end', { metadata: {} }));
      expect(r.error).to.equal(undefined);
      expect(r.ended).to.equal(true);
      expect(r.text).to.equal('ok');
    });
  });

  describe('Chatflow progress', () => {
    it('workflow_started then node_started show progress until the first text', () => {
      const r = read(ev('workflow_started', { data: { id: 'run' } }));
      expect(r.progress).to.deep.equal({ kind: 'working' });
      feed(r, ev('node_started', { data: { node_type: 'llm', title: 'LLM' } }));
      expect(r.progress).to.deep.equal({ kind: 'node', title: 'LLM' });
      feed(r, ev('node_started', { data: { node_type: 'knowledge-retrieval', title: 'Knowledge Retrieval' } }));
      expect(r.progress).to.deep.equal({ kind: 'knowledge' });
      feed(r, ev('message', { answer: 'Refunds' }));
      expect(r.progress).to.equal(undefined);
      feed(r, ev('node_started', { data: { node_type: 'llm', title: 'Another' } }));
      expect(r.progress, 'no progress line once text is showing').to.equal(undefined);
    });
  });

  describe('OpenAI', () => {
    const chunk = (delta: Record<string, unknown>, finish: string | null = null): StreamItem => ({
      type: 'json',
      value: { id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] },
    });

    it('delta.content appends; [DONE] ends', () => {
      const r = read(chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' }));
      expect(r.text).to.equal('Hello');
      expect(r.ended).to.equal(false);
      expect(r.sawDifyEvent).to.equal(false);
      feed(r, { type: 'done' });
      expect(r.ended).to.equal(true);
    });

    it('finish_reason ends the answer', () => {
      expect(read(chunk({ content: 'x' }), chunk({}, 'stop')).ended).to.equal(true);
    });

    it('a blocking body (choices[0].message.content) is the whole answer', () => {
      const r = read({ type: 'json', value: JSON.parse(OPENAI_BLOCKING_BODY) });
      expect(r.text).to.equal('Hi there! 😊');
      expect(r.ended).to.equal(true);
    });

    it('an {error: {...}} body is an error', () => {
      const r = read({ type: 'json', value: { error: { message: 'Invalid API key', type: 'invalid_request_error', code: null } } });
      expect(r.error?.message).to.equal('Invalid API key');
      expect(r.text).to.equal('');
    });
  });

  describe('blocking and text bodies', () => {
    it('a minimal Dify blocking body {answer, conversation_id} is the whole, ended answer', () => {
      const r = read({ type: 'json', value: { answer: 'Blocking answer', conversation_id: 'conv-b', metadata: { retriever_resources: [{ document_name: 'a.md' }] } } });
      expect(r.text).to.equal('Blocking answer');
      expect(r.conversationId).to.equal('conv-b');
      expect(r.ended).to.equal(true);
      expect(r.citations.map((c) => c.documentName)).to.deep.equal(['a.md']);
    });

    it('a real Dify blocking body (it carries "event": "message", "mode" and "metadata") is the whole, ended answer', () => {
      const body = JSON.parse(DIFY_BLOCKING_BODY) as { answer: string; conversation_id: string };
      const r = read({ type: 'json', value: body });
      expect(r.text).to.equal(body.answer);
      expect(r.conversationId).to.equal(body.conversation_id);
      expect(r.ended, 'a whole blocking body is a complete answer (SPEC §5.4)').to.equal(true);
    });

    it('text items append as they come', () => {
      const r = read({ type: 'text', text: 'plain ' }, { type: 'text', text: 'text' });
      expect(r.text).to.equal('plain text');
      expect(r.sawDifyEvent).to.equal(false);
    });

    it('a Dify error envelope {code, message, status} as a body is an error', () => {
      const r = read({ type: 'json', value: { code: 'not_found', message: 'Conversation Not Exists.', status: 404 } });
      expect(r.error).to.deep.equal({ message: 'Conversation Not Exists.', code: 'not_found', status: 404 });
    });
  });

  describe('takeChanged', () => {
    it('is true once after a visible change and false when nothing visible changed', () => {
      const r = new AnswerReader();
      expect(r.takeChanged()).to.equal(false);
      r.apply(ev('message', { answer: 'a' }));
      expect(r.takeChanged()).to.equal(true);
      expect(r.takeChanged()).to.equal(false);
      r.apply(ev('ping'));
      r.apply(ev('message', { answer: '' }));
      expect(r.takeChanged()).to.equal(false);
      r.apply(ev('agent_thought', { id: 't' }));
      expect(r.takeChanged()).to.equal(true);
      r.apply(ev('message_end', { metadata: {} }));
      expect(r.takeChanged()).to.equal(true);
    });
  });

  describe('example streams through the decoder, split every 3, 5 and 7 bytes', () => {
    for (const size of [3, 5, 7]) {
      it(`A, B, C, E, F, OpenAI (size ${size})`, () => {
        const a = readBytes(DIFY_A_CHATBOT_OLD, size);
        expect(a.text).to.equal('Café hours are 8am-6pm.');
        expect(a.ended).to.equal(true);
        expect(a.conversationId).to.equal('45701982-8118-4bc5-8e9b-64562b4555f2');
        expect(a.taskId).to.equal('c3800678-a077-43df-a102-53f23ed20b88');
        expect(a.citations.map((c) => c.documentName)).to.deep.equal(['hours.md']);

        const b = readBytes(DIFY_B_AGENT, size);
        expect(b.text).to.equal('It is 11:00 in Paris — bonne journée !');
        expect(b.thoughts).to.have.length(2);
        expect(b.thoughts[0].tool).to.equal('current_time');
        expect(b.thoughts[0].observation).to.equal('{"current_time": "2025-07-01 11:00:00 CEST"}');
        expect(b.ended).to.equal(true);

        const c = readBytes(DIFY_C_CHATFLOW, size);
        expect(c.text).to.equal('Refunds are accepted within 30 days.');
        expect(c.ended).to.equal(true);
        expect(c.error).to.equal(undefined);
        expect(c.progress).to.equal(undefined);

        const e = readBytes(DIFY_E_MESSAGE_REPLACE, size);
        expect(e.text).to.equal("Sorry, I can't help with that.");

        const f = readBytes(DIFY_F_PLUGIN_BLOCKS, size);
        expect(f.text).to.equal("Hi! I'm Candy ✨");
        expect(f.ended).to.equal(true);

        const o = readBytes(OPENAI_CHUNKS, size);
        expect(o.text).to.equal('Hello wörld 👋');
        expect(o.ended).to.equal(true);
      });

      it(`D1 and D2 end in an error with the partial text kept (size ${size})`, () => {
        const d1 = readBytes(DIFY_D1_ERROR_MID_STREAM, size);
        expect(d1.text).to.equal('Let me check');
        expect(d1.error?.code).to.equal('completion_request_error');
        expect(d1.error?.message).to.equal('[openai] Rate Limit Error, Error code: 429');
        expect(d1.ended).to.equal(false);

        const d2 = readBytes(DIFY_D2_WORKFLOW_FAILED, size);
        expect(d2.error?.message).to.include('Node HTTP Request run failed: timeout');
        expect(d2.ended).to.equal(false);
      });
    }
  });
});

describe('readServerError', () => {
  it('reads Dify and OpenAI envelopes, and nothing else', () => {
    expect(readServerError({ code: 'unauthorized', message: 'Access token is invalid', status: 401 })).to.deep.equal({
      message: 'Access token is invalid',
      code: 'unauthorized',
      status: 401,
    });
    expect(readServerError({ error: { message: 'Invalid API key', type: 'invalid_request_error' } })).to.deep.equal({
      message: 'Invalid API key',
      code: 'invalid_request_error',
    });
    expect(readServerError({ answer: 'hi', message: 'not an error' })).to.equal(undefined);
    expect(readServerError('text')).to.equal(undefined);
    expect(readServerError(null)).to.equal(undefined);
    expect(readServerError([1])).to.equal(undefined);
  });
});

describe('AnswerReader.plain (the visible answer is the text as it is, known from its first characters)', () => {
  const deltas = (...parts: string[]) => read(...parts.map((answer) => ev('message', { answer })));

  it('is true once the answer starts with something other than <think>, and stays so', () => {
    expect(deltas('Hel').plain, 'too short to tell').to.equal(false);
    expect(deltas('Hel', 'lo world').plain).to.equal(true);
    expect(deltas('  \n  <thin').plain).to.equal(false);
    expect(deltas('  \n  <think>', 'reasoning</think> answer').plain).to.equal(false);
    expect(deltas('<thinking> is not a think tag').plain).to.equal(true);
    expect(deltas(' '.repeat(200), 'text').plain, 'only whitespace in the first characters').to.equal(false);
  });

  it('follows a replaced text (message_replace)', () => {
    const r = deltas('Some answer');
    expect(r.plain).to.equal(true);
    feed(r, ev('message_replace', { answer: '<think>x</think>y' }));
    expect(r.plain).to.equal(false);
    feed(r, ev('message_replace', { answer: 'plain again' }));
    expect(r.plain).to.equal(true);
  });

  it('agrees with splitThinking on every prefix of every chunking', () => {
    const texts = ['Answer with <think>inside</think> text', '\n <think>a</think>\n\nb', '<think>open', '  plain', '<th', 'x'];
    for (const text of texts) {
      for (let size = 1; size <= 4; size++) {
        const r = new AnswerReader();
        for (let i = 0; i < text.length; i += size) {
          feed(r, ev('message', { answer: text.slice(i, i + size) }));
          const split = splitThinking(r.text, true);
          if (r.plain) expect([split.answer, split.thinking], JSON.stringify(r.text)).to.deep.equal([r.text, undefined]);
        }
      }
    }
  });
});
