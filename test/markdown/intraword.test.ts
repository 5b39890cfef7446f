import { expect } from '@open-wc/testing';
import { IntrawordUnderscores, LinkDestinationParens, unmark } from '../../src/markdown/intraword.js';
import { MarkdownView, renderMarkdown } from '../../src/markdown/stream.js';

const html = (md: string) => {
  const d = document.createElement('div');
  d.append(renderMarkdown(md));
  return d.innerHTML;
};
/** What the parser is given: intraword underscores shown as `•`. */
const fed = (md: string) => new IntrawordUnderscores().feed(md, true).replace(/\ue000/g, '•');

describe('IntrawordUnderscores', () => {
  it('marks only underscores between two letters or digits', () => {
    expect(fed('snake_case_name')).to.equal('snake•case•name');
    expect(fed('a__b 1_000_000 ä_ö x_ _y _z_ q_')).to.equal('a••b 1•000•000 ä•ö x_ _y _z_ q_');
    expect(fed('__init__ and _em_ and __strong__')).to.equal('__init__ and _em_ and __strong__');
    expect(fed('___\n*_x_*')).to.equal('___\n*_x_*');
    expect(fed('snake\\_case')).to.equal('snake\\_case');
  });

  it('unmark() turns the marks back into underscores', () => {
    const text = 'snake_case_name, _em_ and a__b';
    expect(unmark(new IntrawordUnderscores().feed(text, true))).to.equal(text);
  });

  it('holds back a trailing run of underscores until the next character or the end', () => {
    const e = new IntrawordUnderscores();
    expect(e.feed('snake_')).to.equal('snake');
    expect(e.feed('_')).to.equal('');
    expect(e.feed('case x_')).to.equal('\ue000\ue000case x');
    expect(e.feed('', true)).to.equal('_');
  });

  it('is chunk-invariant: any chunking gives the same output as one feed', () => {
    const text = 'a_b __c__ d_e_f _g_ h__ __i 1_2\n```\nx_y\n```\n`u_v` https://x.example/a_b_c ü_ü _';
    const whole = new IntrawordUnderscores().feed(text, true);
    for (let k = 1; k <= 7; k++) {
      const e = new IntrawordUnderscores();
      let out = '';
      for (let i = 0; i < text.length; i += k) out += e.feed(text.slice(i, i + k));
      out += e.feed('', true);
      expect(out, `chunks of ${k}`).to.equal(whole);
    }
    // also at every single split point, including inside a surrogate pair
    const emoji = 'x_😀_y a_b';
    const one = new IntrawordUnderscores().feed(emoji, true);
    for (let i = 0; i <= emoji.length; i++) {
      const e = new IntrawordUnderscores();
      expect(e.feed(emoji.slice(0, i)) + e.feed(emoji.slice(i), true), `split at ${i}`).to.equal(one);
    }
  });
});

describe('intraword underscores in rendered markdown', () => {
  it('snake_case_name stays literal', () => {
    expect(html('use snake_case_name and __init__ or MAX_VALUE_2')).to.equal(
      '<p dir="auto">use snake_case_name and <strong>init</strong> or MAX_VALUE_2</p>',
    );
    expect(html('# my_heading_text\n\n- list_item_x\n\n| a_b | c_d |\n|---|---|\n| e_f | g_h |')).not.to.contain('<em>');
    expect(html('a_b_c').includes('\\')).to.equal(false);
  });

  it('_em_ and __strong__ at word boundaries still work', () => {
    expect(html('an _em_ word and a __strong__ one, (_x_) and _snake_case_ too')).to.equal(
      '<p dir="auto">an <em>em</em> word and a <strong>strong</strong> one, (<em>x</em>) and <em>snake_case</em> too</p>',
    );
  });

  it('underscores inside inline code, fences, indented code, math, URLs and image alts are untouched', () => {
    const d = document.createElement('div');
    d.append(
      renderMarkdown(
        '`my_var_name` and ``a_b``\n\n```py_3\nx_y = a_b_c\n```\n\n    ind_ent_ed\n\n' +
          '[l_k](https://x.example/a_b_c?q_1=v_2) https://y.example/p_q_r $x_1 + y_2$\n\n![my_pic_1](img_1.png)',
      ),
    );
    expect([...d.querySelectorAll('code')].map((c) => c.textContent)).to.deep.equal(['my_var_name', 'a_b', 'x_y = a_b_c', 'ind_ent_ed']);
    expect(d.querySelector('pre code')!.className).to.equal('language-py_3');
    const [a, raw] = d.querySelectorAll('a');
    expect(a.getAttribute('href')).to.equal('https://x.example/a_b_c?q_1=v_2');
    expect(a.textContent).to.equal('l_k');
    expect(raw.getAttribute('href')).to.equal('https://y.example/p_q_r');
    expect(raw.textContent).to.equal('https://y.example/p_q_r');
    expect(d.querySelector('.math')!.textContent).to.equal('x_1 + y_2');
    const img = d.querySelector('img')!;
    expect([img.alt, img.getAttribute('src')]).to.deep.equal(['my_pic_1', 'img_1.png']);
    expect(d.innerHTML).not.to.contain('\\');
    expect(d.innerHTML).not.to.contain('\ue000');
  });

  it('streams to the same DOM in any chunking, and never shows a mark', () => {
    const md = 'The snake_case_name and _em_ and __strong__ end_\n\n`a_b` https://x.example/a_b c_d';
    const expected = html(md);
    for (let k = 1; k <= 7; k++) {
      const div = document.createElement('div');
      const view = new MarkdownView(div);
      for (let i = k; i < md.length; i += k) {
        view.update(md.slice(0, i), true);
        expect(div.textContent).not.to.contain('\ue000');
      }
      view.update(md, false);
      expect(div.innerHTML, `chunks of ${k}`).to.equal(expected);
    }
  });
});

/** The character-by-character definitions the feeds must match (the feeds copy runs of plain text at once). */
function referenceUnderscores(chunks: string[]): string {
  const WORD = /[\p{L}\p{N}]/u;
  let held = '';
  let prev = '';
  let out = '';
  for (const ch of chunks.join('')) {
    for (const c of ch.length > 1 ? ch.split('') : [ch]) {
      if (c === '_') {
        held += c;
        continue;
      }
      if (held) out += WORD.test(prev) && WORD.test(c) ? '\ue000'.repeat(held.length) : held;
      held = '';
      out += c;
      prev = c;
    }
  }
  return out + held;
}

function referenceParens(text: string): string {
  let inDestination = false;
  let depth = 0;
  let escaped = false;
  let prev = '';
  let out = '';
  for (const ch of text.split('')) {
    if (!inDestination) {
      if (ch === '(' && prev === ']') {
        inDestination = true;
        depth = 0;
        escaped = false;
      }
      out += ch;
    } else if (escaped) {
      escaped = false;
      out += ch;
    } else if (ch === '\\') {
      escaped = true;
      out += ch;
    } else if (ch === '(') {
      depth++;
      out += '\ue001';
    } else if (ch === ')' && depth) {
      depth--;
      out += '\ue002';
    } else {
      if (ch === ')' || /\s/.test(ch)) inDestination = false;
      out += ch;
    }
    prev = ch;
  }
  return out;
}

describe('feeds copy plain runs at once, with the same output as character by character', () => {
  const samples = [
    'snake_case_name and __init__ with a__b, _em_ and q_ x_ _y 1_000 ä_ö 😀_😀 end_',
    'see [a link](https://x.example/a_(b)_c) and [l](javascript:alert(1)) then ](not a link) (x) ]( a',
    '[w](<https://x.example/a b>) [e](https://x.example/\\)x) [n](a(b(c)d)e) tail]',
    '](( ]]((x)) [x]( spaced ) ![img](https://x.example/i_(1).png "t(i)tle") done',
  ];
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const chunkings = (text: string) => [
    [text],
    text.split(''),
    Array.from({ length: Math.ceil(text.length / 7) }, (_, i) => text.slice(i * 7, i * 7 + 7)),
    ...Array.from({ length: 20 }, () => {
      const parts: string[] = [];
      for (let i = 0; i < text.length; ) {
        const n = 1 + Math.floor(rnd() * 12);
        parts.push(text.slice(i, i + n));
        i += n;
      }
      return parts;
    }),
  ];

  it('IntrawordUnderscores', () => {
    for (const text of samples) {
      const expected = referenceUnderscores([text]);
      for (const parts of chunkings(text)) {
        const feed = new IntrawordUnderscores();
        const out = parts.map((p, i) => feed.feed(p, i === parts.length - 1)).join('');
        expect(out, JSON.stringify(parts)).to.equal(expected);
      }
    }
  });

  it('LinkDestinationParens', () => {
    for (const text of samples) {
      const expected = referenceParens(text);
      for (const parts of chunkings(text)) {
        const feed = new LinkDestinationParens();
        expect(parts.map((p) => feed.feed(p)).join(''), JSON.stringify(parts)).to.equal(expected);
      }
    }
  });
});
