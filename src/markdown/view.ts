// Incremental rendering of a growing answer.
//
// The answer is cut into top-level blocks. A block is *finished* once the lexer sees another block
// after it; finished blocks are rendered once, appended, and never touched again (a visitor's text
// selection in them survives). Each update lexes only the text after the last finished block (the
// *tail*, usually one paragraph), healed while streaming, and replaces the tail's DOM.
//
// Cost: a frame lexes the tail plus what arrived since the last frame, so an answer made of blocks
// of at most B characters, delivered in chunks of c characters, lexes about n·(1 + B/2c) characters
// while streaming, plus n once for the final check: O(n) for bounded blocks, where a full re-render
// per chunk would be O(n²/c).
// - Lists: marked lexes a whole list as one token, so top-level list *items* are finished one by one
//   into a list element that stays open (a 300-item list costs like 300 paragraphs). An item is
//   finished when the next item starts; one item with a long nested list is one block.
// - An unclosed ``` / ~~~ fence at the end is not re-lexed at all: new lines are appended to its text
//   node until the closing fence arrives.
// - Other long blocks (one huge paragraph, table or block quote) are re-lexed per frame while they
//   are the last block: O(size of that block) per frame.
//
// The final update lexes the whole answer once and checks every finished block against it (same
// start, same source, same reference definitions); from the first block that differs (e.g. a
// reference definition arrived after a block that uses it) the rest is rendered again from the full
// lex, so the result is exactly renderMarkdown(answer).
import { Lexer, type Links, type Token, type Tokens, type TokensList } from 'marked';
import { healMarkdown } from './heal.js';
import { renderItem, renderList, renderToken, type RenderOptions } from './render.js';

interface Unit {
  /** offset in the answer */
  start: number;
  raw: string;
  node: Node;
  /** the reference definitions its links were resolved with (JSON); 0 when several differed */
  sig: string | 0;
  /** a list finished item by item */
  list?: { items: string[]; loose: boolean };
}

/** An unclosed fence at the end: its content is appended to `text` without lexing. */
interface Fence {
  /** fence character and length */
  mark: string;
  text: Text;
  /** how much of the answer is in `text` */
  shown: number;
  /** where the last (maybe incomplete) line starts */
  line: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*$/;
/** List marker character: - * + for bullets, . ) for ordered lists. */
const bullet = (t: Tokens.List) => /^\s*\d*(\S)/.exec(t.raw)![1];

/** Keeps a container's children in sync with a growing markdown answer, re-parsing only the unfinished tail. */
export class MarkdownView {
  private input = '';
  /** the answer with line endings normalised, as the lexer sees it */
  private src = '';
  private end = 0;
  private units: Unit[] = [];
  private tail: Node[] = [];
  private links: Links = {};
  /** the last unit, while its list can still grow */
  private open?: Unit;
  private fence?: Fence;
  private final = false;
  private chars = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly options: RenderOptions = {},
  ) {}

  /** For benchmarks and tests: total characters passed to the lexer so far. */
  get parsedChars(): number {
    return this.chars;
  }

  /**
   * Render `markdown` (the full answer so far). `streaming` true: the last block may be incomplete
   * (it is healed). false: final render, equal to renderMarkdown(markdown). Text that does not start
   * with the previously rendered text (a replacement) is rendered from scratch.
   */
  update(markdown: string, streaming: boolean): void {
    if (markdown === this.input && (this.final || streaming)) return;
    if (this.final || !markdown.startsWith(this.input)) {
      this.container.replaceChildren();
      this.input = this.src = '';
      this.end = 0;
      this.units = [];
      this.tail = [];
      this.links = {};
      this.open = this.fence = undefined;
      this.final = false;
    }
    let add = markdown.slice(this.input.length);
    if (this.input.endsWith('\r') && add[0] === '\n') add = add.slice(1);
    this.src += add.replace(/\r\n?/g, '\n');
    this.input = markdown;
    if (streaming) this.stream();
    else this.finish();
  }

  private lex(text: string, seed?: Links): TokensList {
    this.chars += text.length;
    const lexer = new Lexer();
    Object.assign(lexer.tokens.links, seed);
    return lexer.lex(text);
  }

  /** Renders a token at the end of the container (or of `parent`) and returns its nodes. */
  private render(t: Token | Tokens.ListItem, parent: Node = this.container, loose = false): Node[] {
    const f = document.createDocumentFragment();
    if (t.type === 'list_item') renderItem(t as Tokens.ListItem, f, this.options, loose);
    else renderToken(t, f, this.options);
    const nodes = [...f.childNodes];
    parent.appendChild(f);
    return nodes;
  }

  private stream(): void {
    const { src } = this;
    let pos = this.end;
    const f = this.fence;
    if (f) {
      // look for the closing fence in the lines that arrived, without lexing
      let k = f.line;
      for (let e = 0; e >= 0; k = e + 1) {
        e = src.indexOf('\n', k);
        const m = FENCE.exec(src.slice(k, e < 0 ? undefined : e));
        if (m && m[1][0] === f.mark[0] && m[1].length >= f.mark.length) break;
        if (e < 0) {
          f.text.appendData(src.slice(f.shown));
          f.shown = src.length;
          f.line = k;
          return;
        }
      }
      this.fence = undefined;
    }

    const tail = src.slice(pos);
    const healed = healMarkdown(tail);
    // finished blocks must come from unhealed text
    let lim = 0;
    while (tail[lim] === healed[lim] && lim < tail.length) lim++;
    if (lim === tail.length && healed.length === tail.length) lim = Infinity;
    const toks = this.lex(healed, this.links);
    const sig = JSON.stringify(toks.links);
    for (const n of this.tail) (n as ChildNode).remove();
    this.tail = [];

    let last = toks.length - 1;
    while (last >= 0 && toks[last].type === 'space') last--;
    const fits = (raw: string) => pos + raw.length <= lim && src.startsWith(raw, pos);
    let i = 0;
    for (; i <= last; i++) {
      const t = toks[i];
      const u = this.open;
      this.open = undefined;
      if (t.type === 'list') {
        const l = t as Tokens.List;
        const items = l.items;
        // finished items: all of them when another block follows, else all but the last
        let n = i < last ? items.length : items.length - 1;
        let k = 0;
        while (k < n && fits(items[k].raw)) {
          pos += items[k].raw.length;
          k++;
        }
        if (k < n) n = -1; // stop finishing here
        let list = u?.list;
        if (i || !u || !list || bullet(u.raw ? (this.lex('', {}), l) : l) !== bullet(l) || !k) {
          list = undefined;
        }
        void list;
      }
      if (i >= last || !fits(t.raw)) break;
      pos += t.raw.length;
    }
    void i;
  }

  private finish(): void {}
}
