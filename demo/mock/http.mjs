// Small HTTP helpers of the mock: Koa ctx in, raw node responses out, Dify-shaped errors.
import { openaiError } from '../../test/fixtures/dify-streams.js';

export const BODY_LIMIT = 1024 * 1024;

export const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'Content-Type, Authorization, Accept, X-App-Code',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-max-age': '600',
};
export const STREAM_HEADERS = { 'cache-control': 'no-cache', 'x-accel-buffering': 'no', ...CORS };

/** Dify's pre-stream error bodies by status (`/error <status>`). */
export const DIFY_ERRORS = {
  400: ['invalid_param', 'Invalid parameter: the request could not be processed.'],
  401: ['unauthorized', 'Access token is invalid'],
  403: ['forbidden', "The app's API service has been disabled."],
  404: ['not_found', 'Conversation Not Exists.'],
  413: ['file_too_large', 'File size exceeded.'],
  415: ['unsupported_file_type', 'File type not allowed.'],
  429: ['too_many_requests', 'Too many requests. Please try again later.'],
  500: [
    'internal_server_error',
    'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
  ],
  503: ['service_unavailable', 'The server is temporarily unable to service your request. Please try again later.'],
};

/** OpenAI-style error bodies by status. */
export const OPENAI_ERRORS = {
  400: ['Invalid request: the mock was asked for a 400.', 'invalid_request_error', null],
  401: ['Incorrect API key provided: sk-mock***. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key'],
  403: ['You are not allowed to use this model.', 'invalid_request_error', 'model_not_allowed'],
  404: ['The model `mock-1` does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found'],
  429: ['Rate limit reached for requests. Please try again in 20s.', 'requests', 'rate_limit_exceeded'],
  500: ['The server had an error while processing your request. Sorry about that!', 'server_error', null],
  503: ['The engine is currently overloaded, please try again later.', 'server_error', null],
};

export const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export const CAT_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="180" viewBox="0 0 240 180" role="img" aria-labelledby="t">
  <title id="t">A pink cartoon cat</title>
  <rect width="240" height="180" rx="16" fill="#fde7f1"/>
  <path d="M70 60 L84 24 L104 54 Z M170 60 L156 24 L136 54 Z" fill="#f472b6"/>
  <ellipse cx="120" cy="100" rx="62" ry="54" fill="#f9a8d4"/>
  <circle cx="98" cy="92" r="8" fill="#1f2937"/><circle cx="142" cy="92" r="8" fill="#1f2937"/>
  <circle cx="101" cy="89" r="2.5" fill="#fff"/><circle cx="145" cy="89" r="2.5" fill="#fff"/>
  <path d="M114 110 L126 110 L120 117 Z" fill="#be185d"/>
  <path d="M120 117 Q112 127 104 122 M120 117 Q128 127 136 122" stroke="#be185d" stroke-width="3" fill="none" stroke-linecap="round"/>
  <path d="M60 106 L30 100 M60 114 L28 118 M180 106 L210 100 M180 114 L212 118" stroke="#831843" stroke-width="2.5" stroke-linecap="round"/>
</svg>
`;

export const sleepPlain = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Cuts a response's connection mid-body, as a network does: a moment after the last bytes (Chromium drops
 * body bytes it has received but the page has not read yet when a connection fails), with a FIN rather
 * than a reset (on a loaded machine a reset can discard bytes still in flight) and no closing chunk, so
 * reading the body fails; a reset a second later if the client keeps the socket open.
 */
export async function cutConnection(res) {
  await sleepPlain(100);
  const socket = res.socket;
  if (!socket) return;
  socket.end();
  setTimeout(() => socket.destroy(), 1000).unref();
}

export class HttpError extends Error {
  constructor(status, body, { close = false } = {}) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
    /** answer with `Connection: close` (the request body was not read to its end) */
    this.close = close;
  }
}

export function allow(ctx, method, wanted, handler) {
  if (method === 'OPTIONS') return send(ctx, 204, '', { allow: `${wanted}, OPTIONS` });
  if (method !== wanted && !(wanted === 'GET' && method === 'HEAD')) {
    return sendJson(ctx, 405, { code: 'method_not_allowed', message: 'The method is not allowed for the requested URL.', status: 405 }, { allow: `${wanted}, OPTIONS` });
  }
  return handler();
}

export function send(ctx, status, body, headers = {}) {
  ctx.respond = false;
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  ctx.res.writeHead(status, { 'content-length': buf.length, ...CORS, ...headers });
  ctx.res.end(ctx.method === 'HEAD' ? undefined : buf);
}

export function sendJson(ctx, status, obj, headers = {}) {
  return send(ctx, status, JSON.stringify(obj), { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
}

export function difyError(status, message) {
  const [code, text] = DIFY_ERRORS[status] ?? [`http_${status}`, `HTTP ${status}`];
  return { code, message: message ?? text, status };
}

let bodyTimeoutMs = 30_000;

/** How long a request body may take to arrive before it is cut off with 408 (mockDify's bodyTimeoutMs). */
export function setBodyTimeout(ms) {
  if (Number.isFinite(ms) && ms > 0) bodyTimeoutMs = ms;
}

export async function readRaw(req) {
  const chunks = [];
  let size = 0;
  const iterator = req[Symbol.asyncIterator]();
  const deadline = Date.now() + bodyTimeoutMs;
  for (;;) {
    const next = iterator.next();
    next.catch(() => undefined); // settled later when the socket closes; nobody waits for it then
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), 'late');
    });
    const step = await Promise.race([next, late]).finally(() => clearTimeout(timer));
    if (step === 'late') {
      req.pause();
      throw new HttpError(408, { code: 'request_timeout', message: 'The request body took too long to arrive.', status: 408 }, { close: true });
    }
    if (step.done) break;
    size += step.value.length;
    if (size > BODY_LIMIT) throw new HttpError(413, { code: 'request_too_large', message: 'Request body too large.', status: 413 }, { close: true });
    chunks.push(step.value);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req, { openai = false } = {}) {
  const raw = await readRaw(req);
  if (!raw.length) return {};
  try {
    const body = JSON.parse(raw.toString('utf8'));
    if (body && typeof body === 'object' && !Array.isArray(body)) return body;
  } catch {
    /* fall through */
  }
  throw new HttpError(
    400,
    openai
      ? openaiError('We could not parse the JSON body of your request.', 'invalid_request_error')
      : { code: 'bad_request', message: 'The browser (or proxy) sent a request that this server could not understand.', status: 400 },
  );
}

/** Start a streaming response. */
export function startStream(ctx, contentType) {
  ctx.respond = false;
  ctx.res.writeHead(200, { 'content-type': contentType, ...STREAM_HEADERS });
  ctx.res.flushHeaders?.();
}
