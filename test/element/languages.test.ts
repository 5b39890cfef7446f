// Languages (SPEC §17): which language the widget speaks, its texts, Intl, right to left.
import { expect, fixture, html } from '@open-wc/testing';
import { mockFetch } from '../helpers/mock-fetch.js';
import { difyStream, part, parts, rendered, uniqueKey, until, type DifyChat } from '../helpers/element.js';
import { messages as fr } from '../../src/parts/dify-chat-lang-fr.js';
import { messages as de } from '../../src/parts/dify-chat-lang-de.js';
import { messages as ar } from '../../src/parts/dify-chat-lang-ar.js';
import { messages as ja } from '../../src/parts/dify-chat-lang-ja.js';
import { messages as ko } from '../../src/parts/dify-chat-lang-ko.js';
import { defaultStrings } from '../../src/strings.js';
import { partStrings } from '../../src/app/strings.js';

async function mockApp(site: Record<string, unknown>) {
  const res = await fetch('/api/_mock/apps', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site }) });
  return ((await res.json()) as { api: string }).api;
}

describe('<dify-chat> languages', () => {
  let fetchMock: ReturnType<typeof mockFetch> | undefined;
  afterEach(() => {
    fetchMock?.restore();
    fetchMock = undefined;
  });

  it('the lang attribute: its built-in texts from the first render (no English first)', async () => {
    const el = await fixture<DifyChat>(html`<dify-chat lang="fr-CA" endpoint="/x" storage-key=${uniqueKey()}></dify-chat>`);
    expect(part(el, 'send-button')!.getAttribute('aria-label')).to.equal(fr.send);
    expect(part(el, 'input')!.getAttribute('aria-label')).to.equal(fr.input);
    expect(part(el, 'reset-button')!.textContent!.trim()).to.equal(fr.newChat);
  });

  it('else the nearest lang in the page; `strings` still wins over the language', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div lang="de"><dify-chat endpoint="/x" storage-key=${uniqueKey()}></dify-chat></div>`);
    const el = wrap.querySelector('dify-chat') as DifyChat;
    await el.updateComplete;
    expect(part(el, 'send-button')!.getAttribute('aria-label')).to.equal(de.send);
    el.strings = { send: 'Ab damit' };
    await el.updateComplete;
    expect(part(el, 'send-button')!.getAttribute('aria-label')).to.equal('Ab damit');
    expect(part(el, 'stop-button') ?? part(el, 'input')!.getAttribute('aria-label')).to.equal(de.input);
  });

  it('a language set later: the texts change, the answers shown too (code block header and copy button)', async () => {
    fetchMock = mockFetch(() => new Response(difyStream(['Here:\n\n```\nx = 1\n```\n']), { headers: { 'content-type': 'text/event-stream' } }));
    const el = await fixture<DifyChat>(html`<dify-chat lang="en" endpoint="/x" storage-key=${uniqueKey()}></dify-chat>`);
    await el.send('go');
    await rendered(el);
    const copy = () => part(el, 'code-copy');
    await until(el, () => copy(), 'the code block');
    expect(copy()!.textContent!.trim()).to.equal(defaultStrings.copyCode);
    el.lang = 'ja';
    await until(el, () => part(el, 'send-button')!.getAttribute('aria-label') === ja.send, 'Japanese texts');
    await rendered(el);
    expect(copy()!.textContent!.trim(), 'the copy button of an answer shown before').to.equal(ja.copyCode);
    expect(el.shadowRoot!.querySelector('.code-lang')!.textContent).to.equal(ja.code);
  });

  it("else the app's default_language (api)", async () => {
    const api = await mockApp({ default_language: 'ja-JP', title: 'お茶' });
    const el = await fixture<DifyChat>(html`<dify-chat api=${api} storage-key=${uniqueKey()}></dify-chat>`);
    await until(el, () => part(el, 'title')!.textContent === 'お茶', 'configured');
    expect(part(el, 'send-button')!.getAttribute('aria-label')).to.equal(ja.send);
  });

  it('Arabic: right to left without a dir on the page, counts in Intl, code left to right', async () => {
    fetchMock = mockFetch(() => new Response(difyStream(['```js\nlet a = 1;\n```']), { headers: { 'content-type': 'text/event-stream' } }));
    const el = await fixture<DifyChat>(html`<dify-chat lang="ar" mode="launcher" endpoint="/x" storage-key=${uniqueKey()}></dify-chat>`);
    await el.send('سؤال');
    await el.send('سؤال');
    await rendered(el);
    expect(part(el, 'badge')!.textContent!.trim()).to.equal(new Intl.NumberFormat('ar').format(2));
    expect(part(el, 'launcher')!.getAttribute('aria-label')).to.contain(ar.open.split('{')[0].trim());
    el.show();
    await el.updateComplete;
    expect(getComputedStyle(part(el, 'panel')!).direction).to.equal('rtl');
    expect(getComputedStyle(part(el, 'code-block')!).direction).to.equal('ltr');
    expect(parts(el, 'message--user')).to.have.length(2);
  });

  it('times are formatted with Intl in the widget\'s language', async () => {
    fetchMock = mockFetch(() => new Response(difyStream(['ok']), { headers: { 'content-type': 'text/event-stream' } }));
    const el = await fixture<DifyChat>(html`<dify-chat lang="ar" show-time endpoint="/x" storage-key=${uniqueKey()}></dify-chat>`);
    await el.send('hi');
    await rendered(el);
    const time = part(el, 'time')!;
    expect(time.textContent).to.equal(new Intl.DateTimeFormat('ar', { hour: 'numeric', minute: '2-digit' }).format(el.messages[0].createdAt));
  });

  it('every control, the dialog, the log and the badge are named in the widget\'s language', async () => {
    fetchMock = mockFetch(() => new Response(difyStream(['```js\nlet a = 1;\n```\n\nDone.']), { headers: { 'content-type': 'text/event-stream' } }));
    const el = await fixture<DifyChat>(html`<dify-chat lang="ko" mode="launcher" teaser="안녕하세요" feedback tts endpoint="/x"
      storage-key=${uniqueKey()}></dify-chat>`);
    await el.send('질문');
    await rendered(el);
    el.show();
    await until(el, () => part(el, 'copy-button') && part(el, 'speak-button'), 'actions');
    const root = el.shadowRoot!;
    const named = [...root.querySelectorAll<HTMLElement>('button, textarea, [role="dialog"], [role="log"], [part~="badge"], [role="article"]')];
    expect(named.length).to.be.above(10);
    const english = new Set(Object.values({ ...defaultStrings, ...partStrings }).map((t) => t.split('{')[0].trim()).filter((t) => t.length > 3));
    const korean = new Set(Object.values(ko).map((t) => t.split('{')[0].trim()).filter(Boolean));
    for (const control of named) {
      const name = (control.getAttribute('aria-label') ?? control.textContent ?? '').trim();
      const what = control.getAttribute('part') ?? control.getAttribute('role') ?? control.tagName;
      expect(name, `${what} has a name`).to.not.equal('');
      for (const text of english) expect(name.includes(text) && !korean.has(text), `${what} is named in English: "${name}"`).to.equal(false);
    }
    const labelled = root.getElementById(part(el, 'panel')!.getAttribute('aria-labelledby')!)!;
    expect(labelled.textContent!.trim(), 'the dialog is labelled by the bot name, by default in Korean').to.equal(ko.assistant);
    expect(part<HTMLTextAreaElement>(el, 'input')!.placeholder).to.equal(ko.placeholder);
    el.botName = 'Pink';
    el.placeholder = 'Ask Pink';
    await el.updateComplete;
    expect(part(el, 'title')!.textContent!.trim(), "the page's own name wins").to.equal('Pink');
    expect(part<HTMLTextAreaElement>(el, 'input')!.placeholder).to.equal('Ask Pink');
  });
});
