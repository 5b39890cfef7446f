// Hostile answers in the spirit of the OWASP XSS filter evasion cheat sheet and known mXSS vectors.
// Each payload tries to call window.__xss(name). Every payload is rendered into a container attached
// to the document, once with renderMarkdown and once streamed through MarkdownView in 1–7 character
// chunks (checking the tree after every chunk), then we wait two animation frames and a timeout so
// image errors, autofocus, toggles etc. would have fired.
import { expect } from '@open-wc/testing';
import { MarkdownView, renderMarkdown } from '../../src/markdown/stream.js';

declare global {
  interface Window {
    __xss?: (name: string) => void;
  }
}

/** [name, answer, text that must be visible (raw HTML shows as text)] */
const PAYLOADS: [string, string, string?][] = [
  ['script', `<script>window.__xss('script')</script>`, '<script>'],
  ['script-in-paragraph', `Hello <script>window.__xss('script-in-paragraph')</script> world`, '<script>'],
  ['img-onerror', `<img src=x onerror="window.__xss('img-onerror')">`, '<img src=x'],
  ['img-onerror-inline', `text <IMG SRC=x ONERROR=window.__xss('img-onerror-inline')> text`, '<IMG'],
  ['svg-onload', `<svg onload="window.__xss('svg-onload')"></svg>`, '<svg'],
  ['svg-script', `<svg><script>window.__xss('svg-script')</script></svg>`, '<svg><script>'],
  ['svg-xlink', `<svg><a xlink:href="javascript:window.__xss('svg-xlink')"><text x="0" y="10">x</text></a></svg>`, '<svg>'],
  ['math-mxss', `<math><mtext><table><mglyph><style><img src=x onerror="window.__xss('math-mxss')">`, '<math>'],
  ['math-mxss-2', `<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style><img src onerror=window.__xss('math-mxss-2')>"></style></h1>`, '<math>'],
  ['noscript-mxss', `<noscript><p title="</noscript><img src=x onerror=window.__xss('noscript-mxss')>">`, '<noscript>'],
  ['iframe-srcdoc', `<iframe srcdoc="<script>parent.__xss('iframe-srcdoc')</script>"></iframe>`, '<iframe'],
  ['iframe-src', `<iframe src="javascript:parent.__xss('iframe-src')"></iframe>`, '<iframe'],
  ['form-action', `<form action="javascript:window.__xss('form-action')"><button>go</button></form>`, '<form'],
  ['style-import', `<style>@import 'javascript:window.__xss("style-import")'; body{background:red}</style>`, '<style>'],
  ['object', `<object data="javascript:window.__xss('object')"></object>`, '<object'],
  ['embed', `<embed src="javascript:window.__xss('embed')">`, '<embed'],
  ['base', `<base href="javascript:window.__xss('base')//">\n\n[rel](x)`, '<base'],
  ['meta-refresh', `<meta http-equiv="refresh" content="0;url=javascript:window.__xss('meta-refresh')">`, '<meta'],
  ['link-import', `<link rel="stylesheet" href="javascript:window.__xss('link-import')">`, '<link'],
  ['input-autofocus', `<input autofocus onfocus="window.__xss('input-autofocus')">`, '<input'],
  ['details-ontoggle', `<details open ontoggle="window.__xss('details-ontoggle')"><summary>x</summary></details>`, '<details'],
  ['body-onload', `<body onload="window.__xss('body-onload')">`, '<body'],
  ['video-source', `<video><source onerror="window.__xss('video-source')"></video>`, '<video>'],
  ['html-a-href', `<a href="javascript:window.__xss('html-a-href')">click</a>`, '<a href='],
  ['html-a-entity', `<a href="&#106;avascript:window.__xss('html-a-entity')">x</a>`, '<a href='],
  ['html-a-data', `<a href="data:text/html,<script>window.__xss('html-a-data')</script>">x</a>`, '<a href='],
  ['md-link-js', `[click me](javascript:window.__xss('md-link-js'))`],
  ['md-link-case', `[click](JaVaScRiPt:window.__xss('md-link-case'))`],
  ['md-link-tab', `[click](<java\tscript:window.__xss('md-link-tab')>)`],
  ['md-link-newline', `[click](<java\nscript:window.__xss('md-link-newline')>)`],
  ['md-link-leading-space', `[click](<  javascript:window.__xss('md-link-leading-space')>)`],
  ['md-link-dec-entity', `[click](&#106;avascript:window.__xss('md-link-dec-entity'))`],
  ['md-link-hex-entity', `[click](&#x6A;avascript:window.__xss('md-link-hex-entity'))`],
  ['md-link-padded-entity', `[click](&#0000106&#0000097;vascript:window.__xss('md-link-padded-entity'))`],
  ['md-link-colon-entity', `[click](javascript&colon;window.__xss('md-link-colon-entity'))`],
  ['md-link-percent', `[click](java%73cript:window.__xss('md-link-percent'))`],
  ['md-link-escaped', `[click](java\\script:window.__xss('md-link-escaped'))`],
  ['md-link-vbscript', `[click](vbscript:msgbox('md-link-vbscript'))`],
  ['md-link-data-html', `[click](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3MoJ21kLWxpbmstZGF0YS1odG1sJyk8L3NjcmlwdD4=)`],
  ['md-image-js', `![pic](javascript:window.__xss('md-image-js'))`],
  ['md-image-svg-data', `![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IndpbmRvdy5fX3hzcygnbWQtaW1hZ2Utc3ZnLWRhdGEnKSIvPg==)`],
  ['md-image-svg-data-plain', `![pic](<data:image/svg+xml,<svg onload="window.__xss('md-image-svg-data-plain')"/>>)`],
  ['autolink-js', `<javascript:window.__xss('autolink-js')>`],
  ['autolink-data', `<data:text/html,window.__xss('autolink-data')>`],
  ['reference-js', `Click [here][x] or [x].\n\n[x]: javascript:window.__xss('reference-js') "t"`],
  ['reference-image-js', `![img][p]\n\n[p]: javascript:window.__xss('reference-image-js')`],
  ['link-title-quotes', `[t](https://ok.invalid/ "\\"onmouseover=\\"window.__xss('link-title-quotes')")`],
  ['link-title-entity', `[t](https://ok.invalid/ "&quot; onmouseover=&quot;window.__xss('link-title-entity')")`],
  ['image-title-breakout', `![i](https://img.invalid/x.png "x\\" onerror=\\"window.__xss('image-title-breakout')")`],
  ['image-alt-html', `![<img src=x onerror="window.__xss('image-alt-html')">](https://img.invalid/x.png)`],
  ['link-text-html', `[<img src=x onerror="window.__xss('link-text-html')">](https://ok.invalid/)`, '<img src=x'],
  ['codespan-html', "`<img src=x onerror=\"window.__xss('codespan-html')\">`", '<img src=x'],
  ['fence-html', "```html\n<script>window.__xss('fence-html')</script>\n```", '<script>'],
  ['fence-lang-breakout', "```js\" onload=\"window.__xss('fence-lang-breakout')\n1\n```"],
  ['html-comment', `<!-- <img src=x onerror="window.__xss('html-comment')"> -->`, '<!--'],
  ['html-comment-mxss', `<!--><img src=x onerror="window.__xss('html-comment-mxss')">-->`, '<img src=x'],
  ['entity-encoded-tag', `&lt;img src=x onerror="window.__xss('entity-encoded-tag')"&gt;`, '&lt;img src=x'],
  ['double-encoded-tag', `&amp;lt;script&amp;gt;window.__xss('double-encoded-tag')&amp;lt;/script&amp;gt;`, '&amp;lt;script&amp;gt;'],
  ['nested-strong-html', `**<img src=x onerror="window.__xss('nested-strong-html')">**`, '<img src=x'],
  ['nested-list-html', `- item\n  - <script>window.__xss('nested-list-html')</script>\n  - [x](javascript:window.__xss('nested-list-html'))`, '<script>'],
  ['table-cell-html', `| a | b |\n|---|---|\n| <img src=x onerror="window.__xss('table-cell-html')"> | [x](javascript:window.__xss('table-cell-html')) |`, '<img src=x'],
  ['blockquote-html', `> <iframe src="javascript:parent.__xss('blockquote-html')"></iframe>`, '<iframe'],
  ['split-script-tag', `<scr<script>ipt>window.__xss('split-script-tag')</scr</script>ipt>`, '<scr<script>ipt>'],
  ['double-lt', `<<script>script>window.__xss('double-lt')<</script>/script>`, '<<script>'],
  ['attribute-md-mix', `<a title="**x**" href="javascript:window.__xss('attribute-md-mix')">*x*</a>`, '<a title='],
  ['html-then-md-link', `<div>\n[x](javascript:window.__xss('html-then-md-link'))\n</div>`, '<div>'],
  ['task-list-html', `- [ ] <input onfocus="window.__xss('task-list-html')" autofocus>\n- [x] done`, '<input'],
  ['style-attr-md', `<p style="background:url(javascript:window.__xss('style-attr-md'))">x</p>`, '<p style='],
  ['unicode-escape', `[x](\\u006Aavascript:window.__xss('unicode-escape'))`],
  ['null-byte', `[x](java\u0000script:window.__xss('null-byte'))`],
  ['control-char', `[x](<\u0001javascript:window.__xss('control-char')>)`],
  // streaming-markdown specifics: <br>, math, bare URLs, checkboxes, the intraword mark, deep nesting
  ['br-attr', `a<br onmouseover="window.__xss('br-attr')">b <br/onload=window.__xss('br-attr')> <br/ >`, '<br onmouseover='],
  ['math-inline-html', `$<img src=x onerror="window.__xss('math-inline-html')">$`, '<img src=x'],
  ['math-block-html', `$$\n<script>window.__xss('math-block-html')</script>\n$$`, '<script>'],
  ['math-paren-html', `\\(<svg onload="window.__xss('math-paren-html')">\\)`, '<svg onload='],
  ['math-bracket-html', `\\[\n<iframe src="javascript:parent.__xss('math-bracket-html')">\n\\]`, '<iframe'],
  ['bare-url-quote', `see https://ok.invalid/"onmouseover="window.__xss('bare-url-quote')" now`],
  ['bare-url-host-js', `http://javascript:window.__xss('bare-url-host-js') and https://<img/src/onerror=window.__xss('bare-url-host-js')>`],
  ['bare-url-in-table', `| a |\n|---|\n| https://ok.invalid/x"><img src=x onerror=window.__xss('bare-url-in-table')> |`, '<img src=x'],
  ['checkbox-spam', `- [x] [ ] [x] <input onfocus="window.__xss('checkbox-spam')" autofocus>\n- [ ]  [x]`, '<input'],
  ['fence-lang-html', "```<img src=x onerror=window.__xss('fence-lang-html')>\nx\n```"],
  ['image-in-link', `[![x](javascript:window.__xss('image-in-link'))](javascript:window.__xss('image-in-link'))`],
  ['link-attr-space', `[x](https://ok.invalid/ onclick=window.__xss('link-attr-space'))`],
  ['link-angle-js', `[x](<javascript:window.__xss('link-angle-js')>) [y](< javascript:window.__xss('link-angle-js')>)`],
  ['intraword-mark-scheme', `[x](java\ue000script:window.__xss('intraword-mark-scheme'))`],
  ['intraword-scheme', `[x](java_script:window.__xss('intraword-scheme')) [y](javascript_:window.__xss('intraword-scheme'))`],
  ['deep-nesting', `${'> '.repeat(40)}- ${'  - '.repeat(30)}[x](javascript:window.__xss('deep-nesting')) <script>window.__xss('deep-nesting')</script>`, '<script>'],
  ['unclosed-link-html', `[<b>x](https://ok.invalid/<img src=x onerror=window.__xss.call(0,'unclosed-link-html'>\n\n<script>`, '<img src=x'],
  ['unclosed-image', `![<svg onload=window.__xss('unclosed-image')>](javascript:window.__xss('unclosed-image')`],
  ['heading-html', `# <img src=x onerror="window.__xss('heading-html')">`, '<img src=x'],
  ['long-mix', `# Title <script>window.__xss('long-mix')</script>\n\n> quote <img src=x onerror=window.__xss('long-mix')>\n\n1. [a](javascript:window.__xss('long-mix'))\n2. ![b](data:image/svg+xml,x)\n\n\`\`\`\n</code></pre><img src=x onerror=window.__xss('long-mix')>\n\`\`\``, '<script>'],
];

const ALLOWED = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'PRE', 'CODE', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'HR', 'STRONG', 'EM', 'DEL', 'BR', 'A', 'IMG', 'INPUT', 'SPAN', 'DIV', 'BUTTON']);
const FORBIDDEN = 'script,style,iframe,object,embed,form,svg,math,link,meta,base,input,frame,frameset,video,audio,source,details,body,noscript,template,textarea,button,select';
const URL_ATTRS = new Set(['href', 'src']);
/** The classes the renderer itself sets, by tag. */
const CLASSES: Record<string, RegExp> = {
  DIV: /^(math|code-block|code-header|table-scroll)$/,
  SPAN: /^(math|code-lang)$/,
  CODE: /^language-[\w+#.-]+$/,
  A: /^image-link$/,
};

/** Structural safety of a rendered tree. */
function check(root: Element, label: string) {
  for (const el of root.querySelectorAll(FORBIDDEN)) {
    const ok =
      (el instanceof HTMLInputElement && el.type === 'checkbox' && el.disabled && el.closest('li')) ||
      // the code block's own copy button (the element handles its click; it has no handler attribute)
      (el instanceof HTMLButtonElement && el.type === 'button' && el.getAttribute('part') === 'code-copy' && el.parentElement?.className === 'code-header');
    expect(ok, `${label}: forbidden <${el.tagName.toLowerCase()}> in ${root.innerHTML}`).to.be.ok;
  }
  for (const el of root.querySelectorAll('*')) {
    expect(ALLOWED.has(el.tagName), `${label}: unexpected <${el.tagName}>`).to.equal(true);
    expect(el.namespaceURI).to.equal('http://www.w3.org/1999/xhtml');
    if (el.tagName === 'DIV' || el.tagName === 'SPAN') expect(el.className, `${label}: <${el.tagName}> class`).to.match(CLASSES[el.tagName]);
    if (el.tagName === 'A' && el.hasAttribute('href')) expect([el.getAttribute('target'), el.getAttribute('rel')]).to.deep.equal(['_blank', 'noopener noreferrer']);
    if (el.tagName === 'IMG') expect(el.getAttribute('referrerpolicy'), `${label}: image referrer policy`).to.equal('no-referrer');
    for (const { name, value } of el.attributes) {
      expect(name.startsWith('on'), `${label}: event handler attribute ${name}`).to.equal(false);
      expect(['href', 'src', 'target', 'rel', 'alt', 'loading', 'class', 'type', 'disabled', 'start', 'dir', 'part', 'tabindex', 'referrerpolicy'], `${label}: attribute ${name}`).to.include(name);
      if (URL_ATTRS.has(name)) {
        const scheme = /^\s*([a-z][a-z\d+.-]*):/i.exec(value)?.[1].toLowerCase();
        expect([undefined, 'http', 'https', 'mailto'], `${label}: ${name}=${value}`).to.include(scheme);
        const resolved = new URL(value, document.baseURI).protocol;
        expect(['http:', 'https:', 'mailto:'], `${label}: ${name}=${value}`).to.include(resolved);
        expect(value.toLowerCase()).not.to.match(/javascript|vbscript|data:/);
      }
      if (name === 'class') expect(value, label).to.match(CLASSES[el.tagName] ?? /^$/);
      if (name === 'dir') expect(value, label).to.match(/^(auto|ltr)$/);
      if (name === 'part') expect(value, label).to.match(/^(code-block|code-copy)$/);
      if (name === 'tabindex') expect(value, label).to.equal('0');
    }
  }
}

/**
 * Two animation frames and a short timeout. requestAnimationFrame does not run in a page the
 * browser considers hidden (wtr runs test files in parallel tabs), so each frame also has a timer.
 */
const frame = () =>
  new Promise<void>((resolve) => {
    requestAnimationFrame(() => resolve());
    setTimeout(resolve, 50);
  });
const frames = async () => {
  await frame();
  await frame();
  await new Promise((resolve) => setTimeout(resolve, 80));
};

/** Deterministic chunk sizes 1..7. */
const chunks = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return 1 + (seed % 7);
};

describe('XSS corpus', () => {
  const hits: string[] = [];
  let host: HTMLElement;
  /** per payload: the one-shot render, the streamed render, and problems seen while streaming */
  const results = new Map<string, { a: HTMLElement; b: HTMLElement; streamErrors: string[] }>();

  before(async () => {
    window.__xss = (name: string) => hits.push(name);
    host = document.createElement('div');
    document.body.append(host);
    // render everything (attached to the document), then wait once for anything to fire
    PAYLOADS.forEach(([name, md], index) => {
      const a = document.createElement('div');
      host.append(a);
      a.append(renderMarkdown(md));
      const b = document.createElement('div');
      host.append(b);
      const view = new MarkdownView(b);
      const streamErrors: string[] = [];
      const next = chunks(index + 1);
      for (let end = next(); end < md.length; end += next()) {
        view.update(md.slice(0, end), true);
        try {
          check(b, `${name} (stream @${end})`);
        } catch (e) {
          streamErrors.push(String(e));
        }
      }
      view.update(md, false);
      results.set(name, { a, b, streamErrors });
    });
    await frames();
  });
  after(() => {
    host.remove();
    delete window.__xss;
  });

  it('control: the harness does see a real injection', async () => {
    const c = document.createElement('div');
    host.append(c);
    // deliberately unsafe, to prove the detection works: NOT how answers are rendered
    c.innerHTML = `<img src="data:," onerror="window.__xss('control')"><svg></svg>`;
    expect(() => check(c, 'control')).to.throw();
    await frames();
    expect(hits).to.include('control');
    c.remove();
  });

  it(`has at least 45 hostile answers (${PAYLOADS.length})`, () => {
    expect(PAYLOADS.length).to.be.at.least(45);
    expect(new Set(PAYLOADS.map(([n]) => n)).size).to.equal(PAYLOADS.length);
  });

  for (const [name, , visible] of PAYLOADS) {
    it(name, () => {
      const { a, b, streamErrors } = results.get(name)!;
      check(a, `${name} (render)`);
      check(b, `${name} (streamed, final)`);
      expect(streamErrors, `${name}: while streaming`).to.deep.equal([]);
      expect(b.innerHTML).to.equal(a.innerHTML);
      if (visible) {
        expect(a.textContent, `${name}: raw HTML visible as text`).to.contain(visible);
        expect(b.textContent).to.contain(visible);
      }
      expect(hits.filter((h) => h === name), `${name}: script ran`).to.deep.equal([]);
    });
  }

  it('javascript: links and images render their text only', () => {
    const d = document.createElement('div');
    d.append(renderMarkdown(`[click me](javascript:alert(1)) ![the alt](javascript:alert(1)) <javascript:alert(1)>`));
    expect(d.querySelector('a, img')?.outerHTML).to.equal(undefined);
    expect(d.textContent).to.contain('click me');
    expect(d.textContent).to.contain('the alt');
  });

  it('no payload ran anywhere during the whole corpus', async () => {
    await frames();
    expect(hits.filter((h) => h !== 'control')).to.deep.equal([]);
  });
});
