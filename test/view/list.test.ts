import { expect } from '@open-wc/testing';
import { html } from 'lit';
import { MessageList } from '../../src/view/list.js';

interface M {
  id: string;
  text: string;
}

const texts = (list: MessageList<M>) => [...list.node.querySelectorAll('p')].map((p) => p.textContent);
const items = (list: MessageList<M>) => [...list.node.children];

describe('MessageList', () => {
  const template = (m: M) => html`<p>${m.text}</p>`;
  const ms = (...ids: string[]) => ids.map((id) => ({ id, text: `text ${id}` }));

  it('renders the messages in order, one wrapper each', () => {
    const list = new MessageList<M>();
    const node = list.update(ms('a', 'b', 'c'), template);
    expect(node).to.equal(list.node);
    expect(texts(list)).to.deep.equal(['text a', 'text b', 'text c']);
    expect(items(list).map((i) => i.className)).to.deep.equal(['message-item', 'message-item', 'message-item']);
  });

  it('keeps each message in the same DOM when the oldest go, others are added or inserted', () => {
    const list = new MessageList<M>();
    list.update(ms('a', 'b', 'c', 'd'), template);
    const [, b, c, d] = list.node.querySelectorAll('p');
    // the oldest turn dropped, a notice at the top, a new turn at the end (what trimming does)
    list.update(ms('n', 'c', 'd', 'e', 'f'), template);
    expect(texts(list)).to.deep.equal(['text n', 'text c', 'text d', 'text e', 'text f']);
    const now = list.node.querySelectorAll('p');
    expect(now[1] === c && now[2] === d, 'same nodes').to.equal(true);
    expect(b.isConnected).to.equal(false);
    // a message inserted before another one
    list.update(ms('n', 'c', 'x', 'd', 'e', 'f'), template);
    expect(texts(list)).to.deep.equal(['text n', 'text c', 'text x', 'text d', 'text e', 'text f']);
    expect(list.node.querySelectorAll('p')[3] === d).to.equal(true);
  });

  it('updates a message in place and follows a new order', () => {
    const list = new MessageList<M>();
    const messages = ms('a', 'b');
    list.update(messages, template);
    const a = list.node.querySelector('p');
    messages[0].text = 'changed';
    list.update([messages[1], messages[0]], template);
    expect(texts(list)).to.deep.equal(['text b', 'changed']);
    expect(list.node.querySelectorAll('p')[1] === a, 'same node').to.equal(true);
  });

  it('shows an id given twice once, and nothing for an empty list', () => {
    const list = new MessageList<M>();
    list.update([...ms('a', 'b'), { id: 'a', text: 'again' }], template);
    expect(texts(list)).to.deep.equal(['text a', 'text b']);
    list.update([], template);
    expect(list.node.childNodes.length).to.equal(0);
  });

  it('calls event listeners with the host as this', () => {
    const host = { clicks: 0 };
    const list = new MessageList<M>(host);
    list.update(ms('a'), () => html`<button @click=${function (this: typeof host) { this.clicks++; }}></button>`);
    list.node.querySelector('button')!.click();
    expect(host.clicks).to.equal(1);
  });
});
