// A closed launcher at page load is dormant (SPEC §11): it makes only its button, with the small sheet of
// the button's rules, and no update or render; any change, or the visitor pointing at it, wakes the rest.
// These tests hold it to looking and behaving exactly as the awake element does.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { messages as de } from '../../src/parts/dify-chat-lang-de.js';
import { format } from '../../src/strings.js';
import { mockFetch } from '../helpers/mock-fetch.js';
import { difyStream, part, uniqueKey, type DifyChat } from '../helpers/element.js';

const closed = async (key = uniqueKey()) => {
  const el = await fixture<DifyChat>(html`<dify-chat mode="launcher" endpoint="/mock/chat" storage-key=${key}></dify-chat>`);
  await el.updateComplete;
  return el;
};

/** What the visitor sees of the launcher button. */
const look = (button: Element): Record<string, unknown> => {
  const s = getComputedStyle(button);
  const box = button.getBoundingClientRect();
  return {
    box: [box.left, box.top, box.width, box.height].map(Math.round),
    ...Object.fromEntries(['position', 'z-index', 'background-color', 'color', 'border-radius', 'box-shadow', 'display', 'cursor', 'outline-offset'].map((p) => [p, s.getPropertyValue(p)])),
  };
};

/** Nothing but the button in the shadow root: no template was rendered. */
const onlyTheButton = (el: DifyChat) => [...el.shadowRoot!.childNodes].map((n) => (n as Element).getAttribute?.('part') ?? n.nodeName);

describe('<dify-chat mode="launcher">, closed at page load: dormant', () => {
  it('is only its button, and looks the same once the rest has woken', async () => {
    const el = await closed();
    const button = part(el, 'launcher')!;
    expect(onlyTheButton(el)).to.deep.equal(['launcher']);
    expect(button.getAttribute('aria-label')).to.equal('Open chat with Assistant');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    const before = look(button);
    expect(before.position).to.equal('fixed');
    // the page's element: only the attributes it was given (the defaults' come with the first update)
    const attributes = () => el.getAttributeNames().sort();
    expect(attributes()).to.deep.equal(['endpoint', 'mode', 'storage-key']);
    button.dispatchEvent(new PointerEvent('pointerenter'));
    await el.updateComplete;
    expect(el.matches(':state(empty)'), 'updated once woken').to.equal(true);
    expect(part(el, 'launcher'), 'the same button, kept').to.equal(button);
    expect(look(button)).to.deep.equal(before);
    expect(attributes()).to.deep.equal(['endpoint', 'mode', 'position', 'storage-key', 'theme']);
  });

  it('pointing at it wakes it without an open or close event; a click then opens it once', async () => {
    const el = await closed();
    const events: string[] = [];
    for (const type of ['dify-chat-open', 'dify-chat-close']) el.addEventListener(type, () => events.push(type));
    part(el, 'launcher')!.dispatchEvent(new PointerEvent('pointerenter'));
    await el.updateComplete;
    expect(events).to.deep.equal([]);
    const opened = oneEvent(el, 'dify-chat-open');
    part<HTMLButtonElement>(el, 'launcher')!.click();
    await opened;
    await el.updateComplete;
    expect(events).to.deep.equal(['dify-chat-open']);
    expect(part(el, 'panel')!.hidden).to.equal(false);
  });

  it('a property the page sets wakes it, and the button follows', async () => {
    const el = await closed();
    el.botName = 'Ava';
    el.position = 'bottom-left';
    await el.updateComplete;
    const button = part(el, 'launcher')!;
    expect(button.getAttribute('aria-label')).to.equal('Open chat with Ava');
    expect(el.getAttribute('position')).to.equal('bottom-left');
    expect(Math.round(button.getBoundingClientRect().left)).to.equal(20);
  });

  it('values set on the element before it upgraded apply to the dormant button', async () => {
    // an element of a document without custom elements is not upgraded until it joins this one
    const early = document.implementation.createHTMLDocument('').createElement('dify-chat') as DifyChat & Record<string, unknown>;
    Object.assign(early, { mode: 'launcher', position: 'bottom-left', botName: 'Ava', endpoint: '/mock/chat', storageKey: uniqueKey() });
    const el = (await fixture<HTMLDivElement>(html`<div></div>`)).appendChild(early) as DifyChat;
    await el.updateComplete;
    expect(onlyTheButton(el)).to.deep.equal(['launcher']);
    expect(el.getAttribute('mode')).to.equal('launcher');
    expect(el.getAttribute('position')).to.equal('bottom-left');
    const button = part(el, 'launcher')!;
    expect(button.getAttribute('aria-label')).to.equal('Open chat with Ava');
    expect(Math.round(button.getBoundingClientRect().left)).to.equal(20);
  });

  it('in the page\'s language: the button waits for its texts and stays dormant', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div lang="de"><dify-chat mode="launcher" endpoint="/mock/chat" storage-key=${uniqueKey()}></dify-chat></div>`);
    const el = wrap.firstElementChild as DifyChat;
    await el.updateComplete; // (its texts arrived)
    expect(part(el, 'launcher')!.getAttribute('aria-label')).to.equal(format(de.open, { bot: de.assistant }));
    expect(onlyTheButton(el)).to.deep.equal(['launcher']);
  });

  it('a quick tap (pointer and click in one go) opens it, also while a part it waits for still loads', async () => {
    const key = uniqueKey();
    const el = await fixture<DifyChat>(html`<dify-chat mode="launcher" show-time endpoint="/mock/chat" storage-key=${key}></dify-chat>`);
    await el.updateComplete;
    let opened = 0;
    el.addEventListener('dify-chat-open', () => opened++);
    const button = part<HTMLButtonElement>(el, 'launcher')!;
    button.dispatchEvent(new PointerEvent('pointerenter')); // wakes it: its first update waits for part "look"
    button.click();
    await el.updateComplete;
    expect(opened).to.equal(1);
    expect(el.hasAttribute('open')).to.equal(true);
    expect(localStorage.getItem(`dify-chat:${key}:open`), 'remembered').to.equal('1');
    expect(part(el, 'panel')!.hidden).to.equal(false);
  });

  it('a part that arrives while it is dormant brings its styles', async () => {
    const fetchMock = mockFetch(() => new Response(difyStream(['```js\nlet a = 1;\n```']), { headers: { 'content-type': 'text/event-stream' } }));
    try {
      const el = await closed();
      // a send the page cancels asks for part "blocks" (the answer may need it) and wakes nothing
      el.addEventListener('dify-chat-send', (e) => e.preventDefault(), { once: true });
      expect(await el.send('first')).to.equal(undefined);
      await el.updateComplete;
      el.show();
      await el.send('code, please');
      await el.updateComplete;
      expect(getComputedStyle(part(el, 'code-block')!).borderRadius, 'styled by part "blocks"').to.equal('10px');
    } finally {
      fetchMock.restore();
    }
  });

  it('hide() or a value set again unchanged neither wakes it nor takes the focus from the page', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div><input /><dify-chat mode="launcher" bot-name="Pink" endpoint="/mock/chat" storage-key=${uniqueKey()}></dify-chat></div>`);
    const input = wrap.querySelector('input')!;
    const el = wrap.querySelector('dify-chat') as DifyChat;
    await el.updateComplete;
    input.focus();
    el.hide();
    el.botName = 'Pink';
    el.open = false;
    await el.updateComplete;
    expect(document.activeElement).to.equal(input);
    expect(onlyTheButton(el)).to.deep.equal(['launcher']);
  });

  it('moved or re-attached while dormant: still only its button, no events; a change made meanwhile shows', async () => {
    const key = uniqueKey();
    const el = await closed(key);
    const events: string[] = [];
    for (const type of ['dify-chat-open', 'dify-chat-close']) el.addEventListener(type, () => events.push(type));
    const parent = el.parentElement!;
    el.remove();
    el.botName = 'Ava'; // detached: nothing renders
    expect(onlyTheButton(el)).to.deep.equal(['launcher']);
    parent.append(el);
    await el.updateComplete;
    expect(part(el, 'launcher')!.getAttribute('aria-label')).to.equal('Open chat with Ava');
    // the page opened the chat in another launcher of the same key while it was detached (a single-page app's
    // other view): it comes back open, as on a page load (no event)
    el.remove();
    const other = await closed(key);
    other.show();
    await other.updateComplete;
    other.remove();
    expect(localStorage.getItem(`dify-chat:${key}:open`)).to.equal('1');
    parent.append(el);
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(part(el, 'panel')!.hidden).to.equal(false);
    expect(events).to.deep.equal([]);
    localStorage.removeItem(`dify-chat:${key}:open`);
  });
});
