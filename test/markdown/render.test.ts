import { expect } from '@open-wc/testing';
import { renderMarkdown } from '../../src/markdown/stream.js';

/** Renders into a detached div (so queries work) and returns it. */
const md = (src: string, baseUrl?: string) => {
  const div = document.createElement('div');
  div.append(renderMarkdown(src, baseUrl ? { baseUrl } : undefined));
  return div;
};
const one = (div: Element, sel: string) => {
  const all = div.querySelectorAll(sel);
  expect(all.length, `exactly one ${sel} in ${div.innerHTML}`).to.equal(1);
  return all[0] as HTMLElement;
};
const texts = (div: Element, sel: string) => [...div.querySelectorAll(sel)].map((e) => e.textContent!.trim());

describe('renderMarkdown', () => {
  it('returns a DocumentFragment', () => {
    const f = renderMarkdown('hi');
    expect(f).to.be.instanceOf(DocumentFragment);
    expect(f.childNodes.length).to.equal(1);
    expect(renderMarkdown('').childNodes.length).to.equal(0);
    expect(renderMarkdown('\n\n  \n').childNodes.length).to.equal(0);
  });

  it('renders paragraphs; every newline inside one is a line break', () => {
    const d = md('one\ntwo\nthree\n\n\n\nsecond');
    const ps = d.querySelectorAll('p');
    expect(ps.length).to.equal(2);
    expect(ps[0].querySelectorAll('br').length).to.equal(2);
    expect(ps[0].textContent).to.equal('onetwothree');
    expect(ps[1].textContent).to.equal('second');
    expect(md('a\\\nb').querySelectorAll('br').length).to.equal(1);
    // <br> is the one tag that is understood
    expect(md('a<br>b<br/>c<br />d').querySelectorAll('br').length).to.equal(3);
  });

  it('renders ATX headings h1–h6', () => {
    const d = md('# one\n## two\n### three\n#### four\n##### five\n###### six\n####### seven\n\n#nospace');
    for (let i = 1; i <= 6; i++) expect(d.querySelectorAll(`h${i}`).length, `h${i}`).to.equal(1);
    expect(d.querySelector('h1')!.textContent).to.equal('one');
    expect(d.querySelector('h6')!.textContent).to.equal('six');
    expect(texts(d, 'p')).to.deep.equal(['####### seven', '#nospace']);
    expect(md('# **bold** head').querySelector('h1 strong')!.textContent).to.equal('bold');
    expect(md('# A\ntext').innerHTML).to.equal('<h1 dir="auto">A</h1><p dir="auto">text</p>');
  });

  it('renders emphasis, strong, strikethrough and inline code', () => {
    const d = md('*em* _em2_ **strong** __strong2__ ***both*** ~~del~~ `code <b>` snake_case_word 2 * 3');
    expect(texts(d, 'em')).to.include.members(['em', 'em2']);
    expect(texts(d, 'strong')).to.include.members(['strong', 'strong2']);
    expect(d.querySelector('strong em')!.textContent).to.equal('both');
    expect(one(d, 'del').textContent).to.equal('del');
    expect(one(d, 'code').textContent).to.equal('code <b>');
    expect(d.textContent).to.contain('snake_case_word 2 * 3');
    expect(d.querySelector('b')?.outerHTML).to.equal(undefined);
    expect(md('**bold *and em* inside**').querySelector('strong > em')!.textContent).to.equal('and em');
    expect(md('``a ` b``').querySelector('code')!.textContent).to.equal('a ` b');
  });

  it('keeps code span and code block content literal (no markdown, no entities, no escapes)', () => {
    const d = md('`&amp; **x** \\*`\n\n```\n&lt;b&gt; **y** _z_ \\*\n```');
    expect(d.querySelector('p code')!.textContent).to.equal('&amp; **x** \\*');
    expect(d.querySelector('pre code')!.textContent).to.equal('&lt;b&gt; **y** _z_ \\*');
  });

  it('renders fenced code with a sanitized language-xx class', () => {
    const d = md('```js\nlet a = 1 < 2;\n```\n\n```python extra words\nprint()\n```\n\n```c++"onload=x\nint\n```\n\n```\nplain\n```\n\n````md\n```\n````');
    const codes = d.querySelectorAll('pre > code');
    expect(codes.length).to.equal(5);
    expect(codes[0].className).to.equal('language-js');
    expect(codes[0].textContent).to.equal('let a = 1 < 2;');
    expect(codes[1].className).to.equal('language-python');
    expect(codes[2].className).to.equal('language-c++onloadx');
    expect(codes[3].hasAttribute('class')).to.equal(false);
    expect(codes[4].className).to.equal('language-md');
    expect(codes[4].textContent).to.equal('```');
    for (const c of codes) {
      expect(c.attributes.length).to.be.at.most(1);
      if (c.className) expect(c.className).to.match(/^language-[\w+#.-]+$/);
    }
  });

  it('renders indented code blocks', () => {
    const d = md('para\n\n    indented <i>code</i>\n    my_var = 1\n\nafter');
    expect(one(d, 'pre code').textContent).to.equal('indented <i>code</i>\nmy_var = 1');
    expect(d.querySelector('i')?.outerHTML).to.equal(undefined);
    expect(d.lastElementChild!.textContent).to.equal('after');
  });

  it('renders block quotes (with other blocks inside, nested)', () => {
    const d = md('> quote **b**\n> - item');
    const bq = one(d, 'blockquote');
    expect(bq.querySelector('p strong')!.textContent).to.equal('b');
    expect(bq.querySelector('ul li')!.textContent).to.equal('item');
    expect(md('> quote\n> more\n\nafter').innerHTML).to.equal('<blockquote dir="auto"><p>quote<br>more</p></blockquote><p dir="auto">after</p>');
    expect(md('> > nested').querySelector('blockquote > blockquote > p')!.textContent).to.equal('nested');
  });

  it('renders unordered, ordered (with start) and nested lists', () => {
    const d = md('- a\n- b\n  - b1\n  - b2\n    1. deep\n- c\n\n3. three\n4. four\n\n* star\n+ plus');
    const ul = d.querySelector('ul')!;
    expect(ul.children.length).to.equal(3);
    expect(ul.querySelector('ul')!.children.length).to.equal(2);
    expect(ul.querySelector('ul ol li')!.textContent).to.equal('deep');
    const ol = one(d, ':scope > ol') as HTMLOListElement;
    expect(ol.getAttribute('start')).to.equal('3');
    expect(ol.start).to.equal(3);
    expect(texts(ol, 'li')).to.deep.equal(['three', 'four']);
    expect(md('1. x\n2. y').querySelector('ol')!.hasAttribute('start')).to.equal(false);
    expect(texts(d, ':scope > ul:last-child > li')).to.deep.equal(['star', 'plus']);
  });

  it('renders list items with inline markup', () => {
    const d = md('- **bold** item\n- `code` and [link](https://x.example)');
    expect(d.querySelector('li strong')!.textContent).to.equal('bold');
    expect(d.querySelector('li code')!.textContent).to.equal('code');
    expect(d.querySelector('li a')!.getAttribute('href')).to.equal('https://x.example/');
  });

  it('renders GFM task items as disabled checkboxes', () => {
    const d = md('- [ ] todo\n- [x] done\n- plain');
    const boxes = d.querySelectorAll('input');
    expect(boxes.length).to.equal(2);
    for (const b of boxes) {
      expect(b.type).to.equal('checkbox');
      expect(b.disabled).to.equal(true);
      expect(b.parentElement!.tagName).to.equal('LI');
    }
    expect(boxes[0].checked).to.equal(false);
    expect(boxes[1].checked).to.equal(true);
    expect(texts(d, 'li')).to.deep.equal(['todo', 'done', 'plain']);
  });

  it('renders tables with thead/th and tbody/td', () => {
    const d = md('| L | C |\n|:--|:-:|\n| 1 | **2** |\n| 5 | 6 |\n\nafter');
    const table = one(d, 'table');
    expect(texts(table, 'thead tr th')).to.deep.equal(['L', 'C']);
    expect(table.querySelectorAll('tbody tr').length).to.equal(2);
    expect(texts(table, 'tbody td')).to.deep.equal(['1', '2', '5', '6']);
    expect(table.querySelector('td strong')!.textContent).to.equal('2');
    expect(table.querySelector('td, th')!.hasAttribute('style')).to.equal(false);
    expect(d.lastElementChild!.outerHTML).to.equal('<p dir="auto">after</p>');
    expect(md('| a |\n|---|').querySelector('tbody')?.outerHTML).to.equal(undefined);
  });

  it('renders horizontal rules and ignores blank space', () => {
    const d = md('a\n\n---\n\n\n\n***\n\n___\n\nb');
    expect(d.querySelectorAll('hr').length).to.equal(3);
    expect(d.children.length).to.equal(5);
  });

  it('renders links with target=_blank and rel=noopener noreferrer', () => {
    const d = md('[site](https://example.com/a?b=1&amp;c=2) and [rel](/docs/x) and [mail](mailto:a@b.c) and [**bold** link](#frag)');
    const [a, rel, mail, bold] = d.querySelectorAll('a');
    expect(a.getAttribute('href')).to.equal('https://example.com/a?b=1&c=2');
    expect(a.target).to.equal('_blank');
    expect(a.rel).to.equal('noopener noreferrer');
    expect(a.textContent).to.equal('site');
    expect(rel.getAttribute('href')).to.equal('/docs/x');
    expect(mail.getAttribute('href')).to.equal('mailto:a@b.c');
    expect(bold.querySelector('strong')!.textContent).to.equal('bold');
    for (const x of [rel, mail, bold]) expect([x.target, x.rel]).to.deep.equal(['_blank', 'noopener noreferrer']);
  });

  it('resolves relative links and images against baseUrl', () => {
    const base = 'https://cdn.example/base/';
    expect(md('[x](/p)', base).querySelector('a')!.getAttribute('href')).to.equal('https://cdn.example/p');
    expect(md('[x](rel)', base).querySelector('a')!.getAttribute('href')).to.equal('https://cdn.example/base/rel');
    expect(md('![x](pic.png)', base).querySelector('img')!.getAttribute('src')).to.equal('https://cdn.example/base/pic.png');
  });

  it('takes the URL alone from a link with a title or in <angle brackets>', () => {
    const d = md('[a](https://x.example/a "Title") [b](<https://x.example/b> "T") ![i](https://x.example/i.png \'t\')');
    expect([...d.querySelectorAll('a')].map((a) => a.getAttribute('href'))).to.deep.equal(['https://x.example/a', 'https://x.example/b']);
    expect(d.querySelector('img')!.getAttribute('src')).to.equal('https://x.example/i.png');
    for (const el of d.querySelectorAll('a, img')) expect(el.hasAttribute('title')).to.equal(false);
  });

  it('renders only the text of links with unsafe URLs', () => {
    const d = md('[click **me**](javascript:alert(1)) [data](data:text/html,x) [vb](vbscript:x)');
    expect(d.querySelector('a')?.outerHTML).to.equal(undefined);
    expect(d.querySelector('strong')!.textContent).to.equal('me');
    expect(d.textContent).to.equal('click me data vb');
  });

  it('shows brackets that are not a link as text', () => {
    expect(md('see [1] and arr[0] and [the docs][d]').innerHTML).to.equal('<p dir="auto">see [1] and arr[0] and [the docs][d]</p>');
    expect(md('an open [bracket').textContent).to.equal('an open [bracket');
    expect(md('![alt] here').textContent).to.equal('![alt] here');
    // a link that never gets its ")" keeps all its text, and whatever follows
    const d = md('see [x](oops more\n\nand more');
    expect(d.querySelector('a')?.outerHTML).to.equal(undefined);
    expect(d.textContent).to.contain('see [x](oops more');
    expect(d.textContent).to.contain('and more');
  });

  it('links bare http(s) URLs, without trailing punctuation', () => {
    const d = md('Go to https://c.example/p. Or http://d.example/a_b_c, or https://e.example/wiki/Foo_(bar) (or https://f.example/x).');
    const as = [...d.querySelectorAll('a')];
    expect(as.map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://c.example/p',
      'http://d.example/a_b_c',
      'https://e.example/wiki/Foo_(bar)',
      'https://f.example/x',
    ]);
    expect(as.map((a) => a.textContent)).to.deep.equal(['https://c.example/p', 'http://d.example/a_b_c', 'https://e.example/wiki/Foo_(bar)', 'https://f.example/x']);
    expect(d.textContent).to.equal('Go to https://c.example/p. Or http://d.example/a_b_c, or https://e.example/wiki/Foo_(bar) (or https://f.example/x).');
    for (const a of as) expect([a.target, a.rel]).to.deep.equal(['_blank', 'noopener noreferrer']);
  });

  it('renders images lazily with alt text and a safe src, or the alt text when the URL is unsafe', () => {
    const d = md('![A cat & dog](https://img.example/cat.png) ![bad](javascript:alert(1)) ![rel](pic.png) ![my_pic](x_y.png)');
    const imgs = d.querySelectorAll('img');
    expect(imgs.length).to.equal(3);
    expect(imgs[0].getAttribute('src')).to.equal('https://img.example/cat.png');
    expect(imgs[0].alt).to.equal('A cat & dog');
    expect(imgs[0].getAttribute('loading')).to.equal('lazy');
    expect(imgs[1].getAttribute('src')).to.equal('pic.png');
    expect(imgs[2].alt).to.equal('my_pic');
    expect(imgs[2].getAttribute('src')).to.equal('x_y.png');
    expect(d.textContent).to.contain('bad');
    expect(md('![x](data:image/png;base64,AAAA)').querySelector('img')?.outerHTML).to.equal(undefined);
  });

  it('shows raw HTML (block and inline) as text', () => {
    const d = md('<div class="x">\n<b>bold</b>\n</div>\n\ninline <span onclick="x()">s</span> <!-- c --> <img src=x onerror=alert(1)>');
    expect(d.querySelector('div, b, span, img')?.outerHTML).to.equal(undefined);
    expect(d.children[0].tagName).to.equal('P');
    expect(d.children[0].textContent).to.equal('<div class="x"><b>bold</b></div>');
    expect(d.children[1].textContent).to.equal('inline <span onclick="x()">s</span> <!-- c --> <img src=x onerror=alert(1)>');
  });

  it('shows character references as written', () => {
    const d = md('&amp; &copy; &#39; &lt;b&gt;');
    expect(d.textContent).to.equal('&amp; &copy; &#39; &lt;b&gt;');
    expect(d.querySelector('b')?.outerHTML).to.equal(undefined);
  });

  it('renders backslash escapes literally', () => {
    const d = md('\\*not em\\* \\<b\\> \\[x\\](y) \\`z\\` \\_u\\_');
    expect(d.querySelector('em, a, code, b')?.outerHTML).to.equal(undefined);
    expect(d.textContent).to.equal('*not em* <b> [x](y) `z` _u_');
  });

  it('renders math as text in span.math / div.math', () => {
    const d = md('Inline $x_1 + y$ and $$\na_b\n$$ costs $5.');
    expect(one(d, 'span.math').textContent).to.equal('x_1 + y');
    expect(one(d, 'div.math').textContent).to.contain('a_b');
    expect(d.textContent).to.contain('costs $5.');
  });

  it('handles deep nesting without losing text', () => {
    const quotes = md('>'.repeat(40) + ' deep');
    expect(quotes.textContent).to.equal('deep');
    expect(quotes.querySelector('p')!.textContent).to.equal('deep');
    const list = md(Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n'));
    expect(list.querySelectorAll('li').length).to.equal(40);
    expect(list.textContent).to.contain('item 39');
  });

  it('uses only the fixed tags and attributes', () => {
    const d = md(
      '# h\n\n> q\n\n- [x] t\n\n1. o\n\n| a |\n|---|\n| b |\n\n```js onload=x\nc\n```\n\n    ind\n\n---\n\n' +
        '*e* **s** ~~d~~ `c` [l](https://x.example "t" onclick="y") ![i](https://x.example/i.png "t"onerror="z") https://r.example a<br>b $m$',
    );
    const tags = new Set(['P', 'H1', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'INPUT', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'PRE', 'CODE', 'HR', 'EM', 'STRONG', 'DEL', 'A', 'IMG', 'BR', 'SPAN', 'DIV', 'BUTTON']);
    for (const el of d.querySelectorAll('*')) {
      expect(tags.has(el.tagName), el.tagName).to.equal(true);
      for (const attr of el.attributes)
        expect(['href', 'target', 'rel', 'src', 'alt', 'loading', 'class', 'type', 'disabled', 'start', 'dir', 'part', 'tabindex', 'referrerpolicy']).to.include(attr.name);
    }
    expect(d.querySelectorAll('a').length).to.equal(2);
    expect(one(d, 'img').getAttribute('src')).to.equal('https://x.example/i.png');
  });
});
