import { expect } from '@open-wc/testing';
import { MarkdownView, type RenderOptions, renderMarkdown } from '../../src/markdown/stream.js';

const fresh = (md: string) => {
  const d = document.createElement('div');
  d.append(renderMarkdown(md));
  return d.innerHTML;
};

/** Deterministic PRNG (mulberry32). */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Prefix ends for a chunking: every k chars, or random sizes 1..max. */
const everyK = (n: number, k: number) => {
  const ends: number[] = [];
  for (let i = k; i < n; i += k) ends.push(i);
  return [...ends, n];
};
const randomEnds = (n: number, seed: number, max = 30) => {
  const r = rng(seed);
  const ends: number[] = [];
  for (let i = 1 + Math.floor(r() * max); i < n; i += 1 + Math.floor(r() * max)) ends.push(i);
  return [...ends, n];
};

/** Streams `md` in the given prefix ends, then the final update; returns the container. */
const stream = (md: string, ends: number[], each?: (div: HTMLElement, prefix: string) => void) => {
  const div = document.createElement('div');
  const view = new MarkdownView(div);
  for (const e of ends) {
    view.update(md.slice(0, e), true);
    each?.(div, md.slice(0, e));
  }
  view.update(md, false);
  return { div, view };
};

const ANSWERS: Record<string, string> = {
  'headings, paragraphs, emphasis, code': `# Getting started

Welcome! This guide shows **how to install** the *tool* and run it. It spans
several lines, with \`inline code\`, ~~old~~ new text and a line break<br>right here.

## Install

Run the following command:

\`\`\`bash
npm install --save my_tool
# comment with **stars** and <b>html</b>
\`\`\`

Then **check *nested* emphasis** that spans a chunk boundary, and __underscores__ too: snake_case_name,
_em_ and a \\*literal\\* star.

### Notes
Short paragraph after a heading.

---
`,
  'nested lists and tasks': `Here is the plan:

1. First step
2. Second step with **bold**
   - sub item a
   - sub item b
     1. deep one
     2. deep two
3. Third step

- [ ] open task
- [x] done task
- plain item

* star list
* again

5. five
6. six

A closing paragraph.`,
  'list with blank lines between items': `- alpha
- beta

- delta after a blank line
- epsilon

Done.`,
  'tables, quotes, links, images, bare URLs': `| Name | Score | Note |
|:-----|------:|:----:|
| Ann | 10 | **top** |
| Bob | 7 | [profile](https://example.com/bob) |
| Cy | 3 | \`n/a\` |

> A quote with a [link](https://example.com/a_b "Title") and
> a second line.

See [the docs][docs], [1] and ![logo](https://img.example.com/logo_1.png) for more, or https://auto.example/x_y.
Unsafe: [x](javascript:alert(1)) and ![y](data:image/png,x) and an open [bracket
`,
  'long code, html, entities and math': `Text with &amp; &copy; and <span>raw html</span>.

<div>
block html stays text
</div>

\`\`\`python
def f(x_1):
    return x_1 * 2  # **not bold**

print(f(21))
\`\`\`

    indented code_block
    more

***

Math $e = mc^2$ and $$
\\int_0^1 x_i
$$ then \\(a_b\\) and a price of $5.
`,
  'crlf line endings': '# Title\r\n\r\nPara **one**\r\nline two\r\n\r\n- a\r\n- b\r\n\r\n```\r\ncode\r\n```\r\nend',
};

describe('MarkdownView', () => {
  describe('streams to exactly renderMarkdown(full)', () => {
    for (const [name, md] of Object.entries(ANSWERS)) {
      it(name, () => {
        const expected = fresh(md);
        const chunkings = [
          ...[1, 2, 3, 5, 7, 13, 40, 1000].map((k) => everyK(md.length, k)),
          ...[1, 2, 3, 4, 5].map((seed) => randomEnds(md.length, seed)),
          randomEnds(md.length, 99, 4),
        ];
        for (const ends of chunkings) {
          const { div } = stream(md, ends);
          expect(div.innerHTML, `chunk ends ${ends.slice(0, 8).join(',')}…`).to.equal(expected);
        }
      });
    }
  });

  it('random markdown-ish soup: never throws, final render is exact', () => {
    const pieces = ['text', ' ', '\n', '\n\n', '**', '*', '_', 'a_b', '`', '```', '~~', '[x]', '(http://a)', '[x](y)',
      '](', ')', '- ', '* ', '+ ', '1. ', '3. ', '  ', '    ', '\t', '> ', '# ', '### ', '| a | b |', '|---|---|', '|',
      '<div>', '<br>', '<br/>', '&amp;', '![i](i.png)', '![', '---', '***', '___', '- [ ] ', '- [x] ', '\\', '\\*', '\\_',
      '$', '$$', '\\(', '\\)', '\\[', '\\]', 'https://h.example/p.', ' http://x', 'www.x.com', '\r\n', 'é', '😀', '\ue000'];
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      let md = '';
      for (let i = 5 + Math.floor(r() * 40); i > 0; i--) md += pieces[Math.floor(r() * pieces.length)];
      const expected = fresh(md);
      for (const ends of [everyK(md.length, 1 + Math.floor(r() * 6)), randomEnds(md.length, seed, 9)]) {
        const { div } = stream(md, ends);
        expect(div.innerHTML, JSON.stringify(md)).to.equal(expected);
      }
    }
  });

  it('the streamed DOM is always sane (no crash, only rendered elements)', () => {
    const md = Object.values(ANSWERS).join('\n\n');
    const tags = new Set(['P', 'H1', 'H2', 'H3', 'PRE', 'CODE', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'INPUT', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'HR', 'EM', 'STRONG', 'DEL', 'BR', 'A', 'IMG', 'SPAN', 'DIV', 'BUTTON']);
    stream(md, everyK(md.length, 1), (div, prefix) => {
      for (const el of div.querySelectorAll('*')) expect(tags.has(el.tagName), `<${el.tagName}> at ${JSON.stringify(prefix.slice(-30))}`).to.equal(true);
      for (const el of div.querySelectorAll('div, span')) expect(el.className, 'renderer classes only').to.match(/^(math|code-block|code-header|code-lang|table-scroll)$/);
      for (const el of div.querySelectorAll('button')) expect(el.getAttribute('part'), 'the copy button only').to.equal('code-copy');
    });
  });

  it('keeps finished blocks as the same DOM nodes', () => {
    const md = 'First paragraph stays.\n\nSecond paragraph.\n\n- item 1\n- item 2\n- item 3\n\nLast one with [a link](https://x.example) and [1].';
    const div = document.createElement('div');
    const view = new MarkdownView(div);
    view.update(md.slice(0, 30), true);
    const first = div.firstElementChild!;
    expect(first.textContent).to.equal('First paragraph stays.');
    const text = first.firstChild;
    let li: Element | undefined;
    for (let i = 31; i <= md.length; i++) {
      view.update(md.slice(0, i), true);
      expect(div.firstElementChild === first, 'same node').to.equal(true);
      expect(first.firstChild === text, 'same node').to.equal(true);
      if (!li && md.slice(0, i).includes('- item 2')) li = div.querySelector('li')!;
      if (li) expect(div.querySelector('li') === li, 'same node').to.equal(true);
    }
    view.update(md, false);
    expect(div.firstElementChild === first, 'same node').to.equal(true);
    expect(first.firstChild === text, 'same node').to.equal(true);
    expect(div.querySelector('li') === li, 'same node').to.equal(true);
    expect(div.innerHTML).to.equal(fresh(md));
  });

  it('a text selection inside a finished paragraph survives further updates', () => {
    const md = 'Select me please.\n\nMore text arrives **here** and here.';
    const div = document.createElement('div');
    document.body.append(div);
    try {
      const view = new MarkdownView(div);
      view.update(md.slice(0, 22), true);
      const range = document.createRange();
      range.selectNodeContents(div.firstElementChild!);
      const sel = getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      for (let i = 23; i <= md.length; i += 3) view.update(md.slice(0, i), true);
      view.update(md, false);
      expect(sel.toString()).to.equal('Select me please.');
      sel.removeAllRanges();
    } finally {
      div.remove();
    }
  });

  it('re-renders from scratch when the text does not continue (message_replace)', () => {
    const div = document.createElement('div');
    const view = new MarkdownView(div);
    view.update('Hello **world**\n\nmore', true);
    const before = div.firstElementChild;
    view.update('Something else', true);
    expect(div.innerHTML).to.equal('<p dir="auto">Something else</p>');
    expect(div.firstElementChild === before, 'a new node').to.equal(false);
    view.update('Something else entirely', false);
    expect(div.innerHTML).to.equal(fresh('Something else entirely'));
    view.update('Something else entirely', false);
    expect(div.innerHTML).to.equal(fresh('Something else entirely'));
    view.update('New answer', true);
    view.update('New answer!', false);
    expect(div.innerHTML).to.equal(fresh('New answer!'));
    // a shorter text, and a long one replaced by another of the same length
    view.update('New', false);
    expect(div.innerHTML).to.equal(fresh('New'));
    const long = 'word '.repeat(100);
    view.update(long + '**tail**', true);
    view.update(long + '*other*', true);
    view.update(long + '*other* more', false);
    expect(div.innerHTML).to.equal(fresh(long + '*other* more'));
  });

  describe('mid-stream look', () => {
    const at = (md: string) => {
      const div = document.createElement('div');
      new MarkdownView(div).update(md, true);
      return div;
    };

    it('**bold te shows a <strong> and no literal **', () => {
      const div = at('Some **bold te');
      expect(div.querySelector('strong')!.textContent).to.equal('bold te');
      expect(div.textContent).to.equal('Some bold te');
    });

    it('the newest plain word is visible', () => {
      expect(at('Hello wor').textContent).to.equal('Hello wor');
      expect(at('Hello world, it is 4').textContent).to.equal('Hello world, it is 4');
      expect(at('# Head').querySelector('h1')!.textContent).to.equal('Head');
      expect(at('- item on').querySelector('li')!.textContent).to.equal('item on');
      expect(at('> quo').querySelector('blockquote')!.textContent).to.equal('quo');
      expect(at('Some *em').querySelector('em')!.textContent).to.equal('em');
      // the provisional text is replaced, not duplicated, by the next update
      const div = document.createElement('div');
      const view = new MarkdownView(div);
      for (const s of ['Hel', 'Hello', 'Hello wo', 'Hello world']) {
        view.update(s, true);
        expect(div.textContent).to.equal(s);
      }
      view.update('Hello world', false);
      expect(div.innerHTML).to.equal('<p dir="auto">Hello world</p>');
    });

    it('shows code spans, strikethrough and links while they are open', () => {
      expect(at('run `npm i').querySelector('code')!.textContent).to.equal('npm i');
      expect(at('~~old').querySelector('del')!.textContent).to.equal('old');
      const link = at('see [the docs](https://docs.exa');
      expect(link.textContent).to.equal('see the docs');
      expect(link.querySelector('[href]')?.outerHTML).to.equal(undefined);
    });

    it('an unclosed code fence shows a code block', () => {
      const div = at('Code:\n\n```js\nconst a = **1**;\nlet b');
      const code = div.querySelector('pre > code')!;
      expect(code.className).to.equal('language-js');
      expect(code.textContent).to.equal('const a = **1**;\nlet b');
    });

    it('a long code fence grows chunk by chunk, and ends correctly', () => {
      const lines = Array.from({ length: 300 }, (_, i) => `line ${i} = "**${i}**" <tag>`);
      const md = `Intro.\n\n\`\`\`ts\n${lines.join('\n')}\n\`\`\`\n\nAfter the code.`;
      let grew = 0;
      let last = 0;
      const { div, view } = stream(md, everyK(md.length, 20), (d) => {
        const length = d.querySelector('pre code')?.textContent!.length ?? 0;
        expect(length).to.be.at.least(last);
        if (length > last) grew++;
        last = length;
      });
      expect(grew).to.be.greaterThan(300);
      expect(div.innerHTML).to.equal(fresh(md));
      expect(view.parsedChars).to.equal(md.length);
    });

    it('raw markers never show while a whole answer streams', () => {
      const md =
        'Use **bold** and *em* and __strong__ and ~~gone~~ and `code` here.\n\n' +
        'A [link](https://example.com/path) and **bold with `code` inside** end.\n\n' +
        '- item **one**\n- item *two*\n\n# Heading **b**\n';
      stream(md, everyK(md.length, 1), (div, prefix) => {
        const clone = div.cloneNode(true) as HTMLElement;
        for (const c of clone.querySelectorAll('code')) c.remove();
        const text = clone.textContent!;
        for (const marker of ['**', '__', '~~', '`', '](', '# ']) expect(text, `${JSON.stringify(prefix)} → ${text}`).not.to.contain(marker);
      });
    });
  });

  describe('linear parse cost (characters given to the parser, no timing)', () => {
    it('an append-only stream parses each character once: parsedChars = length', () => {
      const r = rng(7);
      const words = ['alpha', 'beta', '**gamma**', 'delta', '`eps`', 'zeta', '*eta*', 'theta', '[iota](https://i.example)', 'snake_case'];
      const blocks: string[] = [];
      for (let i = 0; i < 400; i++) {
        const n = 3 + Math.floor(r() * 10);
        const text = Array.from({ length: n }, () => words[Math.floor(r() * words.length)]).join(' ');
        const kind = i % 10;
        blocks.push(kind === 0 ? `## Section ${i}` : kind === 5 ? `> ${text}` : kind === 7 ? `\`\`\`\ncode ${i}\n\`\`\`` : text);
      }
      const md = blocks.join('\n\n');
      for (const k of [1, 20, 97]) {
        const { div, view } = stream(md, everyK(md.length, k));
        expect(view.parsedChars).to.equal(md.length);
        if (k === 20) {
          expect(div.innerHTML).to.equal(fresh(md));
          expect(div.children.length).to.equal(400);
        }
      }
    });

    it('a list of 300 items: parsedChars = length', () => {
      const md =
        'Items:\n\n' +
        Array.from({ length: 300 }, (_, i) => `- item number ${i} with **bold** and \`code\``).join('\n') +
        '\n\nDone.';
      const { div, view } = stream(md, everyK(md.length, 20));
      expect(div.innerHTML).to.equal(fresh(md));
      expect(div.querySelectorAll('li').length).to.equal(300);
      expect(view.parsedChars).to.equal(md.length);
    });

    it('a restart counts the new text once more, not the whole history', () => {
      const div = document.createElement('div');
      const view = new MarkdownView(div);
      view.update('first answer', true);
      view.update('second', true);
      view.update('second answer', false);
      expect(view.parsedChars).to.equal('first answer'.length + 'second answer'.length);
    });
  });

  describe('groups of top-level blocks (RenderOptions.group)', () => {
    const ungrouped = (root: Element) => {
      // the same DOM without the group wrappers and the last block's mark
      const copy = root.cloneNode(true) as Element;
      for (const g of copy.querySelectorAll(':scope > .md-group')) g.replaceWith(...g.childNodes);
      for (const el of copy.querySelectorAll('[class]')) {
        el.classList.remove('md-last');
        if (!el.className) el.removeAttribute('class');
      }
      return copy.innerHTML;
    };
    /** The top-level blocks (children of the groups) that carry the mark `md-last`. */
    const marked = (root: Element) => [...root.querySelectorAll(':scope > .md-group > *')].filter((el) => el.classList.contains('md-last'));
    const md = Array.from({ length: 23 }, (_, i) =>
      i % 5 === 1 ? `- item ${i}\n- item **b**` : i % 5 === 3 ? `\`\`\`js\ncode ${i}\n\`\`\`` : i % 7 === 0 ? `## Head ${i}` : `Paragraph ${i} with *em* and [a link](https://x.example/${i}).`,
    ).join('\n\n');

    it('puts every top-level block in a group of at most N, in order, with the same content', () => {
      const div = document.createElement('div');
      new MarkdownView(div, { group: 5 }).update(md, false);
      const groups = [...div.children];
      expect(groups.map((g) => g.className)).to.deep.equal(Array(5).fill('md-group'));
      expect(groups.map((g) => g.children.length)).to.deep.equal([5, 5, 5, 5, 3]);
      expect(div.childNodes.length, 'nothing outside the groups').to.equal(5);
      expect(ungrouped(div)).to.equal(fresh(md));
    });

    it('streams to the same DOM as rendering the whole text, for any chunking', () => {
      const whole = document.createElement('div');
      new MarkdownView(whole, { group: 4 }).update(md, false);
      for (const ends of [everyK(md.length, 1), everyK(md.length, 17), randomEnds(md.length, 3)]) {
        const div = document.createElement('div');
        const view = new MarkdownView(div, { group: 4 });
        for (const e of ends) view.update(md.slice(0, e), true);
        view.update(md, false);
        expect(div.innerHTML).to.equal(whole.innerHTML);
        expect(view.parsedChars).to.equal(md.length);
      }
    });

    it('starts over with new groups when the text is replaced', () => {
      const div = document.createElement('div');
      const view = new MarkdownView(div, { group: 2 });
      view.update('one\n\ntwo\n\nthree', true);
      view.update('other', false);
      expect(div.innerHTML).to.equal('<div class="md-group"><p dir="auto" class="md-last">other</p></div>');
    });

    it('asks for the block maker as each block is made: a part that arrives mid-answer serves the blocks after it', () => {
      type Maker = ReturnType<NonNullable<RenderOptions['blocks']>>;
      let maker: Maker;
      let asked = 0;
      const div = document.createElement('div');
      const view = new MarkdownView(div, { group: 32, blocks: () => (asked++, maker) });
      const md = 'Intro\n\n```\na\n```\n\nMiddle\n\n```\nb\n```\n';
      view.update(md.slice(0, md.indexOf('Middle')), true);
      expect(asked, 'asked for the first code block').to.equal(1);
      expect(div.querySelector('.code-block'), 'not there yet: plain <pre>').to.equal(null);
      maker = {
        codeBlock(parent) {
          const box = parent.appendChild(document.createElement('div'));
          box.className = 'code-block';
          return box.appendChild(document.createElement('pre'));
        },
        scrollBox: (parent, className) => Object.assign(parent.appendChild(document.createElement('div')), { className }),
      };
      view.update(md, false);
      expect(asked).to.equal(2);
      expect([...div.querySelectorAll('pre')].map((pre) => [pre.textContent, pre.parentElement!.classList[0]])).to.deep.equal([
        ['a', 'md-group'],
        ['b', 'code-block'],
      ]);
    });

    it('marks only the newest top-level block (md-last), whatever it is, while it streams and after', () => {
      // the caret and the last margin hang on this mark, so the end of a stream restyles one block only
      const blocks = [
        'A paragraph with **bold** text.',
        '- one\n- two',
        '```js\nconst x = 1;\n```',
        '| a | b |\n|---|---|\n| 1 | 2 |',
        '> quoted',
        '$$\nx^2\n$$',
        '---',
        '### Heading',
      ];
      const md = blocks.join('\n\n');
      for (const ends of [everyK(md.length, 1), everyK(md.length, 9), randomEnds(md.length, 7)]) {
        const div = document.createElement('div');
        const view = new MarkdownView(div, { group: 3 });
        for (const e of ends) {
          view.update(md.slice(0, e), true);
          const tops = div.querySelectorAll(':scope > .md-group > *');
          if (!tops.length) continue;
          expect(marked(div), `after ${e} characters`).to.deep.equal([tops[tops.length - 1]]);
        }
        view.update(md, false);
        const tops = div.querySelectorAll(':scope > .md-group > *');
        expect(tops.length).to.be.at.least(blocks.length - 1);
        expect(marked(div)).to.deep.equal([tops[tops.length - 1]]);
        expect(tops[tops.length - 1].tagName).to.equal('H3');
      }
      // ungrouped rendering (no group option) adds no mark
      const plain = document.createElement('div');
      new MarkdownView(plain).update(md, false);
      expect(plain.querySelector('.md-last')).to.equal(null);
    });
  });
});
