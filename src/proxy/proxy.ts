/**
 * `createDifyProxy(options)`: a Fetch API handler `(request: Request) => Promise<Response>` that puts
 * a Dify app's Service API behind your own origin. It forwards only the routes `<dify-chat api>` uses,
 * adds the app key on the server, binds the Dify `user` to your session when asked, and streams answers
 * through unbuffered. Runs wherever `Request`, `Response`, `fetch` and `ReadableStream` exist: Node 18+,
 * Next.js route handlers, Cloudflare Workers, Deno, Bun.
 */
import { type HeaderMap, type ErrorName, SECURITY_HEADERS, difyErrorResponse, errorResponse } from './errors.js';
import {
  type DifyRoute,
  type DifyRouteName,
  ROUTES,
  isCleanPath,
  matchRoute,
  normalisePrefix,
  underPrefix,
} from './routes.js';

export type { DifyRouteName } from './routes.js';

/** What `guard` learns about a request it may refuse. */
export interface DifyProxyRequestInfo {
  /** the route the request matched, e.g. `chat` or `upload` */
  route: DifyRouteName;
  /** the path below the prefix, e.g. `chat-messages` */
  path: string;
}

/** Where a failure happened, for `onError` (never shown to the client). */
export interface DifyProxyErrorInfo {
  kind: 'upstream' | 'timeout' | 'hook';
  route?: DifyRouteName;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface DifyProxyOptions {
  /** The Service API base URL, e.g. `https://api.dify.ai/v1` (http or https, no credentials in it). */
  apiUrl: string;
  /** The app's secret API key (`app-…`). Sent upstream as `Authorization: Bearer <apiKey>` only. */
  apiKey: string;
  /** Where the proxy is mounted, e.g. `/api/dify` (the widget's `api` attribute). Default: `''` (root). */
  prefix?: string;
  /**
   * The Dify `user` of this request, from your own session (cookie, token, …). When set, it overrides
   * whatever the browser sent, in the JSON body, the query string and multipart fields alike. Return
   * null or `''` to refuse the request with 401.
   */
  user?: (request: Request) => string | null | undefined | Promise<string | null | undefined>;
  /**
   * Other origins allowed to call the proxy from a browser (CORS, with preflight), e.g.
   * `['https://www.example.com']`, or a function deciding per origin. Default: none, same-origin only:
   * no `Access-Control-Allow-Origin` is ever sent, and a request from a foreign `Origin` is refused.
   */
  allowedOrigins?: readonly string[] | ((origin: string) => boolean);
  /** Send `Access-Control-Allow-Credentials: true` to allowed origins (cookies on cross-origin calls). */
  allowCredentials?: boolean;
  /** Largest JSON body accepted, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Largest upload (files/upload, audio-to-text), in bytes. Default 15 MiB (Dify's default file limit). */
  maxUploadBytes?: number;
  /** Idle timeout: ms without a byte from the upstream before it is given up (504 before the answer starts, a cut stream after). Default 100 000. */
  timeoutMs?: number;
  /** ms allowed for the whole request body to arrive (slow uploads are cut off with 408). Default 30 000. */
  bodyTimeoutMs?: number;
  /** Refuse a request before it is read or forwarded (rate limits, bot checks): return a Response to send instead. */
  guard?: (
    request: Request,
    info: DifyProxyRequestInfo,
  ) => Response | null | undefined | void | Promise<Response | null | undefined | void>;
  /** Forward only these routes (default: all of them). */
  routes?: readonly DifyRouteName[];
  /** The `fetch` used to reach the upstream (default: the global one). */
  fetch?: FetchLike;
  /** Told about upstream failures and timeouts. Default: one line on `console.warn` without URL or key. */
  onError?: (error: unknown, info: DifyProxyErrorInfo) => void;
}

/** The handler, plus what a server needs to mount it. */
export interface DifyProxy {
  (request: Request): Promise<Response>;
  /** the normalised prefix (`''` or `/a/b`) */
  readonly prefix: string;
  /** whether a (raw) URL path is at or below the prefix, i.e. belongs to this proxy */
  handles(path: string): boolean;
}

const MIB = 1024 * 1024;
const MAX_URL_LENGTH = 4096;
const MAX_QUERY_VALUE = 1024;
const MAX_ERROR_BODY = 64 * 1024;
const MAX_TIMER_MS = 2_147_483_647;
const ALLOWED_REQUEST_HEADERS = 'Content-Type, Accept, Accept-Language';

class ProxyRefusal extends Error {
  constructor(readonly reason: ErrorName) {
    super(reason);
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`createDifyProxy: ${name} must be a positive number`);
  }
  return Math.min(Math.floor(value), MAX_TIMER_MS);
}

function parseApiUrl(apiUrl: string): string {
  let url: URL;
  try {
    url = new URL(String(apiUrl ?? '').trim());
  } catch {
    throw new TypeError('createDifyProxy: apiUrl must be an absolute http(s) URL such as https://api.dify.ai/v1');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError('createDifyProxy: apiUrl must use http or https');
  }
  if (url.username || url.password) {
    // never echoed: the message names the problem, not the value
    throw new TypeError('createDifyProxy: apiUrl must not contain credentials (user:password@)');
  }
  if (url.search || url.hash) throw new TypeError('createDifyProxy: apiUrl must not have a query or fragment');
  return url.href.replace(/\/+$/, '');
}

function originChecker(allowed: DifyProxyOptions['allowedOrigins']): (origin: string) => boolean {
  if (typeof allowed === 'function') return (origin) => origin !== 'null' && allowed(origin) === true;
  const list = new Set<string>();
  for (const entry of allowed ?? []) {
    if (entry === '*') {
      throw new TypeError("createDifyProxy: allowedOrigins must list origins; '*' would let any website spend your key");
    }
    let origin: string;
    try {
      origin = new URL(entry).origin;
    } catch {
      throw new TypeError(`createDifyProxy: allowedOrigins has an entry that is not an origin`);
    }
    if (origin === 'null' || origin !== entry.replace(/\/$/, '')) {
      throw new TypeError('createDifyProxy: allowedOrigins entries must be origins like https://www.example.com');
    }
    list.add(origin);
  }
  return (origin) => list.has(origin);
}

function sameHost(origin: string, requestUrl: URL): boolean {
  try {
    // host only, not scheme: behind a TLS-terminating proxy the request URL says http:
    return new URL(origin).host === requestUrl.host;
  } catch {
    return false;
  }
}

function defaultOnError(error: unknown, info: DifyProxyErrorInfo): void {
  // name and errno-style code only: messages of fetch errors can carry URLs
  const e = error as { name?: unknown; cause?: { code?: unknown } } | null;
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const code = typeof e?.cause?.code === 'string' ? ` ${e.cause.code}` : '';
  console.warn(`[dify-proxy] ${info.kind} failure on ${info.route ?? 'request'}: ${name}${code}`);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Read a request body with a byte limit and a deadline for the whole body. */
async function readBody(request: Request, limit: number, deadlineMs: number, tooLarge: ErrorName): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) throw new ProxyRefusal(tooLarge);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    reader.cancel().catch(() => undefined);
  }, deadlineMs);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (timedOut) throw new ProxyRefusal('bodyTimeout');
      if (done) break;
      size += value.length;
      if (size > limit) {
        reader.cancel().catch(() => undefined);
        throw new ProxyRefusal(tooLarge);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ProxyRefusal) throw error;
    throw new ProxyRefusal(timedOut ? 'bodyTimeout' : 'badJson');
  } finally {
    clearTimeout(timer);
  }
  return concat(chunks, size);
}

function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

export function createDifyProxy(options: DifyProxyOptions): DifyProxy {
  if (!options || typeof options !== 'object') throw new TypeError('createDifyProxy: options are required');
  const apiBase = parseApiUrl(options.apiUrl);
  const apiKey = String(options.apiKey ?? '').trim();
  if (!apiKey || /[\s\x00-\x1f\x7f]/.test(apiKey)) {
    throw new TypeError('createDifyProxy: apiKey must be the app key (app-…)');
  }
  const prefix = normalisePrefix(options.prefix);
  const isAllowedOrigin = originChecker(options.allowedOrigins);
  const maxBodyBytes = positive(options.maxBodyBytes, MIB, 'maxBodyBytes');
  const maxUploadBytes = positive(options.maxUploadBytes, 15 * MIB, 'maxUploadBytes');
  const timeoutMs = positive(options.timeoutMs, 100_000, 'timeoutMs');
  const bodyTimeoutMs = positive(options.bodyTimeoutMs, 30_000, 'bodyTimeoutMs');
  const onError = options.onError ?? defaultOnError;
  const known = new Set(ROUTES.map((r) => r.name));
  for (const name of options.routes ?? []) {
    if (!known.has(name)) throw new TypeError(`createDifyProxy: unknown route "${String(name)}"`);
  }
  const enabled = new Set<DifyRouteName>(options.routes ?? ROUTES.map((r) => r.name));
  const upstreamFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));

  const report = (error: unknown, info: DifyProxyErrorInfo) => {
    try {
      onError(error, info);
    } catch {
      /* a logger must not break the answer */
    }
  };

  async function handle(request: Request): Promise<Response> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return errorResponse('notFound');
    }
    const path = url.pathname;

    // CORS: same-origin by default; listed origins get the headers; any other Origin is refused
    const origin = request.headers.get('origin');
    let cors: HeaderMap = {};
    if (origin !== null && isAllowedOrigin(origin)) {
      cors = { 'access-control-allow-origin': origin, vary: 'Origin' };
      if (options.allowCredentials) cors['access-control-allow-credentials'] = 'true';
    } else if (origin !== null && !sameHost(origin, url)) {
      return errorResponse('forbiddenOrigin', { vary: 'Origin' });
    }
    const refuse = (name: ErrorName, extra: HeaderMap = {}) => errorResponse(name, { ...cors, ...extra });

    if (request.url.length > MAX_URL_LENGTH) return refuse('uriTooLong');
    if (!underPrefix(path, prefix) || !isCleanPath(path)) return refuse('notFound');
    const rest = path.slice(prefix.length + 1);
    const method = request.method.toUpperCase();

    if (method === 'OPTIONS') {
      const found = (['GET', 'POST'] as const).map((m) => matchRoute(rest, m, enabled)).find((m) => m.kind === 'route');
      if (!found || found.kind !== 'route') return refuse('notFound');
      const allow = `${found.route.method}, OPTIONS`;
      const headers: HeaderMap = { allow, ...SECURITY_HEADERS, ...cors };
      if (cors['access-control-allow-origin']) {
        headers['access-control-allow-methods'] = allow;
        headers['access-control-allow-headers'] = ALLOWED_REQUEST_HEADERS;
        headers['access-control-max-age'] = '600';
      }
      return new Response(null, { status: 204, headers });
    }

    const match = matchRoute(rest, method, enabled);
    if (match.kind === 'none') return refuse('notFound');
    if (match.kind === 'method') return refuse('methodNotAllowed', { allow: [...match.allow, 'OPTIONS'].join(', ') });
    const route = match.route;

    if (options.guard) {
      let verdict: Response | null | undefined | void;
      try {
        verdict = await options.guard(request, { route: route.name, path: rest });
      } catch (error) {
        report(error, { kind: 'hook', route: route.name });
        return refuse('internal');
      }
      if (verdict instanceof Response) return withHeaders(verdict, cors);
    }

    let user: string | null = null;
    if (options.user) {
      let bound: string | null | undefined;
      try {
        bound = await options.user(request);
      } catch (error) {
        report(error, { kind: 'hook', route: route.name });
        return refuse('internal');
      }
      if (typeof bound !== 'string' || !bound) return refuse('unauthorizedUser');
      user = bound;
    }

    let body: BodyInit | undefined;
    const headers: HeaderMap = {
      authorization: `Bearer ${apiKey}`,
      accept: (request.headers.get('accept') ?? '*/*').slice(0, 256),
      'accept-encoding': 'identity',
    };
    const language = request.headers.get('accept-language');
    if (language) headers['accept-language'] = language.slice(0, 256);
    try {
      body = await readRequestBody(request, route, user, headers);
    } catch (error) {
      if (error instanceof ProxyRefusal) {
        return refuse(error.reason, error.reason === 'bodyTimeout' ? { connection: 'close' } : {});
      }
      throw error;
    }

    const upstreamUrl = `${apiBase}/${match.segments.join('/')}${queryFor(url, route, user)}`;
    return forward(request, route, upstreamUrl, headers, body, cors);
  }

  async function readRequestBody(
    request: Request,
    route: DifyRoute,
    user: string | null,
    headers: HeaderMap,
  ): Promise<BodyInit | undefined> {
    if (route.body === 'none') return undefined;
    const type = mediaType(request);
    if (route.body === 'json') {
      if (type !== 'application/json') throw new ProxyRefusal('unsupportedMedia');
      const bytes = await readBody(request, maxBodyBytes, bodyTimeoutMs, 'bodyTooLarge');
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch {
        throw new ProxyRefusal('badJson');
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ProxyRefusal('badJson');
      headers['content-type'] = 'application/json';
      if (user === null) return bytes;
      return JSON.stringify({ ...(parsed as Record<string, unknown>), user });
    }
    // multipart: Dify reads the `file` part and the `user` field; nothing else is passed on
    if (type !== 'multipart/form-data') throw new ProxyRefusal('unsupportedMedia');
    const bytes = await readBody(request, maxUploadBytes, bodyTimeoutMs, 'uploadTooLarge');
    let form: FormData;
    try {
      form = await new Response(bytes, { headers: { 'content-type': request.headers.get('content-type')! } }).formData();
    } catch {
      throw new ProxyRefusal('badForm');
    }
    const out = new FormData();
    let files = 0;
    for (const [name, value] of form.entries()) {
      if (name === 'file' && typeof value !== 'string') {
        if (++files > 1) throw new ProxyRefusal('tooManyFiles');
        out.append('file', value, (value as File).name || 'file');
      } else if (name === 'user' && typeof value === 'string' && user === null) {
        out.set('user', value);
      }
    }
    if (user !== null) out.set('user', user);
    return out; // fetch writes the multipart body and its content-type with a new boundary
  }

  function queryFor(url: URL, route: DifyRoute, user: string | null): string {
    if (route.body !== 'none') return '';
    const out = new URLSearchParams();
    for (const name of route.query) {
      const value = url.searchParams.get(name);
      if (value !== null && value.length <= MAX_QUERY_VALUE) out.set(name, value);
    }
    if (user !== null) out.set('user', user);
    const text = out.toString();
    return text ? `?${text}` : '';
  }

  async function forward(
    request: Request,
    route: DifyRoute,
    upstreamUrl: string,
    headers: HeaderMap,
    body: BodyInit | undefined,
    cors: HeaderMap,
  ): Promise<Response> {
    const upstreamAbort = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        upstreamAbort.abort();
      }, timeoutMs);
    };
    const disarm = () => clearTimeout(timer);
    const clientGone = () => upstreamAbort.abort();
    const signal = request.signal as AbortSignal | undefined;
    if (signal?.aborted) return errorResponse('clientGone');
    signal?.addEventListener('abort', clientGone, { once: true });
    const release = () => {
      disarm();
      signal?.removeEventListener('abort', clientGone);
    };

    let upstream: Response;
    arm();
    try {
      upstream = await upstreamFetch(upstreamUrl, {
        method: route.method,
        headers,
        body,
        signal: upstreamAbort.signal,
        redirect: 'manual',
      });
    } catch (error) {
      release();
      if (signal?.aborted) return errorResponse('clientGone');
      report(error, { kind: timedOut ? 'timeout' : 'upstream', route: route.name });
      return errorResponse(timedOut ? 'gatewayTimeout' : 'badGateway', cors);
    }
    disarm();

    const responseHeaders: HeaderMap = {
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      ...SECURITY_HEADERS,
      ...cors,
    };
    const type = upstream.headers.get('content-type');
    if (type) responseHeaders['content-type'] = type;
    const status = upstream.status;

    if (status >= 300 && status < 400) {
      // Dify never redirects the Service API; a redirect would point the client elsewhere
      upstream.body?.cancel().catch(() => undefined);
      release();
      report(new Error(`upstream answered ${status}`), { kind: 'upstream', route: route.name });
      return errorResponse('badGateway', cors);
    }
    if (!upstream.body || status === 204 || status === 205) {
      upstream.body?.cancel().catch(() => undefined);
      release();
      return new Response(status === 204 || status === 205 ? null : '', { status, headers: responseHeaders });
    }
    if (status >= 400) {
      // error bodies are small: read them whole (bounded) and make sure the key is not in them
      const text = await readErrorBody(upstream.body, arm, disarm);
      release();
      if (text === null) {
        if (signal?.aborted) return errorResponse('clientGone');
        return errorResponse(timedOut ? 'gatewayTimeout' : 'upstreamErrorTooLarge', cors);
      }
      return new Response(text.split(apiKey).join('[redacted]'), { status, headers: responseHeaders });
    }

    // the answer: passed on chunk by chunk as the upstream sends it; the idle timer runs while waiting
    const reader = upstream.body.getReader();
    const stream = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          arm();
          try {
            const { done, value } = await reader.read();
            disarm();
            if (done) {
              release();
              controller.close();
            } else {
              controller.enqueue(value);
            }
          } catch (error) {
            release();
            if (timedOut) report(error, { kind: 'timeout', route: route.name });
            else if (!signal?.aborted) report(error, { kind: 'upstream', route: route.name });
            controller.error(new Error(timedOut ? 'upstream idle timeout' : 'upstream stream failed'));
          }
        },
        cancel() {
          release();
          upstreamAbort.abort();
          reader.cancel().catch(() => undefined);
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(stream, { status, headers: responseHeaders });
  }

  const proxy = ((request: Request) =>
    handle(request).catch((error: unknown) => {
      report(error, { kind: 'upstream' });
      return errorResponse('internal');
    })) as DifyProxy;
  Object.defineProperty(proxy, 'prefix', { value: prefix, enumerable: true });
  Object.defineProperty(proxy, 'handles', { value: (path: string) => underPrefix(path, prefix), enumerable: true });
  return proxy;
}

async function readErrorBody(
  body: ReadableStream<Uint8Array>,
  arm: () => void,
  disarm: () => void,
): Promise<string | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      arm();
      const { done, value } = await reader.read();
      disarm();
      if (done) break;
      size += value.length;
      if (size > MAX_ERROR_BODY) {
        reader.cancel().catch(() => undefined);
        return null;
      }
      chunks.push(value);
    }
  } catch {
    disarm();
    return null;
  }
  return new TextDecoder().decode(concat(chunks, size));
}

/** A copy of a response with extra headers (responses from `guard` may have immutable headers). */
function withHeaders(response: Response, extra: HeaderMap): Response {
  const headers = new Headers(response.headers);
  headers.delete('set-cookie');
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export { difyErrorResponse };
