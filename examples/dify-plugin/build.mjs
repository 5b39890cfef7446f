#!/usr/bin/env node
// Copies the built widget (../../dist: dify-chat.js, the files it loads beside itself, and the skins)
// into widget/, which the plugin's /widget/<name> endpoint and the page's skin read. Run
// `npm run build` at the repository root first, then `node build.mjs` here, then package the plugin.
// `node build.mjs <dir>` copies into another directory instead (the browser test does).
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../../dist');
const out = process.argv[2] ? path.resolve(process.argv[2]) : path.join(here, 'widget');
if (!existsSync(path.join(dist, 'dify-chat.js'))) {
  console.error('dist/dify-chat.js is missing: run `npm run build` at the repository root first.');
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'themes'), { recursive: true });
let count = 0;
for (const name of readdirSync(dist)) {
  // the ES module bundle and its lazily loaded parts; not the IIFE, the proxy or the library build
  if (/\.js(\.map)?$/.test(name) && !/iife|^proxy\./.test(name)) {
    copyFileSync(path.join(dist, name), path.join(out, name));
    count++;
  }
}
const themes = path.join(dist, 'themes');
for (const name of existsSync(themes) ? readdirSync(themes) : []) {
  if (/^[a-z0-9-]+\.css$/.test(name)) {
    copyFileSync(path.join(themes, name), path.join(out, 'themes', name));
    count++;
  }
}
console.log(`copied ${count} files into ${path.relative(process.cwd(), out) || out}`);
