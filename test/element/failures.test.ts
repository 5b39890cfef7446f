// Failure handling through the element (SPEC §7, §8). Streams are fed in awkward byte splits.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ControlledResponse, awkwardChunks, jsonResponse, mockFetch, streamedResponse } from '../helpers/mock-fetch.js';
import { chat, difyStream, lastAnswer, part, parts, sse, uniqueKey, type DifyChat } from '../helpers/element.js';
import { rendered, until, waitForText } from '../helpers/element.js';
import { DIFY_D1_ERROR_MID_STREAM, DIFY_D3_NOT_FOUND_BODY } from '../fixtures/streams.js';
import { MAX_STORED_MESSAGES } from '../../src/store.js';

const waitText = waitForText;

/** A complete response cut every `size` bytes, each piece its own read. */
const awkwardResponse = (text: string, size = 5) => {
  const body = new ControlledResponse();
  for (const piece of awkwardChunks(text, size)) body.push(piece);
  body.close();
  return body.response;
};

const pushAwkward = (body: ControlledResponse, text: string, size = 3) => {
  for (const piece of awkwardChunks(text, size)) body.push(piece);
};

/** One Dify `message` frame. */
const message = (answer: string, conversationId = 'conv-1', taskId = 'task-1') =>
  sse({ event: 'message', conversation_id: conversationId, message_id: 'msg-1', task_id: taskId, created_at: 1, id: 'msg-1', answer });

const errorBody = (status: number, code: string, text: string) => jsonResponse({ code, message: text, status }, status);

/** Role and text of every message in the transcript. */
const transcript = (el: DifyChat) => el.messages.map((m) => [m.role, m.text]);

const composerUsable = (el: DifyChat) => {
  expect(part(el, 'send-button'), 'send button').to.exist;
  expect(part(el, 'stop-button'), 'no stop button').to.not.exist;
  const input = part<HTMLTextAreaElement>(el, 'input')!;
  expect(input.disabled).to.equal(false);
  expect(input.readOnly).to.equal(false);
};

describe('<dify-chat> failures (SPEC §8)', () => {
  let fetchMock: ReturnType<typeof mockFetch> | undefined;
  afterEach(() => {
    fetchMock?.restore();
    fetchMock = undefined;
  });

  describe('HTTP errors', () => {
    const retryable: [string, () => Response, string][] = [
      ['429 too_many_requests', () => errorBody(429, 'too_many_requests', 'Too many requests. Please try again later.'), 'Too many requests. Please try again later.'],
      ['500 internal_server_error', () => errorBody(500, 'internal_server_error', 'Internal Server Error, please contact support.'), 'Internal Server Error, please contact support.'],
    ];
    for (const [name, failure, shown] of retryable) {
      it(`${name}: message shown, retry resends the same text once and the answer appears in place`, async () => {
        fetchMock = mockFetch((_call, i) => (i === 0 ? failure() : awkwardResponse(difyStream(['Second ', 'time lucky']), 5)));
        const el = await chat();
        const error = oneEvent(el, 'dify-chat-error');
        const first = await el.send('Where is my order?');
        await el.updateComplete;
        expect(first?.status).to.equal('error');
        expect((await error).detail.error.retryable).to.equal(true);
        expect(part(el, 'error')!.textContent).to.include(shown);
        expect(part(el, 'message--user')!.textContent).to.include('Where is my order?');
        const retry = part<HTMLButtonElement>(el, 'retry-button');
        expect(retry, 'retry button').to.exist;
        composerUsable(el);

        retry!.click();
        await waitText(el, 'Second time lucky');
        await waitUntil(() => el.messages.at(-1)!.status === 'done', 'answer done');
        await el.updateComplete;
        expect(fetchMock.calls).to.have.length(2);
        expect(fetchMock.calls[1].body.query).to.equal('Where is my order?');
        expect(fetchMock.calls[1].body).to.deep.equal(fetchMock.calls[0].body);
        expect(parts(el, 'message--user')).to.have.length(1);
        expect(parts(el, 'message--bot')).to.have.length(1);
        expect(transcript(el)).to.deep.equal([
          ['user', 'Where is my order?'],
          ['bot', 'Second time lucky'],
        ]);
        expect(part(el, 'error')).to.not.exist;
        expect(part(el, 'retry-button')).to.not.exist;
      });
    }

    it('a 502 HTML error page is not shown raw: a plain message with the status, and retry', async () => {
      fetchMock = mockFetch(() => new Response('<html><body><h1>502 Bad Gateway</h1><script>x()</script></body></html>', { status: 502, headers: { 'content-type': 'text/html' } }));
      const el = await chat();
      await el.send('hi');
      await el.updateComplete;
      const error = part(el, 'error')!;
      expect(error.textContent).to.include('502');
      expect(error.textContent).to.not.include('<html>');
      expect(error.querySelector('h1, script')).to.equal(null);
      expect(part(el, 'retry-button')).to.exist;
    });

    it('401 unauthorized: says plainly that it is not authorized; no retry button', async () => {
      fetchMock = mockFetch(() => errorBody(401, 'unauthorized', 'Access token is invalid'));
      const el = await chat();
      const answer = await el.send('hello');
      await el.updateComplete;
      expect(answer?.status).to.equal('error');
      expect(part(el, 'error')!.textContent).to.match(/not authori[sz]ed/i);
      expect(part(el, 'retry-button')).to.not.exist;
      expect(part(el, 'message--user')!.textContent).to.include('hello');
      composerUsable(el);
    });

    it("400 invalid_param: shows the server's message; no retry button", async () => {
      fetchMock = mockFetch(() => errorBody(400, 'invalid_param', 'Arg user must be provided.'));
      const el = await chat();
      await el.send('hello');
      await el.updateComplete;
      expect(part(el, 'error')!.textContent).to.include('Arg user must be provided.');
      expect(part(el, 'retry-button')).to.not.exist;
      expect(fetchMock.calls).to.have.length(1);
      composerUsable(el);
    });
  });

  describe('lost conversation', () => {
    const lost: [string, () => Response][] = [
      ['404 not_found', () => new Response(DIFY_D3_NOT_FOUND_BODY, { status: 404, headers: { 'content-type': 'application/json' } })],
      ['400 conversation_completed', () => errorBody(400, 'conversation_completed', 'The conversation has ended. Please start a new conversation.')],
    ];
    for (const [name, failure] of lost) {
      it(`${name} with a stored conversation id: drops the id, resends once as new, says so, shows the answer`, async () => {
        fetchMock = mockFetch((_call, i) => (i === 0 ? failure() : awkwardResponse(difyStream(['A fresh ', 'start.'], 'conv-new'), 7)));
        const el = await chat();
        el.conversationId = 'conv-stale';
        const answer = await el.send('Are you still there?');
        await el.updateComplete;
        expect(fetchMock.calls).to.have.length(2);
        expect(fetchMock.calls[0].body.conversation_id).to.equal('conv-stale');
        expect(fetchMock.calls[1].body.conversation_id).to.equal('');
        expect(fetchMock.calls[1].body.query).to.equal('Are you still there?');
        expect(fetchMock.calls[1].body.user).to.equal(fetchMock.calls[0].body.user);
        expect(answer?.status).to.equal('done');
        expect(lastAnswer(el)).to.equal('A fresh start.');
        expect(el.conversationId).to.equal('conv-new');
        const notice = part(el, 'notice');
        expect(notice, 'notice line').to.exist;
        expect(notice!.textContent).to.match(/new (conversation|one)/i);
        expect(part(el, 'error')).to.not.exist;
        expect(parts(el, 'message--user')).to.have.length(1);
        expect(parts(el, 'message--bot')).to.have.length(1);
      });
    }

    it('a second 404 in a row is not retried again: the error is shown', async () => {
      fetchMock = mockFetch(() => new Response(DIFY_D3_NOT_FOUND_BODY, { status: 404, headers: { 'content-type': 'application/json' } }));
      const el = await chat();
      el.conversationId = 'conv-stale';
      const answer = await el.send('hello?');
      await el.updateComplete;
      await rendered(el);
      expect(fetchMock.calls).to.have.length(2);
      expect(fetchMock.calls[1].body.conversation_id).to.equal('');
      expect(answer?.status).to.equal('error');
      expect(part(el, 'error')!.textContent).to.include('Conversation Not Exists.');
      expect(el.conversationId).to.equal('');
      expect(parts(el, 'message--user')).to.have.length(1);
      composerUsable(el);
    });

    it('a 404 when no conversation id was sent: error shown, no resend', async () => {
      fetchMock = mockFetch(() => new Response(DIFY_D3_NOT_FOUND_BODY, { status: 404, headers: { 'content-type': 'application/json' } }));
      const el = await chat();
      expect(el.conversationId).to.equal('');
      const answer = await el.send('hello?');
      await el.updateComplete;
      await rendered(el);
      expect(fetchMock.calls).to.have.length(1);
      expect(answer?.status).to.equal('error');
      expect(part(el, 'error')!.textContent).to.include('Conversation Not Exists.');
      expect(part(el, 'notice')).to.not.exist;
    });
  });

  describe('bodies that end badly', () => {
    it('a 200 body with no text and no terminal event: error "empty", composer usable', async () => {
      fetchMock = mockFetch((_c, i) =>
        i === 0 ? awkwardResponse('event: ping\n\n: keep-alive\n\nevent: ping\n\n', 3) : awkwardResponse(difyStream(['Now it works']), 5));
      const el = await chat();
      const error = oneEvent(el, 'dify-chat-error');
      const answer = await el.send('hi');
      const event = await error;
      await el.updateComplete;
      expect(event.detail.error.code).to.equal('empty');
      expect(answer?.status).to.equal('error');
      expect(part(el, 'error')!.textContent).to.include('empty');
      composerUsable(el);
      const input = part<HTMLTextAreaElement>(el, 'input')!;
      input.value = 'second try';
      input.dispatchEvent(new Event('input'));
      await el.updateComplete;
      part<HTMLButtonElement>(el, 'send-button')!.click();
      await waitText(el, 'Now it works');
      expect(fetchMock.calls[1].body.query).to.equal('second try');
    });

    it('a Dify stream with text but no message_end, then EOF: error "incomplete", partial text kept', async () => {
      fetchMock = mockFetch(() => awkwardResponse(message('Half of ') + message('the answer'), 3));
      const el = await chat();
      const error = oneEvent(el, 'dify-chat-error');
      const answer = await el.send('tell me');
      const event = await error;
      await el.updateComplete;
      expect(event.detail.error.code).to.equal('incomplete');
      expect(answer?.status).to.equal('error');
      expect(answer?.text).to.equal('Half of the answer');
      expect(lastAnswer(el)).to.equal('Half of the answer');
      expect(part(el, 'error')).to.exist;
      expect(part(el, 'retry-button')).to.exist;
    });

    it('a dropped connection after a partial answer: error, partial text kept, retry available, input enabled', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch((_c, i) => (i === 0 ? body.response : awkwardResponse(difyStream(['The whole answer.']), 5)));
      const el = await chat();
      const error = oneEvent(el, 'dify-chat-error');
      const done = el.send('question');
      pushAwkward(body, message('The wh'), 3);
      await waitText(el, 'The wh');
      body.fail();
      const answer = await done;
      await error;
      await el.updateComplete;
      expect(answer?.status).to.equal('error');
      expect(lastAnswer(el)).to.equal('The wh');
      expect(el.messages.at(-1)!.text).to.equal('The wh');
      expect(part(el, 'error')).to.exist;
      composerUsable(el);
      part<HTMLButtonElement>(el, 'retry-button')!.click();
      await waitUntil(() => el.messages.at(-1)!.status === 'done', 'retried answer done');
      await el.updateComplete;
      expect(lastAnswer(el)).to.equal('The whole answer.');
      expect(fetchMock.calls[1].body.query).to.equal('question');
      expect(parts(el, 'message--bot')).to.have.length(1);
    });
  });

  describe('idle timeout', () => {
    it('timeout="150" and a server that never sends: error with code `timeout` within a second', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat({ extra: { timeout: '150' } });
      const error = oneEvent(el, 'dify-chat-error');
      void el.send('anyone there?');
      await until(el, () => part(el, 'error'), 'timeout error within a second', 1000);
      expect((await error).detail.error.code).to.equal('timeout');
      expect(el.messages.at(-1)!.status).to.equal('error');
      await waitUntil(() => body.cancelled, 'the request is aborted', { timeout: 1000 });
      await el.updateComplete;
      composerUsable(el);
      expect(part(el, 'retry-button')).to.exist;
    });

    it('a server that never answers the request at all also times out', async () => {
      fetchMock = mockFetch(() => new Promise<Response>(() => {}));
      const el = await chat({ extra: { timeout: '150' } });
      const error = oneEvent(el, 'dify-chat-error');
      void el.send('hello?');
      await until(el, () => part(el, 'error'), 'timeout error within a second', 1000);
      expect((await error).detail.error.code).to.equal('timeout');
    });

    it('some text, then silence: error `timeout`, partial text kept', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat({ extra: { timeout: '150' } });
      const error = oneEvent(el, 'dify-chat-error');
      void el.send('story');
      pushAwkward(body, message('Once upon a time'), 5);
      await waitText(el, 'Once upon a time');
      await until(el, () => part(el, 'error'), 'timeout error within a second', 1000);
      expect((await error).detail.error.code).to.equal('timeout');
      expect(el.messages.at(-1)!.text).to.equal('Once upon a time');
      expect(lastAnswer(el)).to.equal('Once upon a time');
      await waitUntil(() => body.cancelled, 'the request is aborted', { timeout: 1000 });
    });

    it('after message_end, a connection that stays open does not turn the complete answer into an error', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat({ extra: { timeout: '150' } });
      const done = el.send('hi');
      try {
        pushAwkward(body, difyStream(['Complete ', 'answer.']), 5); // ends with message_end; the body stays open
        await waitUntil(() => el.messages.at(-1)?.status === 'done', 'the turn is done at message_end (protocol reference §2.3)', { timeout: 1000 });
        expect((await done)?.text).to.equal('Complete answer.');
        await new Promise((r) => setTimeout(r, 300)); // past the idle timeout
        await el.updateComplete;
        expect(el.messages.at(-1)!.status).to.equal('done');
        expect(part(el, 'error')).to.not.exist;
      } finally {
        body.close();
      }
    });
  });

  describe('stop', () => {
    const ways: [string, (el: DifyChat) => Promise<void> | void][] = [
      ['the stop button', (el) => part<HTMLButtonElement>(el, 'stop-button')!.click()],
      ['el.stop()', (el) => el.stop()],
      [
        'Escape in the input',
        async (el) => {
          part<HTMLTextAreaElement>(el, 'input')!.focus();
          await sendKeys({ press: 'Escape' });
        },
      ],
    ];
    for (const [name, stop] of ways) {
      it(`${name}: aborts the fetch, keeps the partial answer as stopped, shows send again; late chunks never show`, async () => {
        const body = new ControlledResponse();
        fetchMock = mockFetch(() => body.response);
        const el = await chat();
        const done = el.send('tell me a long story');
        await el.updateComplete;
        expect(part(el, 'stop-button'), 'stop button while streaming').to.exist;
        expect(part(el, 'send-button'), 'no send button while streaming').to.not.exist;
        pushAwkward(body, message('Once upon ') + message('a time'), 3);
        await waitText(el, 'Once upon a time');
        await stop(el);
        const answer = await done;
        await waitUntil(() => body.cancelled, 'fetch aborted', { timeout: 1000 });
        expect(answer?.status).to.equal('stopped');
        expect(answer?.text).to.equal('Once upon a time');
        body.push(message(' LATE CHUNK'));
        await new Promise((r) => setTimeout(r, 20));
        await rendered(el);
        await el.updateComplete;
        expect(lastAnswer(el)).to.equal('Once upon a time');
        expect(el.messages.at(-1)).to.include({ status: 'stopped', text: 'Once upon a time' });
        expect(part(el, 'log')!.textContent).to.not.include('LATE');
        expect(part(el, 'error')).to.not.exist;
        composerUsable(el);
      });
    }
  });

  describe('aborting', () => {
    it('a new send() while streaming aborts the first; its late chunks never land', async () => {
      const bodies = [new ControlledResponse(), new ControlledResponse()];
      fetchMock = mockFetch((_c, i) => bodies[i].response);
      const el = await chat();
      const first = el.send('first question');
      pushAwkward(bodies[0], message('Partial one'), 3);
      await waitText(el, 'Partial one');
      const second = el.send('second question');
      expect((await first)?.status).to.equal('stopped');
      await waitUntil(() => bodies[0].cancelled, 'first request aborted', { timeout: 1000 });
      bodies[0].push(message(' LATE'));
      pushAwkward(bodies[1], difyStream(['Second answer']), 5);
      bodies[1].close();
      expect((await second)?.text).to.equal('Second answer');
      await rendered(el);
      await el.updateComplete;
      expect(transcript(el)).to.deep.equal([
        ['user', 'first question'],
        ['bot', 'Partial one'],
        ['user', 'second question'],
        ['bot', 'Second answer'],
      ]);
      expect(part(el, 'log')!.textContent).to.not.include('LATE');
      expect(lastAnswer(el)).to.equal('Second answer');
    });

    it('reset() mid-stream aborts and clears', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const done = el.send('question');
      pushAwkward(body, message('Partial', 'conv-reset'), 5);
      await waitText(el, 'Partial');
      expect(el.conversationId).to.equal('conv-reset');
      const reset = oneEvent(el, 'dify-chat-reset');
      el.reset();
      await reset;
      await done;
      await waitUntil(() => body.cancelled, 'request aborted', { timeout: 1000 });
      body.push(message(' LATE'));
      await rendered(el);
      await el.updateComplete;
      expect(el.messages).to.deep.equal([]);
      expect(el.conversationId).to.equal('');
      expect(parts(el, 'message')).to.have.length(0);
      composerUsable(el);
    });

    it('changing storage-key mid-stream aborts and shows the other (empty) conversation; the partial answer stays with the first', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const key = uniqueKey();
      const el = await chat({ storageKey: key });
      const done = el.send('question');
      pushAwkward(body, message('Partial', 'conv-a'), 5);
      await waitText(el, 'Partial');
      el.setAttribute('storage-key', uniqueKey());
      await el.updateComplete;
      await done;
      await waitUntil(() => body.cancelled, 'request aborted', { timeout: 1000 });
      body.push(message(' LATE'));
      await rendered(el);
      await el.updateComplete;
      expect(el.messages).to.deep.equal([]);
      expect(parts(el, 'message')).to.have.length(0);
      expect(el.conversationId).to.equal('');
      composerUsable(el);
      // back to the first key: its transcript, with the partial answer stopped and nothing late in it
      el.setAttribute('storage-key', key);
      await el.updateComplete;
      expect(el.messages.map((m) => [m.role, m.text, m.status])).to.deep.equal([
        ['user', 'question', undefined],
        ['bot', 'Partial', 'stopped'],
      ]);
      expect(el.conversationId).to.equal('conv-a');
    });

    it('a storage-key changed before the first update, after the page read the conversation: the other one shows', async () => {
      const [first, second] = [uniqueKey(), uniqueKey()];
      localStorage.setItem(`dify-chat:${first}:conversation`, 'conv-first');
      localStorage.setItem(`dify-chat:${second}:conversation`, 'conv-second');
      const el = document.createElement('dify-chat') as DifyChat;
      el.setAttribute('endpoint', '/api/chat');
      el.setAttribute('storage-key', first);
      document.body.append(el);
      try {
        expect(el.conversationId, 'read at once').to.equal('conv-first');
        el.setAttribute('storage-key', second);
        await el.updateComplete;
        expect(el.conversationId).to.equal('conv-second');
      } finally {
        el.remove();
      }
    });

    it('removing the element from the DOM aborts the request', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const done = el.send('question');
      pushAwkward(body, message('Partial'), 5);
      await waitText(el, 'Partial');
      el.remove();
      await waitUntil(() => body.cancelled, 'request aborted', { timeout: 1000 });
      const answer = await done;
      expect(answer?.status).to.equal('stopped');
      expect(answer?.text).to.equal('Partial');
    });
  });

  describe('two widgets', () => {
    it('one fails and one succeeds at the same time: errors and text do not cross', async () => {
      const bodies = [new ControlledResponse(), new ControlledResponse()];
      fetchMock = mockFetch((call) => bodies[call.body.query === 'to a' ? 0 : 1].response);
      const a = await chat({ storageKey: uniqueKey() });
      const b = await chat({ storageKey: uniqueKey() });
      const errors: string[] = [];
      a.addEventListener('dify-chat-error', () => errors.push('a'));
      b.addEventListener('dify-chat-error', () => errors.push('b'));
      const doneA = a.send('to a');
      const doneB = b.send('to b');
      const streamA = awkwardChunks(DIFY_D1_ERROR_MID_STREAM, 4);
      const streamB = awkwardChunks(difyStream(['beta ', 'works'], 'conv-b'), 3);
      for (let i = 0; i < Math.max(streamA.length, streamB.length); i++) {
        if (streamA[i]) bodies[0].push(streamA[i]);
        if (streamB[i]) bodies[1].push(streamB[i]);
      }
      bodies[0].close();
      bodies[1].close();
      const [answerA, answerB] = await Promise.all([doneA, doneB]);
      await a.updateComplete;
      await b.updateComplete;
      expect(answerA?.status).to.equal('error');
      expect(answerB?.status).to.equal('done');
      expect(errors).to.deep.equal(['a']);
      expect(part(a, 'error')!.textContent).to.include('Rate Limit Error');
      expect(part(b, 'error')).to.not.exist;
      expect(lastAnswer(a)).to.equal('Let me check');
      expect(lastAnswer(b)).to.equal('beta works');
      expect(transcript(a)).to.deep.equal([['user', 'to a'], ['bot', 'Let me check']]);
      expect(transcript(b)).to.deep.equal([['user', 'to b'], ['bot', 'beta works']]);
      expect(b.conversationId).to.equal('conv-b');
      expect(a.conversationId).to.equal('45701982-8118-4bc5-8e9b-64562b4555f2');
    });
  });

  describe('storage', () => {
    it('setItem throwing QuotaExceededError: the widget keeps working', async () => {
      const proto = Storage.prototype;
      const { setItem } = proto;
      const original = console.warn;
      console.warn = () => {};
      proto.setItem = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      try {
        fetchMock = mockFetch(() => awkwardResponse(difyStream(['Still ', 'here'], 'conv-q'), 5));
        const el = await chat();
        const first = await el.send('one');
        const second = await el.send('two');
        await el.updateComplete;
        expect(first?.status).to.equal('done');
        expect(second?.status).to.equal('done');
        expect(el.conversationId).to.equal('conv-q');
        expect(fetchMock.calls[1].body.conversation_id).to.equal('conv-q');
        expect(fetchMock.calls[1].body.user).to.equal(fetchMock.calls[0].body.user);
        expect(transcript(el)).to.deep.equal([['user', 'one'], ['bot', 'Still here'], ['user', 'two'], ['bot', 'Still here']]);
        expect(lastAnswer(el)).to.equal('Still here');
        expect(part(el, 'error')).to.not.exist;
      } finally {
        proto.setItem = setItem;
        console.warn = original;
      }
    });

    it('a corrupt stored transcript is ignored, not fatal', async () => {
      const key = uniqueKey();
      localStorage.setItem(`dify-chat:${key}:messages`, '{bad');
      fetchMock = mockFetch(() => awkwardResponse(difyStream(['Fine']), 5));
      try {
        const el = await chat({ storageKey: key });
        expect(part(el, 'panel')).to.exist;
        expect(el.messages).to.deep.equal([]);
        expect(parts(el, 'message')).to.have.length(0);
        const answer = await el.send('hi');
        expect(answer?.text).to.equal('Fine');
        expect(transcript(el)).to.deep.equal([['user', 'hi'], ['bot', 'Fine']]);
      } finally {
        localStorage.removeItem(`dify-chat:${key}:messages`);
      }
    });

    it('the stored transcript is capped', async () => {
      let n = 0;
      fetchMock = mockFetch(() => awkwardResponse(difyStream([`answer ${n++}`]), 7));
      const key = uniqueKey();
      const el = await chat({ storageKey: key });
      const turns = MAX_STORED_MESSAGES / 2 + 10;
      for (let i = 0; i < turns; i++) await el.send(`question ${i}`);
      // the live transcript has the same limit: the oldest turns go, with one notice saying so
      expect(el.messages.length).to.be.at.most(MAX_STORED_MESSAGES);
      expect(el.messages[0].role).to.equal('notice');
      expect(el.messages.filter((m) => m.role === 'notice')).to.have.length(1);
      expect(el.messages[1].role, 'a whole turn: the question comes first').to.equal('user');
      el.remove();
      const stored = localStorage.getItem(`dify-chat:${key}:messages`)!;
      expect(stored).to.be.a('string');
      const again = await chat({ storageKey: key });
      const messages = again.messages;
      expect(messages.length).to.be.at.most(MAX_STORED_MESSAGES);
      expect(messages.length).to.be.above(0);
      expect(messages.at(-1)!.text).to.equal(`answer ${turns - 1}`);
      expect(messages.at(-2)!.text).to.equal(`question ${turns - 1}`);
      expect(messages.some((m) => m.text === 'question 0')).to.equal(false);
      localStorage.removeItem(`dify-chat:${key}:messages`);
    });
  });

  describe('api-key', () => {
    it('api-key="sk-test" sends Authorization: Bearer sk-test', async () => {
      fetchMock = mockFetch(() => streamedResponse(awkwardChunks(difyStream(['ok']), 5)));
      const el = await chat({ extra: { 'api-key': 'sk-test' } });
      await el.send('hi');
      expect(fetchMock.calls[0].headers['authorization']).to.equal('Bearer sk-test');
    });

    it('without api-key no Authorization header is sent', async () => {
      fetchMock = mockFetch(() => streamedResponse(awkwardChunks(difyStream(['ok']), 5)));
      const el = await chat();
      await el.send('hi');
      expect(fetchMock.calls[0].headers).to.not.have.property('authorization');
    });
  });
});
