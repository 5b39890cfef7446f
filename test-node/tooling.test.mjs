// The developer commands on a machine that lacks something: one clear line, not a stack trace.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

describe('npm test without Chromium', () => {
  it('says in one line what to install and exits non-zero', () => {
    const run = spawnSync('npx', ['wtr'], {
      env: { ...process.env, CHROME_PATH: '/nonexistent/chromium' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.notEqual(run.status, 0);
    const lines = run.stderr.trim().split('\n').filter((l) => l.trim() && !l.startsWith('npm '));
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], /Chromium not found at CHROME_PATH=\/nonexistent\/chromium/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });
});

describe('the bench server', () => {
  it('serves bench/, dist/ and the floor page\'s parser (/bench/smd.js), nothing else of the project', async () => {
    const { startServer } = await import('../bench/server.mjs');
    const http = await import('node:http');
    const server = await startServer({ port: 0 });
    try {
      const get = (path) => fetch(`${server.origin}${path}`);
      const smd = await get('/bench/smd.js');
      assert.equal(smd.status, 200);
      assert.match(await smd.text(), /export function parser_write/);
      assert.equal((await get('/bench/floor.html')).status, 200);
      // raw paths (fetch would normalise the dot segments away before sending)
      const raw = (path) =>
        new Promise((resolve, reject) => {
          http.get({ host: '127.0.0.1', port: new URL(server.origin).port, path }, (res) => {
            res.resume();
            resolve(res.statusCode);
          }).on('error', reject);
        });
      for (const path of ['/node_modules/streaming-markdown/smd.js', '/package.json', '/src/index.ts', '/bench/../package.json', '/bench/..%2fpackage.json', '/bench/%2e%2e/package.json', '/dist/../node_modules/streaming-markdown/smd.js', '/bench/..%2f..%2fetc%2fpasswd']) {
        assert.equal(await raw(path), 404, path);
      }
    } finally {
      await server.close();
    }
  });
});
