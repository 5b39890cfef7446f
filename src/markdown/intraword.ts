/**
 * CommonMark never starts emphasis with `_` inside a word (`snake_case_name`), but the streaming parser
 * does. This pass escapes such underscores (`snake\_case\_name`) before the parser sees them, outside code
 * spans, code fences and URLs. Incremental and chunk-invariant: it holds back only a run of underscores
 * until the character after it arrives. Pure.
 */
const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/;

export class IntrawordUnderscores {
  private held = ''; // underscores waiting for the next character
  private prev = ''; // the last character passed on
  private ticks = 0; // length of the backtick run being read
  private codeTicks = 0; // >0 while inside an inline code span opened by that many backticks
  private fence = false; // inside a ``` fence
  private lineStart = true;
  private word = ''; // the current word, to spot URLs

  /** Returns the text to hand to the parser; `end` flushes what is held back. */
  feed(chunk: string, end = false): string {
    let out = '';
    for (const ch of chunk) {
      if (ch === '_' && !this.fence && !this.codeTicks) {
        this.held += ch;
        continue;
      }
      if (this.held) out += this.flushHeld(ch);
      out += ch;
      this.track(ch);
    }
    if (end && this.held) out += this.flushHeld('');
    return out;
  }

  private flushHeld(next: string): string {
    const run = this.held;
    this.held = '';
    this.word += run;
    const urlish = /:\/|\]\(|^www\.|@/.test(this.word);
    const intraword = WORD.test(this.prev) && WORD.test(next) && !urlish;
    this.prev = '_';
    return intraword ? run.replace(/_/g, '\\_') : run;
  }

  private track(ch: string): void {
    if (ch === '`') {
      this.ticks++;
    } else {
      if (this.ticks) this.endTickRun();
      if (ch === '\n') {
        if (this.prev === '\n') this.codeTicks = 0; // a blank line ends an unclosed code span
        this.lineStart = true;
      }
      else if (!SPACE.test(ch)) this.lineStart = false;
    }
    this.word = SPACE.test(ch) ? '' : this.word + ch;
    if (this.word.length > 200) this.word = this.word.slice(-100);
    this.prev = ch;
  }

  private endTickRun(): void {
    const run = this.ticks;
    this.ticks = 0;
    if (this.fence) {
      if (run >= 3 && this.lineStart) this.fence = false;
    } else if (this.codeTicks) {
      if (run === this.codeTicks) this.codeTicks = 0;
    } else if (run >= 3 && this.lineStart) {
      this.fence = true;
    } else {
      this.codeTicks = run;
    }
  }
}
