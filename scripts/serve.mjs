#!/usr/bin/env node
// `npm start`: the demo page plus a dev server with the built-in mock Dify bot.
//
//   npm start                          mock bot on http://localhost:8000/demo/
//   PORT=9000 npm start                another port (PORT=0: any free port)
//   HOST=0.0.0.0 npm start             listen on another address; a HOST name is also accepted in Host
//                                      headers (by default only localhost names and IP literals are)
//   DIFY_API_URL=https://api.dify.ai/v1 DIFY_API_KEY=app-… npm start
//                                      proxy mode: /api/dify/* (and /api/chat, the stop route) go through
//                                      dify-chat/proxy to the real Service API; the key is added server-side
//                                      and never reaches the browser
//   npm start -- --open                also open a browser
//
// What it serves and refuses: scripts/dev-server.mjs. The mock and its routes: demo/mock-dify.mjs.
import { ROOT, browserPackages, startDemoServer } from './dev-server.mjs';

const port = process.env.PORT ? Number(process.env.PORT) : 8000;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}".`);
  process.exit(1);
}
const hostExplicit = Boolean(process.env.HOST?.trim());
const host = process.env.HOST?.trim() || 'localhost';
const open = process.argv.includes('--open');

const apiUrl = (process.env.DIFY_API_URL || '').trim();
const apiKey = (process.env.DIFY_API_KEY || '').trim();
let proxy = null;
if (apiUrl && apiKey) {
  proxy = { url: apiUrl, key: apiKey };
} else if (apiUrl || apiKey) {
  console.warn(
    `! ${apiUrl ? 'DIFY_API_KEY' : 'DIFY_API_URL'} is not set: both are needed for proxy mode. Using the mock bot.`,
  );
}

let started;
try {
  started = await startDemoServer({ port, host, hostExplicit, open, watch: !process.env.CI, proxy, autoExitProcess: true });
} catch (error) {
  // createDifyProxy's messages name the problem without echoing the URL or the key
  console.error(error instanceof TypeError ? `Cannot start: ${error.message}` : error);
  process.exit(1);
}
const { base, api } = started;
const packages = [...browserPackages(ROOT)].sort().join(', ');
console.log('');
console.log(`  <dify-chat> demo:  ${base}/demo/`);
if (proxy) {
  // never print the key, nor the URL (it may carry a token in its path)
  console.log(`  mode:              PROXY to your Dify app (DIFY_API_URL and DIFY_API_KEY set; the key is added server-side)`);
  console.log(`  Service API:       ${base}${api}/… and POST ${base}/api/chat → the real Dify, through dify-chat/proxy`);
  console.log('                     /api/talk and /api/openai/… stay mocked; /api/_mock/* is off');
} else {
  console.log(`  mode:              MOCK Dify bot (send "/help" in the chat for the failure commands)`);
  console.log(`  Service API:       ${base}${api}/… (default app, every feature on) through dify-chat/proxy to the mock`);
  console.log(`                     more apps: POST ${base}/api/_mock/apps (see demo/mock-dify.mjs)`);
}
console.log(`  endpoints:         POST ${base}/api/chat · /api/talk · /api/openai/chat/completions`);
console.log(`  serves:            demo/, src/, dist/ and node_modules/{${packages}}; nothing else`);
console.log(`  answers to:        localhost${hostExplicit ? `, ${host}` : ''} and IP addresses (Host header check)`);
console.log('');
