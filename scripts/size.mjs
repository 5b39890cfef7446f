// `npm run size`: gzip (level 9) and brotli size of the bundles, checked against the budget (SPEC §11).
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const BUDGET = 30_000; // bytes gzip for dist/dify-chat.js
const files = ['dist/dify-chat.js', 'dist/dify-chat.iife.js'];

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
let failed = false;
console.log('file                      raw        gzip -9    brotli');
for (const file of files) {
  const raw = readFileSync(file);
  const gz = gzipSync(raw, { level: 9 }).length;
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${file.padEnd(24)}  ${kb(raw.length).padEnd(9)}  ${kb(gz).padEnd(9)}  ${kb(br)}`);
  if (file === 'dist/dify-chat.js' && gz > BUDGET) {
    console.error(`over budget: ${gz} B gzip > ${BUDGET} B`);
    failed = true;
  }
}
console.log(`budget: dist/dify-chat.js ≤ ${kb(BUDGET)} gzip`);
process.exit(failed ? 1 : 0);
