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

/** Puts the underscores back. */
export const unmark = (s: string): string => s.replace(/\ue000/g, '_');

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
