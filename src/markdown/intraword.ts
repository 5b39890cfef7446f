/**
 * CommonMark never starts or ends emphasis with `_` inside a word (`snake_case_name`), but the streaming
 * parser does. Before the parser sees them, underscores between two letters or digits are replaced by a
 * private-use character the parser treats as a letter; the renderer turns it back into `_` (`unmark`) in
 * text and attribute values. So it needs no knowledge of code spans, fences or URLs: there the mark is
 * plain text and comes out as `_` again. Incremental and chunk-invariant: it holds back only a run of
 * underscores until the character after it arrives.
 */
const MARK = '\ue000';
const WORD = /[\p{L}\p{N}]/u;

const OPEN = '\ue001';
const CLOSE = '\ue002';
const MARKS: Record<string, string> = { [MARK]: '_', [OPEN]: '(', [CLOSE]: ')' };

/** Puts the underscores and link-destination parentheses back. */
export const unmark = (s: string): string => s.replace(/[\ue000-\ue002]/g, (m) => MARKS[m]);

/**
 * CommonMark lets a link destination contain balanced parentheses (`[w](https://x.example/a_(b))`,
 * `[l](javascript:alert(1))`), but the streaming parser ends it at the first `)`, leaving the rest as text
 * ("l)"). After `](`, parentheses nested inside the destination are replaced by private-use marks the
 * parser treats as letters, so it sees the whole destination; `unmark` restores them. The destination ends
 * at its unbalanced `)` or at whitespace (CommonMark destinations have none). Elsewhere the marks come out
 * as the original characters, so a `](` that is not a link changes nothing. Chunk-invariant.
 */
export class LinkDestinationParens {
  #inDestination = false;
  #depth = 0;
  #escaped = false;
  #prev = '';

  feed(chunk: string): string {
    let out = '';
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (!this.#inDestination) {
        // copy up to and including the next "(" right after a "]" (which may end the previous chunk)
        let k = chunk.indexOf('(', i);
        while (k >= 0 && (k > 0 ? chunk[k - 1] : this.#prev) !== ']') k = chunk.indexOf('(', k + 1);
        const end = k < 0 ? n : k + 1;
        out += chunk.slice(i, end);
        this.#prev = chunk[end - 1];
        i = end;
        if (k >= 0) {
          this.#inDestination = true;
          this.#depth = 0;
          this.#escaped = false;
        }
        continue;
      }
      // inside a destination (short): character by character
      const ch = chunk[i++];
      if (this.#escaped) {
        this.#escaped = false;
        out += ch;
      } else if (ch === '\\') {
        this.#escaped = true;
        out += ch;
      } else if (ch === '(') {
        this.#depth++;
        out += OPEN;
      } else if (ch === ')' && this.#depth) {
        this.#depth--;
        out += CLOSE;
      } else {
        if (ch === ')' || /\s/.test(ch)) this.#inDestination = false;
        out += ch;
      }
      this.#prev = ch;
    }
    return out;
  }
}

export class IntrawordUnderscores {
  #held = ''; // underscores waiting for the next character
  #prev = ''; // the last character before them

  /** Returns the text to hand to the parser; `end` flushes what is held back. */
  feed(chunk: string, end = false): string {
    let out = '';
    const n = chunk.length;
    // by UTF-16 code unit, so a chunk boundary inside a surrogate pair changes nothing
    let i = 0;
    while (i < n) {
      if (chunk.charCodeAt(i) === 95 /* _ */) {
        let j = i + 1;
        while (j < n && chunk.charCodeAt(j) === 95) j++;
        this.#held += chunk.slice(i, j);
        i = j;
        continue;
      }
      if (this.#held) out += WORD.test(this.#prev) && WORD.test(chunk[i]) ? MARK.repeat(this.#held.length) : this.#held;
      this.#held = '';
      // the text up to the next underscore, as it is
      let j = chunk.indexOf('_', i);
      if (j < 0) j = n;
      out += chunk.slice(i, j);
      this.#prev = chunk[j - 1];
      i = j;
    }
    if (end) {
      out += this.#held;
      this.#held = '';
    }
    return out;
  }
}
