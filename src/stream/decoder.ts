// The pure stream decoder (SPEC §5): bytes in, protocol-neutral items out. No DOM, no Lit.
// The framing is detected from the first non-whitespace bytes, never from Content-Type:
//   `{`                                   → json: bare JSON objects (plugin endpoint, NDJSON, blocking body)
//   `data:` `event:` `id:` `retry:` `:`   → sse (parsed with eventsource-parser)
//   anything else                         → text: the raw text is the answer
// Every framing is decoded incrementally in time linear in the body length.
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import { MAX_FRAME_CHARS } from '../limits.js';

export type StreamItem =
  /** One JSON value: an SSE data payload, a bare JSON block, an NDJSON line, or a whole blocking JSON body.
   *  `event` = the SSE `event:` field when it was present and not "message". */
  | { type: 'json'; value: unknown; event?: string }
  /** Raw text: a text/plain body (streamed as it arrives), or SSE data that is not a JSON object/array. */
  | { type: 'text'; text: string }
  /** A block that looked like JSON (balanced braces, or cut off by the end of the body) but did not parse. */
  | { type: 'invalid'; raw: string }
  /** SSE `data: [DONE]` (OpenAI). */
  | { type: 'done' }
  /** One SSE event or JSON object grew past the buffer limit; the decoder reads nothing more. */
  | { type: 'overflow' };

export type Framing = 'sse' | 'json' | 'text';

type JsonItem = Extract<StreamItem, { type: 'json' }>;

/** Line starts that make a body SSE. While the start is still a prefix of one of these, wait. */
const SSE_STARTS = ['data:', 'event:', 'id:', 'retry:', ':'];

/** Incremental decoder: feed network chunks in order; it returns the items completed so far. */
export class StreamDecoder {
  #framing?: Framing;
  /** One persistent decoder, so a UTF-8 character split across chunks decodes correctly (it also drops a BOM). */
  #utf8 = new TextDecoder();
  #out: StreamItem[] = [];
  // Before detection: the leading whitespace (never indexed again, so appending stays cheap) and the
  // first non-whitespace characters (short: only a prefix of an SSE keyword keeps us waiting).
  #ws = '';
  #start = '';
  #sse?: EventSourceParser;
  // JSON splitter state, kept between pushes so each character is scanned once.
  /** Pieces of the object that is still open (only while `#depth > 0`). */
  #parts: string[] = [];
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** Characters buffered in `#parts`. */
  #size = 0;
  /** A JSON value was seen: later data that does not parse is a garbled frame, not text. */
  #sawJson = false;
  #overflowed = false;

  readonly #maxFrame: number;

  /** @param maxFrame most characters buffered for one unfinished event or object */
  constructor(maxFrame = MAX_FRAME_CHARS) {
    this.#maxFrame = maxFrame;
  }

  /** Which framing was detected from the first non-whitespace bytes; undefined until decided. */
  get framing(): Framing | undefined {
    return this.#framing;
  }

  push(chunk: Uint8Array | string): StreamItem[] {
    return this.#feed(typeof chunk == 'string' ? chunk : this.#utf8.decode(chunk, { stream: true }));
  }

  /** The body ended: flush whatever is complete (a trailing SSE event without the final blank line,
   *  a final NDJSON line without newline, remaining text). An object still open becomes `invalid`. */
  end(): StreamItem[] {
    return this.#feed(this.#utf8.decode(), true);
  }

  #feed(text: string, last?: boolean): StreamItem[] {
    const out: StreamItem[] = (this.#out = []);
    if (this.#overflowed) return out;
    if (!this.#framing) {
      if (this.#start) {
        this.#start += text;
      } else {
        // a BOM given as a string (bytes have theirs removed by TextDecoder)
        if (!this.#ws && text[0] == '\uFEFF') text = text.slice(1);
        let i = 0;
        while (text.charCodeAt(i) <= 32) i++; // NaN past the end stops the loop
        this.#ws += text.slice(0, i);
        this.#start = text.slice(i);
        if (this.#ws.length > this.#maxFrame) {
          this.#overflow();
          return out;
        }
      }
      const start = this.#start;
      this.#framing =
        start[0] == '{'
          ? 'json'
          : SSE_STARTS.some((k) => start.startsWith(k))
            ? 'sse'
            : last || !SSE_STARTS.some((k) => k.startsWith(start))
              ? 'text'
              : undefined;
      if (!this.#framing) return out;
      // decided: a text body keeps its leading whitespace; sse/json drop it (spaces before `data:` would
      // turn that line into an unknown field); a body that was only whitespace yields nothing
      text = start && this.#framing == 'text' ? this.#ws + start : start;
      this.#ws = this.#start = '';
    }
    if (this.#framing == 'text') {
      if (text) out.push({ type: 'text', text });
    } else if (this.#framing == 'sse') {
      // eventsource-parser has no flush: a blank line completes a final event that lacked one
      (this.#sse ||= createParser({
        onEvent: (e) => this.#onEvent(e),
        onError: (e) => e.type == 'max-buffer-size-exceeded' && this.#overflow(),
        maxBufferSize: this.#maxFrame,
      })).feed(last ? text + '\n\n' : text);
    } else {
      this.#json(text);
      if (last && this.#depth && !this.#overflowed) {
        out.push({ type: 'invalid', raw: this.#parts.join('') });
        this.#parts = [];
        this.#depth = 0;
      }
    }
    return out;
  }

  #overflow(): void {
    this.#overflowed = true;
    this.#parts = [];
    this.#out.push({ type: 'overflow' });
  }

  #onEvent({ event, data }: EventSourceMessage): void {
    if (data == '[DONE]') return void this.#out.push({ type: 'done' });
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      // not JSON: text below
    }
    // Only objects/arrays are JSON items: a text stream's token "42" or "null" stays text.
    if (value && typeof value == 'object') {
      const item: JsonItem = { type: 'json', value };
      if (event && event != 'message') item.event = event;
      this.#sawJson = true;
      this.#out.push(item);
    } else if (value === undefined && (this.#sawJson || /^\s*[{[]/.test(data))) {
      // a garbled JSON frame (`{{{`, a raw control character inside a string) is never shown as text
      this.#out.push({ type: 'invalid', raw: data });
    } else {
      this.#out.push({ type: 'text', text: data });
    }
  }

  /** Split top-level JSON objects by brace depth, string- and escape-aware. Anything between objects
   *  (whitespace separators, stray junk) is skipped. */
  #json(text: string): void {
    let depth = this.#depth;
    let inString = this.#inString;
    let escaped = this.#escaped;
    let from = 0; // where the open object starts in `text` (0 when it began in an earlier chunk)
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (!depth) {
        if (c == 123 /* { */) (from = i), (depth = 1), (this.#size = 0);
      } else if (inString) {
        if (escaped) escaped = false;
        else if (c == 92 /* \ */) escaped = true;
        else if (c == 34 /* " */) inString = false;
      } else if (c == 34) inString = true;
      else if (c == 123) depth++;
      else if (c == 125 /* } */ && !--depth) {
        const raw = this.#parts.join('') + text.slice(from, i + 1);
        this.#parts = [];
        try {
          this.#out.push({ type: 'json', value: JSON.parse(raw) });
        } catch {
          this.#out.push({ type: 'invalid', raw });
        }
      }
    }
    if (depth) {
      const rest = text.slice(from);
      if ((this.#size += rest.length) > this.#maxFrame) return this.#overflow();
      this.#parts.push(rest);
    }
    this.#depth = depth;
    this.#inString = inString;
    this.#escaped = escaped;
  }
}
