// The element's reactive base (src/reactive.ts): the parts of LitElement's contract the widget relies on.
import { expect } from '@open-wc/testing';
import { html } from 'lit/html.js';
import { ReactiveBase, css, type PropertyDeclaration, type PropertyValues } from '../src/reactive.js';

let serial = 0;

/** A fresh element class (and tag) per test, recording its updates. */
function define() {
  class Probe extends ReactiveBase {
    static override styles = css`:host { display: block; color: rgb(1, 2, 3); }`;
    static override properties: Record<string, PropertyDeclaration> = {
      label: {},
      count: { converter: { fromAttribute: (v: string | null) => (v === null ? null : Number(v)) } },
      on: { type: Boolean, reflect: true },
      kind: { reflect: true, converter: { fromAttribute: (v: string | null) => (v === 'b' ? 'b' : 'a') } },
      hidden2: { attribute: 'other-name' },
      internal: { attribute: false },
    };
    label = 'default';
    count = 0;
    on = false;
    kind = 'a';
    hidden2 = '';
    internal: unknown = null;
    log: PropertyValues[] = [];
    bumpInWillUpdate = false;
    protected override willUpdate(changed: PropertyValues): void {
      if (this.bumpInWillUpdate && changed.has('label')) this.count++;
    }
    protected override updated(changed: PropertyValues): void {
      this.log.push(new Map(changed) as PropertyValues);
    }
    protected override render() {
      return html`<span>${this.label}:${this.count}</span>`;
    }
  }
  const tag = `reactive-probe-${++serial}`;
  customElements.define(tag, Probe);
  return { tag, Probe };
}

function mount<T extends HTMLElement>(tag: string, attributes = ''): T {
  const host = document.createElement('div');
  host.innerHTML = `<${tag} ${attributes}></${tag}>`;
  document.body.append(host);
  return host.firstElementChild as T;
}

describe('reactive base', () => {
  afterEach(() => document.querySelectorAll('body > div').forEach((d) => d.remove()));

  it('renders once per batch of changes, after the current task, with the previous values', async () => {
    const { tag } = define();
    const el = mount<any>(tag);
    await el.updateComplete;
    expect(el.shadowRoot.textContent).to.equal('default:0');
    el.log.length = 0;
    el.label = 'x';
    el.label = 'y';
    el.count = 2;
    expect(el.isUpdatePending).to.equal(true);
    expect(el.shadowRoot.textContent, 'not yet').to.equal('default:0');
    expect(await el.updateComplete).to.equal(true);
    expect(el.shadowRoot.textContent).to.equal('y:2');
    expect(el.log).to.have.length(1);
    expect(el.log[0].get('label')).to.equal('default');
    expect(el.log[0].get('count')).to.equal(0);
    el.label = 'y'; // same value: no update
    await el.updateComplete;
    expect(el.log).to.have.length(1);
  });

  it('converts attributes (string, number, boolean, converter, renamed) and reflects', async () => {
    const { tag } = define();
    const el = mount<any>(tag, 'label="hi" count="7" on kind="zzz" other-name="n"');
    await el.updateComplete;
    expect([el.label, el.count, el.on, el.kind, el.hidden2]).to.deep.equal(['hi', 7, true, 'a', 'n']);
    expect(el.getAttribute('kind'), 'the converted value is reflected').to.equal('a');
    el.on = false;
    el.kind = 'b';
    await el.updateComplete;
    expect(el.hasAttribute('on')).to.equal(false);
    expect(el.getAttribute('kind')).to.equal('b');
    el.removeAttribute('label');
    await el.updateComplete;
    expect(el.label).to.equal(null);
    expect((el.constructor as typeof ReactiveBase & { observedAttributes: string[] }).observedAttributes).to.not.include('internal');
  });

  it('the first update has every property the element started with, with the value before any (undefined)', async () => {
    const { tag } = define();
    // attributes in markup, and properties set on an element made but not yet connected
    const el = mount<any>(tag, 'label="hi" on');
    await el.updateComplete;
    const made = document.createElement(tag) as any;
    made.count = 5;
    made.count = 6;
    expect(made.isUpdatePending, 'a change waits for the element to be connected').to.equal(true);
    document.body.append(made);
    await made.updateComplete;
    for (const first of [el.log[0], made.log[0]]) {
      expect([...first.keys()].sort()).to.deep.equal(['count', 'hidden2', 'internal', 'kind', 'label', 'on']);
      for (const value of first.values()) expect(value).to.equal(undefined);
    }
    expect([el.label, el.on, made.count]).to.deep.equal(['hi', true, 6]);
    made.remove();
  });

  it('keeps a property set before the element was defined (over the class default)', async () => {
    const tag = `reactive-probe-${serial + 1}`;
    const early = document.createElement(tag) as any;
    early.label = 'early';
    document.body.append(early);
    define();
    await early.updateComplete;
    expect(early.label).to.equal('early');
    expect(early.shadowRoot.textContent).to.equal('early:0');
    early.remove();
  });

  it('includes changes made in willUpdate in the same update', async () => {
    const { tag } = define();
    const el = mount<any>(tag);
    await el.updateComplete;
    el.log.length = 0;
    el.bumpInWillUpdate = true;
    el.label = 'z';
    await el.updateComplete;
    expect(el.shadowRoot.textContent).to.equal('z:1');
    expect(el.log).to.have.length(1);
    expect(el.isUpdatePending).to.equal(false);
  });

  it('adopts its styles and tells controllers about connection and updates', async () => {
    const { tag } = define();
    const el = mount<any>(tag);
    const calls: string[] = [];
    el.addController({ hostConnected: () => calls.push('c'), hostDisconnected: () => calls.push('d'), hostUpdated: () => calls.push('u') });
    expect(calls, 'already connected: told at once').to.deep.equal(['c']);
    await el.updateComplete;
    expect(getComputedStyle(el).color).to.equal('rgb(1, 2, 3)');
    el.label = 'q';
    await el.updateComplete;
    el.remove();
    expect(calls).to.deep.equal(['c', 'u', 'u', 'd']);
  });
});
