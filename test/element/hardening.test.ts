// Hostile input and first-time-user defects (issue "Step 4: harden what exists"). Each block names the item
// it covers; each test fails without its fix.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ControlledResponse, jsonResponse, mockFetch } from '../helpers/mock-fetch.js';
import { chat, difyStream, lastAnswer, part, parts, rendered, sse, uniqueKey, until, type DifyChat } from '../helpers/element.js';
import { MAX_ANSWER_CHARS, MAX_ERROR_CHARS, MAX_FRAME_CHARS, MAX_MESSAGES, MAX_THOUGHTS, MAX_TIMEOUT_MS } from '../../src/limits.js';

const envelope = { conversation_id: 'conv-1', message_id: 'msg-1', task_id: 'task-1', created_at: 1 };
const message = (answer: string) => sse({ event: 'message', ...envelope, answer });
const end = () => sse({ event: 'message_end', ...envelope, metadata: {} });
const shadowFocus = (el: DifyChat) => el.shadowRoot!.activeElement;
const errorOf = (el: DifyChat) => parts(el, 'message--bot').at(-1)?.querySelector('[part~="error"]') ?? null;

/** Writes a stored transcript the way an older version, another tab or a hand edit could have. */
function store(key: string, value: unknown, conversation?: string) {
  localStorage.setItem(`dify-chat:${key}:messages`, typeof value === 'string' ? value : JSON.stringify(value));
  if (conversation !== undefined) localStorage.setItem(`dify-chat:${key}:conversation`, conversation);
}
function forget(key: string) {
  for (const name of ['messages', 'conversation', 'user']) localStorage.removeItem(`dify-chat:${key}:${name}`);
}

describe('<dify-chat> hardening', () => {
  let fetchMock: ReturnType<typeof mockFetch> | undefined;
  afterEach(() => {
    fetchMock?.restore();
    fetchMock = undefined;
  });

  describe('4: a stored transcript with wrong types', () => {
    it('renders, repairing or dropping every bad field, and never brings back an unsafe or foreign image', async () => {
      const key = uniqueKey();
      store(key, {
        v: 1,
        messages: [
          null,
          5,
          { id: 'u1', role: 'user', text: 'Where is my tea?', createdAt: 1 },
          {
            id: 'b1', role: 'bot', text: 'On its way.', status: 'done', createdAt: 2,
            thoughts: 'not an array', citations: { 0: 'x' },
            files: [null, { type: 'image', url: 'javascript:alert(1)' }, { type: 'image', url: 'https://tracker.example/p.gif' }, 7],
          },
          { id: 'b2', role: 'bot', text: 42, thoughts: [null, { id: 't', thought: 5, tool: 'search' }], citations: [null, { documentName: 9 }] },
          { id: 'x', role: 'admin', text: 'nope' },
          { role: 'user', text: 'no id' },
        ],
      });
      try {
        const el = await chat({ storageKey: key });
        expect(part(el, 'panel'), 'the widget renders').to.exist;
        expect(el.messages.map((m) => m.id)).to.deep.equal(['u1', 'b1', 'b2']);
        expect(parts(el, 'message')).to.have.length(3);
        const imgs = [...el.shadowRoot!.querySelectorAll('img')];
        expect(imgs, 'no image loads from a stored javascript: or foreign URL').to.have.length(0);
        const link = part<HTMLAnchorElement>(el, 'image-link')!;
        expect(link.href, 'the foreign image is a link to click').to.equal('https://tracker.example/p.gif');
        expect(el.messages[2].thoughts).to.deep.equal([{ id: 't', tool: 'search' }]);
      } finally {
        forget(key);
      }
    });
  });

  describe('5: the idle timeout always ends as a timeout error with Retry', () => {
    const stalls: [string, Record<string, string>, string, string][] = [
      ['text/plain', { 'content-type': 'text/plain' }, 'Hello wor', 'Hello wor'],
      ['OpenAI', { 'content-type': 'text/event-stream' }, sse({ choices: [{ delta: { content: 'Hello' } }] }), 'Hello'],
      ['Dify SSE', { 'content-type': 'text/event-stream' }, message('Hello'), 'Hello'],
    ];
    for (const [name, headers, first, shown] of stalls) {
      it(`${name}: a stream that stalls after some text`, async () => {
        const body = new ControlledResponse({ headers });
        // a body the abort does not error: cancelling our reader makes the pending read return `done`
        const original = window.fetch;
        window.fetch = () => Promise.resolve(body.response);
        fetchMock = { calls: [], restore: () => (window.fetch = original) };
        const el = await chat({ extra: { timeout: '150', ...(name === 'OpenAI' ? { protocol: 'openai' } : {}) } });
        const failed = oneEvent(el, 'dify-chat-error');
        const pending = el.send('hi');
        body.push(first);
        const { detail } = await failed;
        expect(detail.error.code).to.equal('timeout');
        const answer = await pending;
        expect(answer?.status).to.equal('error');
        expect(answer?.text).to.equal(shown);
        await rendered(el);
        expect(part(el, 'retry-button'), 'Retry is offered').to.exist;
        expect(body.cancelled, 'the stalled body is released').to.equal(true);
      });
    }

    it('an error response whose body never ends does not stay busy', async () => {
      const body = new ControlledResponse({ status: 500, headers: { 'content-type': 'application/json' } });
      fetchMock = mockFetch(() => body.response);
      const el = await chat({ extra: { timeout: '150' } });
      const pending = el.send('hi');
      body.push('{"code":"internal_server_error","mess');
      const answer = await pending;
      expect(answer?.status).to.equal('error');
      expect(answer?.errorCode).to.equal('timeout');
      await rendered(el);
      expect(part(el, 'stop-button')).to.not.exist;
    });

    it('a timeout above 2^31-1 ms is clamped instead of firing at once; a bad one warns and uses 60 s', async () => {
      fetchMock = mockFetch(() => new Response(difyStream(['fine']), { headers: { 'content-type': 'text/event-stream' } }));
      const el = await chat({ extra: { timeout: '99999999999' } });
      expect(el.timeout).to.equal(MAX_TIMEOUT_MS);
      const answer = await el.send('hi');
      expect(answer?.status).to.equal('done');
      expect(answer?.text).to.equal('fine');
      const warn = console.warn;
      const seen: unknown[] = [];
      console.warn = (...args: unknown[]) => seen.push(args[0]);
      try {
        el.setAttribute('timeout', 'soon');
      } finally {
        console.warn = warn;
      }
      expect(el.timeout).to.equal(60_000);
      expect(String(seen[0])).to.contain('timeout');
    });
  });

  describe('6: everything has a limit', () => {
    const tooLarge = async (el: DifyChat, body: ControlledResponse, pending: Promise<unknown>, dom = true) => {
      const answer = (await pending) as { status: string; errorCode: string; error: string } | undefined;
      expect(answer?.status).to.equal('error');
      expect(answer?.errorCode).to.equal('too_large');
      expect(answer?.error).to.contain('too long');
      expect(body.cancelled, 'the rest of the body is not downloaded').to.equal(true);
      if (!dom) return;
      await rendered(el);
      expect(errorOf(el)?.textContent).to.contain('too long');
    };

    it('an endless unterminated SSE line ends with a clear error', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const pending = el.send('hi');
      body.push('data: {"event":"message","answer":"');
      const mb = 'a'.repeat(1 << 20);
      for (let i = 0; i <= MAX_FRAME_CHARS / mb.length; i++) body.push(mb);
      await tooLarge(el, body, pending);
    });

    it('an endless unterminated JSON string (bare JSON framing) ends with a clear error', async () => {
      const body = new ControlledResponse({ headers: { 'content-type': 'application/json' } });
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const pending = el.send('hi');
      body.push('{"event":"message","answer":"');
      const mb = 'b'.repeat(1 << 20);
      for (let i = 0; i <= MAX_FRAME_CHARS / mb.length; i++) body.push(mb);
      await tooLarge(el, body, pending);
    });

    it('an endless text body keeps the first MAX_ANSWER_CHARS and ends with a clear error', async () => {
      const body = new ControlledResponse({ headers: { 'content-type': 'text/plain' } });
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const pending = el.send('hi');
      const chunk = 'word '.repeat(50_000);
      for (let i = 0; i <= MAX_ANSWER_CHARS / chunk.length + 1; i++) body.push(chunk);
      // (not waiting for a million characters of one paragraph to be laid out)
      await tooLarge(el, body, pending, false);
      expect(el.messages.at(-1)!.text.length).to.equal(MAX_ANSWER_CHARS);
    });

    it('a huge error body is read only in part and shown cut', async () => {
      const body = new ControlledResponse({ status: 500, headers: { 'content-type': 'text/plain' } });
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const pending = el.send('hi');
      for (let i = 0; i < 4; i++) body.push('E'.repeat(64 * 1024));
      const answer = await pending;
      expect(answer?.status).to.equal('error');
      expect(answer!.error!.length).to.be.at.most(MAX_ERROR_CHARS);
      expect(body.cancelled).to.equal(true);
    });

    it('20k agent_thought ids stop at the step limit with a clear error', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      const pending = el.send('hi');
      let frames = '';
      for (let i = 0; i < 20_000; i++) frames += sse({ event: 'agent_thought', ...envelope, id: `t${i}`, position: i, thought: 'hm' });
      body.push(frames);
      await tooLarge(el, body, pending);
      expect(parts(el, 'thought').length).to.equal(MAX_THOUGHTS);
    });
  });

  describe('7: a huge answer in one event', () => {
    it('is parsed over several frames, and the answer container has no dir="auto" (blocks have their own)', async () => {
      const paragraphs = Array.from({ length: 3000 }, (_, i) => `Paragraph ${i} with **bold** text and more words to read.`);
      const text = paragraphs.join('\n\n');
      fetchMock = mockFetch(() => new Response(message(text) + end(), { headers: { 'content-type': 'text/event-stream' } }));
      const el = await chat();
      // count the separate tasks in which paragraphs were added to the answer
      let batches = 0;
      const observer = new MutationObserver((records) => {
        if (records.some((r) => [...r.addedNodes].some((n) => n.nodeName === 'P'))) batches++;
      });
      observer.observe(part(el, 'log')!, { childList: true, subtree: true });
      await el.send('hi');
      await el.updateComplete; // resolves once every slice is on screen
      observer.disconnect();
      const content = parts(el, 'message--bot').at(-1)!.querySelector<HTMLElement>('[part~="content"]')!;
      expect(content.querySelectorAll('p').length).to.equal(3000);
      expect(batches, 'the paragraphs arrived over several frames, not in one long task').to.be.at.least(3);
      expect(content.hasAttribute('dir'), 'no dir on the growing container').to.equal(false);
      expect(content.querySelector('p')!.getAttribute('dir')).to.equal('auto');
      // (the blocks are in groups of 32, see RenderOptions.group: the last paragraph, not the last child)
      expect([...content.querySelectorAll('p')].at(-1)!.textContent).to.equal('Paragraph 2999 with bold text and more words to read.');
    });
  });

  describe('8: the stored transcript cap', () => {
    it('stores a huge answer shortened, and never stores a huge conversation id', async () => {
      const big = 'x'.repeat(MAX_ANSWER_CHARS - 10);
      const huge = 'c'.repeat(1_000_000);
      fetchMock = mockFetch(() =>
        new Response(sse({ event: 'message', ...envelope, conversation_id: huge, answer: big }) + end(), { headers: { 'content-type': 'text/event-stream' } }),
      );
      const key = uniqueKey();
      try {
        const el = await chat({ storageKey: key });
        await el.send('hi');
        expect(el.conversationId, 'a 1 MB id is ignored').to.equal('conv-1');
        const stored = localStorage.getItem(`dify-chat:${key}:messages`)!;
        expect(stored.length).to.be.below(200_001);
        expect(localStorage.getItem(`dify-chat:${key}:conversation`)).to.equal('conv-1');
        el.remove();
        const again = await chat({ storageKey: key });
        expect(again.messages.map((m) => m.role)).to.deep.equal(['user', 'bot'], 'the question stays with its answer');
        expect(again.messages[1].truncated).to.equal(true);
        await rendered(again);
        expect(parts(again, 'notice').some((n) => n.textContent!.includes('shortened'))).to.equal(true);
      } finally {
        forget(key);
      }
    });
  });

  describe('9: a long session stays bounded', () => {
    it('a stored 10k-message transcript shows only the newest whole turns', async () => {
      const key = uniqueKey();
      const messages = Array.from({ length: 10_000 }, (_, i) => ({
        id: `m${i}`, role: i % 2 ? 'bot' : 'user', text: `message ${i}`, status: 'done', createdAt: i,
      }));
      store(key, { v: 1, messages });
      try {
        const el = await chat({ storageKey: key });
        expect(el.messages.length).to.be.at.most(MAX_MESSAGES);
        expect(el.messages[0].role).to.equal('user');
        expect(el.messages.at(-1)!.text).to.equal('message 9999');
        expect(parts(el, 'message').length).to.be.at.most(MAX_MESSAGES);
      } finally {
        forget(key);
      }
    });
  });

  describe('10: a malformed SSE data line', () => {
    it('is never shown in the answer', async () => {
      const stream = message('Hello') + 'data: {{{\n\n' + 'data: {"event":"message","answer":"a\u0000b"}\n\n' + message(' world') + end();
      fetchMock = mockFetch(() => new Response(stream, { headers: { 'content-type': 'text/event-stream' } }));
      const el = await chat();
      const answer = await el.send('hi');
      expect(answer?.text).to.equal('Hello world');
      await rendered(el);
      expect(lastAnswer(el)).to.equal('Hello world');
    });
  });

  describe('11: two tabs with the same storage key', () => {
    /** What another tab does: write storage, and this tab gets a `storage` event. */
    function otherTab(key: string, name: string, value: string | null) {
      const full = `dify-chat:${key}:${name}`;
      const oldValue = localStorage.getItem(full);
      if (value === null) localStorage.removeItem(full);
      else localStorage.setItem(full, value);
      window.dispatchEvent(new StorageEvent('storage', { key: full, oldValue, newValue: value, storageArea: localStorage }));
    }
    const transcript = (texts: [string, string][]) =>
      JSON.stringify({ v: 1, messages: texts.map(([role, text], i) => ({ id: `o${i}`, role, text, status: 'done', createdAt: i + 1 })) });

    it("shows the other tab's conversation and continues it, instead of sending its id with an empty log", async () => {
      const key = uniqueKey();
      fetchMock = mockFetch(() => new Response(difyStream(['Second answer'], 'conv-A'), { headers: { 'content-type': 'text/event-stream' } }));
      try {
        const el = await chat({ storageKey: key });
        otherTab(key, 'conversation', 'conv-A');
        otherTab(key, 'messages', transcript([['user', 'First question'], ['bot', 'First answer']]));
        await rendered(el);
        expect(el.conversationId).to.equal('conv-A');
        expect(el.messages.map((m) => m.text)).to.deep.equal(['First question', 'First answer']);
        await el.send('Second question');
        expect(fetchMock.calls[0].body.conversation_id).to.equal('conv-A');
        expect(el.messages.map((m) => m.text)).to.deep.equal(['First question', 'First answer', 'Second question', 'Second answer']);
        // the other tab sees the same transcript in storage
        const stored = JSON.parse(localStorage.getItem(`dify-chat:${key}:messages`)!).messages.map((m: { text: string }) => m.text);
        expect(stored).to.deep.equal(['First question', 'First answer', 'Second question', 'Second answer']);
      } finally {
        forget(key);
      }
    });

    it('a reset in the other tab resets this one too (no silent fork)', async () => {
      const key = uniqueKey();
      fetchMock = mockFetch(() => new Response(difyStream(['Hi'], 'conv-B'), { headers: { 'content-type': 'text/event-stream' } }));
      try {
        const el = await chat({ storageKey: key });
        await el.send('Hello');
        expect(el.conversationId).to.equal('conv-B');
        otherTab(key, 'conversation', null);
        otherTab(key, 'messages', null);
        await rendered(el);
        expect(el.conversationId).to.equal('');
        expect(el.messages).to.deep.equal([]);
        await el.send('Again');
        expect(fetchMock.calls[1].body.conversation_id).to.equal('');
      } finally {
        forget(key);
      }
    });

    it('while this tab streams, the other tab does not overwrite it; it catches up when the answer ends', async () => {
      const key = uniqueKey();
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      try {
        const el = await chat({ storageKey: key });
        const pending = el.send('Mine');
        body.push(message('My answer'));
        await until(el, () => lastAnswer(el) === 'My answer', 'streaming');
        // the other tab appends a turn to the same conversation meanwhile
        const stored = JSON.parse(localStorage.getItem(`dify-chat:${key}:messages`) ?? '{"v":1,"messages":[]}');
        stored.messages.push({ id: 'other-u', role: 'user', text: 'Theirs', createdAt: Date.now() + 10 });
        otherTab(key, 'messages', JSON.stringify(stored));
        expect(lastAnswer(el), 'still streaming undisturbed').to.equal('My answer');
        body.push(end());
        body.close();
        await pending;
        await until(el, () => el.messages.some((m) => m.text === 'Theirs'), 'merged after the answer');
        expect(el.messages.map((m) => m.text)).to.deep.equal(['Mine', 'My answer', 'Theirs']);
      } finally {
        forget(key);
      }
    });
  });

  describe('12: images in answers', () => {
    it('load only from the page, the endpoint and image-hosts, always without a referrer; others are links', async () => {
      const text =
        `![own](${location.origin}/a.png) ![api](https://api.example/b.png) ` +
        `![cdn](https://cdn.example/c.png) ![leak](https://evil.example/x.png?q=secret)`;
      fetchMock = mockFetch(() => new Response(difyStream([text]), { headers: { 'content-type': 'text/event-stream' } }));
      const el = await chat({ endpoint: 'https://api.example/v1/chat', extra: { 'image-hosts': 'cdn.example' } });
      await el.send('pictures');
      await rendered(el);
      const imgs = [...el.shadowRoot!.querySelectorAll<HTMLImageElement>('[part~="content"] img')];
      expect(imgs.map((i) => i.alt)).to.deep.equal(['own', 'api', 'cdn']);
      for (const img of imgs) expect(img.getAttribute('referrerpolicy')).to.equal('no-referrer');
      const link = el.shadowRoot!.querySelector<HTMLAnchorElement>('[part~="content"] a.image-link')!;
      expect(link.textContent).to.equal('leak');
      expect(link.href).to.equal('https://evil.example/x.png?q=secret');
      expect(link.rel).to.equal('noopener noreferrer');
    });
  });

  describe('14: IME composition', () => {
    it('Enter that commits a composition (keyCode 229 after compositionend, as Safari sends it) does not send', async () => {
      fetchMock = mockFetch(() => new Response(difyStream(['ok']), { headers: { 'content-type': 'text/event-stream' } }));
      const el = await chat();
      const input = part<HTMLTextAreaElement>(el, 'input')!;
      input.value = 'にほんご';
      input.dispatchEvent(new CompositionEvent('compositionend', { data: 'にほんご', bubbles: true }));
      const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, composed: true });
      Object.defineProperty(enter, 'keyCode', { value: 229 });
      input.dispatchEvent(enter);
      await el.updateComplete;
      expect(fetchMock.calls).to.have.length(0);
      expect(input.value).to.equal('にほんご');
    });
  });

  describe('15: a link whose URL has parentheses', () => {
    it('[l](javascript:alert(1)) shows "l", and a safe URL keeps its balanced parentheses', async () => {
      fetchMock = mockFetch(() =>
        new Response(difyStream(['[l](javascript:alert(1)) and [wiki](https://w.example/A_(b)) end']), { headers: { 'content-type': 'text/event-stream' } }),
      );
      const el = await chat();
      await el.send('links');
      await rendered(el);
      expect(lastAnswer(el)).to.equal('l and wiki end');
      const links = [...el.shadowRoot!.querySelectorAll<HTMLAnchorElement>('[part~="content"] a')];
      expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(['https://w.example/A_(b)']);
    });
  });

  describe('16: the widget never widens its container', () => {
    const longCode = '```js\n' + 'const order = fetchTheOrderWithAVeryLongNameThatGoesOnAndOn(' + 'x, '.repeat(80) + ');\n```';

    it('in a 375 px column and in a 3-column grid', async () => {
      fetchMock = mockFetch(() => new Response(difyStream([longCode]), { headers: { 'content-type': 'text/event-stream' } }));
      const wrap = await fixture<HTMLDivElement>(html`
        <div style="display:grid;grid-template-columns:repeat(3,1fr);width:900px;gap:10px">
          <div>a</div><div>b</div>
          <dify-chat endpoint="/mock" storage-key=${uniqueKey()}></dify-chat>
        </div>
        <div style="width:375px"><dify-chat endpoint="/mock" storage-key=${uniqueKey()}></dify-chat></div>`);
      const [inGrid, inPhone] = [...wrap.parentElement!.querySelectorAll('dify-chat')] as DifyChat[];
      await inGrid.send('code please');
      await inPhone.send('code please');
      await rendered(inGrid);
      await rendered(inPhone);
      expect(inPhone.getBoundingClientRect().width).to.be.at.most(375);
      expect(inGrid.getBoundingClientRect().width).to.be.at.most(294);
      expect(inGrid.getBoundingClientRect().right).to.be.at.most(wrap.getBoundingClientRect().left + 900.5);
      const pre = inPhone.shadowRoot!.querySelector('pre')!;
      expect(pre.scrollWidth, 'the code scrolls inside').to.be.above(pre.clientWidth);
      const send = part(inPhone, 'send-button')!.getBoundingClientRect();
      expect(send.right, 'Send stays on screen').to.be.at.most(inPhone.getBoundingClientRect().right);
    });
  });

  describe('17: a failed turn', () => {
    it('keeps its error inside its bubble, after the next message and after a reload', async () => {
      const key = uniqueKey();
      fetchMock = mockFetch((_call, i) =>
        i === 0 ? jsonResponse({ code: 'invalid_param', message: 'Query is too long.', status: 400 }, 400) : new Response(difyStream(['Fine']), { headers: { 'content-type': 'text/event-stream' } }),
      );
      try {
        const el = await chat({ storageKey: key });
        await el.send('first');
        await el.send('second');
        await rendered(el);
        const failed = parts(el, 'message--bot')[0];
        expect(failed.querySelector('[part~="error"]')!.textContent).to.contain('Query is too long.');
        expect(failed.querySelector('[part~="content"]'), 'no empty bubble').to.equal(null);
        el.remove();
        const again = await chat({ storageKey: key });
        expect(parts(again, 'message--bot')[0].querySelector('[part~="error"]')!.textContent).to.contain('Query is too long.');
      } finally {
        forget(key);
      }
    });
  });

  describe('18: code in a right-to-left answer', () => {
    it('is always left to right', async () => {
      const text = 'هذا هو الكود:\n\n```js\nconst order = getOrder();\n```';
      fetchMock = mockFetch(() => new Response(difyStream([text]), { headers: { 'content-type': 'text/event-stream' } }));
      const el = await chat();
      await el.send('code');
      await rendered(el);
      const block = part(el, 'code-block')!;
      expect(block.getAttribute('dir')).to.equal('ltr');
      expect(getComputedStyle(block.querySelector('pre')!).direction).to.equal('ltr');
      expect(getComputedStyle(el.shadowRoot!.querySelector('[part~="content"] p')!).direction).to.equal('rtl');
    });
  });

  describe('19: focus never drops to the page', () => {
    const sseResponse = () => new Response(difyStream(['ok']), { headers: { 'content-type': 'text/event-stream' } });

    it('after Enter-to-send and after a suggestion', async () => {
      fetchMock = mockFetch(() => sseResponse());
      const el = await chat({ extra: { suggestions: '["Track my order"]' } });
      part<HTMLButtonElement>(el, 'suggestion')!.focus();
      part<HTMLButtonElement>(el, 'suggestion')!.click();
      await until(el, () => el.messages.length === 2 && !part(el, 'stop-button'), 'answered');
      expect(shadowFocus(el)).to.equal(part(el, 'input'));
      part(el, 'input')!.focus();
      await sendKeys({ type: 'More' });
      await sendKeys({ press: 'Enter' });
      await until(el, () => el.messages.length === 4 && !part(el, 'stop-button'), 'answered again');
      expect(shadowFocus(el)).to.equal(part(el, 'input'));
    });

    it('after Stop, Retry and reset', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch((_c, i) => (i === 0 ? body.response : i === 1 ? jsonResponse({ code: 'x', message: 'busy', status: 503 }, 503) : sseResponse()));
      const el = await chat();
      void el.send('one');
      await rendered(el);
      part(el, 'stop-button')!.focus();
      part(el, 'stop-button')!.click();
      await el.updateComplete;
      await el.updateComplete;
      expect(shadowFocus(el), 'after Stop').to.equal(part(el, 'input'));
      await el.send('two');
      await rendered(el);
      part(el, 'retry-button')!.focus();
      part(el, 'retry-button')!.click();
      await until(el, () => !part(el, 'stop-button') && !part(el, 'retry-button'), 'retried');
      expect(shadowFocus(el), 'after Retry').to.equal(part(el, 'input'));
      part(el, 'reset-button')!.focus();
      part(el, 'reset-button')!.click();
      await el.updateComplete;
      await el.updateComplete;
      expect(shadowFocus(el), 'after reset').to.equal(part(el, 'input'));
    });
  });

  describe('20: following the newest text', () => {
    it('keeps following when content grows after the text (an image loads), and the jump button sits above the composer', async () => {
      fetchMock = mockFetch(() => new Response(difyStream([Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n\n')]), { headers: { 'content-type': 'text/event-stream' } }));
      const el = await chat();
      await el.send('long');
      await rendered(el);
      const log = part(el, 'log')!;
      await waitUntil(() => log.scrollHeight - log.scrollTop - log.clientHeight < 2, 'at the bottom');
      // an image finishing its load later: the content grows without a render
      const grow = document.createElement('div');
      grow.style.height = '400px';
      parts(el, 'message--bot').at(-1)!.querySelector('[part~="content"]')!.append(grow);
      await waitUntil(() => log.scrollHeight - log.scrollTop - log.clientHeight < 2, 'still at the bottom after the growth');
      // scrolled up, with a tall composer: the jump button does not cover the composer
      const input = part<HTMLTextAreaElement>(el, 'input')!;
      input.value = 'a\nb\nc\nd\ne\nf';
      input.dispatchEvent(new Event('input'));
      log.scrollTop = 0;
      log.dispatchEvent(new Event('scroll'));
      await until(el, () => part(el, 'jump-button'), 'jump button');
      const jump = part(el, 'jump-button')!.getBoundingClientRect();
      const composer = part(el, 'composer')!.getBoundingClientRect();
      expect(jump.bottom).to.be.at.most(composer.top);
    });
  });

  describe('21: reloading mid-stream', () => {
    it('keeps the partial answer (written while streaming and on pagehide)', async () => {
      const key = uniqueKey();
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      try {
        const el = await chat({ storageKey: key });
        void el.send('Tell me a story');
        body.push(message('Once upon a time'));
        await until(el, () => lastAnswer(el) === 'Once upon a time', 'partial');
        window.dispatchEvent(new PageTransitionEvent('pagehide'));
        // the page goes away: a new page load shows what had arrived
        const stored = localStorage.getItem(`dify-chat:${key}:messages`)!;
        const again = await chat({ storageKey: key });
        expect(stored).to.contain('Once upon a time');
        expect(again.messages.at(-1)!.text).to.equal('Once upon a time');
        expect(again.messages.at(-1)!.status).to.equal('stopped');
        el.remove();
      } finally {
        forget(key);
      }
    });
  });
});
