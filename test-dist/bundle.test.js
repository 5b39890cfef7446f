// Loads the minified bundle exactly as a site owner would, twice, and streams one answer from the mock bot.
import { expect, fixture, html } from '@open-wc/testing';
import '../dist/dify-chat.js';

describe('dist/dify-chat.js', () => {
  it('defines <dify-chat> and importing it again does not throw', async () => {
    expect(customElements.get('dify-chat')).to.exist;
    await import('../dist/dify-chat.js?again');
  });

  it('streams an answer from the mock bot', async () => {
    const el = await fixture(html`<dify-chat endpoint="/api/chat" storage-key=${`dist-${Date.now()}`}></dify-chat>`);
    const answer = await el.send('hello from the bundle');
    expect(answer.status).to.equal('done');
    expect(answer.text.length).to.be.above(20);
    await el.updateComplete;
    expect(el.shadowRoot.querySelector('[part~="message--bot"] [part~="content"]').textContent.length).to.be.above(20);
    await expect(el).to.be.accessible();
  });
});
