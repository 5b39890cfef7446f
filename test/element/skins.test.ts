// The skins in src/themes/ (dist/themes/ when built), SPEC §9 and §14: each one only reaches the element
// through its class, its documented parts and custom properties; every pair of colours a visitor reads or
// operates meets WCAG AA; axe finds nothing in any state (empty, form, streaming, answered with markdown,
// citations and actions, error, launcher open and closed).
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, readFile, sendKeys } from '@web/test-runner-commands';
import { backgroundOf, colorOf, contrast } from '../helpers/contrast.js';
import { ControlledResponse, mockFetch } from '../helpers/mock-fetch.js';
import { mockApp } from '../helpers/mock-app.js';
import { difyStream, part, rendered, sse, uniqueKey, until, type DifyChat } from '../helpers/element.js';

const SKINS = ['minimal', 'cute', 'korean', 'western', 'dark', 'bubble', 'corporate'];
/** Selectors a skin may keep from before the class-only rule (dark.css: a site's own `.dark` mode). */
const LEGACY_PREFIX: Record<string, string> = { dark: '.dark dify-chat' };
/** The page a skin is made for: the launcher must stand out on it. */
const PAGE: Record<string, string> = { dark: '#0b1020' };

const ANSWER = [
  'Start with **Sakura Sencha**: light and floral.',
  '',
  '| Tea | Water |',
  '|---|---|',
  '| [Sakura Sencha](https://example.com/sakura) | 70 °C |',
  '| Jeju Sejak 제주 세작 | 75 °C |',
  '',
  '```js',
  'setTimeout(pour, 60 * 1000);',
  '```',
  '',
  'More in our [brewing guide](https://example.com/brewing).',
].join('\n');

const sseResponse = (text: string) => new Response(difyStream([text]), { headers: { 'content-type': 'text/event-stream' } });

/** The parts and custom properties the element documents (its JSDoc is the contract, SPEC §9). */
async function documented(): Promise<{ parts: Set<string>; properties: Set<string> }> {
  const source = (await readFile({ path: '../../src/dify-chat.ts' }))!;
  const parts = new Set<string>();
  for (const [, name, rest] of source.matchAll(/@csspart ([\w-]+) - (.*)/g)) {
    parts.add(name);
    // "message - Every message; also `message--user`, `message--bot`, …"
    for (const [, modifier] of rest.matchAll(/`([\w]+--[\w-]+)`/g)) parts.add(modifier);
  }
  const properties = new Set([...source.matchAll(/@cssprop (--dify-chat-[\w-]+)/g)].map((m) => m[1]));
  return { parts, properties };
}

/** Every style rule of a sheet (inside @media and @supports too); anything else is reported. */
function styleRules(rules: CSSRuleList, other: string[]): CSSStyleRule[] {
  const out: CSSStyleRule[] = [];
  for (const rule of rules) {
    if (rule instanceof CSSStyleRule) out.push(rule);
    else if (rule instanceof CSSMediaRule || rule instanceof CSSSupportsRule) out.push(...styleRules(rule.cssRules, other));
    else other.push(rule.cssText.slice(0, 60));
  }
  return out;
}

/** Top-level selectors of a selector list (the skins use no commas inside :is() and the like). */
const selectorsOf = (text: string) => text.split(',').map((s) => s.trim());

interface Pair {
  what: string;
  ratio: number;
  min: number;
}

const text = (what: string, el: Element | null | undefined, min = 4.5): Pair => {
  if (!el) throw new Error(`no element for ${what}`);
  return { what, ratio: contrast(colorOf(el), backgroundOf(el)), min };
};
const against = (what: string, fg: string, bg: string, min = 3): Pair => ({ what, ratio: contrast(fg, bg), min });

function expectPairs(pairs: Pair[]): void {
  const failing = pairs.filter((p) => !(p.ratio >= p.min)).map((p) => `${p.what}: ${p.ratio.toFixed(2)} < ${p.min}`);
  expect(failing, failing.join('; ')).to.deep.equal([]);
}

/** Focuses `el` as a keyboard user would (so :focus-visible applies) and returns its outline colour. */
async function ringOf(el: HTMLElement): Promise<string> {
  await sendKeys({ press: 'Shift' }); // keyboard modality: a programmatic focus then shows the ring
  el.focus();
  expect(el.matches(':focus-visible'), 'focus-visible').to.equal(true);
  const style = getComputedStyle(el);
  expect(style.outlineStyle, 'a focus ring').to.not.equal('none');
  expect(parseFloat(style.outlineWidth), 'ring width').to.be.at.least(2);
  const ring = colorOf(el, 'outlineColor');
  el.blur();
  return ring;
}

const inShadow = (el: DifyChat, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);

describe('skins (src/themes/*.css)', () => {
  let contract: { parts: Set<string>; properties: Set<string> };
  before(async () => {
    contract = await documented();
    // colours are read once the element is still: no fade-in of the teaser or the enabled Send button
    await emulateMedia({ reducedMotion: 'reduce' });
  });
  after(() => emulateMedia({ reducedMotion: 'no-preference' }));

  it('the contract lists the parts and properties the skins rely on', () => {
    for (const name of ['panel', 'message--user', 'message--bot', 'error', 'retry-button', 'launcher', 'badge', 'teaser']) {
      expect(contract.parts.has(name), name).to.equal(true);
    }
    expect(contract.properties.has('--dify-chat-accent')).to.equal(true);
  });

  for (const name of SKINS) {
    describe(`${name}.css`, () => {
      let source = '';
      let sheet: CSSStyleSheet;
      let fetchMock: ReturnType<typeof mockFetch> | undefined;

      before(async () => {
        source = await (await fetch(`/src/themes/${name}.css`)).text();
        sheet = new CSSStyleSheet();
        sheet.replaceSync(source);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
        document.body.style.background = PAGE[name] ?? '';
      });
      after(() => {
        document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
        document.body.style.background = '';
      });
      afterEach(() => {
        fetchMock?.restore();
        fetchMock = undefined;
      });

      it(`selects only dify-chat.${name} and its documented parts, and sets only documented properties on it`, () => {
        const other: string[] = [];
        const rules = styleRules(sheet.cssRules, other);
        expect(other, 'only style rules (in @media or @supports at most)').to.deep.equal([]);
        expect(rules.length).to.be.greaterThan(0);
        const prefixes = [`dify-chat.${name}`, LEGACY_PREFIX[name]].filter(Boolean);
        const host = '(?:\\[(?:mode|position|open|theme)(?:="[\\w-]*")?\\]|:state\\([\\w-]+\\))*';
        const pseudo = '(?::(?:hover|active|focus|focus-visible|focus-within|disabled))*(?:::(?:placeholder|before|after|selection))?';
        const pattern = new RegExp(`^(?:${prefixes.map((p) => p.replace('.', '\\.')).join('|')})${host}(?:::part\\(([\\w-]+)\\)${pseudo})?$`);
        for (const rule of rules) {
          for (const selector of selectorsOf(rule.selectorText)) {
            const match = pattern.exec(selector);
            expect(match, `selector "${selector}"`).to.not.equal(null);
            if (match![1]) expect(contract.parts.has(match![1]), `::part(${match![1]}) is documented`).to.equal(true);
          }
          const onHost = !rule.selectorText.includes('::part(');
          for (let i = 0; i < rule.style.length; i++) {
            const property = rule.style[i];
            if (onHost) expect(contract.properties.has(property), `${rule.selectorText} sets ${property}`).to.equal(true);
          }
          expect(rule.cssText, 'private --_ aliases are internal').to.not.match(/--_/);
          expect(rule.cssText, 'nothing is fetched').to.not.match(/url\(|image-set\(/);
        }
      });

      it('inline: answer with a table, code and links, a failed turn with Retry: AA everywhere, axe clean', async () => {
        fetchMock = mockFetch((_call, i) => (i === 0 ? sseResponse(ANSWER) : Promise.reject(new TypeError('Failed to fetch'))));
        const el = await fixture<DifyChat>(html`<dify-chat class=${name} endpoint="/mock/chat" storage-key=${uniqueKey()}
          bot-name="Pink" show-time placeholder="Ask about our teas…" style="--dify-chat-height: 900px"></dify-chat>`);
        await el.send('Which green tea first?');
        await el.send('Can you gift-wrap it?');
        await rendered(el);
        const header = part(el, 'header')!;
        const [bot, failed] = el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="message--bot"]');
        const user = part(el, 'message--user')!;
        const retry = part<HTMLButtonElement>(el, 'retry-button')!;
        const composer = part(el, 'composer')!;
        const input = part<HTMLTextAreaElement>(el, 'input')!;
        const panelBg = backgroundOf(part(el, 'panel')!);
        expect(failed.querySelector('[part~="error"]'), 'the failed turn').to.not.equal(null);

        const pairs: Pair[] = [
          text('title on the header', part(el, 'title')),
          text('new-chat button on the header', part(el, 'reset-button')),
          text('answer text', bot.querySelector('p')),
          text('bold text', bot.querySelector('strong')),
          text('link in the answer', bot.querySelector('p:last-child a')),
          text('link in a table cell', bot.querySelector('td a')),
          text('table header cell', bot.querySelector('th')),
          text('table cell', bot.querySelector('tr:last-child td')),
          text('code', bot.querySelector('[part~="code-block"] pre')),
          text('code language', bot.querySelector('[part~="code-block"] .code-lang')),
          text('copy-code button', bot.querySelector('[part~="code-copy"]')),
          text('time of an answer', bot.querySelector('[part~="time"]')),
          text('visitor message', user.querySelector('[part~="content"]')),
          text('time of a visitor message', user.querySelector('[part~="time"]')),
          text('error text', failed.querySelector('[part~="error"] .error-text')),
          text('Retry', retry),
          against('Retry border on the failed turn', colorOf(retry, 'borderTopColor'), backgroundOf(retry.parentElement!)),
          against('composer border on the panel', colorOf(composer, 'borderTopColor'), panelBg),
          against('placeholder', getComputedStyle(input, '::placeholder').color, backgroundOf(input), 4.5),
        ];
        // Send, once there is something to send: its icon, and the button on the composer
        input.value = 'Hello';
        input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        await el.updateComplete;
        const send = part<HTMLButtonElement>(el, 'send-button')!;
        expect(send.disabled).to.equal(false);
        pairs.push(
          text('send icon', send, 3),
          against('send button on the composer', backgroundOf(send), backgroundOf(composer)),
        );
        // focus: rings and the composer's focus border stand out from what is around them
        pairs.push(
          against('focus ring of Retry', await ringOf(retry), backgroundOf(retry.parentElement!)),
          against('focus ring of New chat', await ringOf(part(el, 'reset-button')!), backgroundOf(header)),
          against('focus ring of Send', await ringOf(send), backgroundOf(composer)),
        );
        input.focus();
        pairs.push(against('composer border while typing', colorOf(composer, 'borderTopColor'), panelBg));
        input.blur();
        expectPairs(pairs);
        await expect(el).to.be.accessible();
      });

      it('empty: welcome and starter prompts readable, axe clean', async () => {
        const el = await fixture<DifyChat>(html`<dify-chat class=${name} endpoint="/mock/chat" storage-key=${uniqueKey()}
          welcome="Hi, I’m **Pink**. Ask me about [our teas](https://example.com/teas)."
          suggestions='["How long does shipping take?","Which tea has the least caffeine?"]'></dify-chat>`);
        const welcome = part(el, 'message--welcome')!;
        const suggestion = part<HTMLButtonElement>(el, 'suggestion')!;
        expectPairs([
          text('welcome text', welcome.querySelector('p')),
          text('link in the welcome', welcome.querySelector('a')),
          text('starter prompt', suggestion),
          against('focus ring of a starter prompt', await ringOf(suggestion), backgroundOf(part(el, 'log')!)),
        ]);
        await expect(el).to.be.accessible();
      });

      it('axe clean: the pre-chat form, an answer with reasoning, a step, citations and actions, one streaming', async () => {
        const app = await mockApp({ parameters: { user_input_form: [{ 'text-input': { label: 'Your name', variable: 'name', required: true } }] } });
        const withForm = await fixture<DifyChat>(html`<dify-chat class=${name} api=${app.api} storage-key=${uniqueKey()}></dify-chat>`);
        await until(withForm, () => part(withForm, 'form'), 'the form');
        await expect(withForm).to.be.accessible();
        withForm.remove();

        const envelope = { conversation_id: 'c1', message_id: 'm1', task_id: 't1' };
        const streaming = new ControlledResponse();
        fetchMock = mockFetch((_call, i) =>
          i === 0
            ? new Response(
                sse({ event: 'agent_thought', ...envelope, id: 'a', position: 1, thought: 'Looking it up', tool: 'search', tool_input: '{"q":"sencha"}', observation: '{"hits":2}' }) +
                  sse({ event: 'message', ...envelope, answer: '<think>Green teas first.</think>Try **Sencha** at 70 °C.' }) +
                  sse({ event: 'message_end', ...envelope, metadata: { retriever_resources: [{ position: 1, document_name: 'Brewing guide', content: 'Sencha: 70 °C' }] } }),
                { headers: { 'content-type': 'text/event-stream' } },
              )
            : streaming.response,
        );
        const el = await fixture<DifyChat>(html`<dify-chat class=${name} endpoint="/mock/chat" storage-key=${uniqueKey()}
          bot-name="Pink" bot-avatar="/demo/img/pink.svg" show-time feedback tts></dify-chat>`);
        await el.send('Which tea?');
        await until(el, () => part(el, 'citation') && part(el, 'like-button') && part(el, 'thinking'), 'citations, actions, reasoning');
        await expect(el).to.be.accessible();
        void el.send('And then?');
        streaming.push(sse({ event: 'message', ...envelope, answer: 'Then a **Genmaicha**' }));
        await until(el, () => part(el, 'stop-button') && el.messages.at(-1)!.text, 'streaming');
        await expect(el).to.be.accessible();
        el.stop();
      });

      it('launcher: button, unread badge and teaser readable on the page, the open panel axe clean', async () => {
        fetchMock = mockFetch(() => sseResponse('Hello! How can I help?'));
        const el = await fixture<DifyChat>(html`<dify-chat class=${name} mode="launcher" endpoint="/mock/chat"
          storage-key=${uniqueKey()} bot-name="Pink" teaser="Questions about brewing? Ask Pink!"></dify-chat>`);
        await el.send('Hi'); // completes while closed: one unread answer
        await rendered(el);
        const launcher = part<HTMLButtonElement>(el, 'launcher')!;
        const badge = part(el, 'badge')!;
        const page = backgroundOf(document.body);
        expect(badge.textContent!.trim()).to.equal('1');
        expectPairs([
          text('launcher icon', launcher, 3),
          against('launcher on the page', backgroundOf(launcher), page),
          text('unread badge', badge),
          text('teaser', inShadow(el, '.teaser-text')),
          text('teaser dismiss', inShadow(el, '.teaser-dismiss'), 3),
          against('focus ring of the launcher', await ringOf(launcher), page),
        ]);
        await expect(el).to.be.accessible();

        el.show();
        await rendered(el);
        const close = part<HTMLButtonElement>(el, 'close-button')!;
        expectPairs([
          text('close button on the header', close, 3),
          against('focus ring of Close', await ringOf(close), backgroundOf(part(el, 'header')!)),
          text('answer in the panel', inShadow(el, '[part~="message--bot"] p')),
        ]);
        await expect(el).to.be.accessible();
      });
    });
  }
});
