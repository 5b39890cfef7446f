#!/usr/bin/env node
// `npm start`: the demo page plus a dev server with the built-in mock Dify bot.
//
//   npm start                          mock bot on http://localhost:8000/demo/
//   PORT=9000 npm start                another port
//   DIFY_API_URL=https://api.dify.ai/v1 DIFY_API_KEY=app-… npm start
//                                      /api/chat (and its stop route) are proxied to the real Service
//                                      API; the key is added server-side and never reaches the browser
//   npm start -- --open                also open a browser
//
// The page loads /src/index.ts directly: TypeScript is transpiled on the fly by esbuild and bare
// imports (lit, marked, …) are resolved from node_modules.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { mockDify } from '../demo/mock-dify.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.PORT ? Number.parseInt(process.env.PORT, 10) : 8000;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}".`);
  process.exit(1);
}
const hostname = process.env.HOST || 'localhost';
const open = process.argv.includes('--open');

const apiUrl = (process.env.DIFY_API_URL || '').trim();
const apiKey = (process.env.DIFY_API_KEY || '').trim();
let proxy = null;
if (apiUrl && apiKey) {
  let parsed;
  try {
    parsed = new URL(apiUrl);
  } catch {
    console.error(`DIFY_API_URL is not a URL: "${apiUrl}" (expected e.g. https://api.dify.ai/v1).`);
    process.exit(1);
  }
  proxy = { url: parsed.href.replace(/\/+$/, ''), key: apiKey };
} else if (apiUrl || apiKey) {
  console.warn(
    `! ${apiUrl ? 'DIFY_API_KEY' : 'DIFY_API_URL'} is not set: both are needed for proxy mode. Using the mock bot.`,
  );
}

/** `/` → `/demo/` so the bare address shows the demo. */
function redirectRoot(ctx, next) {
  if (ctx.path === '/' && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
    ctx.redirect('/demo/');
    return undefined;
  }
  return next();
}

const server = await startDevServer({
  config: {
    rootDir: root,
    hostname,
    port,
    nodeResolve: true,
    appIndex: path.join(root, 'demo', 'index.html'),
    open: open ? '/demo/' : false,
    watch: !process.env.CI,
    middleware: [redirectRoot, mockDify(proxy ? { proxy } : {})],
    plugins: [esbuildPlugin({ ts: true, tsconfig: path.join(root, 'tsconfig.json'), target: 'es2022' })],
  },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});

const actualPort = server.server?.address()?.port ?? port;
const base = `http://${hostname}:${actualPort}`;
console.log('');
console.log(`  <dify-chat> demo:  ${base}/demo/`);
if (proxy) {
  // never print the key
  console.log(`  mode:              PROXY → ${proxy.url}/chat-messages (DIFY_API_KEY set, added server-side)`);
  console.log('                     /api/talk and /api/openai/… stay mocked');
} else {
  console.log(`  mode:              MOCK Dify bot (send "/help" in the chat for the failure commands)`);
}
console.log(`  endpoints:         POST ${base}/api/chat · /api/talk · /api/openai/chat/completions`);
console.log('');
