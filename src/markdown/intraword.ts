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
  private inDestination = false;
  private depth = 0;
  private escaped = false;
  private prev = '';

  feed(chunk: string): string {
    let out = '';
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      if (!this.inDestination) {
        if (ch === '(' && this.prev === ']') {
          this.inDestination = true;
          this.depth = 0;
          this.escaped = false;
        }
        out += ch;
      } else if (this.escaped) {
        this.escaped = false;
        out += ch;
      } else if (ch === '\\') {
        this.escaped = true;
        out += ch;
      } else if (ch === '(') {
        this.depth++;
        out += OPEN;
      } else if (ch === ')' && this.depth) {
        this.depth--;
        out += CLOSE;
      } else {
        if (ch === ')' || /\s/.test(ch)) this.inDestination = false;
        out += ch;
      }
      this.prev = ch;
    }
    return out;
  }
}

export class IntrawordUnderscores {
  private held = ''; // underscores waiting for the next character
  private prev = ''; // the last character before them

  /** Returns the text to hand to the parser; `end` flushes what is held back. */
  feed(chunk: string, end = false): string {
    let out = '';
    // by UTF-16 code unit, so a chunk boundary inside a surrogate pair changes nothing
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      if (ch === '_') {
        this.held += ch;
        continue;
      }
      if (this.held) out += WORD.test(this.prev) && WORD.test(ch) ? MARK.repeat(this.held.length) : this.held;
      this.held = '';
      out += ch;
      this.prev = ch;
    }
    if (end) {
      out += this.held;
      this.held = '';
    }
    return out;
  }
}
