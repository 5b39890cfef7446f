/**
 * `dify-chat/proxy`: the server side of `<dify-chat api="…">`. Server-only and dependency-free; nothing
 * in the browser bundle imports it.
 *
 * ```js
 * import { createDifyProxy, toNodeHandler } from 'dify-chat/proxy';
 * const proxy = createDifyProxy({ apiUrl: 'https://api.dify.ai/v1', apiKey: process.env.DIFY_API_KEY, prefix: '/api/dify' });
 * export default { fetch: proxy };            // Workers, Deno, Bun: a Fetch handler
 * app.use(toNodeHandler(proxy));              // Node, Express
 * ```
 */
export { createDifyProxy, difyErrorResponse } from './proxy.js';
export type { DifyProxy, DifyProxyOptions, DifyProxyRequestInfo, DifyProxyErrorInfo, FetchLike } from './proxy.js';
export type { DifyRouteName } from './routes.js';
export { ROUTES } from './routes.js';
export type { DifyRoute } from './routes.js';
export { toNodeHandler, sendNodeResponse } from './node.js';
export type { NodeHandler, NodeRequestLike, NodeResponseLike } from './node.js';
