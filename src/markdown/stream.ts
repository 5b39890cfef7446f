/**
 * Safe, streaming markdown → DOM, on `streaming-markdown` (a push parser: each chunk is parsed once and
 * only appends to the DOM, so rendering cost is linear in the answer's length).
 *
 * Safe by construction: elements come from a fixed token → tag table, text only ever goes into text
 * nodes, and the only attributes set are checked ones (href/src through `safeUrl`, a sanitised code
 * language, `start`, `checked`). Raw HTML in an answer is never parsed, so it shows as text.
 */
import { Attr, Token, parser, parser_end, parser_write, type Parser } from 'streaming-markdown';
import { IntrawordUnderscores, LinkDestinationParens, unmark } from './intraword.js';
import { safeUrl } from './url.js';

/** Plug-ins for code and math, called once per complete block (never while it streams), SPEC §14. */
export interface Renderers {
  /** Returns the node to show for a fenced code block (e.g. highlighted), or null for plain code. */
  code?(code: string, lang: string): Node | null | undefined;
  /** Returns the node to show for `$…$` / `$$…$$` math, or null to show the TeX as text. */
  math?(tex: string, displayMode: boolean): Node | null | undefined;
}

export interface RenderOptions {
  /** Base URL for relative links and image sources (the Dify server's, not the page's). */
  baseUrl?: string;
  /**
   * Whether an image URL may load by itself. Other images show as a link the visitor can click, so a
   * prompt-injected image can't send data anywhere unasked (SPEC §6). Default: every safe URL loads.
   */
  imageAllowed?: (url: string) => boolean;
  /** Words of the code block header. */
  labels?: { code: string; copy: string };
  renderers?: Renderers;
  /**
   * Top-level blocks per group: when set, the blocks are put in `<div class="md-group">`s of this many, so
   * the browser's per-frame work for a growing answer (layout of the container's children, the pre-paint
   * walk) stays proportional to the newest group, not to the whole answer (the element's CSS gives each
   * group its own paint layer; margins still collapse across groups, so the look is the same).
   */
  group?: number;
  /**
   * Makes code blocks (a header with the language and a copy button) and tables (a box that scrolls
   * sideways): part "blocks". Called when a code block, table, block quote or rule is made (the part's
   * styles cover all of these), so the page can load the part on first use; while it returns undefined,
   * code is a plain `<pre>` and a table is bare.
   */
  blocks?: () =>
    | {
        codeBlock(parent: Element, labels: { code: string; copy: string }): HTMLElement;
        scrollBox(parent: Element, className: string): HTMLElement;
      }
    | undefined;
}

/** Blocks whose styles come with part "blocks". */
const BLOCKS = new Set<number>([Token.Code_Block, Token.Code_Fence, Token.Table, Token.Blockquote, Token.Rule]);

/** Blocks that get their own text direction (`dir="auto"`), so a right-to-left paragraph aligns by itself. */
const DIRECTIONAL = /^(P|H\d|UL|OL|BLOCKQUOTE|TABLE)$/;

/** Each token's element (`span` for the rest: inline math, and tokens the parser may add). */
const TAGS: Record<number, string> = {
  [Token.Paragraph]: 'p',
  [Token.Heading_1]: 'h1',
  [Token.Heading_2]: 'h2',
  [Token.Heading_3]: 'h3',
  [Token.Heading_4]: 'h4',
  [Token.Heading_5]: 'h5',
  [Token.Heading_6]: 'h6',
  [Token.Code_Inline]: 'code',
  [Token.Italic_Ast]: 'em',
  [Token.Italic_Und]: 'em',
  [Token.Strong_Ast]: 'strong',
  [Token.Strong_Und]: 'strong',
  [Token.Strike]: 'del',
  [Token.Link]: 'a',
  [Token.Raw_URL]: 'a',
  [Token.Image]: 'img',
  [Token.Blockquote]: 'blockquote',
  [Token.Line_Break]: 'br',
  [Token.Rule]: 'hr',
  [Token.List_Unordered]: 'ul',
  [Token.List_Ordered]: 'ol',
  [Token.List_Item]: 'li',
  [Token.Checkbox]: 'input',
  [Token.Table]: 'table',
  [Token.Table_Row]: 'tr',
  [Token.Table_Cell]: 'td',
  [Token.Equation_Block]: 'div',
};

/** The parser's renderer: builds DOM under `root` from tokens. */
class DomRenderer {
  readonly data = this;
  /** The parser feeding this renderer (its held-back text tells how a link ended). */
  p!: Parser;
  stack: Element[];
  #tail?: Text;
  /** The bare URL being read, and the last link or image whose URL was refused. */
  #raw?: Element;
  #refused?: Element;
  /**
   * Whether the parser has been given any private-use mark (`intraword.ts`): until then text and
   * attribute values need no `unmark` (most answers never have one).
   */
  marked = false;
  /** The group top-level blocks go into (`RenderOptions.group`), and how many it holds. */
  #group?: Element;
  #grouped = 0;
  /** The newest top-level block: it carries class `md-last` (see `add_token`). */
  #last?: Element;

  constructor(
    root: Element | DocumentFragment,
    private readonly options: RenderOptions = {},
  ) {
    this.stack = [root as Element];
  }

  get #top(): Element {
    return this.stack[this.stack.length - 1];
  }

  /** Hands a finished code or math block to the page's renderer (SPEC §14); its node replaces the text. */
  #plugIn(node: Element): void {
    const renderers = this.options.renderers;
    const code = node.tagName === 'CODE' && node.parentElement?.tagName === 'PRE';
    const render = code ? renderers?.code : node.classList.contains('math') ? renderers?.math : undefined;
    if (!render) return;
    try {
      // code(code, lang) or math(tex, displayMode)
      const out = render.call(renderers, node.textContent!, (code ? node.className.replace(/^language-|^.*/, '') : node.tagName === 'DIV') as never);
      if (out) node.replaceChildren(out);
    } catch (error) {
      console.warn('<dify-chat>: a renderer failed; showing the plain text.', error);
    }
  }
  /** The parent of the next top-level block: the current group, or a new one when it is full. */
  #groupParent(root: Element, size: number): Element {
    if (!this.#group || this.#grouped >= size) {
      this.#group = root.appendChild(document.createElement('div'));
      this.#group.className = 'md-group';
      this.#grouped = 0;
    }
    this.#grouped++;
    return this.#group;
  }

  add_token(_: unknown, type: number): void {
    let parent = this.#top;
    const size = this.options.group;
    const topLevel = this.stack.length === 1;
    if (size && topLevel) parent = this.#groupParent(parent, size);
    const blockParent = parent;
    let tag = TAGS[type] ?? 'span';
    const blocks = BLOCKS.has(type) ? this.options.blocks?.() : undefined;
    if (type === Token.Code_Block || type === Token.Code_Fence) {
      const labels = this.options.labels ?? { code: 'Code', copy: 'Copy code' };
      parent = blocks ? blocks.codeBlock(parent, labels) : parent.appendChild(document.createElement('pre'));
      tag = 'code';
    } else if (type === Token.Table && blocks) {
      // a wide table scrolls inside its own focusable box (the page never gets wider)
      parent = blocks.scrollBox(parent, 'table-scroll');
    } else if (type === Token.Table_Row) {
      // first row is the header, the rest the body
      const section = parent.children.length === 0 ? 'thead' : parent.children.length === 1 ? 'tbody' : '';
      parent = section ? parent.appendChild(document.createElement(section)) : parent.children[1];
    } else if (type === Token.Table_Cell && parent.parentElement?.tagName === 'THEAD') {
      tag = 'th';
    }
    const node = parent.appendChild(document.createElement(tag));
    // Direction per block, never on the whole growing answer: `dir=auto` there makes every insertion
    // re-scan the answer (quadratic). Code is always left to right (its box says so).
    if (topLevel && DIRECTIONAL.test(node.tagName)) node.dir = 'auto';
    if (type === Token.Checkbox) {
      (node as HTMLInputElement).type = 'checkbox';
      (node as HTMLInputElement).disabled = true;
    } else if (type === Token.Equation_Block || type === Token.Equation_Inline) {
      node.className = 'math';
    } else if (type === Token.Raw_URL) {
      this.#raw = node;
    } else if (type === Token.Image) {
      node.setAttribute('referrerpolicy', 'no-referrer');
    }
    if (size && topLevel) {
      // In groups (the element's answers) the newest block is marked by a class, not found by `:last-child`
      // under the answer's state: then the end of a stream (the caret goes) restyles that one block, not the
      // whole answer (~20 ms for 100 KB).
      this.#last?.classList.remove('md-last');
      (this.#last = blockParent.lastElementChild!).classList.add('md-last');
    }
    this.stack.push(node);
  }

  /**
   * While streaming, the parser holds back the last characters until it knows they are not markup. Show
   * them provisionally when they are plainly text (letters, digits, spaces, simple punctuation) inside a
   * block, so the newest word is on screen now; `clearTail()` removes them before the next write.
   */
  showTail(pending: string): void {
    if (this.marked) pending = unmark(pending);
    if (this.stack.length < 2 || !/^[\p{L}\p{N} ,.;:?!'"()_]+$/u.test(pending)) return;
    this.#tail = this.#top.appendChild(document.createTextNode(pending));
  }

  clearTail(): void {
    this.#tail?.remove();
    this.#tail = undefined;
  }

  end_token(): void {
    if (this.stack.length < 2) return;
    const node = this.stack.pop()!;
    this.#plugIn(node);
    const img = node instanceof HTMLImageElement;
    if (node === this.#raw) {
      // GFM: trailing punctuation is not part of a bare URL ("see https://x.example."), nor an unbalanced ")"
      const text = node.textContent!;
      let url = text;
      while (/[?!.,:;*_~'"]$/.test(url) || (url.endsWith(')') && url.split(')').length > url.split('(').length))
        url = url.slice(0, -1);
      node.textContent = url;
      node.after(text.slice(url.length));
      this.#link(node, url);
    }
    if (img ? !node.hasAttribute('src') : node.tagName === 'A' && !node.hasAttribute('href')) {
      // A link or image without a (safe) URL is text: just its text when the URL was refused, else its
      // source (`[1]`, `![x]`, or a `[text](url` that never got its `)`), so nothing shows as a dead link.
      const source = node !== this.#refused;
      const rest = this.p.pending;
      node.replaceWith(
        source ? (img ? '![' : '[') : '',
        ...(img ? [node.alt] : node.childNodes),
        source && rest[0] === ']' ? rest : '',
      );
    }
  }

  add_text(_: unknown, text: string): void {
    const node = this.#top;
    if (this.marked) text = unmark(text);
    if (node instanceof HTMLImageElement) node.alt += text;
    else if (node.lastChild?.nodeType === 3) (node.lastChild as Text).appendData(text);
    else node.appendChild(document.createTextNode(text));
  }

  /**
   * Sets a checked href (with target/rel) or src, or notes that the URL was refused. An image from a host
   * that may not load by itself becomes a link to it, named by its alt text.
   */
  #link(node: Element, value: string): void {
    const img = node.tagName === 'IMG';
    const url = safeUrl(value, img ? 'image' : 'link', this.options.baseUrl);
    if (url === null) this.#refused = node;
    else if (img && (this.options.imageAllowed?.(url) ?? true)) {
      node.setAttribute('loading', 'lazy');
      node.setAttribute('src', url);
    } else {
      let a = node;
      if (img) {
        a = document.createElement('a');
        a.className = 'image-link';
        a.textContent = (node as HTMLImageElement).alt || url;
        node.replaceWith(a);
        this.stack[this.stack.indexOf(node)] = a;
      }
      a.setAttribute('href', url);
      a.setAttribute('target', '_blank');
      a.setAttribute('rel', 'noopener noreferrer');
      a.setAttribute('referrerpolicy', 'no-referrer');
    }
  }

  set_attr(_: unknown, type: number, value: string): void {
    const node = this.#top;
    if (this.marked) value = unmark(value);
    if (type === Attr.Href || type === Attr.Src) {
      // `<url>` and `url "title"`: the URL alone (titles are not shown); a bare URL is set when it ends
      if (node !== this.#raw) this.#link(node, value.trim().replace(/^<([^>]*)>.*|\s.*/s, '$1'));
    } else if (type === Attr.Lang) {
      const lang = value.trim().split(/\s/)[0].replace(/[^\w+#.-]/g, '').slice(0, 40);
      if (lang) {
        node.className = `language-${lang}`;
        const label = node.closest('.code-block')?.querySelector('.code-lang');
        if (label) label.textContent = lang;
      }
    } else if (type === Attr.Checked) {
      (node as HTMLInputElement).checked = true;
    } else if (type === Attr.Start) {
      const start = Number.parseInt(value, 10);
      if (Number.isFinite(start)) (node as HTMLOListElement).start = start;
    }
  }
}

/** Render a whole markdown text into a fresh fragment (the same DOM a finished stream leaves). */
export function renderMarkdown(markdown: string, options: RenderOptions = {}): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const view = new MarkdownView(fragment, options);
  view.update(markdown, false);
  return fragment;
}

/** The private-use marks of `intraword.ts` (also when the answer itself has one). */
const MARKS = /[\ue000-\ue002]/;

/** Characters handed to the parser between two looks at the clock. */
const SLICE_CHARS = 4096;

/**
 * Keeps a container in sync with a growing markdown answer. Each update parses only the new text; a text
 * that does not continue the previous one (Dify's `message_replace`) starts over.
 *
 * `set()` only records the text; `pump(deadline)` parses it in slices until the deadline, so a huge chunk
 * (a whole answer in one event) is spread over several frames and never blocks the page. `update()` does
 * both at once.
 */
export class MarkdownView {
  #parser!: Parser;
  #renderer!: DomRenderer;
  #escaper!: IntrawordUnderscores;
  #parens!: LinkDestinationParens;
  /** The whole text to show, and how much of it the parser has been given. */
  #text = '';
  #fed = 0;
  #streaming = true;
  #ended = false;
  /** Characters handed to the parser so far (for tests and benchmarks: stays ≈ the answer's length). */
  parsedChars = 0;

  constructor(
    private readonly container: Element | DocumentFragment,
    private readonly options: RenderOptions = {},
  ) {
    this.#restart();
  }

  #restart(): void {
    this.container.replaceChildren();
    this.#renderer = new DomRenderer(this.container, this.options);
    this.#renderer.p = this.#parser = parser(this.#renderer);
    this.#escaper = new IntrawordUnderscores();
    this.#parens = new LinkDestinationParens();
    this.#text = '';
    this.#fed = 0;
    this.#ended = false;
  }

  /**
   * Whether `markdown` extends the text shown so far. Checks the last 64 characters at their offset, not the
   * whole prefix, so a long answer is not compared in full on every frame; a real replacement differs there.
   */
  #continues(markdown: string): boolean {
    const text = this.#text;
    const from = Math.max(0, text.length - 64);
    return markdown.length >= text.length && markdown.startsWith(text.slice(from), from);
  }

  /** True while some of the text has not been rendered yet (call `pump` again on a later frame). */
  get behind(): boolean {
    return this.#fed < this.#text.length || (!this.#streaming && !this.#ended);
  }

  /** Records `markdown` (the whole answer so far) to show; `streaming: false` marks the final text. */
  set(markdown: string, streaming: boolean): void {
    if (markdown === this.#text && streaming === this.#streaming) return;
    if ((this.#ended && markdown !== this.#text) || !this.#continues(markdown)) this.#restart();
    this.#text = markdown;
    this.#streaming = streaming;
  }

  /** Hands `chunk` to the parser, noting whether it holds a private-use mark (then text is unmarked). */
  #write(chunk: string): void {
    if (!this.#renderer.marked && MARKS.test(chunk)) this.#renderer.marked = true;
    parser_write(this.#parser, chunk);
  }

  /** Parses recorded text until `deadline` (a `performance.now()` time). Returns true when caught up. */
  pump(deadline = Infinity): boolean {
    if (this.#ended) return true;
    const p = this.#parser;
    const r = this.#renderer;
    const text = this.#text;
    r.clearTail();
    while (this.#fed < text.length) {
      let end = Math.min(text.length, this.#fed + SLICE_CHARS);
      const code = text.charCodeAt(end - 1);
      if (end < text.length && code >= 0xd800 && code <= 0xdbff) end++; // never split a surrogate pair
      const last = !this.#streaming && end === text.length;
      const chunk = this.#parens.feed(this.#escaper.feed(text.slice(this.#fed, end), last));
      this.parsedChars += end - this.#fed;
      this.#fed = end;
      if (chunk) this.#write(chunk);
      if (this.#fed < text.length && performance.now() >= deadline) break;
    }
    if (this.#fed < text.length) return false;
    if (this.#streaming) {
      r.showTail(p.text + p.pending);
    } else {
      const rest = this.#parens.feed(this.#escaper.feed('', true));
      if (rest) this.#write(rest);
      parser_end(p);
      // close what is still open, so a link or image still waiting for its `)` shows as text
      while (r.stack.length > 1) r.end_token();
      this.#ended = true;
    }
    return true;
  }

  /** Shows `markdown` (the whole answer so far) at once. `streaming: false` marks the final text. */
  update(markdown: string, streaming: boolean): void {
    this.set(markdown, streaming);
    this.pump();
  }
}
