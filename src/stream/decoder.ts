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
  private _framing?: Framing;
  /** One persistent decoder, so a UTF-8 character split across chunks decodes correctly (it also drops a BOM). */
  private _utf8 = new TextDecoder();
  private _out: StreamItem[] = [];
  // Before detection: the leading whitespace (never indexed again, so appending stays cheap) and the
  // first non-whitespace characters (short: only a prefix of an SSE keyword keeps us waiting).
  private _ws = '';
  private _start = '';
  private _sse?: EventSourceParser;
  // JSON splitter state, kept between pushes so each character is scanned once.
  /** Pieces of the object that is still open (only while `_depth > 0`). */
  private _parts: string[] = [];
  private _depth = 0;
  private _inString = false;
  private _escaped = false;
  /** Characters buffered in `_parts`. */
  private _size = 0;
  /** A JSON value was seen: later data that does not parse is a garbled frame, not text. */
  private _sawJson = false;
  private _overflowed = false;

  /** @param maxFrame most characters buffered for one unfinished event or object */
  constructor(private readonly _maxFrame = MAX_FRAME_CHARS) {}

  /** Which framing was detected from the first non-whitespace bytes; undefined until decided. */
  get framing(): Framing | undefined {
    return this._framing;
  }

  push(chunk: Uint8Array | string): StreamItem[] {
    return this._feed(typeof chunk == 'string' ? chunk : this._utf8.decode(chunk, { stream: true }));
  }

  /** The body ended: flush whatever is complete (a trailing SSE event without the final blank line,
   *  a final NDJSON line without newline, remaining text). An object still open becomes `invalid`. */
  end(): StreamItem[] {
    return this._feed(this._utf8.decode(), true);
  }

  private _feed(text: string, last?: boolean): StreamItem[] {
    const out: StreamItem[] = (this._out = []);
    if (this._overflowed) return out;
    if (!this._framing) {
      if (this._start) {
        this._start += text;
      } else {
        // a BOM given as a string (bytes have theirs removed by TextDecoder)
        if (!this._ws && text[0] == '\uFEFF') text = text.slice(1);
        let i = 0;
        while (text.charCodeAt(i) <= 32) i++; // NaN past the end stops the loop
        this._ws += text.slice(0, i);
        this._start = text.slice(i);
        if (this._ws.length > this._maxFrame) {
          this._overflow();
          return out;
        }
      }
      const start = this._start;
      this._framing =
        start[0] == '{'
          ? 'json'
          : SSE_STARTS.some((k) => start.startsWith(k))
            ? 'sse'
            : last || !SSE_STARTS.some((k) => k.startsWith(start))
              ? 'text'
              : undefined;
      if (!this._framing) return out;
      // decided: a text body keeps its leading whitespace; sse/json drop it (spaces before `data:` would
      // turn that line into an unknown field); a body that was only whitespace yields nothing
      text = start && this._framing == 'text' ? this._ws + start : start;
      this._ws = this._start = '';
    }
    if (this._framing == 'text') {
      if (text) out.push({ type: 'text', text });
    } else if (this._framing == 'sse') {
      // eventsource-parser has no flush: a blank line completes a final event that lacked one
      (this._sse ||= createParser({
        onEvent: (e) => this._onEvent(e),
        onError: (e) => e.type == 'max-buffer-size-exceeded' && this._overflow(),
        maxBufferSize: this._maxFrame,
      })).feed(last ? text + '\n\n' : text);
    } else {
      this._json(text);
      if (last && this._depth && !this._overflowed) {
        out.push({ type: 'invalid', raw: this._parts.join('') });
        this._parts = [];
        this._depth = 0;
      }
    }
    return out;
  }

  private _overflow(): void {
    this._overflowed = true;
    this._parts = [];
    this._out.push({ type: 'overflow' });
  }

  private _onEvent({ event, data }: EventSourceMessage): void {
    if (data == '[DONE]') return void this._out.push({ type: 'done' });
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
      this._sawJson = true;
      this._out.push(item);
    } else if (value === undefined && (this._sawJson || /^\s*[{[]/.test(data))) {
      // a garbled JSON frame (`{{{`, a raw control character inside a string) is never shown as text
      this._out.push({ type: 'invalid', raw: data });
    } else {
      this._out.push({ type: 'text', text: data });
    }
  }

  /** Split top-level JSON objects by brace depth, string- and escape-aware. Anything between objects
   *  (whitespace separators, stray junk) is skipped. */
  private _json(text: string): void {
    let depth = this._depth;
    let inString = this._inString;
    let escaped = this._escaped;
    let from = 0; // where the open object starts in `text` (0 when it began in an earlier chunk)
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (!depth) {
        if (c == 123 /* { */) (from = i), (depth = 1), (this._size = 0);
      } else if (inString) {
        if (escaped) escaped = false;
        else if (c == 92 /* \ */) escaped = true;
        else if (c == 34 /* " */) inString = false;
      } else if (c == 34) inString = true;
      else if (c == 123) depth++;
      else if (c == 125 /* } */ && !--depth) {
        const raw = this._parts.join('') + text.slice(from, i + 1);
        this._parts = [];
        try {
          this._out.push({ type: 'json', value: JSON.parse(raw) });
        } catch {
          this._out.push({ type: 'invalid', raw });
        }
      }
    }
    if (depth) {
      const rest = text.slice(from);
      if ((this._size += rest.length) > this._maxFrame) return this._overflow();
      this._parts.push(rest);
    }
    this._depth = depth;
    this._inString = inString;
    this._escaped = escaped;
  }
}
