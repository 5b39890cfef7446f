// Safe markdown → DOM. marked is used only as a lexer; the DOM is built here with createElement and
// text nodes, so answer text is never parsed as HTML and no attribute name ever comes from it.
import { Lexer, type MarkedToken, type Token, type Tokens } from 'marked';
import { decode, safeUrl } from './url.js';

export interface RenderOptions {
  /** Resolve relative link and image URLs against this URL. */
  baseUrl?: string;
}

const add = <K extends keyof HTMLElementTagNameMap>(parent: Node, tag: K) =>
  parent.appendChild(document.createElement(tag));
const text = (parent: Node, s: string) => parent.appendChild(document.createTextNode(s));

/** Plain text of inline tokens (image alt text). */
const plain = (ts: Tokens.Generic[]): string =>
  ts.map((t) => (t.tokens ? plain(t.tokens) : t.type === 'text' ? decode(t.text) : t.text || '')).join('');

/** Renders tokens into `parent`. */
export function renderTokens(ts: Token[], parent: Node, o: RenderOptions): void {
  for (const t of ts) renderToken(t, parent, o);
}

/** Renders one list item into a list element. `loose` wraps its text in paragraphs. */
export function renderItem(item: Tokens.ListItem, list: Node, o: RenderOptions, loose: boolean): HTMLLIElement {
  const li = add(list, 'li');
  let ts = item.tokens;
  const [box, next] = ts;
  if (loose && box?.type === 'checkbox') {
    // a tight-lexed item shown in a loose list (the incremental view learnt the list is loose
    // later): marked puts the checkbox into the first paragraph
    const p = add(li, 'p');
    renderToken(box, p, o);
    ts = ts.slice(1);
    if (next?.tokens && (next.type === 'text' || next.type === 'paragraph')) {
      renderTokens(next.tokens, p, o);
      ts = ts.slice(1);
    }
  }
  for (const t of ts) renderToken(t, li, o, loose);
  return li;
}

/** Creates the (empty) list element for a list token. */
export function renderList(t: Tokens.List, parent: Node): HTMLElement {
  const l = add(parent, t.ordered ? 'ol' : 'ul');
  if (t.ordered && t.start !== 1) (l as HTMLOListElement).start = +t.start;
  return l;
}

/** Renders one block or inline token into `parent`. `loose`: a list item's direct child in a loose list. */
export function renderToken(token: Token, parent: Node, o: RenderOptions, loose?: boolean): void {
  const t = token as MarkedToken;
  let e: HTMLElement;
  switch (t.type) {
    case 'space':
    case 'def':
      return;
    case 'paragraph':
      return renderTokens(t.tokens, add(parent, 'p'), o);
    case 'text':
      // block text (tight list item) has inline tokens; inline text is plain text with entities
      if (!t.tokens) text(parent, decode(t.text));
      else renderTokens(t.tokens, loose ? add(parent, 'p') : parent, o);
      return;
    case 'heading':
      return renderTokens(t.tokens, parent.appendChild(document.createElement('h' + t.depth)), o);
    case 'code': {
      e = add(add(parent, 'pre'), 'code');
      const lang = /^\S*/.exec(t.lang || '')![0].replace(/[^\w-]/g, '');
      if (lang) e.className = 'language-' + lang;
      text(e, t.text);
      return;
    }
    case 'blockquote':
      return renderTokens(t.tokens, add(parent, 'blockquote'), o);
    case 'list': {
      e = renderList(t, parent);
      for (const item of t.items) renderItem(item, e, o, t.loose);
      return;
    }
    case 'table': {
      const table = add(parent, 'table');
      const row = (cells: Tokens.TableCell[], section: Node, tag: 'th' | 'td') => {
        const tr = add(section, 'tr');
        cells.forEach((c, i) => {
          const cell = add(tr, tag);
          const a = t.align[i];
          // only the three fixed values, never text from the answer
          if (a === 'left' || a === 'center' || a === 'right') cell.style.textAlign = a;
          renderTokens(c.tokens, cell, o);
        });
      };
      row(t.header, add(table, 'thead'), 'th');
      if (t.rows.length) {
        e = add(table, 'tbody');
        for (const r of t.rows) row(r, e, 'td');
      }
      return;
    }
    case 'hr':
      add(parent, 'hr');
      return;
    case 'html':
      // raw HTML is shown as text, never parsed
      text(t.block ? add(parent, 'p') : parent, t.text);
      return;
    case 'strong':
    case 'em':
    case 'del':
      return renderTokens(t.tokens, add(parent, t.type), o);
    case 'codespan':
      text(add(parent, 'code'), t.text);
      return;
    case 'br':
      add(parent, 'br');
      return;
    case 'escape':
      text(parent, t.text);
      return;
    case 'checkbox': {
      const i = add(parent, 'input');
      i.type = 'checkbox';
      i.disabled = true;
      i.defaultChecked = t.checked;
      return;
    }
    case 'link': {
      // autolinks are literal: character references are not resolved in them
      const url = safeUrl(t.autolink ? t.href.replace(/&/g, '&amp;') : t.href, 'link', o.baseUrl);
      if (url == null) return renderTokens(t.tokens, parent, o);
      const a = add(parent, 'a');
      a.href = url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      if (t.title) a.title = decode(t.title);
      if (t.autolink) text(a, t.text);
      else renderTokens(t.tokens, a, o);
      return;
    }
    case 'image': {
      const url = safeUrl(t.href, 'image', o.baseUrl);
      const alt = plain(t.tokens);
      if (url == null) {
        text(parent, alt);
        return;
      }
      const img = add(parent, 'img');
      img.loading = 'lazy';
      img.alt = alt;
      if (t.title) img.title = decode(t.title);
      img.src = url;
      return;
    }
    default:
      // unknown token (list_item, tag …): its source as text
      text(parent, t.raw);
  }
}

/** Render markdown into a fresh DocumentFragment. */
export function renderMarkdown(markdown: string, options: RenderOptions = {}): DocumentFragment {
  const f = document.createDocumentFragment();
  renderTokens(Lexer.lex(markdown), f, options);
  return f;
}
