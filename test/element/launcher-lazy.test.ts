// A closed launcher costs the page as little as possible: part "launcher" (the floating panel, the teaser,
// the phone layout) is fetched only when the visitor opens the chat. This file runs in a page of its own,
// so the part is not loaded yet when it starts (see launcher-prefetch.test.ts for fetching it early).
import { expect, fixture, html } from '@open-wc/testing';
import { part, uniqueKey, type DifyChat } from '../helpers/element.js';

const requested = () => performance.getEntriesByType('resource').some((r) => r.name.includes('dify-chat-launcher'));

describe('<dify-chat mode="launcher">, closed: part "launcher" waits for the visitor', () => {
  it('a closed launcher shows its styled button and fetches nothing more', async () => {
    const el = await fixture<DifyChat>(html`<dify-chat mode="launcher" endpoint="/mock/chat" storage-key=${uniqueKey()}></dify-chat>`);
    await el.updateComplete;
    const button = part<HTMLButtonElement>(el, 'launcher')!;
    const box = button.getBoundingClientRect();
    expect([box.width, box.height]).to.deep.equal([56, 56]);
    expect(getComputedStyle(button).borderRadius).to.equal('50%');
    expect(getComputedStyle(button).position, 'fixed in its corner').to.equal('fixed');
    await new Promise((r) => setTimeout(r, 50));
    expect(requested(), 'dify-chat-launcher.js requested while closed').to.equal(false);
  });

  it('clicking opens the panel once the part arrives, with focus in the message box', async () => {
    const el = await fixture<DifyChat>(html`<dify-chat mode="launcher" endpoint="/mock/chat" storage-key=${uniqueKey()}></dify-chat>`);
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'launcher')!.click();
    expect(el.open).to.equal(true);
    await el.updateComplete;
    expect(requested()).to.equal(true);
    const panel = part(el, 'panel')!;
    expect(panel.getAttribute('role')).to.equal('dialog');
    expect(getComputedStyle(panel).position, 'floating (styles of part "launcher")').to.equal('fixed');
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'input'));
  });
});
