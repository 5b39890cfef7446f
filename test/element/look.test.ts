// The default look and the presentation options (SPEC §14), through attributes, parts and computed styles.
import { expect } from '@open-wc/testing';
import { backgroundOf, contrast } from '../helpers/contrast.js';
import { ControlledResponse, jsonResponse, mockFetch } from '../helpers/mock-fetch.js';
import { chat, difyStream, lastAnswer, part, parts, rendered, sse, uniqueKey, until, type DifyChat } from '../helpers/element.js';

const sseResponse = (pieces: string[]) => new Response(difyStream(pieces), { headers: { 'content-type': 'text/event-stream' } });

describe('<dify-chat> look', () => {
  let fetchMock: ReturnType<typeof mockFetch> | undefined;
  afterEach(() => {
    fetchMock?.restore();
    fetchMock = undefined;
  });

  it('theme="dark" and theme="auto" switch the built-in palette', async () => {
    const el = await chat();
    const panel = part(el, 'panel')!;
    const light = getComputedStyle(panel).backgroundColor;
    el.setAttribute('theme', 'dark');
    await el.updateComplete;
    const dark = getComputedStyle(panel).backgroundColor;
    expect(dark).to.not.equal(light);
    expect(contrast(dark, getComputedStyle(panel).color)).to.be.at.least(7);
    el.setAttribute('theme', 'auto');
    await el.updateComplete;
    const auto = getComputedStyle(panel).backgroundColor;
    expect([light, dark]).to.include(auto);
    el.setAttribute('theme', 'neon');
    await el.updateComplete;
    expect(el.theme).to.equal('light');
  });

  it('header: a labelled "new conversation" control that can be undone; the title is not a heading unless asked', async () => {
    fetchMock = mockFetch(() => sseResponse(['Hi!']));
    const el = await chat();
    expect(part(el, 'title')!.getAttribute('role')).to.equal(null);
    el.setAttribute('heading-level', '3');
    await el.updateComplete;
    expect(part(el, 'title')!.getAttribute('role')).to.equal('heading');
    expect(part(el, 'title')!.getAttribute('aria-level')).to.equal('3');
    const reset = part<HTMLButtonElement>(el, 'reset-button')!;
    expect(reset.textContent!.trim()).to.equal('New chat');
    await el.send('Hello');
    const id = el.conversationId;
    reset.click();
    await el.updateComplete;
    expect(el.messages).to.deep.equal([]);
    part<HTMLButtonElement>(el, 'undo-button')!.click();
    await el.updateComplete;
    expect(el.messages.map((m) => m.text)).to.deep.equal(['Hello', 'Hi!']);
    expect(el.conversationId).to.equal(id);
    expect(part(el, 'undo-button')).to.equal(null);
  });

  it('composer: Send is disabled while the box is empty; targets are at least 44px', async () => {
    const el = await chat();
    const send = part<HTMLButtonElement>(el, 'send-button')!;
    expect(send.disabled).to.equal(true);
    const input = part<HTMLTextAreaElement>(el, 'input')!;
    input.value = '  ';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(send.disabled).to.equal(true);
    input.value = 'tea?';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(send.disabled).to.equal(false);
    for (const name of ['send-button', 'input']) {
      const box = part(el, name)!.getBoundingClientRect();
      expect(box.height, name).to.be.at.least(44);
    }
  });

  it('a streaming answer shows that more is coming; a stopped one says so apart from the text', async () => {
    const body = new ControlledResponse();
    fetchMock = mockFetch(() => body.response);
    const el = await chat();
    void el.send('go');
    body.push(sse({ event: 'message', conversation_id: 'c', message_id: 'm', task_id: 't', answer: 'Part one' }));
    await until(el, () => lastAnswer(el) === 'Part one', 'streaming');
    const bot = parts(el, 'message--bot').at(-1)!;
    // the answer's last block (blocks are grouped for rendering speed)
    const lastBlock = () => bot.querySelector('[part~="content"] > :last-child')!.querySelector(':scope.md-group > :last-child') ?? bot.querySelector('[part~="content"] > :last-child')!;
    expect(lastBlock().textContent).to.equal('Part one');
    const caret = getComputedStyle(lastBlock(), '::after');
    expect(caret.content).to.equal('""');
    expect(caret.display).to.equal('inline-block');
    el.stop();
    await el.updateComplete;
    expect(getComputedStyle(lastBlock(), '::after').content).to.equal('none');
    const notice = bot.querySelector('[part~="notice"]')!;
    expect(notice.textContent!.trim()).to.equal('Stopped.');
    expect(bot.querySelector('[part~="content"]')!.contains(notice)).to.equal(false);
  });

  it('only the newest block shows the caret, and the answer sits flush in its bubble, also ending in a code block', async () => {
    const body = new ControlledResponse();
    fetchMock = mockFetch(() => body.response);
    const el = await chat();
    void el.send('go');
    const push = (answer: string) => body.push(sse({ event: 'message', conversation_id: 'c', message_id: 'm', task_id: 't', answer }));
    push('First paragraph.\n\nSecond paragraph');
    const bot = () => parts(el, 'message--bot').at(-1)!;
    const blocks = () => [...(bot()?.querySelectorAll('[part~="content"] > .md-group > *') ?? [])];
    await until(el, () => blocks()[1]?.textContent === 'Second paragraph', 'streaming');
    const caret = (block: Element) => getComputedStyle(block, '::after').content;
    expect(blocks().map(caret)).to.deep.equal(['none', '""']);
    expect(getComputedStyle(blocks()[0]).marginTop).to.equal('0px');
    expect(getComputedStyle(blocks()[1]).marginBottom).to.equal('0px');
    expect(parseFloat(getComputedStyle(blocks()[0]).marginBottom), 'between blocks').to.be.above(0);
    // (the code block gets part "blocks": its header and copy button; a part that arrives mid-answer: view.test.ts)
    push('.\n\n```js\nconst x = 1;\n```');
    await until(el, () => blocks().length === 3 && bot().querySelector('.code-block') !== null, 'the code block');
    const code = blocks()[2];
    expect(code.classList.contains('code-block')).to.equal(true);
    expect(blocks().map(caret)).to.deep.equal(['none', 'none', '""']);
    expect(getComputedStyle(code).marginBottom, 'a code block last').to.equal('0px');
    expect(parseFloat(getComputedStyle(blocks()[1]).marginBottom), 'no longer last').to.be.above(0);
    body.push(sse({ event: 'message_end', conversation_id: 'c', message_id: 'm', task_id: 't' }));
    body.close();
    await until(el, () => el.messages.at(-1)?.status === 'done', 'done');
    await el.updateComplete;
    expect(blocks().map(caret), 'no caret once done').to.deep.equal(['none', 'none', 'none']);
    expect(getComputedStyle(code).marginBottom).to.equal('0px');
  });

  it('avatars (safe URLs only) and message times', async () => {
    fetchMock = mockFetch(() => sseResponse(['Hi']));
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (m: string) => warnings.push(m);
    let el: DifyChat;
    try {
      el = await chat({ extra: { 'bot-avatar': '/img/bot.png', 'user-avatar': 'javascript:alert(1)', 'show-time': '' } });
      await el.send('Hello');
      await rendered(el);
    } finally {
      console.warn = warn;
    }
    const avatars = parts<HTMLImageElement>(el, 'avatar');
    expect(avatars.length, 'header and the answer').to.equal(2);
    for (const a of avatars) expect(a.src).to.equal(new URL('/img/bot.png', location.href).href);
    expect(warnings.some((w) => w.includes('user-avatar'))).to.equal(true);
    for (const a of avatars) {
      const box = a.getBoundingClientRect();
      expect([box.width, box.height], 'a small round picture, never stretched').to.deep.equal([28, 28]);
    }
    const answer = part(el, 'message--bot')!.getBoundingClientRect();
    expect(answer.left - avatars[1].getBoundingClientRect().right, 'the answer starts beside its avatar').to.be.within(4, 12);
    const times = parts<HTMLTimeElement>(el, 'time');
    expect(times).to.have.length(2);
    expect(new Date(times[0].dateTime).getTime()).to.equal(el.messages[0].createdAt);
    expect(times[0].textContent).to.match(/\d/);
  });

  it('code blocks: language header, a copy button that copies the code, keyboard-reachable scrolling, left to right', async () => {
    fetchMock = mockFetch(() => sseResponse(['```ts\nconst x = 1;\n```']));
    const copied: string[] = [];
    const clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void copied.push(t) } });
    try {
      const el = await chat();
      await el.send('code');
      await rendered(el);
      const block = part(el, 'code-block')!;
      expect(block.querySelector('.code-lang')!.textContent).to.equal('ts');
      expect(block.getAttribute('dir')).to.equal('ltr');
      expect(block.querySelector('pre')!.tabIndex).to.equal(0);
      part<HTMLButtonElement>(el, 'code-copy')!.click();
      await until(el, () => copied.length, 'copied');
      expect(copied).to.deep.equal(['const x = 1;']);
      expect(part(el, 'code-copy')!.textContent).to.equal('Copied');
    } finally {
      delete (navigator as { clipboard?: unknown }).clipboard;
      if (clipboard) Object.defineProperty(Navigator.prototype, 'clipboard', clipboard);
    }
  });

  it('renderers: code and math are handed to the page once per finished block, never while they stream', async () => {
    const body = new ControlledResponse();
    fetchMock = mockFetch(() => body.response);
    const el = await chat();
    const calls: string[] = [];
    el.renderers = {
      code: (code, lang) => {
        calls.push(`code:${lang}:${code}`);
        const b = document.createElement('b');
        b.className = 'hl';
        b.textContent = code.toUpperCase();
        return b;
      },
      math: (tex, display) => {
        calls.push(`math:${display}:${tex}`);
        return null;
      },
    };
    void el.send('x');
    const msg = (answer: string) => sse({ event: 'message', conversation_id: 'c', message_id: 'm', task_id: 't', answer });
    body.push(msg('```js\nlet a'));
    await until(el, () => lastAnswer(el).includes('let a'), 'code streaming');
    expect(calls, 'nothing while the block streams').to.deep.equal([]);
    body.push(msg(' = 1\n```\n\nand $x^2$ done'));
    body.push(sse({ event: 'message_end', conversation_id: 'c', message_id: 'm', task_id: 't' }));
    body.close();
    await until(el, () => el.messages.at(-1)!.status === 'done', 'done');
    await rendered(el);
    expect(calls).to.deep.equal(['code:js:let a = 1', 'math:false:x^2']);
    expect(part(el, 'code-block')!.querySelector('pre .hl')!.textContent).to.equal('LET A = 1');
  });

  it('agent steps: the thought as markdown, tool input and output pretty-printed; citations as chips', async () => {
    const envelope = { conversation_id: 'c', message_id: 'm', task_id: 't' };
    const stream =
      sse({ event: 'agent_thought', ...envelope, id: 'a1', position: 1, thought: 'Looking **up**', tool: 'search', tool_input: '{"q":"tea","n":2}', observation: '{"hits":[1]}' }) +
      sse({ event: 'agent_thought', ...envelope, id: 'a2', position: 2, thought: 'Thinking it over' }) +
      sse({ event: 'message', ...envelope, answer: 'Done.' }) +
      sse({ event: 'message_end', ...envelope, metadata: { retriever_resources: [{ position: 1, document_name: 'Menu.pdf', content: 'Green tea…' }] } });
    fetchMock = mockFetch(() => new Response(stream, { headers: { 'content-type': 'text/event-stream' } }));
    const el = await chat();
    await el.send('search');
    await rendered(el);
    const step = part(el, 'thought')!;
    expect(step.querySelector('strong')!.textContent).to.equal('up');
    expect([...step.querySelectorAll('pre')].map((p) => p.textContent)).to.deep.equal(['{\n  "q": "tea",\n  "n": 2\n}', '{\n  "hits": [\n    1\n  ]\n}']);
    expect(parts(el, 'thought').map((s) => s.querySelector('summary')!.textContent!.trim()), 'named by tool, else numbered').to.deep.equal(['Used search', 'Step 2']);
    const chip = part(el, 'citation')!;
    expect(chip.tagName).to.equal('DETAILS');
    expect(chip.querySelector('summary')!.textContent).to.contain('Menu.pdf');
    expect(getComputedStyle(chip.querySelector('summary')!).borderTopLeftRadius).to.equal('999px');
    await expect(el).to.be.accessible();
  });

  it('links in answers and Retry meet 4.5:1 contrast, also with a light accent and in the dark theme', async () => {
    fetchMock = mockFetch((_c, i) =>
      i === 0 ? sseResponse(['See [the menu](https://x.example/menu).']) : jsonResponse({ code: 'x', message: 'Busy', status: 503 }, 503),
    );
    const el = await chat();
    await el.send('link');
    await el.send('fail');
    for (const theme of ['light', 'dark']) {
      for (const accent of ['', '#ff69b4', '#fde047']) {
        el.setAttribute('theme', theme);
        el.style.setProperty('--dify-chat-accent', accent || null);
        await rendered(el);
        const link = el.shadowRoot!.querySelector('[part~="content"] a')!;
        expect(contrast(getComputedStyle(link).color, backgroundOf(link)), `link ${theme} ${accent}`).to.be.at.least(4.5);
        const retry = part(el, 'retry-button')!;
        expect(contrast(getComputedStyle(retry).color, backgroundOf(retry)), `retry ${theme}`).to.be.at.least(4.5);
      }
    }
  });

  it('bot answers use the full width of the log; tables scroll inside their own focusable box', async () => {
    const table = `| ${Array.from({ length: 12 }, (_, i) => `column ${i}`).join(' | ')} |\n|${'---|'.repeat(12)}\n| ${Array.from({ length: 12 }, () => 'value').join(' | ')} |`;
    fetchMock = mockFetch(() => sseResponse([table]));
    const el = await chat({ storageKey: uniqueKey() });
    el.style.width = '420px';
    await el.send('table');
    await rendered(el);
    const log = part(el, 'log')!.getBoundingClientRect();
    const bot = parts(el, 'message--bot').at(-1)!.getBoundingClientRect();
    expect(bot.width).to.be.above(log.width - 40);
    const box = el.shadowRoot!.querySelector<HTMLElement>('.table-scroll')!;
    expect(box.tabIndex).to.equal(0);
    expect(box.scrollWidth).to.be.above(box.clientWidth);
    expect(getComputedStyle(el.shadowRoot!.querySelector('th')!).backgroundColor).to.not.equal(getComputedStyle(el.shadowRoot!.querySelector('td')!).backgroundColor);
  });

  it('a table too wide for the log scrolls rather than breaking its words letter by letter', async () => {
    const words = ['Temperature', 'Steeping', 'Quantity', 'Caffeine', 'Origin'];
    fetchMock = mockFetch(() => sseResponse([`| ${words.join(' | ')} |\n|${'---|'.repeat(5)}\n| ${words.join(' | ')} |`]));
    const el = await chat({ storageKey: uniqueKey() });
    el.style.width = '320px';
    await el.send('table');
    await rendered(el);
    for (const cell of el.shadowRoot!.querySelectorAll('th, td')) {
      const range = document.createRange();
      range.selectNodeContents(cell);
      expect(range.getClientRects().length, `"${cell.textContent}" on one line`).to.equal(1);
    }
    const box = el.shadowRoot!.querySelector<HTMLElement>('.table-scroll')!;
    expect(box.scrollWidth).to.be.above(box.clientWidth);
  });
});
