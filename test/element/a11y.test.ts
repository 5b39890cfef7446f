// Everyone, everywhere (SPEC §17): screen-reader announcements, keyboard-only use, right-to-left, axe in
// every state. Languages: test/element/languages.test.ts.
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { ControlledResponse, jsonResponse, mockFetch } from '../helpers/mock-fetch.js';
import { chat, difyStream, part, parts, rendered, sse, uniqueKey, until, type DifyChat } from '../helpers/element.js';

const envelope = { conversation_id: 'c1', message_id: 'm1', task_id: 't1' };
const message = (answer: string) => sse({ event: 'message', ...envelope, answer });
const status = (el: DifyChat) => el.shadowRoot!.querySelector('.sr-status')!;
const alert = (el: DifyChat) => el.shadowRoot!.querySelector('.sr-alert')!;
const shadowFocus = (el: DifyChat) => el.shadowRoot!.activeElement;

/** Everything the live region said while `run` ran (it is cleared and refilled for each announcement). */
async function said(el: DifyChat, region: (el: DifyChat) => Element, run: () => Promise<unknown>): Promise<string[]> {
  const heard: string[] = [];
  const observer = new MutationObserver(() => {
    const text = region(el).textContent ?? '';
    if (text) heard.push(text);
  });
  observer.observe(region(el), { childList: true, characterData: true, subtree: true });
  await run();
  await new Promise((r) => setTimeout(r, 120));
  observer.disconnect();
  return heard;
}

describe('<dify-chat> accessibility', () => {
  let fetchMock: ReturnType<typeof mockFetch> | undefined;
  afterEach(() => {
    fetchMock?.restore();
    fetchMock = undefined;
  });

  it('a streaming answer is announced once, in full, when it is complete (never chunk by chunk)', async () => {
    const body = new ControlledResponse();
    fetchMock = mockFetch(() => body.response);
    const el = await chat({ extra: { 'bot-name': 'Pink' } });
    const log = part(el, 'log')!;
    expect(log.getAttribute('role')).to.equal('log');
    expect(log.getAttribute('aria-live'), 'the log itself stays quiet').to.equal('off');
    const heard = await said(el, status, async () => {
      const done = el.send('hi');
      for (const piece of ['The **green** ', 'tea is ', 'ready.']) {
        body.push(message(piece));
        await until(el, () => el.messages.at(-1)!.text.trimEnd().endsWith(piece.trim()), 'chunk');
        expect(log.getAttribute('aria-busy'), 'busy while streaming').to.equal('true');
      }
      body.push(sse({ event: 'message_end', ...envelope }));
      body.close();
      await done;
    });
    expect(heard).to.deep.equal(['Pink: The green tea is ready.']);
    await rendered(el);
    expect(log.getAttribute('aria-busy')).to.equal('false');
  });

  it('errors are announced assertively; stop and a new conversation politely', async () => {
    const body = new ControlledResponse();
    fetchMock = mockFetch((_c, i) => (i === 0 ? jsonResponse({ code: 'too_many_requests', message: 'Slow down, please.', status: 429 }, 429) : body.response));
    const el = await chat();
    expect(await said(el, alert, () => el.send('one'))).to.deep.equal(['Slow down, please.']);
    const stopped = await said(el, status, async () => {
      void el.send('two');
      body.push(message('Par'));
      await until(el, () => el.messages.at(-1)!.text === 'Par', 'streaming');
      el.stop();
    });
    expect(stopped).to.deep.equal(['Stopped.']);
    expect(await said(el, status, async () => el.reset())).to.deep.equal(['A new conversation started.']);
  });

  it('keyboard only: type, send with Enter, stop with Escape, retry, reset; focus is never lost', async () => {
    const body = new ControlledResponse();
    fetchMock = mockFetch((_c, i) =>
      i === 0 ? body.response : i === 1 ? jsonResponse({ code: 'x', message: 'Busy', status: 503 }, 503) : new Response(difyStream(['Fine']), { headers: { 'content-type': 'text/event-stream' } }),
    );
    const el = await chat({ extra: { suggestions: '["Hello"]' } });
    // Tab order: the New chat control, the log, the starter prompt, the message box
    part(el, 'reset-button')!.focus();
    const order: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      await sendKeys({ press: 'Tab' });
      order.push(shadowFocus(el)?.getAttribute('part') ?? null);
    }
    expect(order).to.deep.equal(['log', 'suggestion', 'input']);
    await sendKeys({ type: 'First question' });
    await sendKeys({ press: 'Enter' });
    body.push(message('Working'));
    await until(el, () => part(el, 'stop-button'), 'streaming');
    expect(shadowFocus(el)).to.equal(part(el, 'input'));
    await sendKeys({ press: 'Escape' });
    await rendered(el);
    expect(el.messages.at(-1)!.status).to.equal('stopped');
    expect(shadowFocus(el)).to.equal(part(el, 'input'));
    await sendKeys({ type: 'Second' });
    await sendKeys({ press: 'Enter' });
    await until(el, () => part(el, 'retry-button'), 'failed');
    // from the message box, Shift+Tab backwards reaches Retry
    let steps = 0;
    await sendKeys({ down: 'Shift' });
    while (shadowFocus(el) !== part(el, 'retry-button') && steps++ < 8) await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(shadowFocus(el)).to.equal(part(el, 'retry-button'));
    await sendKeys({ press: 'Enter' });
    await until(el, () => el.messages.at(-1)!.text === 'Fine', 'retried');
    expect(shadowFocus(el)).to.equal(part(el, 'input'));
    part(el, 'reset-button')!.focus();
    await sendKeys({ press: 'Enter' });
    await rendered(el);
    expect(el.messages).to.deep.equal([]);
    expect(shadowFocus(el)).to.equal(part(el, 'input'));
  });

  it('keyboard only with the launcher: open with Enter, Escape closes and focus returns', async () => {
    const el = await fixture<DifyChat>(html`<dify-chat mode="launcher" endpoint="/x" storage-key=${uniqueKey()}></dify-chat>`);
    part(el, 'launcher')!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(shadowFocus(el)).to.equal(part(el, 'input'));
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(shadowFocus(el)).to.equal(part(el, 'launcher'));
  });

  it('right to left: dir="rtl" on the page mirrors the panel; code stays left to right', async () => {
    fetchMock = mockFetch(() => new Response(difyStream(['مرحبا\n\n```js\nlet x = 1;\n```']), { headers: { 'content-type': 'text/event-stream' } }));
    const wrap = await fixture<HTMLDivElement>(html`<div dir="rtl" style="width:500px"><dify-chat endpoint="/x" storage-key=${uniqueKey()} suggestions='["أهلا"]'></dify-chat></div>`);
    const el = wrap.querySelector('dify-chat') as DifyChat;
    await el.updateComplete;
    const header = part(el, 'header')!.getBoundingClientRect();
    const title = part(el, 'title')!.getBoundingClientRect();
    const reset = part(el, 'reset-button')!.getBoundingClientRect();
    expect(title.right).to.be.closeTo(header.right - 12, 2);
    expect(reset.left).to.be.below(title.left);
    await el.send('سؤال');
    await rendered(el);
    const user = parts(el, 'message--user')[0].getBoundingClientRect();
    const log = part(el, 'log')!.getBoundingClientRect();
    expect(user.left - log.left, 'the visitor’s messages sit on the left in rtl').to.be.below(20);
    expect(getComputedStyle(part(el, 'code-block')!).direction).to.equal('ltr');
    await expect(el).to.be.accessible();
  });

  describe('axe: no violations in any state', () => {
    it('empty, with welcome and starter prompts', async () => {
      const el = await chat({ extra: { welcome: 'Hi! Ask me **anything**.', suggestions: '["One","Two"]', 'show-time': '' } });
      await expect(el).to.be.accessible();
    });

    it('streaming', async () => {
      const body = new ControlledResponse();
      fetchMock = mockFetch(() => body.response);
      const el = await chat();
      void el.send('hi');
      body.push(message('Some **bold** text'));
      await until(el, () => part(el, 'stop-button') && el.messages.at(-1)!.text, 'streaming');
      await expect(el).to.be.accessible();
      el.stop();
    });

    it('answered with markdown, citations, agent steps and actions', async () => {
      const stream =
        sse({ event: 'agent_thought', ...envelope, id: 'a', position: 1, thought: 'Searching', tool: 'search', tool_input: '{"q":1}', observation: '{}' }) +
        message('# Title\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n```js\nlet a = 1;\n```\n\n[link](https://x.example)') +
        sse({ event: 'message_end', ...envelope, metadata: { retriever_resources: [{ position: 1, document_name: 'Doc', content: 'c' }] } });
      fetchMock = mockFetch(() => new Response(stream, { headers: { 'content-type': 'text/event-stream' } }));
      const el = await chat({ extra: { 'bot-avatar': '/x.png', 'show-time': '', feedback: '', tts: '' } });
      await el.send('hi');
      await until(el, () => part(el, 'copy-button') && part(el, 'citation'), 'actions and citations');
      await expect(el).to.be.accessible();
    });

    it('error', async () => {
      fetchMock = mockFetch(() => jsonResponse({ code: 'x', message: 'Down', status: 503 }, 503));
      const el = await chat();
      await el.send('hi');
      await rendered(el);
      await expect(el).to.be.accessible();
    });

    it('launcher closed (with teaser and badge) and open; dark theme; forced colours', async () => {
      // (colours are checked without the opening fade, which axe would see half-transparent)
      await emulateMedia({ reducedMotion: 'reduce' });
      fetchMock = mockFetch(() => new Response(difyStream(['Hi']), { headers: { 'content-type': 'text/event-stream' } }));
      const el = await fixture<DifyChat>(html`<dify-chat mode="launcher" teaser="Questions?" endpoint="/x" storage-key=${uniqueKey()}></dify-chat>`);
      await el.send('ping');
      await rendered(el);
      expect(part(el, 'badge')).to.exist;
      await expect(el).to.be.accessible();
      el.show();
      await el.updateComplete;
      await expect(el).to.be.accessible();
      el.setAttribute('theme', 'dark');
      await el.updateComplete;
      await expect(el).to.be.accessible();
      await emulateMedia({ forcedColors: 'active' });
      try {
        const send = part(el, 'input')!;
        expect(send).to.exist;
        await expect(el).to.be.accessible();
      } finally {
        await emulateMedia({ forcedColors: 'none', reducedMotion: 'no-preference' });
      }
    });
  });
});
