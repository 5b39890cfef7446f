/**
 * Every limit of the widget in one place (SPEC §6: everything has a limit). Hitting a limit ends the answer
 * with a clear `too_large` error and keeps what arrived; stored values that are too big are shortened or
 * dropped. The README lists these numbers; change them there too.
 */

/** Characters of one answer's text. The longest outputs models produce are ~250k characters. */
export const MAX_ANSWER_CHARS = 1_000_000;
/** Characters the stream parser buffers for one unfinished SSE line/event or JSON object. */
export const MAX_FRAME_CHARS = 8_000_000;
/** Agent steps (`agent_thought`) of one answer. */
export const MAX_THOUGHTS = 100;
/** Characters of each field (thought, tool input, result) of one agent step. */
export const MAX_THOUGHT_FIELD_CHARS = 20_000;
/** Files (images) of one answer. */
export const MAX_FILES = 50;
/** Citations of one answer. */
export const MAX_CITATIONS = 100;
/** Characters of a citation's quoted content. */
export const MAX_CITATION_CHARS = 4_000;
/** Characters of an error message shown to the visitor. */
export const MAX_ERROR_CHARS = 500;
/** Bytes read from an error response body. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Characters of a conversation, task or message id; longer ids are ignored. */
export const MAX_ID_CHARS = 200;

/** Messages in the transcript, in memory and in storage (older turns are dropped with a notice). */
export const MAX_MESSAGES = 100;
/** Characters of the stored transcript (JSON); older turns are dropped to fit. */
export const MAX_STORED_CHARS = 200_000;
/** Characters of one stored message's text (longer answers are stored shortened). */
export const MAX_STORED_MESSAGE_CHARS = 20_000;

/** The largest delay `setTimeout` accepts (larger ones fire at once). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/**
 * Milliseconds of markdown rendering per animation frame before yielding to the browser. The browser's
 * style, layout and paint of what a slice built cost 3-5× the slice itself: 5 ms keeps a frame well under
 * 50 ms on a slow 2-core machine (8 ms made 40-70 ms frames there).
 */
export const RENDER_SLICE_MS = 5;

/** Cuts `text` to `max` characters (without splitting a surrogate pair), adding `…` when it was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** A server-given id we accept: a short string without control characters or path syntax. */
export function validId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_CHARS && /^[\w.:@+=-]+$/.test(value) && !/^\.+$/.test(value);
}
