// Dify app types through the element (SPEC §5): every stream is fed in awkward byte splits.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { ControlledResponse, awkwardChunks, jsonResponse, mockFetch, streamedResponse } from '../helpers/mock-fetch.js';
import { chat, lastAnswer, part, parts, sse, type DifyChat } from '../helpers/element.js';
import { rendered, until, waitForText } from '../helpers/element.js';
import {
  DIFY_A_CHATBOT_OLD,
  DIFY_BLOCKING_BODY,
  DIFY_B_AGENT,
  DIFY_C_CHATFLOW,
  DIFY_D1_ERROR_MID_STREAM,
  DIFY_D2_WORKFLOW_FAILED,
  DIFY_E_MESSAGE_REPLACE,
  DIFY_F_PLUGIN_BLOCKS,
} from '../fixtures/streams.js';

const waitText = waitForText;

const ENV = { conversation_id: 'conv-1', message_id: 'msg-1', task_id: 'task-1', created_at: 1 };
/** One Dify SSE frame with the envelope. */
const ev = (event: string, fields: Record<string, unknown> = {}) => sse({ event, ...ENV, ...fields });
const END = ev('message_end', { id: 'msg-1', metadata: { retriever_resources: [] } });

/** The frames of an example stream, each with its blank line. */
const framesOf = (stream: string) => stream.split('\n\n').filter((s) => s.trim()).map((s) => `${s}\n\n`);

/** Push a string to a controlled body in pieces of `size` bytes. */
const pushAwkward = (body: ControlledResponse, text: string, size = 3) => {
  for (const piece of awkwardChunks(text, size)) body.push(piece);
};

/**
 * A response whose body is `text` cut every `size` bytes, each piece a separate read (queued at once: a
 * streamedResponse of thousands of pieces would take seconds of clamped timers).
 */
const awkwardResponse = (text: string, size: number, headers?: Record<string, string>) => {
  const body = new ControlledResponse(headers ? { headers } : {});
  for (const piece of awkwardChunks(text, size)) body.push(piece);
  body.close();
  return body.response;
};

/** The last bot message element. */
const lastBot = (el: DifyChat) => parts(el, 'message--bot').at(-1)!;
/** Elements with this part inside `root`. */
const within = <T extends Element = HTMLElement>(root: Element, name: string) => [...root.querySelectorAll<T>(`[part~="${name}"]`)];

describe('<dify-chat> Dify app types (SPEC §5)', () => {
  let fetchMock: ReturnType<typeof mockFetch> | undefined;
  afterEach(() => {
    fetchMock?.restore();
    fetchMock = undefined;
  });

  describe('Chatbot', () => {
    for (const size of [3, 7]) {
      it(`stream A (old json.dumps server, ping, \\u00e9), split every ${size} bytes: text and citations`, async () => {
        // size 7: one piece per task (rendering runs in between); size 3: all pieces queued at once
        fetchMock = mockFetch(() => (size === 7 ? streamedResponse(awkwardChunks(DIFY_A_CHATBOT_OLD, size)) : awkwardResponse(DIFY_A_CHATBOT_OLD, size)));
        const el = await chat();
        const answer = await el.send('When are you open?');
        await el.updateComplete;
        expect(answer?.status).to.equal('done');
        expect(answer?.text).to.equal('Café hours are 8am-6pm.');
        expect(lastAnswer(el)).to.equal('Café hours are 8am-6pm.');
        const citations = lastBot(el).querySelector('[part~="citations"]');
        expect(citations, 'citations part').to.exist;
        expect(citations!.textContent).to.include('hours.md');
        expect(part(el, 'error')).to.not.exist;
        expect(el.conversationId).to.equal('45701982-8118-4bc5-8e9b-64562b4555f2');
      });
    }
  });

  describe('Agent', () => {
    it('stream B: agent_thought upserted by id into exactly 2 collapsed steps; the answer is right', async () => {
      fetchMock = mockFetch(() => awkwardResponse(DIFY_B_AGENT, 5));
      const el = await chat();
      const answer = await el.send('What time is it in Paris?');
      await el.updateComplete;
      expect(answer?.status).to.equal('done');
      expect(lastAnswer(el)).to.equal('It is 11:00 in Paris — bonne journée !');
      const thoughts = within(lastBot(el), 'thought');
      expect(thoughts).to.have.length(2);
      for (const thought of thoughts) {
        expect(thought.tagName).to.equal('DETAILS');
        expect((thought as HTMLDetailsElement).open, 'collapsed').to.equal(false);
        expect(thought.querySelector('summary'), 'a summary to open it').to.exist;
      }
      const first = thoughts[0];
      expect(first.querySelector('summary')!.textContent).to.include('current_time');
      expect(first.textContent).to.include('Europe/Paris'); // tool input
      expect(first.textContent).to.include('2025-07-01 11:00:00 CEST'); // observation
      expect(thoughts[1].textContent).to.not.include('current_time');
      expect(el.messages.at(-1)!.thoughts).to.have.length(2);
    });

    it('shows a step while it streams, and re-sending the same thought id updates it in place', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const done = el.send('time?');
      const frames = framesOf(DIFY_B_AGENT);
      pushAwkward(body, frames.slice(0, 2).join(''), 7);
      await until(el, () => parts(el, 'thought').length === 1 && parts(el, 'thought')[0].textContent!.includes('current_time'), 'first step');
      pushAwkward(body, frames[2], 7);
      await until(el, () => parts(el, 'thought')[0].textContent!.includes('CEST'), 'observation');
      expect(parts(el, 'thought')).to.have.length(1);
      pushAwkward(body, frames.slice(3).join(''), 7);
      body.close();
      expect((await done)?.text).to.equal('It is 11:00 in Paris — bonne journée !');
      await el.updateComplete;
      expect(parts(el, 'thought')).to.have.length(2);
    });
  });

  describe('New Agent', () => {
    it('agent_message deltas then one `message` with the full answer: not duplicated', async () => {
      const stream =
        ev('agent_thought', { id: 't1', position: 1, thought: '', tool: 'search', tool_input: '{"q":"x"}', observation: '' }) +
        ev('agent_message', { id: 'msg-1', answer: 'The capital of France ' }) +
        ev('agent_message', { id: 'msg-1', answer: 'is Paris.' }) +
        ev('agent_thought', { id: 't1', position: 1, thought: '', tool: 'search', tool_input: '{"q":"x"}', observation: 'Paris' }) +
        ev('message', { id: 'msg-1', answer: 'The capital of France is Paris.' }) +
        ev('message_end', { id: 'msg-1', metadata: {} });
      fetchMock = mockFetch(() => awkwardResponse(stream, 5));
      const el = await chat();
      const answer = await el.send('Capital of France?');
      await el.updateComplete;
      expect(answer?.text).to.equal('The capital of France is Paris.');
      expect(lastAnswer(el)).to.equal('The capital of France is Paris.');
      expect(parts(el, 'thought')).to.have.length(1);
    });
  });

  describe('Chatflow', () => {
    it('keeps reading after workflow_finished: the citations of the message_end that follows are shown', async () => {
      const stream =
        ev('workflow_started', { workflow_run_id: 'run-1', data: { id: 'run-1' } }) +
        ev('message', { id: 'msg-1', answer: 'Refunds within 30 days.' }) +
        ev('workflow_finished', { workflow_run_id: 'run-1', data: { id: 'run-1', status: 'succeeded' } }) +
        ev('message_end', {
          id: 'msg-1',
          metadata: { retriever_resources: [{ position: 1, dataset_name: 'Policies', document_name: 'refunds.md', content: 'Refunds: 30 days.' }] },
        });
      fetchMock = mockFetch(() => awkwardResponse(stream, 5));
      const el = await chat();
      const answer = await el.send('refunds?');
      await el.updateComplete;
      expect(answer?.status).to.equal('done');
      expect(answer?.citations?.[0].documentName).to.equal('refunds.md');
      expect(part(el, 'citations')!.textContent).to.include('refunds.md');
    });

    it('stream C: the progress line of the running node shows before any text, then the answer', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const done = el.send('Summarize our refund policy');
      const frames = framesOf(DIFY_C_CHATFLOW);
      pushAwkward(body, frames[0] + frames[1], 3); // workflow_started, node_started "LLM"
      await until(el, () => part(el, 'typing')?.textContent?.includes('LLM'), 'progress line "LLM…" in the typing indicator');
      expect(lastAnswer(el)).to.equal('');
      pushAwkward(body, frames[2], 5); // first text
      await waitText(el, 'Refunds are accepted');
      expect(part(el, 'typing')).to.not.exist;
      pushAwkward(body, frames.slice(3).join(''), 7);
      body.close();
      const answer = await done;
      await el.updateComplete;
      expect(answer?.status).to.equal('done');
      expect(lastAnswer(el)).to.equal('Refunds are accepted within 30 days.');
      expect(part(el, 'error')).to.not.exist;
      expect(el.conversationId).to.equal('c0ffee00-1111-4222-8333-444455556666');
    });

    it('a knowledge-retrieval node shows "Searching the knowledge base…"', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const done = el.send('What is the refund policy?');
      pushAwkward(
        body,
        ev('workflow_started', { workflow_run_id: 'run-1', data: { id: 'run-1', workflow_id: 'wf' } }) +
          ev('node_started', { workflow_run_id: 'run-1', data: { id: 'n1', node_id: '1', node_type: 'knowledge-retrieval', title: 'Knowledge Retrieval', index: 2 } }),
        3,
      );
      await until(el, () => part(el, 'typing')?.textContent?.includes('Searching the knowledge base…'), 'knowledge progress line');
      expect(lastAnswer(el)).to.equal('');
      pushAwkward(body, ev('message', { id: 'msg-1', answer: '30 days.' }) + END, 5);
      body.close();
      expect((await done)?.text).to.equal('30 days.');
      await el.updateComplete;
      expect(part(el, 'typing')).to.not.exist;
    });

    it('workflow_finished failed (stream D2): error state, partial answer kept, the message shown', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const error = oneEvent(el, 'dify-chat-error');
      const done = el.send('Summarize our refund policy');
      const frames = framesOf(DIFY_C_CHATFLOW);
      pushAwkward(body, frames.slice(0, 4).join(''), 5); // started, node, two messages
      await waitText(el, 'Refunds are accepted within 30 days.');
      pushAwkward(body, DIFY_D2_WORKFLOW_FAILED, 3);
      body.close();
      const answer = await done;
      await error;
      await el.updateComplete;
      expect(answer?.status).to.equal('error');
      expect(answer?.text).to.equal('Refunds are accepted within 30 days.');
      expect(lastAnswer(el)).to.equal('Refunds are accepted within 30 days.');
      expect(part(el, 'error')!.textContent).to.include('Node HTTP Request run failed: timeout');
      expect(part(el, 'send-button')).to.exist;
    });
  });

  describe('message_replace', () => {
    it('stream E replaces the whole answer', async () => {
      fetchMock = mockFetch(() => awkwardResponse(DIFY_E_MESSAGE_REPLACE, 3));
      const el = await chat();
      const answer = await el.send('How do I pick a lock?');
      await el.updateComplete;
      expect(answer?.text).to.equal("Sorry, I can't help with that.");
      expect(lastAnswer(el)).to.equal("Sorry, I can't help with that.");
    });

    it('replaces again when it comes twice, also after it was on screen', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const done = el.send('x');
      pushAwkward(body, ev('message', { id: 'msg-1', answer: 'Sure, here is how to' }), 5);
      await waitText(el, 'Sure, here is how to');
      pushAwkward(body, ev('message_replace', { answer: 'First replacement.', reason: '' }), 3);
      await until(el, () => lastAnswer(el) === 'First replacement.', 'first replacement shown');
      pushAwkward(body, ev('message_replace', { answer: 'Sorry, I cannot help.', reason: 'output_moderation' }) + END, 7);
      body.close();
      expect((await done)?.text).to.equal('Sorry, I cannot help.');
      await el.updateComplete;
      expect(lastAnswer(el)).to.equal('Sorry, I cannot help.');
    });
  });

  describe('message_file', () => {
    it('with a string `answer` appends as text', async () => {
      const stream =
        ev('message', { id: 'msg-1', answer: 'Here ' }) +
        ev('message_file', { id: 'file-1', answer: 'is the ' }) +
        ev('message_file', { id: 'file-1', answer: 'chart.' }) +
        END;
      fetchMock = mockFetch(() => awkwardResponse(stream, 5));
      const el = await chat();
      expect((await el.send('chart?'))?.text).to.equal('Here is the chart.');
      await el.updateComplete;
      expect(lastAnswer(el)).to.equal('Here is the chart.');
      expect(parts(el, 'image')).to.have.length(0);
    });

    it('an image with a relative url is shown, resolved against the endpoint', async () => {
      const stream =
        ev('message_file', { id: 'file-1', type: 'image', belongs_to: 'assistant', url: '/files/x.png' }) +
        ev('message', { id: 'msg-1', answer: 'Here is your picture.' }) +
        END;
      fetchMock = mockFetch(() => awkwardResponse(stream, 7));
      const el = await chat({ endpoint: '/mock/chat' });
      await el.send('draw');
      await el.updateComplete;
      const images = within<HTMLImageElement>(lastBot(el), 'image');
      expect(images).to.have.length(1);
      expect(images[0].tagName).to.equal('IMG');
      expect(images[0].getAttribute('src')).to.equal(`${location.origin}/files/x.png`);
      expect(lastAnswer(el)).to.equal('Here is your picture.');
    });

    it('javascript: and data: image urls are not shown', async () => {
      const stream =
        ev('message_file', { id: 'file-1', type: 'image', belongs_to: 'assistant', url: 'javascript:alert(1)' }) +
        ev('message_file', { id: 'file-2', type: 'image', belongs_to: 'assistant', url: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=' }) +
        ev('message_file', { id: 'file-3', type: 'image', belongs_to: 'assistant', url: '  JavaScript:alert(2)' }) +
        ev('message', { id: 'msg-1', answer: 'No pictures.' }) +
        END;
      fetchMock = mockFetch(() => awkwardResponse(stream, 3));
      const el = await chat();
      await el.send('draw');
      await el.updateComplete;
      expect(parts(el, 'image')).to.have.length(0);
      const srcs = [...el.shadowRoot!.querySelectorAll('[src]')].map((n) => n.getAttribute('src')!.toLowerCase());
      expect(srcs.filter((s) => s.includes('javascript') || s.startsWith('data:'))).to.deep.equal([]);
      expect(lastAnswer(el)).to.equal('No pictures.');
    });
  });

  describe('<think> reasoning', () => {
    it('is a collapsed thinking block while open, never in the content, and kept in messages[].thinking', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const done = el.send('What is six times seven?');
      pushAwkward(body, ev('message', { id: 'msg-1', answer: '<thi' }) + ev('message', { id: 'msg-1', answer: 'nk>Six times seven, ' }), 3);
      pushAwkward(body, ev('message', { id: 'msg-1', answer: 'let me compute' }), 5);
      await until(el, () => part(el, 'thinking'), 'thinking block while the reasoning streams');
      await until(el, () => el.messages.at(-1)!.thinking?.includes('let me compute'), 'all the reasoning so far');
      const thinking = part<HTMLDetailsElement>(el, 'thinking')!;
      expect(thinking.tagName).to.equal('DETAILS');
      expect(thinking.open, 'collapsed').to.equal(false);
      for (const content of within(lastBot(el), 'content')) {
        expect(content.textContent).to.not.include('Six times seven');
        expect(content.textContent).to.not.include('think>');
      }
      expect(el.messages.at(-1)!.text).to.equal('');

      pushAwkward(body, ev('message', { id: 'msg-1', answer: '</think>The answer is **42**.' }) + END, 7);
      body.close();
      const answer = await done;
      await el.updateComplete;
      expect(answer?.status).to.equal('done');
      expect(lastAnswer(el)).to.equal('The answer is 42.');
      expect(lastAnswer(el)).to.not.include('compute');
      const message = el.messages.at(-1)!;
      expect(message.text).to.equal('The answer is **42**.');
      expect(message.thinking).to.equal('Six times seven, let me compute');
      const after = part<HTMLDetailsElement>(el, 'thinking')!;
      expect(after.open).to.equal(false);
      expect(after.textContent).to.include('Six times seven, let me compute');
    });
  });

  describe('ignored events and errors', () => {
    it('ping, tts_message and unknown events are ignored', async () => {
      const stream =
        'event: ping\n\n' +
        ev('message', { id: 'msg-1', answer: 'Hello' }) +
        'event: ping\n\n' +
        ev('tts_message', { audio: 'SUQzBAAAAAAAI1RTU0UAAAAPAAADTGF2ZjU4Ljc2LjEwMAAAAAAAAAAAAAAA' }) +
        ev('shiny_new_event', { data: { text: 'IGNORED' }, payload: 'IGNORED' }) +
        ev('node_finished', { data: { title: 'LLM', outputs: { text: 'IGNORED' } } }) +
        ev('message', { id: 'msg-1', answer: ' there' }) +
        ev('tts_message_end', { audio: '' }) +
        END;
      fetchMock = mockFetch(() => awkwardResponse(stream, 5));
      const el = await chat();
      const answer = await el.send('hi');
      await el.updateComplete;
      expect(answer?.status).to.equal('done');
      expect(lastAnswer(el)).to.equal('Hello there');
      expect(lastBot(el).textContent).to.not.include('IGNORED');
      expect(lastBot(el).textContent).to.not.include('SUQz');
      expect(part(el, 'error')).to.not.exist;
    });

    it('an `error` event mid-stream (stream D1): error state, partial text kept, dify-chat-error with the code', async () => {
      fetchMock = mockFetch(() => awkwardResponse(DIFY_D1_ERROR_MID_STREAM, 3));
      const el = await chat();
      const error = oneEvent(el, 'dify-chat-error');
      const answer = await el.send('check my order');
      const event = await error;
      await el.updateComplete;
      expect(event.detail.error.code).to.equal('completion_request_error');
      expect(answer?.status).to.equal('error');
      expect(answer?.text).to.equal('Let me check');
      expect(lastAnswer(el)).to.equal('Let me check');
      expect(part(el, 'error')!.textContent).to.include('[openai] Rate Limit Error, Error code: 429');
      expect(part(el, 'message--user')!.textContent).to.include('check my order');
    });
  });

  describe('other framings', () => {
    it('plugin bare-JSON blocks (stream F)', async () => {
      fetchMock = mockFetch(() => awkwardResponse(DIFY_F_PLUGIN_BLOCKS, 3, { 'content-type': 'text/plain' }));
      const el = await chat();
      const answer = await el.send('hi Candy');
      await el.updateComplete;
      expect(answer?.status).to.equal('done');
      expect(lastAnswer(el)).to.equal("Hi! I'm Candy ✨");
      expect(el.conversationId).to.equal('45701982-8118-4bc5-8e9b-64562b4555f2');
      expect(part(el, 'error')).to.not.exist;
    });

    it('a blocking JSON body {answer, conversation_id}', async () => {
      fetchMock = mockFetch(() => jsonResponse({ answer: 'Blocking **answer**', conversation_id: 'conv-block' }));
      const el = await chat();
      const answer = await el.send('hi');
      await el.updateComplete;
      expect(answer?.status).to.equal('done');
      expect(lastAnswer(el)).to.equal('Blocking answer');
      expect(el.conversationId).to.equal('conv-block');
      expect(part(el, 'error')).to.not.exist;
    });

    it('a real Dify blocking body (with "event": "message", "mode", "metadata"), split every 7 bytes', async () => {
      fetchMock = mockFetch(() => awkwardResponse(DIFY_BLOCKING_BODY, 7, { 'content-type': 'application/json' }));
      const el = await chat();
      const answer = await el.send('hours?');
      await el.updateComplete;
      expect(answer?.text).to.equal(JSON.parse(DIFY_BLOCKING_BODY).answer);
      expect(answer?.status).to.equal('done');
      expect(part(el, 'error')).to.not.exist;
      expect(el.conversationId).to.equal('45701982-8118-4bc5-8e9b-64562b4555f2');
    });

    it('a text/plain body is the answer', async () => {
      const text = 'Plain text, ça marche — 👋';
      fetchMock = mockFetch(() => awkwardResponse(text, 3, { 'content-type': 'text/plain; charset=utf-8' }));
      const el = await chat();
      const answer = await el.send('hi');
      await el.updateComplete;
      expect(answer?.status).to.equal('done');
      expect(answer?.text).to.equal(text);
      expect(lastAnswer(el)).to.equal(text);
    });
  });

  describe('task_id and stop-endpoint', () => {
    it('pressing stop mid-stream POSTs {user} to the stop endpoint with the task id', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch((call) => (call.url.startsWith('/mock/stop/') ? jsonResponse({ result: 'success' }) : body.response));
      const el = await chat({ extra: { 'stop-endpoint': '/mock/stop/{task_id}' } });
      const done = el.send('long story please');
      pushAwkward(body, sse({ event: 'message', conversation_id: 'conv-s', message_id: 'm', task_id: 'task-7f3a', id: 'm', answer: 'Once upon' }), 3);
      await waitText(el, 'Once upon');
      part<HTMLButtonElement>(el, 'stop-button')!.click();
      const answer = await done;
      await waitUntil(() => fetchMock!.calls.length === 2, 'stop request');
      const [chatCall, stopCall] = fetchMock.calls;
      expect(stopCall.url).to.equal('/mock/stop/task-7f3a');
      expect(stopCall.init.method).to.equal('POST');
      expect(stopCall.body).to.deep.equal({ user: chatCall.body.user });
      expect(answer?.status).to.equal('stopped');
      expect(answer?.text).to.equal('Once upon');
      await rendered(el);
    });
  });
});
