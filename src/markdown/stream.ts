/**
 * Safe, streaming markdown → DOM, on `streaming-markdown` (a push parser: each chunk is parsed once and
 * only appends to the DOM, so rendering cost is linear in the answer's length).
 *
 * Safe by construction: elements come from a fixed token → tag table, text only ever goes into text
 * nodes, and the only attributes set are checked ones (href/src through `safeUrl`, a sanitised code
 * language, `start`, `checked`). Raw HTML in an answer is never parsed, so it shows as text.
 */
import { Attr, Token, parser, parser_end, parser_write, type Parser } from 'streaming-markdown';
import { IntrawordUnderscores, unmark } from './intraword.js';
import { safeUrl } from './url.js';

export interface RenderOptions {
  /** Base URL for relative links and image sources (the Dify server's, not the page's). */
  baseUrl?: string;
}

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
  [Token.Equation_Inline]: 'span',
};

/** The parser's renderer: builds DOM under `root` from tokens. */
class DomRenderer {
  readonly data = this;
  /** The parser feeding this renderer (its held-back text tells how a link ended). */
  p!: Parser;
  stack: Element[];
  private tail?: Text;
  /** The bare URL being read, and the last link or image whose URL was refused. */
  private raw?: Element;
  private refused?: Element;

  constructor(
    root: Element | DocumentFragment,
    private readonly baseUrl?: string,
  ) {
    this.stack = [root as Element];
  }

  private get top(): Element {
    return this.stack[this.stack.length - 1];
  }

  add_token(_: unknown, type: number): void {
    let parent = this.top;
    let tag = TAGS[type] ?? 'span';
    if (type === Token.Code_Block || type === Token.Code_Fence) {
      parent = parent.appendChild(document.createElement('pre'));
      tag = 'code';
    } else if (type === Token.Table_Row) {
      // first row is the header, the rest the body
      const section = parent.children.length === 0 ? 'thead' : parent.children.length === 1 ? 'tbody' : '';
      parent = section ? parent.appendChild(document.createElement(section)) : parent.children[1];
    } else if (type === Token.Table_Cell && parent.parentElement?.tagName === 'THEAD') {
      tag = 'th';
    }
    const node = parent.appendChild(document.createElement(tag));
    if (type === Token.Checkbox) {
      (node as HTMLInputElement).type = 'checkbox';
      (node as HTMLInputElement).disabled = true;
    } else if (type === Token.Equation_Block || type === Token.Equation_Inline) {
      node.className = 'math';
    } else if (type === Token.Raw_URL) {
      this.raw = node;
    }
    this.stack.push(node);
  }

  /**
   * While streaming, the parser holds back the last characters until it knows they are not markup. Show
   * them provisionally when they are plainly text (letters, digits, spaces, simple punctuation) inside a
   * block, so the newest word is on screen now; `clearTail()` removes them before the next write.
   */
  showTail(pending: string): void {
    pending = unmark(pending);
    if (this.stack.length < 2 || !/^[\p{L}\p{N} ,.;:?!'"()_]+$/u.test(pending)) return;
    this.tail = this.top.appendChild(document.createTextNode(pending));
  }

  clearTail(): void {
    this.tail?.remove();
    this.tail = undefined;
  }

  end_token(): void {
    if (this.stack.length < 2) return;
    const node = this.stack.pop()!;
    const img = node instanceof HTMLImageElement;
    if (node === this.raw) {
      // GFM: trailing punctuation is not part of a bare URL ("see https://x.example."), nor an unbalanced ")"
      const text = node.textContent!;
      let url = text;
      while (/[?!.,:;*_~'"]$/.test(url) || (url.endsWith(')') && url.split(')').length > url.split('(').length))
        url = url.slice(0, -1);
      node.textContent = url;
      node.after(text.slice(url.length));
      this.link(node, url);
    }
    if (img ? !node.hasAttribute('src') : node.tagName === 'A' && !node.hasAttribute('href')) {
      // A link or image without a (safe) URL is text: just its text when the URL was refused, else its
      // source (`[1]`, `![x]`, or a `[text](url` that never got its `)`), so nothing shows as a dead link.
      const source = node !== this.refused;
      const rest = this.p.pending;
      node.replaceWith(
        source ? (img ? '![' : '[') : '',
        ...(img ? [node.alt] : node.childNodes),
        source && rest[0] === ']' ? rest : '',
      );
    }
  }

  add_text(_: unknown, text: string): void {
    const node = this.top;
    text = unmark(text);
    if (node instanceof HTMLImageElement) node.alt += text;
    else if (node.lastChild?.nodeType === 3) (node.lastChild as Text).appendData(text);
    else node.appendChild(document.createTextNode(text));
  }

  /** Sets a checked href (with target/rel) or src, or notes that the URL was refused. */
  private link(node: Element, value: string): void {
    const img = node.tagName === 'IMG';
    const url = safeUrl(value, img ? 'image' : 'link', this.baseUrl);
    if (url === null) this.refused = node;
    else if (img) {
      node.setAttribute('src', url);
      node.setAttribute('loading', 'lazy');
    } else {
      node.setAttribute('href', url);
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  }

  set_attr(_: unknown, type: number, value: string): void {
    const node = this.top;
    value = unmark(value);
    if (type === Attr.Href || type === Attr.Src) {
      // `<url>` and `url "title"`: the URL alone (titles are not shown); a bare URL is set when it ends
      if (node !== this.raw) this.link(node, value.trim().replace(/^<([^>]*)>.*|\s.*/s, '$1'));
    } else if (type === Attr.Lang) {
      const lang = value.trim().split(/\s/)[0].replace(/[^\w+#.-]/g, '');
      if (lang) node.className = `language-${lang}`;
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

/**
 * Keeps a container in sync with a growing markdown answer. Each update parses only the new text; a text
 * that does not continue the previous one (Dify's `message_replace`) starts over.
 */
export class MarkdownView {
  private parser!: Parser;
  private renderer!: DomRenderer;
  private escaper!: IntrawordUnderscores;
  private text = '';
  private ended = false;
  /** Characters handed to the parser so far (for tests and benchmarks: stays ≈ the answer's length). */
  parsedChars = 0;

  constructor(
    private readonly container: Element | DocumentFragment,
    private readonly options: RenderOptions = {},
  ) {
    this.restart();
  }

  private restart(): void {
    this.container.replaceChildren();
    this.renderer = new DomRenderer(this.container, this.options.baseUrl);
    this.renderer.p = this.parser = parser(this.renderer);
    this.escaper = new IntrawordUnderscores();
    this.text = '';
    this.ended = false;
  }

  /**
   * Whether `markdown` extends the text shown so far. Checks the last 64 characters at their offset, not the
   * whole prefix, so a long answer is not compared in full on every frame; a real replacement differs there.
   */
  private continues(markdown: string): boolean {
    const { text } = this;
    const from = Math.max(0, text.length - 64);
    return markdown.length >= text.length && markdown.startsWith(text.slice(from), from);
  }

  /** Show `markdown` (the whole answer so far). `streaming: false` marks the final text. */
  update(markdown: string, streaming: boolean): void {
    if (this.ended || !this.continues(markdown)) this.restart();
    const delta = markdown.slice(this.text.length);
    this.text = markdown;
    this.parsedChars += delta.length;
    const chunk = this.escaper.feed(delta, !streaming);
    const { parser: p, renderer: r } = this;
    r.clearTail();
    if (chunk) parser_write(p, chunk);
    if (streaming) {
      r.showTail(p.text + p.pending);
    } else {
      parser_end(p);
      // close what is still open, so a link or image still waiting for its `)` shows as text
      while (r.stack.length > 1) r.end_token();
      this.ended = true;
    }
  }
}
