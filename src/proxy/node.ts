/**
 * `toNodeHandler(proxy)`: the Fetch handler as a `node:http` request listener, also usable as Express
 * (or Connect) middleware: `(req, res, next?)`. Requests outside the proxy's prefix go to `next()` (or
 * get a 404 without one). Typed structurally, so this file needs no Node type definitions.
 */
import { errorResponse } from './errors.js';
import { isCleanPath } from './routes.js';
import type { DifyProxy } from './proxy.js';

/** The parts of `http.IncomingMessage` the adapter uses. */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string;
  url?: string;
  /** Express keeps the full URL here when middleware is mounted on a path */
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  socket?: { encrypted?: boolean } | null;
}

/** The parts of `http.ServerResponse` the adapter uses. */
export interface NodeResponseLike {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly writableFinished?: boolean;
  readonly destroyed: boolean;
  writeHead(status: number, headers: Record<string, string | string[]>): unknown;
  flushHeaders?(): void;
  write(chunk: Uint8Array): boolean;
  end(chunk?: Uint8Array | string): unknown;
  on(event: 'close' | 'drain', listener: () => void): unknown;
  once(event: 'close' | 'drain', listener: () => void): unknown;
  removeListener(event: 'close' | 'drain', listener: () => void): unknown;
  destroy(error?: Error): unknown;
}

export type NodeHandler = (req: NodeRequestLike, res: NodeResponseLike, next?: (error?: unknown) => void) => Promise<void>;

const HOST_HEADER = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$/;

function header(req: NodeRequestLike, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Write a Fetch `Response` to a node response, chunk by chunk, honouring backpressure and disconnects. */
export async function sendNodeResponse(
  res: NodeResponseLike,
  response: Response,
  { head = false, close = false }: { head?: boolean; close?: boolean } = {},
): Promise<void> {
  if (res.destroyed || res.writableEnded) {
    await response.body?.cancel().catch(() => undefined);
    return;
  }
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && name !== 'content-length' && name !== 'transfer-encoding') headers[name] = value;
  });
  if (close) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.flushHeaders?.();
  if (!response.body || head) {
    await response.body?.cancel().catch(() => undefined);
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const onClose = () => {
    reader.cancel().catch(() => undefined);
  };
  res.on('close', onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            res.removeListener('drain', go);
            res.removeListener('close', go);
            resolve();
          };
          res.once('drain', go);
          res.once('close', go);
        });
      }
    }
    if (!res.destroyed) res.end();
  } catch {
    // the upstream broke off (or timed out) mid-answer: cut the connection, so the client sees a
    // dropped stream rather than a complete-looking one
    res.destroy();
  } finally {
    res.removeListener('close', onClose);
  }
}

/**
 * A `node:http` listener / Express middleware for a proxy made by `createDifyProxy`. Mount it before
 * any body parser (it reads the raw body itself), e.g. `app.use(toNodeHandler(proxy))`.
 */
export function toNodeHandler(proxy: DifyProxy): NodeHandler {
  return async function difyProxyNodeHandler(req, res, next) {
    const raw = req.originalUrl ?? req.url ?? '/';
    const rawPath = raw.split('?')[0]!;
    if (!proxy.handles(rawPath)) {
      if (next) return next();
      return sendNodeResponse(res, errorResponse('notFound'));
    }
    // path tricks are refused on the raw path, before any URL parser normalises `..` or `%2e%2e` away
    if (!isCleanPath(rawPath)) return sendNodeResponse(res, errorResponse('notFound'));

    const hostHeader = header(req, 'host') ?? '';
    const host = HOST_HEADER.test(hostHeader) ? hostHeader : 'localhost';
    const scheme = req.socket?.encrypted ? 'https' : 'http';
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || name.startsWith(':')) continue;
      try {
        headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      } catch {
        /* a header value fetch refuses: dropped (the proxy forwards an allow-list anyway) */
      }
    }

    const abort = new AbortController();
    let bodyDone = method === 'GET' || method === 'HEAD';
    const onClose = () => {
      if (!res.writableFinished) abort.abort();
    };
    res.on('close', onClose);

    let body: ReadableStream<Uint8Array> | undefined;
    if (!bodyDone) {
      const iterator = req[Symbol.asyncIterator]();
      const encoder = new TextEncoder();
      body = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            try {
              const { done, value } = await iterator.next();
              if (done) {
                bodyDone = true;
                controller.close();
              } else {
                controller.enqueue(typeof value === 'string' ? encoder.encode(value) : new Uint8Array(value));
              }
            } catch (error) {
              controller.error(error);
            }
          },
        },
        { highWaterMark: 0 },
      );
    }

    try {
      const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: abort.signal };
      if (body) {
        init.body = body;
        init.duplex = 'half';
      }
      const request = new Request(`${scheme}://${host}${raw.startsWith('/') ? raw : `/${raw}`}`, init);
      const response = await proxy(request);
      // a refusal before the body was read: close the connection instead of waiting for the rest of it
      await sendNodeResponse(res, response, { head: method === 'HEAD', close: !bodyDone && response.status >= 400 });
    } catch {
      if (!res.headersSent) await sendNodeResponse(res, errorResponse('internal'), { close: true });
      else res.destroy();
    } finally {
      res.removeListener('close', onClose);
    }
  };
}
