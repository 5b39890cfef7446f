// The `npm start` server, as a function (scripts/serve.mjs runs it; test-node/serve.test.mjs probes it).
//
// It serves only what the demo needs: demo/ pages and assets, src/ (TypeScript transpiled on the fly),
// dist/ when built, and the node_modules packages the page imports (the dependencies in package.json and
// theirs). Everything else is 404: dot-files and dot-directories (.git/, .env), package.json, scripts,
// tests, the mock's own source, and the dev server's outside-root paths (/__wds-outside-root__/…, which
// would reach any file on the machine). It answers only to localhost Host headers (and IP literals), so
// a DNS-rebinding page cannot reach it; HOST adds one more accepted name.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { DEFAULT_API, mockDify } from '../demo/mock-dify.mjs';
import { loadProxy } from './load-proxy.mjs';
import { partsFromSource } from './parts-middleware.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The packages a page may load from node_modules: package.json dependencies and their dependencies. */
export function browserPackages(root = ROOT) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name) || seen.size > 200) return;
    const file = path.join(root, 'node_modules', name, 'package.json');
    if (!existsSync(file)) return;
    seen.add(name);
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep);
  };
  const own = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  for (const dep of Object.keys(own.dependencies ?? {})) visit(dep);
  return seen;
}

const SERVED = [
  { prefix: '/demo/', ext: /\.(html|css|js|svg|png|jpe?g|gif|webp|ico|json|woff2?|txt)$/i },
  { prefix: '/src/', ext: /\.(ts|js|css)$/i },
  { prefix: '/dist/', ext: /\.(js|css|map|json)$/i },
];
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Whether a Host header names this machine: localhost, *.localhost, an IP literal, or `extraHost`. */
export function isAllowedHost(hostHeader, extraHost = '') {
  if (typeof hostHeader !== 'string' || !hostHeader || hostHeader.length > 300) return false;
  let hostname;
  try {
    hostname = new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  if (IPV4.test(hostname) || /^\[[0-9a-f:.]+\]$/.test(hostname)) return true;
  return Boolean(extraHost) && hostname === extraHost.toLowerCase();
}

/**
 * Koa middleware: the Host check, then the path rules for everything that is not /api/.
 * @param {{ root?: string, extraHost?: string, watch?: boolean }} options
 */
export function devGuard({ root = ROOT, extraHost = '', watch = false } = {}) {
  const packages = browserPackages(root);
  return async function devGuardMiddleware(ctx, next) {
    if (!isAllowedHost(ctx.get('host'), extraHost)) {
      ctx.status = 403;
      ctx.type = 'text/plain';
      ctx.body = 'This dev server only answers to localhost. Set HOST to serve it under another name.\n';
      return undefined;
    }
    const raw = ctx.path;
    if (raw === '/' || raw.startsWith('/api/')) return next();
    if (watch && raw === '/__web-dev-server__web-socket.js') return next();
    if (!isServedPath(raw, packages)) {
      ctx.status = 404;
      ctx.type = 'text/plain';
      ctx.body = 'Not Found\n';
      return undefined;
    }
    return next();
  };
}

/** The path rules (raw, undecoded path in). */
export function isServedPath(raw, packages) {
  if (/%(2f|5c|00)|\\|\0/i.test(raw) || raw.includes('//')) return false;
  let decoded;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return false;
  }
  const segments = decoded.split('/').slice(1);
  // dot-files and dot-directories (.git, .env, .., .), anywhere in the path
  if (segments.some((s) => s.startsWith('.'))) return false;
  if (decoded === '/demo' || decoded === '/demo/') return true;
  if (SERVED.some((rule) => decoded.startsWith(rule.prefix) && rule.ext.test(decoded))) {
    return !/^\/demo\/mock/.test(decoded); // the mock's source is server code
  }
  const pkg = /^\/node_modules\/((?:@[^/]+\/)?[^/]+)\/.+\.(m?js|map)$/.exec(decoded);
  return Boolean(pkg && packages.has(pkg[1]));
}

/** `/` → `/demo/` so the bare address shows the demo. */
function redirectRoot(ctx, next) {
  if (ctx.path === '/' && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
    ctx.redirect('/demo/');
    return undefined;
  }
  return next();
}

/**
 * Start the demo server.
 * @param {{ port?: number, host?: string, hostExplicit?: boolean, open?: boolean, watch?: boolean,
 *   proxy?: { url: string, key: string } | null, delay?: number, timeoutMs?: number, bodyTimeoutMs?: number,
 *   root?: string }} options
 */
export async function startDemoServer(options = {}) {
  const root = options.root ?? ROOT;
  const hostname = options.host || 'localhost';
  const extraHost = options.hostExplicit ? hostname : '';
  const watch = Boolean(options.watch);
  if (options.proxy) {
    // a bad DIFY_API_URL / DIFY_API_KEY fails now, with a message that shows neither
    const { createDifyProxy } = await loadProxy();
    createDifyProxy({ apiUrl: options.proxy.url, apiKey: options.proxy.key });
  }
  const server = await startDevServer({
    config: {
      rootDir: root,
      hostname,
      port: options.port ?? 8000,
      // preserveSymlinks: a checkout whose node_modules is a link (a git worktree sharing one install) serves
      // packages as /node_modules/… like any other, not as outside-root paths the guard refuses
      nodeResolve: true,
      preserveSymlinks: true,
      appIndex: path.join(root, 'demo', 'index.html'),
      open: options.open ? '/demo/' : false,
      watch,
      middleware: [
        devGuard({ root, extraHost, watch }),
        partsFromSource,
        redirectRoot,
        mockDify({
          proxy: options.proxy ?? null,
          ...(options.delay !== undefined ? { delay: options.delay } : {}),
          ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
          ...(options.bodyTimeoutMs !== undefined ? { bodyTimeoutMs: options.bodyTimeoutMs } : {}),
        }),
      ],
      plugins: [esbuildPlugin({ ts: true, tsconfig: path.join(root, 'tsconfig.json'), target: 'es2022' })],
    },
    readCliArgs: false,
    readFileConfig: false,
    autoExitProcess: options.autoExitProcess ?? false,
    logStartMessage: false,
  });
  const port = server.server?.address()?.port ?? options.port;
  const shownHost = hostname.includes(':') ? `[${hostname}]` : hostname;
  return { server, base: `http://${shownHost}:${port}`, port, api: DEFAULT_API };
}
