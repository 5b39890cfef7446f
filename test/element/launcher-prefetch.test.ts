// Part "launcher" is fetched as soon as the visitor points at or focuses the closed launcher, so the panel
// opens without waiting for it. A page of its own: the part is not loaded when this file starts.
import { expect, fixture, html } from '@open-wc/testing';
import { part, uniqueKey, until, type DifyChat } from '../helpers/element.js';

const requested = () => performance.getEntriesByType('resource').some((r) => r.name.includes('dify-chat-launcher'));

describe('<dify-chat mode="launcher">: fetching the panel before the click', () => {
  it('pointing at the launcher button fetches part "launcher"; the panel stays closed', async () => {
    const el = await fixture<DifyChat>(html`<dify-chat mode="launcher" endpoint="/mock/chat" storage-key=${uniqueKey()}></dify-chat>`);
    await el.updateComplete;
    expect(requested()).to.equal(false);
    part(el, 'launcher')!.dispatchEvent(new PointerEvent('pointerenter'));
    await until(el, requested, "dify-chat-launcher.js requested");
    expect(el.open).to.equal(false);
    expect(part(el, 'panel')).to.equal(null);
  });
});
