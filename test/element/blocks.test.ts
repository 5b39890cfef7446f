// Part "blocks" (code block chrome, table boxes, their styles): loaded only when needed, and never seen
// missing. Its own test file, so the part is not already loaded by another test in the same page.
import { expect, fixture, html } from '@open-wc/testing';
import { rendered, uniqueKey, type DifyChat } from '../helpers/element.js';
import { ChatStore } from '../../src/store.js';

const requested = () => performance.getEntriesByType('resource').some((r) => r.name.includes('dify-chat-blocks'));
const ANSWER = 'Steep it:\n\n```js\nsteep(70);\n```\n\n| Tea | °C |\n|---|---|\n| Sencha | 70 |';

describe('<dify-chat> part "blocks"', () => {
  it('is not loaded for a page whose widget shows no code, table, quote or rule', async () => {
    const el = await fixture<DifyChat>(html`<dify-chat endpoint="/x" storage-key=${uniqueKey()}
      welcome="Hi! Ask me **anything**." suggestions='["One"]'></dify-chat>`);
    await rendered(el);
    expect(requested()).to.equal(false);
  });

  it('a restored transcript with a table is styled from its first render (the render waits for the part)', async () => {
    const key = uniqueKey();
    const now = Date.now();
    new ChatStore(key).saveMessages([
      { id: 'u1', role: 'user', text: 'how?', createdAt: now },
      { id: 'b1', role: 'bot', text: ANSWER, status: 'done', createdAt: now },
    ]);
    expect(requested()).to.equal(false);
    // watch every node the widget ever shows: a table must never appear outside its box
    const again = document.createElement('dify-chat') as DifyChat;
    again.setAttribute('endpoint', '/x');
    again.setAttribute('storage-key', key);
    const bare: string[] = [];
    document.body.append(again);
    new MutationObserver(() => {
      for (const table of again.shadowRoot!.querySelectorAll('table')) {
        if (!table.parentElement!.classList.contains('table-scroll')) bare.push(table.outerHTML.slice(0, 40));
      }
    }).observe(again.shadowRoot!, { childList: true, subtree: true });
    await rendered(again);
    expect(bare, 'never a bare table').to.deep.equal([]);
    const box = again.shadowRoot!.querySelector<HTMLElement>('.table-scroll');
    expect(box, 'the box from the first render').to.exist;
    expect(getComputedStyle(box!).overflowX).to.equal('auto');
    expect(again.shadowRoot!.querySelector('[part~="code-block"] .code-lang')!.textContent).to.equal('js');
    again.remove();
  });
});
