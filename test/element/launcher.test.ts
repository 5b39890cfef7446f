// Launcher mode and the host-page API (SPEC §13), through the public surface.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import { ControlledResponse, mockFetch } from '../helpers/mock-fetch.js';
import { difyStream, part, parts, rendered, sse, uniqueKey, until, type DifyChat } from '../helpers/element.js';

const sseResponse = (pieces = ['Hello there']) =>
  new Response(difyStream(pieces), { headers: { 'content-type': 'text/event-stream' } });

async function launcher(attrs: Record<string, string> = {}, key = uniqueKey()): Promise<DifyChat> {
  const el = await fixture<DifyChat>(html`<dify-chat mode="launcher" endpoint="/mock/chat" storage-key=${key} bot-name="Pink"></dify-chat>`);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  await el.updateComplete;
  return el;
}

const shadowFocus = (el: DifyChat) => el.shadowRoot!.activeElement;
const forget = (key: string) => {
  for (const name of ['messages', 'conversation', 'user', 'open', 'teaser']) localStorage.removeItem(`dify-chat:${key}:${name}`);
};

describe('<dify-chat mode="launcher">', () => {
  let fetchMock: ReturnType<typeof mockFetch> | undefined;
  // geometry is measured without the open animation (its scale would show in the boxes)
  before(() => emulateMedia({ reducedMotion: 'reduce' }));
  after(() => emulateMedia({ reducedMotion: 'no-preference' }));
  afterEach(async () => {
    fetchMock?.restore();
    fetchMock = undefined;
    await setViewport({ width: 800, height: 600 });
  });

  it('is a named round button in the corner that controls a labelled dialog', async () => {
    await setViewport({ width: 1440, height: 900 });
    const el = await launcher();
    const button = part<HTMLButtonElement>(el, 'launcher')!;
    expect(button.tagName).to.equal('BUTTON');
    expect(button.getAttribute('aria-label')).to.equal('Open chat with Pink');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    const box = button.getBoundingClientRect();
    expect(box.width).to.equal(56);
    expect(1440 - box.right).to.equal(20);
    expect(900 - box.bottom).to.equal(20);
    expect(getComputedStyle(button).position === 'fixed' || getComputedStyle(button.parentElement!).position === 'fixed').to.equal(true);
    // its icon, drawn in the button's colour: a speech bubble (a box and its tail), a cross once open
    const icon = () => ['::before', '::after'].map((pseudo) => {
      const s = getComputedStyle(button, pseudo);
      return { content: s.content, width: s.width, transform: s.transform, fill: s.backgroundColor, tail: s.borderTopColor };
    });
    const color = getComputedStyle(button).color;
    const [bubble, tail] = icon();
    expect(bubble).to.include({ content: '""', width: '24px', fill: color });
    expect(tail).to.include({ content: '""', width: '7px', tail: color }); // (its border draws it)
    button.click();
    await el.updateComplete;
    const cross = icon();
    expect(cross.map((bar) => [bar.width, bar.fill])).to.deep.equal([['22px', color], ['22px', color]]);
    expect(cross[0].transform).to.not.equal(cross[1].transform); // the two bars cross
    const panel = part(el, 'panel')!;
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(button.getAttribute('aria-controls')).to.equal(panel.id);
    expect(panel.getAttribute('role')).to.equal('dialog');
    expect(el.shadowRoot!.getElementById(panel.getAttribute('aria-labelledby')!)!.textContent).to.equal('Pink');
    const rect = panel.getBoundingClientRect();
    expect(rect.width).to.equal(400);
    expect(rect.right).to.equal(1420);
    expect(rect.bottom).to.be.at.most(box.top);
    await expect(el).to.be.accessible();
  });

  it('position="bottom-left" puts it in the other corner', async () => {
    await setViewport({ width: 1440, height: 900 });
    const el = await launcher({ position: 'bottom-left' });
    expect(part(el, 'launcher')!.getBoundingClientRect().left).to.equal(20);
    el.show();
    await el.updateComplete;
    expect(part(el, 'panel')!.getBoundingClientRect().left).to.equal(20);
  });

  it('renders no transcript and sends no request until opened (lazy)', async () => {
    fetchMock = mockFetch(() => sseResponse());
    const key = uniqueKey();
    localStorage.setItem(`dify-chat:${key}:messages`, JSON.stringify({ v: 1, messages: [{ id: 'u', role: 'user', text: 'hi', createdAt: 1 }] }));
    try {
      const el = await launcher({}, key);
      expect(part(el, 'panel'), 'no panel while closed').to.equal(null);
      expect(part(el, 'log')).to.equal(null);
      expect(fetchMock.calls).to.have.length(0);
      el.show();
      await el.updateComplete;
      expect(parts(el, 'message--user').map((m) => m.textContent!.trim())).to.deep.equal(['hi']);
    } finally {
      forget(key);
    }
  });

  it('open: attribute and property, show()/hide()/toggle(), events, remembered per storage key', async () => {
    const key = uniqueKey();
    try {
      const el = await launcher({}, key);
      expect(el.open).to.equal(false);
      let opened = oneEvent(el, 'dify-chat-open');
      el.open = true;
      await opened;
      await el.updateComplete;
      expect(el.hasAttribute('open')).to.equal(true);
      let closed = oneEvent(el, 'dify-chat-close');
      el.hide();
      await closed;
      opened = oneEvent(el, 'dify-chat-open');
      el.toggle();
      await opened;
      await el.updateComplete;
      el.remove();
      // the next page with the same storage key starts open; another key does not
      const again = await launcher({}, key);
      expect(again.open).to.equal(true);
      expect(part(again, 'panel')!.hidden).to.equal(false);
      const other = await launcher();
      expect(other.open).to.equal(false);
      closed = oneEvent(again, 'dify-chat-close');
      again.open = false;
      await closed;
      await again.updateComplete;
      again.remove();
      expect((await launcher({}, key)).open).to.equal(false);
    } finally {
      forget(key);
    }
  });

  it('the open state carries over to the next page of the site in this tab; a new tab or visit starts closed', async () => {
    const key = uniqueKey();
    // pages of a site in a frame: the frame's first page is a new visit (as a new tab), the next one is not
    const frame = await fixture<HTMLIFrameElement>(html`<iframe title="site" style="width: 800px; height: 700px"></iframe>`);
    const visit = async (url: string, navigate: (url: string) => void): Promise<DifyChat> => {
      const loaded = oneEvent(frame, 'load');
      navigate(url);
      await loaded;
      const win = frame.contentWindow as Window & typeof globalThis;
      await win.customElements.whenDefined('dify-chat');
      const el = win.document.querySelector<DifyChat>('dify-chat')!;
      await el.updateComplete;
      return el;
    };
    const page = `/test/fixtures/launcher-page.html?key=${key}`;
    try {
      localStorage.setItem(`dify-chat:${key}:open`, '1'); // left open in another tab, or yesterday
      const first = await visit(page, (url) => (frame.src = url));
      expect(first.open, 'a new visit starts closed').to.equal(false);
      expect(first.hasAttribute('open')).to.equal(false);
      // the visitor opens the chat, then follows a link to the next page of the site: it is open there
      first.show();
      await first.updateComplete;
      const next = await visit(`${page}&page=2`, (url) => frame.contentWindow!.location.assign(url));
      expect(next.open, 'the next page of the site').to.equal(true);
      expect(part(next, 'panel')!.hidden).to.equal(false);
      // closed there, the reload starts closed too
      next.hide();
      await next.updateComplete;
      const reloaded = await visit('', () => frame.contentWindow!.location.reload());
      expect(reloaded.open, 'reloaded after closing').to.equal(false);
    } finally {
      forget(key);
    }
  });

  it('the open attribute in markup starts it open (the state it loads with: no event, nothing remembered)', async () => {
    const key = uniqueKey();
    const events: string[] = [];
    const record = (event: Event) => events.push(event.type);
    document.addEventListener('dify-chat-open', record);
    try {
      const el = await fixture<DifyChat>(html`<dify-chat mode="launcher" open endpoint="/x" storage-key=${key}></dify-chat>`);
      await el.updateComplete;
      expect(el.open).to.equal(true);
      expect(part(el, 'panel')!.hidden).to.equal(false);
      expect(events).to.deep.equal([]);
      expect(localStorage.getItem(`dify-chat:${key}:open`)).to.equal(null);
    } finally {
      document.removeEventListener('dify-chat-open', record);
    }
  });

  it('opening focuses the message box; closing (button, Escape) returns focus to the launcher', async () => {
    const el = await launcher();
    part<HTMLButtonElement>(el, 'launcher')!.click();
    await el.updateComplete;
    expect(shadowFocus(el)).to.equal(part(el, 'input'));
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(shadowFocus(el)).to.equal(part(el, 'launcher'));
    el.show();
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'close-button')!.click();
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(shadowFocus(el)).to.equal(part(el, 'launcher'));
  });

  it('Escape stops a running answer first, then closes', async () => {
    const body = new ControlledResponse();
    fetchMock = mockFetch(() => body.response);
    const el = await launcher();
    el.show();
    await el.updateComplete;
    void el.send('hi');
    body.push(sse({ event: 'message', conversation_id: 'c', message_id: 'm', task_id: 't', answer: 'Partial' }));
    await until(el, () => part(el, 'stop-button'), 'streaming');
    part(el, 'input')!.focus();
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.open, 'still open after stopping').to.equal(true);
    expect(el.messages.at(-1)!.status).to.equal('stopped');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.open).to.equal(false);
  });

  it('an answer completing while closed shows an unread badge, cleared on open', async () => {
    fetchMock = mockFetch(() => sseResponse());
    const el = await launcher();
    await el.send('ping from the page');
    await el.send('and again');
    await el.updateComplete;
    const badge = part(el, 'badge')!;
    expect(badge.textContent!.trim()).to.equal('2');
    expect(part(el, 'launcher')!.getAttribute('aria-label')).to.equal('Open chat with Pink, 2 unread');
    el.show();
    await el.updateComplete;
    expect(part(el, 'badge')).to.equal(null);
  });

  it('teaser: shown beside the closed launcher, opens the chat, dismissal remembered', async () => {
    const key = uniqueKey();
    try {
      const el = await launcher({ teaser: 'Questions? Ask me!' }, key);
      const teaser = part(el, 'teaser')!;
      expect(teaser.textContent).to.contain('Questions? Ask me!');
      // beside the button, toward the page, its bottom near the button's
      const [t, b] = [teaser.getBoundingClientRect(), part(el, 'launcher')!.getBoundingClientRect()];
      expect(b.left - t.right).to.equal(12);
      expect(b.bottom - t.bottom).to.equal(8);
      (teaser.querySelector('.teaser-text') as HTMLButtonElement).click();
      await el.updateComplete;
      expect(el.open).to.equal(true);
      expect(part(el, 'teaser'), 'hidden while open').to.equal(null);
      el.hide();
      await el.updateComplete;
      (part(el, 'teaser')!.querySelector('[aria-label="Dismiss"]') as HTMLButtonElement).click();
      await el.updateComplete;
      expect(part(el, 'teaser')).to.equal(null);
      el.remove();
      expect(part(await launcher({ teaser: 'Questions? Ask me!' }, key), 'teaser'), 'remembered').to.equal(null);
      const offer = await launcher({ teaser: 'New offer!' }, key);
      expect(part(offer, 'teaser'), 'a new teaser shows again').to.exist;
      // the dismissal is read from storage once, not on every render
      const getItem = Storage.prototype.getItem;
      let reads = 0;
      Storage.prototype.getItem = function (this: Storage, name: string) {
        if (name.endsWith(':teaser')) reads++;
        return getItem.call(this, name);
      };
      try {
        for (const name of ['Ava', 'Bo', 'Cy']) {
          offer.botName = name;
          await offer.updateComplete;
        }
      } finally {
        Storage.prototype.getItem = getItem;
      }
      expect(reads).to.equal(0);
      expect(part(offer, 'teaser')).to.exist;
    } finally {
      forget(key);
    }
  });

  it('on a phone the open panel covers the viewport, with a 16px input and no launcher on top', async () => {
    await setViewport({ width: 375, height: 667 });
    const el = await launcher();
    el.show();
    await el.updateComplete;
    const rect = part(el, 'panel')!.getBoundingClientRect();
    expect([rect.left, rect.top, rect.width, rect.height]).to.deep.equal([0, 0, 375, 667]);
    expect(parseFloat(getComputedStyle(part(el, 'input')!).fontSize)).to.be.at.least(16);
    expect(getComputedStyle(part(el, 'launcher')!).display).to.equal('none');
    expect(getComputedStyle(part(el, 'log')!).overscrollBehaviorY).to.equal('contain');
    await expect(el).to.be.accessible();
  });

  it('animates opening, but not under prefers-reduced-motion', async () => {
    await emulateMedia({ reducedMotion: 'no-preference' });
    try {
      const el = await launcher();
      el.show();
      await el.updateComplete;
      const panel = part(el, 'panel')!;
      expect(getComputedStyle(panel).transitionDuration).to.not.equal('0s');
      await emulateMedia({ reducedMotion: 'reduce' });
      expect(getComputedStyle(panel).transitionDuration).to.equal('0s');
    } finally {
      await emulateMedia({ reducedMotion: 'reduce' });
    }
  });

  it('leaves the host page alone: no globals but the class, nothing added to document', async () => {
    const before = new Set(Object.keys(window));
    const head = document.head.innerHTML;
    const bodyAttrs = [...document.body.attributes].map((a) => `${a.name}=${a.value}`);
    const el = await launcher();
    el.show();
    await el.updateComplete;
    el.hide();
    await el.updateComplete;
    expect(Object.keys(window).filter((k) => !before.has(k))).to.deep.equal([]);
    expect(document.head.innerHTML).to.equal(head);
    expect([...document.body.attributes].map((a) => `${a.name}=${a.value}`)).to.deep.equal(bodyAttrs);
    expect(document.documentElement.getAttribute('style')).to.equal(null);
  });

  it('the page can drive everything while closed: send() works and the badge counts it', async () => {
    fetchMock = mockFetch(() => sseResponse(['From the page']));
    const el = await launcher();
    const answer = await el.send('hello');
    expect(answer?.text).to.equal('From the page');
    await rendered(el);
    expect(part(el, 'badge')!.textContent!.trim()).to.equal('1');
  });
});
