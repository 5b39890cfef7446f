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
