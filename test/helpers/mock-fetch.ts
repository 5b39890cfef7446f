// Test helpers: a mocked window.fetch with streamed, test-controlled response bodies.
// They behave like Chromium's fetch where the element can tell: abort rejects the pending fetch and errors a
// body being read with the signal's reason (a DOMException 'AbortError' by default), a dropped connection
// makes reader.read() reject with TypeError('network error'), and each pushed chunk is a separate read.

const encoder = new TextEncoder();
const toBytes = (chunk: string | Uint8Array): Uint8Array => (typeof chunk == 'string' ? encoder.encode(chunk) : chunk);

interface ResponseInitLite {
  status?: number;
  headers?: Record<string, string>;
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8' };

/** A Response whose body is produced by the test, chunk by chunk. */
export class ControlledResponse {
  readonly response: Response;
  private _controller!: ReadableStreamDefaultController<Uint8Array>;
  private _cancelled = false;
  private _ended = false;

  constructor(init: ResponseInitLite = {}) {
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this._controller = controller;
      },
      cancel: () => {
        this._cancelled = true;
        this._ended = true;
      },
    });
    this.response = new Response(body, { status: init.status ?? 200, headers: init.headers ?? SSE_HEADERS });
  }

  /** True once the consumer cancelled the body, or its fetch was aborted. */
  get cancelled(): boolean {
    return this._cancelled;
  }

  /** Enqueue one network chunk (ignored once the body ended, like bytes after a closed socket). */
  push(chunk: string | Uint8Array): void {
    if (!this._ended) this._controller.enqueue(toBytes(chunk));
  }

  /** End the body normally. */
  close(): void {
    if (this._ended) return;
    this._ended = true;
    this._controller.close();
  }

  /** Error the body (a dropped connection): the consumer's reader.read() rejects with `error`. */
  fail(error: unknown = new TypeError('network error')): void {
    if (this._ended) return;
    this._ended = true;
    this._controller.error(error);
  }
}

/** Cut a string's UTF-8 bytes into awkward pieces: every `size` bytes (default 3), so pieces end mid
 *  character, mid `data:`, mid JSON. */
export function awkwardChunks(text: string, size = 3): Uint8Array[] {
  const bytes = encoder.encode(text);
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.slice(i, i + size));
  return pieces;
}

/** A Response that streams the given pieces, each in its own task (setTimeout 0 or `delayMs`). */
export function streamedResponse(
  pieces: (string | Uint8Array)[],
  init: ResponseInitLite & { delayMs?: number } = {},
): Response {
  let next = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const body = new ReadableStream<Uint8Array>({
    // pull is called again only after the previous piece was enqueued, so pieces stay separate reads
    pull: (controller) =>
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          if (next < pieces.length) controller.enqueue(toBytes(pieces[next++]));
          if (next >= pieces.length) controller.close();
          resolve();
        }, init.delayMs ?? 0);
      }),
    cancel: () => clearTimeout(timer),
  });
  return new Response(body, { status: init.status ?? 200, headers: init.headers ?? SSE_HEADERS });
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export interface FetchCall {
  url: string;
  init: RequestInit;
  body: any; // parsed JSON body, or the raw string when it is not JSON (undefined without a body)
  headers: Record<string, string>; // lower-cased names
}

const abortReason = (signal: AbortSignal): unknown =>
  signal.reason ?? new DOMException('signal is aborted without reason', 'AbortError');

/** Wrap a response so that aborting `signal` errors its body with the abort reason and cancels the
 *  original body (so ControlledResponse.cancelled becomes true), as a real aborted fetch does. */
function abortable(response: Response, signal: AbortSignal): Response {
  const source = response.body;
  if (!source) return response;
  const reader = source.getReader();
  let done = false;
  let onAbort = (): void => {};
  const finish = (): void => {
    done = true;
    signal.removeEventListener('abort', onAbort);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      onAbort = () => {
        if (done) return;
        finish();
        const reason = abortReason(signal);
        controller.error(reason);
        reader.cancel(reason).catch(() => {});
      };
      signal.addEventListener('abort', onAbort);
    },
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (done) return; // aborted while waiting
        if (ended) {
          finish();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        if (done) return;
        finish();
        controller.error(error);
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

function describeCall(input: RequestInfo | URL, init: RequestInit = {}): FetchCall {
  const request = input instanceof Request ? input : undefined;
  const url = typeof input == 'string' ? input : input instanceof URL ? input.href : input.url;
  const headers: Record<string, string> = {};
  new Headers(init.headers ?? request?.headers).forEach((value, name) => (headers[name] = value));
  let body: unknown = init.body ?? undefined;
  if (typeof body == 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      // not JSON: keep the raw string
    }
  }
  return { url, init, body, headers };
}

/** Replace window.fetch. The handler gets each call (in order) and returns a Response (or throws / returns
 *  a rejected promise for a network failure). Honour init.signal: when it aborts, the pending fetch rejects
 *  with a DOMException 'AbortError' and an already returned streamed body errors with the same, and
 *  ControlledResponse.cancelled becomes true. */
export function mockFetch(handler: (call: FetchCall, index: number) => Response | Promise<Response>): {
  calls: FetchCall[];
  restore(): void;
} {
  const original = window.fetch;
  const calls: FetchCall[] = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const call = describeCall(input, init);
    const index = calls.push(call) - 1;
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        if (settled) return;
        settled = true;
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // run the handler in a microtask, as fetch never answers synchronously
      Promise.resolve()
        .then(() => handler(call, index))
        .then(
          (response) => {
            signal?.removeEventListener('abort', onAbort);
            if (settled) {
              // aborted before the handler answered: drop the late body
              response.body?.cancel(abortReason(signal!)).catch(() => {});
              return;
            }
            settled = true;
            resolve(signal ? abortable(response, signal) : response);
          },
          (error: unknown) => {
            signal?.removeEventListener('abort', onAbort);
            if (settled) return;
            settled = true;
            reject(error);
          },
        );
    });
  };
  return {
    calls,
    restore: () => {
      window.fetch = original;
    },
  };
}
