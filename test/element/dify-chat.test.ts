import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ControlledResponse, awkwardChunks, jsonResponse, mockFetch, streamedResponse } from '../helpers/mock-fetch.js';
import { chat, difyStream, lastAnswer, part, parts, typeAndSend, uniqueKey, waitForText, type DifyChat } from '../helpers/element.js';

describe('<dify-chat>', () => {
  let fetchMock: ReturnType<typeof mockFetch> | undefined;
  afterEach(() => {
    fetchMock?.restore();
    fetchMock = undefined;
  });

  describe('accessibility', () => {
    it('is accessible when empty, with welcome and suggestions', async () => {
      const el = await fixture<DifyChat>(html`<dify-chat endpoint="/x" storage-key=${uniqueKey()} welcome="Hi! Ask me **anything**."
        suggestions='["Opening hours?","Shipping costs?"]'></dify-chat>`);
      expect(part(el, 'log')!.getAttribute('role')).to.equal('log');
      expect(part(el, 'input')!.getAttribute('aria-label')).to.equal('Message');
      await expect(el).to.be.accessible();
    });

    it('is accessible with an answered conversation and an error', async () => {
      fetchMock = mockFetch((_call, i) =>
        i === 0 ? streamedResponse([difyStream(['Hello, ', '**world**', '\n\n- one\n- two'])]) : jsonResponse({ code: 'internal_server_error', message: 'Boom', status: 500 }, 500));
      const el = await chat();
      await el.send('hi');
      await el.send('again');
      await el.updateComplete;
      expect(part(el, 'error')).to.exist;
      await expect(el).to.be.accessible();
    });
  });

  describe('properties', () => {
    it('has the documented defaults', async () => {
      const el = await fixture<DifyChat>(html`<dify-chat></dify-chat>`);
      expect(el.protocol).to.equal('dify');
      expect(el.botName).to.equal('Assistant');
      expect(el.placeholder).to.equal('Type a message…');
      expect(el.suggestions).to.deep.equal([]);
      expect(el.inputs).to.deep.equal({});
      expect(part(el, 'title')!.textContent).to.equal('Assistant');
      expect(part<HTMLTextAreaElement>(el, 'input')!.placeholder).to.equal('Type a message…');
    });

    it('warns and falls back on bad attribute values', async () => {
      const warnings: string[] = [];
      const original = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(String(args[0]));
      try {
        const el = await fixture<DifyChat>(html`<dify-chat inputs="{oops" suggestions='"nope"' protocol="soap"></dify-chat>`);
        expect(el.inputs).to.deep.equal({});
        expect(el.suggestions).to.deep.equal([]);
        expect(el.protocol).to.equal('dify');
        expect(part(el, 'panel')).to.exist;
      } finally {
        console.warn = original;
      }
      expect(warnings.join('\n')).to.include('inputs').and.to.include('suggestions').and.to.include('protocol');
    });

    it('replaces UI strings through `strings`', async () => {
      const el = await chat();
      el.strings = { send: 'Senden', input: 'Nachricht' };
      await el.updateComplete;
      expect(part(el, 'send-button')!.getAttribute('aria-label')).to.equal('Senden');
      expect(part(el, 'input')!.getAttribute('aria-label')).to.equal('Nachricht');
    });
  });

  describe('request', () => {
    it('POSTs the Dify body of §4 with the headers', async () => {
      fetchMock = mockFetch(() => streamedResponse([difyStream(['ok'], 'conv-42')]));
      const el = await chat({ endpoint: '/mock/chat' });
      el.setAttribute('inputs', '{"lang":"fr"}');
      el.setAttribute('user', 'visitor-7');
      el.headers = { 'X-Site': 'shop' };
      await el.send('  Hello there  ');
      await el.send('Second');
      const [first, second] = fetchMock.calls;
      expect(first.url).to.equal('/mock/chat');
      expect(first.init.method).to.equal('POST');
      expect(first.headers['content-type']).to.equal('application/json');
      expect(first.headers['accept']).to.equal('text/event-stream');
      expect(first.headers['x-site']).to.equal('shop');
      expect(first.body).to.deep.equal({ query: 'Hello there', inputs: { lang: 'fr' }, conversation_id: '', user: 'visitor-7', response_mode: 'streaming' });
      expect(second.body.conversation_id).to.equal('conv-42');
    });

    it('uses a random user id that persists per storage key', async () => {
      fetchMock = mockFetch(() => streamedResponse([difyStream(['ok'])]));
      const key = uniqueKey();
      const a = await chat({ storageKey: key });
      await a.send('one');
      a.remove();
      const b = await chat({ storageKey: key });
      await b.send('two');
      const [first, second] = fetchMock.calls;
      expect(first.body.user).to.be.a('string').with.length.above(8);
      expect(second.body.user).to.equal(first.body.user);
    });
  });

  describe('streaming', () => {
    it('shows a typing indicator, then the first chunk before the stream ends', async () => {
      const body = new ControlledResponse({ headers: { 'content-type': 'text/event-stream' } });
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const done = el.send('hi');
      await waitUntil(() => part(el, 'typing'), 'typing indicator');
      expect(part(el, 'stop-button')).to.exist;
      expect(part(el, 'send-button')).to.not.exist;
      const stream = difyStream(['Hello there, ', 'wor', 'ld']);
      const [firstEvent, ...rest] = stream.split('\n\n').map((s) => `${s}\n\n`);
      body.push(firstEvent);
      // the parser may hold back a trailing character or two until it knows they are not markup
      await waitForText(el, 'Hello there');
      expect(lastAnswer(el)).to.not.include('wor');
      expect(part(el, 'typing')).to.not.exist;
      for (const chunk of awkwardChunks(rest.join(''), 5)) body.push(chunk);
      body.close();
      const answer = await done;
      expect(answer?.text).to.equal('Hello there, world');
      expect(answer?.status).to.equal('done');
      await el.updateComplete;
      expect(lastAnswer(el)).to.equal('Hello there, world');
      expect(part(el, 'send-button')).to.exist;
    });

    it('reads a stream split mid UTF-8 character, mid line and mid JSON', async () => {
      const text = 'Café ☕ — naïve 👋 获取当前时间';
      const stream = difyStream([...text].map((c) => c)); // one event per character
      fetchMock = mockFetch(() => streamedResponse(awkwardChunks(stream, 3)));
      const el = await chat();
      const answer = await el.send('unicode');
      expect(answer?.text).to.equal(text);
      await el.updateComplete;
      expect(lastAnswer(el)).to.equal(text);
    });

    it('renders the user message as plain text, never as HTML', async () => {
      fetchMock = mockFetch(() => streamedResponse([difyStream(['ok'])]));
      const el = await chat();
      await el.send('<img src=x onerror="window.__pwned=1"><b>bold</b>');
      await el.updateComplete;
      const user = part(el, 'message--user')!;
      expect(user.querySelector('img, b')).to.equal(null);
      expect(user.textContent).to.include('<b>bold</b>');
    });
  });

  describe('persistence', () => {
    it('shows the conversation after the element is re-created and continues it', async () => {
      fetchMock = mockFetch(() => streamedResponse([difyStream(['Remembered answer'], 'conv-keep')]));
      const key = uniqueKey();
      const a = await chat({ storageKey: key });
      await a.send('remember me');
      a.remove();
      const b = await chat({ storageKey: key });
      expect(b.conversationId).to.equal('conv-keep');
      expect(parts(b, 'message--user')[0].textContent).to.include('remember me');
      expect(lastAnswer(b)).to.equal('Remembered answer');
      await b.send('next');
      expect(fetchMock.calls[1].body.conversation_id).to.equal('conv-keep');
    });

    it('persists the conversation id as soon as the first event carries it', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const conversation = oneEvent(el, 'dify-chat-conversation');
      void el.send('hi');
      body.push(difyStream(['first']).split('\n\n')[0] + '\n\n');
      const event = await conversation;
      expect(event.detail.conversationId).to.equal('conv-1');
      expect(el.conversationId).to.equal('conv-1');
      body.close();
    });

    it('keeps separate conversations for different storage keys', async () => {
      let n = 0;
      fetchMock = mockFetch(() => streamedResponse([difyStream([`answer ${++n}`], `conv-${n}`)]));
      const a = await chat({ storageKey: uniqueKey() });
      const b = await chat({ storageKey: uniqueKey() });
      await a.send('to a');
      await b.send('to b');
      expect(a.conversationId).to.equal('conv-1');
      expect(b.conversationId).to.equal('conv-2');
      expect(a.messages.map((m) => m.text)).to.deep.equal(['to a', 'answer 1']);
      expect(b.messages.map((m) => m.text)).to.deep.equal(['to b', 'answer 2']);
    });

    it('works in memory when storage throws', async () => {
      const proto = Storage.prototype;
      const { setItem, getItem } = proto;
      const warnings: unknown[] = [];
      const original = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args[0]);
      proto.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); };
      proto.getItem = () => { throw new DOMException('denied', 'SecurityError'); };
      fetchMock = mockFetch(() => streamedResponse([difyStream(['still works'], 'conv-mem')]));
      try {
        const el = await chat();
        await el.send('hi');
        await el.send('again');
        expect(el.conversationId).to.equal('conv-mem');
        expect(fetchMock.calls[1].body.conversation_id).to.equal('conv-mem');
        await el.updateComplete;
        expect(lastAnswer(el)).to.equal('still works');
      } finally {
        proto.setItem = setItem;
        proto.getItem = getItem;
        console.warn = original;
      }
      expect(warnings.length).to.equal(1);
    });

    it('reset() clears conversation and transcript but not the user', async () => {
      fetchMock = mockFetch(() => streamedResponse([difyStream(['ok'], 'conv-r')]));
      const el = await chat();
      el.setAttribute('welcome', 'Welcome back');
      await el.send('hi');
      const reset = oneEvent(el, 'dify-chat-reset');
      part<HTMLButtonElement>(el, 'reset-button')!.click();
      await reset;
      await el.updateComplete;
      expect(el.conversationId).to.equal('');
      expect(el.messages).to.deep.equal([]);
      expect(part(el, 'message--welcome')!.textContent).to.include('Welcome back');
      await el.send('again');
      expect(fetchMock.calls[1].body.conversation_id).to.equal('');
      expect(fetchMock.calls[1].body.user).to.equal(fetchMock.calls[0].body.user);
    });
  });

  describe('errors', () => {
    it("shows the server's message, keeps the user's message and re-enables the composer", async () => {
      fetchMock = mockFetch(() => jsonResponse({ code: 'provider_quota_exceeded', message: 'Your quota is exhausted.', status: 400 }, 400));
      const el = await chat();
      const error = oneEvent(el, 'dify-chat-error');
      await typeAndSend(el, 'will fail');
      const event = await error;
      await el.updateComplete;
      expect(event.detail.error.code).to.equal('provider_quota_exceeded');
      expect(part(el, 'error')!.textContent).to.include('Your quota is exhausted.');
      expect(part(el, 'message--user')!.textContent).to.include('will fail');
      expect(part(el, 'send-button')).to.exist;
      expect(part<HTMLTextAreaElement>(el, 'input')!.disabled).to.equal(false);
    });

    it("says it can't reach the server on a network failure, and retry works", async () => {
      fetchMock = mockFetch((_c, i) => {
        if (i === 0) throw new TypeError('Failed to fetch');
        return streamedResponse([difyStream(['back online'])]);
      });
      const el = await chat();
      await el.send('hello?');
      await el.updateComplete;
      expect(part(el, 'error')!.textContent).to.include("Can't reach the server");
      part<HTMLButtonElement>(el, 'retry-button')!.click();
      await waitForText(el, 'back online');
      expect(fetchMock.calls[1].body.query).to.equal('hello?');
      expect(parts(el, 'message--user')).to.have.length(1);
      expect(part(el, 'error')).to.not.exist;
    });
  });

  describe('events', () => {
    it('dify-chat-send is cancelable and keeps what the visitor typed', async () => {
      fetchMock = mockFetch(() => streamedResponse([difyStream(['x'])]));
      const el = await chat();
      el.addEventListener('dify-chat-send', (e) => e.preventDefault(), { once: true });
      await typeAndSend(el, 'keep me');
      await aTimeout(0);
      expect(fetchMock.calls).to.have.length(0);
      expect(part<HTMLTextAreaElement>(el, 'input')!.value).to.equal('keep me');
      expect(el.messages).to.have.length(0);
    });

    it('fires send, conversation and message in order, bubbling out of the shadow root', async () => {
      fetchMock = mockFetch(() => streamedResponse([difyStream(['Done'], 'conv-e')]));
      const el = await chat();
      const seen: string[] = [];
      for (const type of ['dify-chat-send', 'dify-chat-conversation', 'dify-chat-message'] as const) {
        document.addEventListener(type, (e) => seen.push(`${e.type}:${e.composed && e.bubbles}`));
      }
      const message = oneEvent(el, 'dify-chat-message');
      await el.send('hi');
      expect((await message).detail.message.text).to.equal('Done');
      expect(seen).to.deep.equal(['dify-chat-send:true', 'dify-chat-conversation:true', 'dify-chat-message:true']);
    });
  });

  describe('keyboard', () => {
    it('Enter sends and Shift+Enter adds a line', async () => {
      fetchMock = mockFetch(() => streamedResponse([difyStream(['ok'])]));
      const el = await chat();
      part<HTMLTextAreaElement>(el, 'input')!.focus();
      await sendKeys({ type: 'line one' });
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ up: 'Shift' });
      await sendKeys({ type: 'line two' });
      expect(fetchMock.calls).to.have.length(0);
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => fetchMock!.calls.length === 1, 'sent');
      expect(fetchMock.calls[0].body.query).to.equal('line one\nline two');
      expect(part<HTMLTextAreaElement>(el, 'input')!.value).to.equal('');
    });
  });

  describe('two instances', () => {
    it('stream at the same time without mixing text or ids', async () => {
      const bodies = [new ControlledResponse(), new ControlledResponse()];
      fetchMock = mockFetch((_c, i) => bodies[i].response);
      const a = await chat({ storageKey: uniqueKey() });
      const b = await chat({ storageKey: uniqueKey() });
      const doneA = a.send('a');
      const doneB = b.send('b');
      const streamA = awkwardChunks(difyStream(['alpha ', 'one'], 'conv-a'), 4);
      const streamB = awkwardChunks(difyStream(['beta ', 'two'], 'conv-b'), 3);
      for (let i = 0; i < Math.max(streamA.length, streamB.length); i++) {
        if (streamA[i]) bodies[0].push(streamA[i]);
        if (streamB[i]) bodies[1].push(streamB[i]);
      }
      bodies[0].close();
      bodies[1].close();
      expect((await doneA)?.text).to.equal('alpha one');
      expect((await doneB)?.text).to.equal('beta two');
      expect(a.conversationId).to.equal('conv-a');
      expect(b.conversationId).to.equal('conv-b');
      await a.updateComplete;
      expect(lastAnswer(a)).to.equal('alpha one');
    });
  });
});

describe('<dify-chat> scrolling', () => {
  let fetchMock: ReturnType<typeof mockFetch> | undefined;
  afterEach(() => fetchMock?.restore());

  it('follows the newest text, stops when the visitor scrolls up, and offers a jump back', async () => {
    const body = new ControlledResponse();
    fetchMock = mockFetch(() => body.response);
    const el = await chat();
    el.style.height = '300px';
    const done = el.send('long please');
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} with enough words to wrap a little.\n\n`);
    body.push(difyStream(paragraphs.slice(0, 15)).replace(/data: \{"event":"message_end".*\n\n$/, ''));
    await waitForText(el, 'Paragraph 14');
    await el.updateComplete;
    const log = part(el, 'log')!;
    expect(log.scrollHeight).to.be.above(log.clientHeight);
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.below(2, 'pinned to the bottom while streaming');
    expect(part(el, 'jump-button')).to.not.exist;

    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    await el.updateComplete;
    const jump = part<HTMLButtonElement>(el, 'jump-button');
    expect(jump, 'jump-to-latest control').to.exist;
    body.push(difyStream(paragraphs.slice(15)));
    body.close();
    await done;
    await el.updateComplete;
    expect(log.scrollTop).to.equal(0, 'stays where the visitor is reading');

    jump!.click();
    await el.updateComplete;
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.below(2);
    expect(part(el, 'jump-button')).to.not.exist;
  });
});
