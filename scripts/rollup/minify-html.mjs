// Rollup plugin: collapses the indentation inside Lit `html\`…\`` templates of our own sources (a line
// break and the spaces after it become one space, which renders the same: no template has <pre> or
// textarea content). Expressions `${…}` are skipped, nested templates inside them handled in turn.

/** Collapses the static text of every html`…` template in `code` (TypeScript source). */
export function minifyHtmlTemplates(code) {
  let out = '';
  let i = 0;
  for (;;) {
    const start = code.indexOf('html`', i);
    if (start < 0) return out + code.slice(i);
    out += code.slice(i, start + 5);
    i = templateEnd(code, start + 5, (text) => (out += text.replace(/\n\s*/g, ' ')), (expr) => (out += minifyHtmlTemplates(expr)));
  }
}

/**
 * Walks a template literal body from `i` (just after its backtick): static text goes to `onText`, each
 * `${…}` (with its delimiters) to `onExpr`. Returns the index after the closing backtick.
 */
function templateEnd(code, i, onText, onExpr) {
  let text = '';
  while (i < code.length) {
    const c = code[i];
    if (c === '\\') {
      text += code.slice(i, i + 2);
      i += 2;
    } else if (c === '`') {
      onText(text);
      onExpr('`');
      return i + 1;
    } else if (c === '$' && code[i + 1] === '{') {
      onText(text);
      text = '';
      const end = expressionEnd(code, i + 2);
      onExpr(code.slice(i, end));
      i = end;
    } else {
      text += c;
      i++;
    }
  }
  throw new Error('minify-html: unterminated template');
}

/** The index after the `}` that closes an expression starting at `i` (strings and templates inside skipped). */
function expressionEnd(code, i) {
  let depth = 1;
  while (i < code.length) {
    const c = code[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
    else if (c === '"' || c === "'") {
      const quote = c;
      for (i++; code[i] !== quote; i++) if (code[i] === '\\') i++;
    } else if (c === '`') {
      i = templateEnd(code, i + 1, () => undefined, () => undefined) - 1;
    }
    i++;
  }
  throw new Error('minify-html: unterminated expression');
}

export function minifyHtml() {
  return {
    name: 'dify-chat-minify-html',
    transform(code, id) {
      if (!/[\\/]src[\\/].*\.ts$/.test(id) || !code.includes('html`')) return null;
      return { code: minifyHtmlTemplates(code), map: null };
    },
  };
}
