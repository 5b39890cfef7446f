/** Splits reasoning (`<think>…</think>` at the start of an answer, as reasoning models send it) from the answer. Pure. */

const OPEN = '<think>';
const CLOSE = '</think>';

export interface SplitAnswer {
  /** Reasoning text, if the answer starts with one or more think blocks. */
  thinking?: string;
  /** True while the last think block has not been closed yet. */
  thinkingOpen: boolean;
  /** The visible answer. */
  answer: string;
}

/**
 * Leading think blocks become `thinking`; the rest is the answer. While `streaming`, a trailing partial
 * `<think` tag is held back so it never flashes on screen. Cost: proportional to the think blocks, not the answer.
 */
export function splitThinking(text: string, streaming = false): SplitAnswer {
  let start = 0;
  while (start < text.length && /\s/.test(text[start])) start++;
  if (streaming && text.length - start < OPEN.length && OPEN.startsWith(text.slice(start))) {
    return { thinkingOpen: false, answer: '' };
  }
  const parts: string[] = [];
  let pos = start;
  while (text.startsWith(OPEN, pos)) {
    const end = text.indexOf(CLOSE, pos + OPEN.length);
    if (end < 0) {
      parts.push(text.slice(pos + OPEN.length).trim());
      return { thinking: parts.join('\n\n'), thinkingOpen: true, answer: '' };
    }
    parts.push(text.slice(pos + OPEN.length, end).trim());
    pos = end + CLOSE.length;
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  }
  if (!parts.length) return { thinkingOpen: false, answer: text };
  return { thinking: parts.join('\n\n'), thinkingOpen: false, answer: text.slice(pos) };
}
