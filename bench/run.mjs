#!/usr/bin/env node
// `npm run bench`: how <dify-chat> (dist/dify-chat.js) renders a long streamed markdown answer,
// against a plain-JS baseline (`div.textContent += answer` per SSE event), in headless Chromium.
// See bench/README.md for what each column means and how it is measured.
//
//   node bench/run.mjs [--chunks 500,2000,8000] [--pace 0,20] [--runs N] [--full] [--json out.json]
//                      [--no-trace] [--no-build] [--verbose]
//
// Prints one table and the SPEC §11 budget checks (PASS/FAIL). Exits 0 whatever the numbers are;
// exits 1 only when the harness itself breaks (no browser, no server, nothing measured).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { makeAnswer, wordsOf } from './answer.mjs';
import { startServer } from './server.mjs';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from '../scripts/chromium.mjs';

requireChromium();

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const BUNDLE = join(ROOT, 'dist', 'dify-chat.js');
const LONG_TASK_MS = 50;
const VARIANTS = [
  { id: 'baseline', page: 'baseline.html' },
  { id: 'dify-chat', page: 'chat.html' },
];

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const opts = { chunks: null, pace: [0, 20], runs: null, full: false, json: null, trace: true, build: true, verbose: false };
  const list = (v, name) => {
    const out = String(v ?? '').split(',').filter(Boolean).map(Number);
    if (!out.length || out.some((n) => !Number.isFinite(n) || n < 0)) throw new Error(`bad value for ${name}: ${v}`);
    return out;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--chunks': opts.chunks = list(value(), flag).map((n) => Math.max(1, Math.round(n))); break;
      case '--pace': opts.pace = list(value(), flag); break;
      case '--runs': opts.runs = Math.max(1, Math.round(list(value(), flag)[0])); break;
      case '--full': opts.full = true; break;
      case '--json': opts.json = value(); break;
      case '--no-trace': opts.trace = false; break;
      case '--no-build': opts.build = false; break;
      case '--verbose': case '-v': opts.verbose = true; break;
      case '--help': case '-h':
        console.log('usage: node bench/run.mjs [--chunks 500,2000,8000] [--pace 0,20] [--runs N] [--full] [--json out.json] [--no-trace] [--no-build] [--verbose]');
        process.exit(0);
        break;
      default: throw new Error(`unknown option ${argv[i]} (try --help)`);
    }
  }
  return opts;
}

/** The (chunks, pace, runs) cases to measure. */
function planCases(opts) {
  const cases = [];
  for (const pace of opts.pace) {
    let chunks = opts.chunks ?? [500, 2000, 8000];
    // a paced 8000-chunk answer takes ~160 s per page: only with --full or an explicit --chunks
    if (!opts.chunks && pace > 0 && !opts.full) chunks = chunks.filter((n) => n < 8000);
    for (const n of chunks) {
      // default runs: 3, but 1 for 8000 chunks and for paced streams longer than 15 s (keeps the
      // default run under ~4 minutes on 2 cores); --runs overrides all of them
      const runs = opts.runs ?? (n >= 8000 || n * pace > 15000 ? 1 : 3);
      cases.push({ chunks: n, pace, runs });
    }
  }
  return cases;
}

// ---------------------------------------------------------------- build

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.isFile()) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Rebuilds dist/dify-chat.js with rollup when it is missing or older than src/. Returns a note or null. */
function ensureBundle(opts) {
  const have = existsSync(BUNDLE);
  const stale = have && existsSync(join(ROOT, 'src')) && statSync(BUNDLE).mtimeMs < newestMtime(join(ROOT, 'src'));
  if (have && !stale) return null;
  if (!opts.build) return have ? 'dist/dify-chat.js is older than src/ (--no-build: measured as is)' : null;
  console.error(`bench: ${have ? 'dist/dify-chat.js is older than src/' : 'dist/dify-chat.js is missing'}; running npx rollup -c`);
  const r = spawnSync('npx', ['rollup', '-c'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    return existsSync(BUNDLE)
      ? `rollup failed (exit ${r.status}); measured the previous dist/dify-chat.js`
      : `rollup failed (exit ${r.status}); dist/dify-chat.js missing`;
  }
  return null;
}

// ---------------------------------------------------------------- measuring one run

const metricsOf = async (cdp) =>
  Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));

const withTimeout = (promise, ms, what) => {
  promise.catch(() => {}); // a late rejection after the timeout is not an unhandled one
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: timed out after ${Math.round(ms / 1000)} s`)), ms); }),
  ]).finally(() => clearTimeout(timer));
};

/**
 * Longest main-thread task of our renderer between the bench-start and bench-end marks, from the
 * trace: the marks (blink.user_timing) give the renderer's pid/tid and the window; the tasks are the
 * `ThreadControllerImpl::RunTask` complete events (category `toplevel`, the same tasks DevTools
 * shows as "RunTask"). Also returns how many tasks took over 50 ms and their summed wall time.
 */
function analyseTrace(raw) {
  const parsed = JSON.parse(raw);
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const start = events.find((e) => e.name === 'bench-start');
  const end = events.find((e) => e.name === 'bench-end' && e.pid === start?.pid);
  if (!start || !end) return { error: 'bench marks not found in trace' };
  let max = 0;
  let maxCpu = 0;
  let maxAt = 0;
  let over = 0;
  let busy = 0;
  let tasks = 0;
  for (const e of events) {
    if (e.ph !== 'X' || e.pid !== start.pid || e.tid !== start.tid) continue;
    if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'RunTask') continue;
    if (e.ts + (e.dur ?? 0) < start.ts || e.ts > end.ts) continue;
    const ms = (e.dur ?? 0) / 1000;
    tasks++;
    busy += ms;
    // thread time: what the task itself used, without the time it waited for a core on a busy machine
    const cpu = (e.tdur ?? e.dur ?? 0) / 1000;
    if (ms > max) max = ms;
    if (cpu > maxCpu) {
      maxCpu = cpu;
      maxAt = Math.max(0, (e.ts - start.ts) / 1000);
    }
    if (ms > LONG_TASK_MS) over++;
  }
  return { maxTask: max, maxTaskCpu: maxCpu, maxTaskAt: maxAt, window: (end.ts - start.ts) / 1000, tasksOver50: over, traceBusy: busy, tasks };
}

/** Compares what ended up on screen with the answer. Returns { ok, why }. */
function check(variant, read, expected) {
  if (!read) return { ok: false, why: 'nothing to read' };
  if (variant === 'baseline') {
    return read.content === expected.answer
      ? { ok: true }
      : { ok: false, why: `textContent differs (${read.content?.length ?? 'null'} vs ${expected.answer.length} chars)` };
  }
  const why = [];
  if (read.role !== 'bot') why.push(`last message role ${read.role}`);
  if (read.status !== 'done') why.push(`status ${read.status}`);
  if (read.message !== expected.answer) {
    let at = 0;
    const m = read.message ?? '';
    while (at < m.length && m[at] === expected.answer[at]) at++;
    why.push(`messages.at(-1).text differs at ${at} (${m.length} vs ${expected.answer.length} chars)`);
  }
  if (read.content == null) why.push('no [part~="content"] in the last bot message');
  else {
    // every plain word of the answer, in order (substring search: block boundaries may have no space)
    const text = read.content;
    let pos = 0;
    for (let i = 0; i < expected.words.length; i++) {
      const found = text.indexOf(expected.words[i], pos);
      if (found < 0) {
        why.push(`content lacks word #${i} "${expected.words[i]}" (after …${JSON.stringify(text.slice(Math.max(0, pos - 40), pos))})`);
        break;
      }
      pos = found + expected.words[i].length;
    }
  }
  return why.length ? { ok: false, why: why.join('; ') } : { ok: true };
}

let runCounter = 0;

async function measure(browser, origin, variant, { chunks, pace }, opts) {
  const key = `bench-${process.pid}-${++runCounter}`;
  const url = `${origin}/bench/${variant.page}?chunks=${chunks}&pace=${pace}&key=${key}`;
  const context = await browser.createBrowserContext(); // fresh storage, cache and renderer per run
  const errors = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    await page.setViewport({ width: 1000, height: 900 });
    await page.bringToFront();
    const cdp = await page.createCDPSession();
    // threadTicks: TaskDuration is the main thread's CPU time, not wall time (less noise on a busy machine)
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.goto(url, { waitUntil: 'load' });
    await withTimeout(page.evaluate(() => window.bench.ready), 20000, `${variant.id} page setup`);
    await cdp.send('HeapProfiler.collectGarbage');

    if (opts.trace) await page.tracing.start({ categories: ['toplevel', 'blink.user_timing'] });
    const before = await metricsOf(cdp);
    const limit = 60000 + chunks * pace * 1.5;
    const result = await withTimeout(
      page.evaluate(async () => {
        performance.mark('bench-start');
        try {
          return await window.bench.run();
        } finally {
          performance.mark('bench-end');
        }
      }),
      limit,
      `${variant.id} stream`,
    );
    const after = await metricsOf(cdp);
    const trace = opts.trace ? analyseTrace(Buffer.from(await page.tracing.stop()).toString('utf8')) : null;

    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await metricsOf(cdp);
    const read = await page.evaluate(() => window.bench.read());
    const expected = makeAnswer(chunks);
    const verdict = check(variant.id, read, expected);
    const observed = read.longtasks.length ? Math.max(...read.longtasks.map((t) => t.duration)) : 0;
    return {
      ok: verdict.ok,
      why: verdict.why,
      errors,
      cpu: (after.TaskDuration - before.TaskDuration) * 1000,
      script: (after.ScriptDuration - before.ScriptDuration) * 1000,
      ttlw: result.ttlw,
      layouts: after.LayoutCount - before.LayoutCount,
      styles: after.RecalcStyleCount - before.RecalcStyleCount,
      heapMB: heap.JSHeapUsedSize / 2 ** 20,
      ...(trace && !trace.error ? trace : {}),
      traceError: trace?.error,
      longtaskObserved: observed,
      longtaskCount: read.longtasks.length,
    };
  } catch (err) {
    return { failed: true, ok: false, why: err.message.split('\n')[0], errors };
  } finally {
    await context.close().catch(() => {});
  }
}

// ---------------------------------------------------------------- aggregating and printing

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const maxOf = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return s.length ? Math.max(...s) : null;
};

function summarise(runs) {
  const good = runs.filter((r) => !r.failed);
  const worst = good.filter((r) => r.maxTaskCpu != null).sort((a, b) => b.maxTaskCpu - a.maxTaskCpu)[0];
  return {
    runs: runs.length,
    measured: good.length,
    ok: runs.length > 0 && runs.every((r) => r.ok),
    why: [...new Set(runs.filter((r) => !r.ok).map((r) => r.why))].filter(Boolean),
    errors: [...new Set(runs.flatMap((r) => r.errors ?? []))],
    cpu: median(good.map((r) => r.cpu)),
    ttlw: median(good.map((r) => r.ttlw)),
    layouts: median(good.map((r) => r.layouts)),
    heapMB: median(good.map((r) => r.heapMB)),
    // the worst task of all runs (a budget about the worst case)
    maxTask: maxOf(good.map((r) => r.maxTask)),
    maxTaskCpu: worst?.maxTaskCpu ?? null,
    maxTaskAt: worst?.maxTaskAt ?? null,
    window: worst?.window ?? null,
    longtaskObserved: maxOf(good.map((r) => r.longtaskObserved)),
  };
}

const fmt = (v, digits = 0) => (v == null ? '–' : v.toFixed(digits));

function table(results, opts) {
  const head = [
    'case', 'runs',
    'CPU ms base', 'CPU ms chat', 'CPU chat/base',
    'last word ms base', 'last word ms chat',
    ...(opts.trace ? ['longest task ms base wall/cpu', 'longest task ms chat wall/cpu'] : ['longest task ms base', 'longest task ms chat']),
    'layouts base', 'layouts chat',
    'heap MB base', 'heap MB chat',
    'ok base/chat',
  ];
  const rows = results.map(({ chunks, pace, base, chat }) => {
    const kb = (makeAnswer(chunks).answer.length / 1024).toFixed(0);
    const task = (s) => (opts.trace ? (s.maxTask == null ? '–' : `${fmt(s.maxTask)}/${fmt(s.maxTaskCpu)}`) : s.longtaskObserved ? `>${LONG_TASK_MS} (${fmt(s.longtaskObserved)})` : `≤${LONG_TASK_MS}`);
    return [
      `${chunks} chunks (${kb} KB), ${pace ? `pace ${pace} ms` : 'full speed'}`,
      String(Math.max(base.runs, chat.runs)),
      fmt(base.cpu), fmt(chat.cpu),
      base.cpu && chat.cpu != null ? `${(chat.cpu / base.cpu).toFixed(2)}×` : '–',
      fmt(base.ttlw), fmt(chat.ttlw),
      task(base), task(chat),
      fmt(base.layouts), fmt(chat.layouts),
      fmt(base.heapMB, 1), fmt(chat.heapMB, 1),
      [base, chat].map((s) => (!s.runs ? '–' : s.ok ? 'yes' : 'NO')).join('/'),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), sep, ...rows.map(line)].join('\n');
}

function budgets(results) {
  const find = (chunks, pace) => results.find((r) => r.chunks === chunks && r.pace === pace);
  const out = [];
  const c2000 = find(2000, 0);
  if (c2000?.chat.cpu != null && c2000.base.cpu) {
    const ratio = c2000.chat.cpu / c2000.base.cpu;
    out.push({ name: '2000 chunks at full speed: dify-chat CPU ≤ 1.5× baseline', pass: ratio <= 1.5, value: `${ratio.toFixed(2)}× (${fmt(c2000.chat.cpu)} vs ${fmt(c2000.base.cpu)} ms)` });
  } else out.push({ name: '2000 chunks at full speed: dify-chat CPU ≤ 1.5× baseline', pass: null, value: 'not measured' });
  const c8000 = find(8000, 0);
  if (c8000?.chat.cpu != null && c2000?.chat.cpu) {
    const ratio = c8000.chat.cpu / c2000.chat.cpu;
    out.push({ name: '8000-chunk cost ≤ 4.5× 2000-chunk cost (dify-chat, full speed)', pass: ratio <= 4.5, value: `${ratio.toFixed(2)}× (${fmt(c8000.chat.cpu)} vs ${fmt(c2000.chat.cpu)} ms)` });
  } else out.push({ name: '8000-chunk cost ≤ 4.5× 2000-chunk cost (dify-chat, full speed)', pass: null, value: 'not measured' });
  const paced = results.filter((r) => r.pace > 0 && r.chat.measured);
  // judged on the task's thread CPU time (trace): on a shared 2-core machine a task's wall time also
  // counts the time it waited for a core. Without a trace: the page's longtask entries (wall time).
  const cost = (c) => c.maxTaskCpu ?? c.longtaskObserved;
  const worst = paced.map((r) => cost(r.chat)).filter((v) => v != null);
  if (worst.length) {
    const max = Math.max(...worst);
    const where = paced.find((r) => cost(r.chat) === max);
    const c = where.chat;
    const detail = c.maxTaskCpu != null
      ? `longest ${fmt(max)} ms cpu (${fmt(c.maxTaskAt)} ms into a ${fmt(c.window)} ms stream; ${where.chunks} chunks, pace ${where.pace}); longest by wall time ${fmt(c.maxTask)} ms`
      : `longest ${fmt(max)} ms (${where.chunks} chunks, pace ${where.pace})`;
    out.push({ name: `no task over ${LONG_TASK_MS} ms when paced (dify-chat)`, pass: max <= LONG_TASK_MS, value: detail });
  } else out.push({ name: `no task over ${LONG_TASK_MS} ms when paced (dify-chat)`, pass: null, value: 'not measured' });
  // SPEC §11 also asks that a paced answer's cost stays linear (no re-parse of the whole answer per frame)
  const pacedSizes = results.filter((r) => r.pace > 0 && r.chat.cpu != null).sort((a, b) => a.chunks - b.chunks);
  if (pacedSizes.length >= 2) {
    const [small, big] = [pacedSizes[0], pacedSizes.at(-1)];
    if (small.pace === big.pace && big.chunks > small.chunks) {
      const k = big.chunks / small.chunks;
      const ratio = big.chat.cpu / small.chat.cpu;
      out.push({ name: `paced cost stays linear: ${big.chunks} ≤ ${(k * 1.125).toFixed(1)}× ${small.chunks} chunks (dify-chat, pace ${big.pace})`, pass: ratio <= k * 1.125, value: `${ratio.toFixed(2)}× (${fmt(big.chat.cpu)} vs ${fmt(small.chat.cpu)} ms)`, info: true });
    }
  }
  return out;
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const cases = planCases(opts);
  const notes = [];
  const buildNote = ensureBundle(opts);
  if (buildNote) notes.push(buildNote);
  const variants = existsSync(BUNDLE) ? [...VARIANTS] : VARIANTS.filter((v) => v.id === 'baseline');
  if (variants.length < VARIANTS.length) notes.push('dist/dify-chat.js missing: dify-chat not measured');

  const server = await startServer();
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    protocolTimeout: 30 * 60 * 1000,
  });
  const version = await browser.version();
  for (const p of await browser.pages()) await p.close().catch(() => {}); // only our page renders
  const started = Date.now();
  const total = cases.reduce((s, c) => s + c.runs * variants.length, 0);
  const eta = cases.reduce((s, c) => s + c.runs * variants.length * (c.chunks * c.pace + 800), 0);
  console.error(`bench: ${version}, ${cpus().length} cpus, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${total} page runs, ~${Math.round(eta / 1000)} s`);

  const results = [];
  try {
    // warm-up (discarded): the first page of a browser pays for process start-up and compiling.
    // A variant that cannot even run this (element broken, page error) is left out of the cases.
    for (const v of [...variants]) {
      const w = await measure(browser, server.origin, v, { chunks: 200, pace: 0 }, { ...opts, trace: false });
      if (w.failed) {
        variants.splice(variants.indexOf(v), 1);
        notes.push(`${v.id} left out: the warm-up run failed: ${w.why}${w.errors.length ? ` (${w.errors.slice(0, 3).join('; ')})` : ''}`);
        console.error(`bench: ${v.id} left out: warm-up failed: ${w.why}`);
      }
    }
    if (!variants.length) throw new Error(`no variant works: ${notes.join('; ')}`);
    for (const c of cases) {
      const runs = Object.fromEntries(variants.map((v) => [v.id, []]));
      if (!opts.verbose) process.stderr.write(`  ${c.chunks} chunks, pace ${c.pace}: `);
      for (let i = 0; i < c.runs; i++) {
        // alternate which variant goes first, so drift in machine load hits both alike
        const order = i % 2 ? [...variants].reverse() : variants;
        for (const v of order) {
          const r = await measure(browser, server.origin, v, c, opts);
          runs[v.id].push(r);
          const label = `${c.chunks}×${c.pace}ms ${v.id.padEnd(9)} run ${i + 1}/${c.runs}`;
          if (r.failed) console.error(`  ${label}: FAILED ${r.why}`);
          else if (opts.verbose || !r.ok) {
            console.error(`  ${label}: cpu ${fmt(r.cpu)} ms, last word ${fmt(r.ttlw)} ms, longest task ${fmt(r.maxTask)} ms wall, ${fmt(r.maxTaskCpu)} ms cpu at ${fmt(r.maxTaskAt)}/${fmt(r.window)} ms, layouts ${r.layouts}, heap ${fmt(r.heapMB, 1)} MB${r.ok ? '' : `, NOT OK: ${r.why}`}`);
          } else process.stderr.write('.');
        }
      }
      if (!opts.verbose) process.stderr.write('\n');
      results.push({
        chunks: c.chunks,
        pace: c.pace,
        base: summarise(runs.baseline ?? []),
        chat: summarise(runs['dify-chat'] ?? []),
        runs,
      });
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
  if (!results.some((r) => r.base.measured || r.chat.measured)) throw new Error('no run could be measured');

  const checks = budgets(results);
  const when = new Date().toISOString();
  const out = [];
  out.push(`<dify-chat> streaming benchmark, ${when}`);
  out.push(`${version}, node ${process.version}, ${cpus().length} cpus, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${Math.round((Date.now() - started) / 1000)} s`);
  out.push('');
  out.push(table(results, opts));
  out.push('');
  out.push('CPU = main-thread CPU time of the page\'s renderer from send to answer on screen (CDP Performance.getMetrics TaskDuration delta, threadTicks), median of runs.');
  out.push('last word = wall ms from send() / fetch() to the first frame after the full answer is in the DOM, median.');
  out.push(opts.trace
    ? 'longest task = longest main-thread task of the renderer in that window (trace "ThreadControllerImpl::RunTask"), by wall ms / by thread CPU ms, worst run; the budget uses CPU ms.'
    : `longest task = PerformanceObserver "longtask" entries only (≤${LONG_TASK_MS} when none), max over runs.`);
  out.push('layouts = LayoutCount delta, median; heap = JSHeapUsedSize after a forced GC, median. ok = final DOM/transcript match the answer (every run).');
  out.push('');
  out.push('Budgets (SPEC §11):');
  for (const b of checks) out.push(`  ${b.pass == null ? 'SKIP' : b.pass ? 'PASS' : 'FAIL'}  ${b.name}: ${b.value}${b.info ? '  (informational)' : ''}`);
  const problems = [];
  for (const r of results) {
    for (const [name, s] of [['baseline', r.base], ['dify-chat', r.chat]]) {
      if (!s.ok && s.runs) problems.push(`  ${r.chunks}×${r.pace}ms ${name}: ${s.why.join(' | ') || 'not ok'}`);
      for (const e of s.errors.slice(0, 3)) problems.push(`  ${r.chunks}×${r.pace}ms ${name}: ${e}`);
    }
  }
  if (problems.length || notes.length) {
    out.push('');
    out.push('Notes:');
    for (const n of notes) out.push(`  ${n}`);
    out.push(...problems);
  }
  const text = out.join('\n');
  console.log(text);

  mkdirSync(join(HERE, 'results'), { recursive: true });
  writeFileSync(join(HERE, 'results', 'latest.md'), `${text}\n`);
  if (opts.json) {
    const json = {
      date: when,
      browser: version,
      node: process.version,
      cpus: cpus().length,
      loadavg: loadavg(),
      options: opts,
      notes,
      budgets: checks,
      cases: results.map(({ chunks, pace, base, chat, runs }) => ({
        chunks,
        pace,
        answerChars: makeAnswer(chunks).answer.length,
        answerWords: wordsOf(makeAnswer(chunks).answer).length,
        baseline: { ...base, samples: runs.baseline },
        difyChat: { ...chat, samples: runs["dify-chat"] },
      })),
    };
    writeFileSync(resolve(opts.json), `${JSON.stringify(json, null, 2)}\n`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench: harness failed: ${err.stack ?? err}`);
    process.exit(1);
  },
);
