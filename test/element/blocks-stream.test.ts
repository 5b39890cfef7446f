// Part "blocks": an answer's code block made before the part arrived (it is asked for at send) is rebuilt
// with its header, copy button and box. Its own test file: the part is not loaded yet in this page.
import { expect, fixture, html } from '@open-wc/testing';
import { mockFetch } from '../helpers/mock-fetch.js';
import { difyStream, part, rendered, uniqueKey, type DifyChat } from '../helpers/element.js';

const requested = () => performance.getEntriesByType('resource').some((r) => r.name.includes('dify-chat-blocks'));
const ANSWER = 'Steep it:\n\n```js\nsteep(70);\n```\n\n| Tea | °C |\n|---|---|\n| Sencha | 70 |';

describe('<dify-chat> part "blocks" arriving after the answer', () => {
  let fetchMock: ReturnType<typeof mockFetch> | undefined;
  afterEach(() => {
    fetchMock?.restore();
    fetchMock = undefined;
  });

  it('a code block and a table in the first answer get their header, copy button and box', async () => {
    fetchMock = mockFetch(() => new Response(difyStream([ANSWER]), { headers: { 'content-type': 'text/event-stream' } }));
    const el = await fixture<DifyChat>(html`<dify-chat endpoint="/x" storage-key=${uniqueKey()}></dify-chat>`);
    await el.send('how?');
    await rendered(el);
    expect(requested()).to.equal(true);
    const block = part(el, 'code-block')!;
    expect(block.querySelector('.code-lang')!.textContent).to.equal('js');
    expect(part(el, 'code-copy')!.textContent).to.equal('Copy code');
    expect(block.querySelector('pre')!.tabIndex).to.equal(0);
    expect(getComputedStyle(block).borderTopStyle, 'styled').to.equal('solid');
    const box = el.shadowRoot!.querySelector<HTMLElement>('.table-scroll')!;
    expect(box.querySelector('table')).to.exist;
    expect(getComputedStyle(box).overflowX).to.equal('auto');
  });

});
