// Wire: one response being streamed, with abortable sleeps (client gone, or Stop called); runScript
// plays a script (what the bot says) onto a wire; blockingAnswer collects it into one JSON body.
import { SSE_PING, awkwardSplit, encodeUtf8, usageFor } from '../../test/fixtures/dify-streams.js';
import { cutConnection, difyError, sendJson } from './http.mjs';
import { tokens, workflowFinishedData } from './scripts.mjs';

export const STALL_LIMIT_MS = 5 * 60 * 1000;
const SPLIT_MODES = ['utf8', 'json', 'prefix', 'terminator'];

export class Wire {
  constructor(res, { framing, delay }) {
    this.res = res;
    this.framing = framing; // 'sse' | 'bare' | 'openai' | 'collect'
    this.delay = delay;
    this.closed = false;
    this.stopped = false;
    this.count = 0;
    this.pending = null;
    this.forceSplit = null;
    this.wakers = new Set();
    this.collected = [];
    if (res) {
      res.on('close', () => {
        this.closed = true;
        this.wake();
      });
    }
  }

  get done() {
    return this.closed || this.stopped;
  }

  wake() {
    for (const w of [...this.wakers]) w();
    this.wakers.clear();
  }

  stop() {
    this.stopped = true;
    this.wake();
  }

  /** Sleep `ms`, waking early when the client goes away or Stop is called. */
  sleep(ms) {
    if (this.done || !this.res) return Promise.resolve();
    if (ms <= 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakers.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakers.add(finish);
    });
  }

  async write(bytes) {
    if (this.closed || !this.res) return;
    if (!this.res.write(bytes)) {
      await new Promise((resolve) => {
        const finish = () => {
          this.res.off('drain', finish);
          this.wakers.delete(finish);
          resolve();
        };
        this.res.once('drain', finish);
        this.wakers.add(finish);
      });
    }
  }

  /**
   * Write one serialised frame. Every third frame is cut in two writes at an awkward place (inside
   * the JSON, a UTF-8 character, `data:` or the blank line); every seventh is held back and goes out in
   * the same write as the next one (several events per read).
   */
  async frame(text, { split = true } = {}) {
    if (this.closed) return;
    let bytes = encodeUtf8(text);
    const n = this.count++;
    if (this.pending) {
      const merged = new Uint8Array(this.pending.length + bytes.length);
      merged.set(this.pending);
      merged.set(bytes, this.pending.length);
      bytes = merged;
      this.pending = null;
    } else if (split && !this.forceSplit && n % 7 === 5) {
      this.pending = bytes;
      return;
    }
    const mode = this.forceSplit ?? (split && n % 3 === 1 ? SPLIT_MODES[Math.floor(n / 3) % SPLIT_MODES.length] : null);
    if (!mode) return this.write(bytes);
    const [head, tail] = awkwardSplit(bytes, mode);
    await this.write(head);
    if (!tail) return;
    await this.sleep(this.delay > 0 ? Math.min(this.delay, 15) : 1);
    await this.write(tail);
  }

  async flush() {
    if (this.pending) {
      const bytes = this.pending;
      this.pending = null;
      await this.write(bytes);
    }
  }

  async end() {
    await this.flush();
    if (!this.closed && this.res && !this.res.writableEnded) this.res.end();
  }
}

/**
 * Run a script (an async generator of steps) onto a wire.
 * Steps: {event} (a Dify event; `wait` overrides the pause after it), {ping}, {pause}, {drop}, {stall}.
 */
export async function runScript(wire, script, sc, serialise) {
  const started = Date.now();
  const steps = script.run(sc);
  let sent = 0;
  let answerChars = 0;
  try {
    if (wire.framing === 'sse' && !script.noPing) await wire.frame(SSE_PING, { split: false });
    for await (const step of steps) {
      if (wire.closed) return;
      if (wire.stopped) break;
      if (step.ping) {
        if (wire.framing === 'sse') await wire.frame(SSE_PING, { split: false });
        else if (wire.framing === 'openai') await wire.frame(': ping\n\n', { split: false });
        continue;
      }
      if (step.pause) {
        await wire.sleep(step.pause);
        continue;
      }
      if (step.drop) {
        await wire.flush();
        await cutConnection(wire.res);
        return;
      }
      if (step.stall) {
        await wire.flush();
        await wire.sleep(STALL_LIMIT_MS);
        if (wire.closed) return;
        if (wire.stopped) break;
        await wire.end(); // 5 minutes of silence: give up without a closing event
        return;
      }
      if (step.event) {
        // a keep-alive now and then (before an event, so never after the closing one)
        if (wire.framing === 'sse' && sent > 0 && sent % 15 === 0) await wire.frame(SSE_PING, { split: false });
        const text = serialise(step.event);
        if (text) await wire.frame(text, { split: step.split !== false });
        if (typeof step.event.answer === 'string') answerChars += step.event.answer.length;
        sent++;
        const wait = step.wait ?? sc.delay;
        if (wait >= 0) await wire.sleep(wait);
      }
    }
    if (wire.stopped && !wire.closed) {
      // Dify after a stop: (Chatflow: workflow_finished "stopped") then message_end with the partial answer
      const { turn } = sc;
      if (script.mode === 'advanced-chat') {
        const text = serialise(turn.workflow('workflow_finished', workflowFinishedData(sc, 'stopped', started, { error: 'Workflow execution stopped by user.' })));
        if (text) await wire.frame(text, { split: false });
      }
      const text = serialise(turn.messageEnd({ usage: usageFor(tokens(sc.query), Math.ceil(answerChars / 4), (Date.now() - started) / 1000) }));
      if (text) await wire.frame(text, { split: false });
    }
    await wire.end();
  } finally {
    await steps.return?.();
  }
}

export async function blockingAnswer(ctx, state, script, sc) {
  const started = Date.now();
  const wire = new Wire(ctx.res, { framing: 'collect', delay: 0 });
  let answer = '';
  let replaced = false;
  let sawAgentMessage = false;
  let end = null;
  for await (const step of script.run({ ...sc, delay: 0 })) {
    if (wire.closed) return;
    if (step.drop) {
      await cutConnection(ctx.res);
      return;
    }
    if (step.stall) {
      await wire.sleep(STALL_LIMIT_MS);
      if (!wire.closed) sendJson(ctx, 504, difyError(504, 'Gateway Time-out'));
      return;
    }
    const e = step.event;
    if (!e) continue;
    if (e.event === 'error') return sendJson(ctx, e.status ?? 400, { code: e.code, message: e.message, status: e.status ?? 400 });
    if (e.event === 'message_replace') {
      answer = e.answer;
      replaced = true;
    } else if (e.event === 'message' && sawAgentMessage) answer = e.answer;
    else if (e.event === 'agent_message') {
      sawAgentMessage = true;
      if (!replaced) answer += e.answer;
    } else if (typeof e.answer === 'string' && !replaced) answer += e.answer;
    if (e.event === 'message_end') end = e;
  }
  const t = sc.turn.ids;
  return sendJson(ctx, 200, {
    event: 'message',
    task_id: t.taskId,
    id: t.messageId,
    message_id: t.messageId,
    conversation_id: t.conversationId,
    mode: script.mode ?? 'chat',
    answer,
    metadata: end?.metadata ?? { usage: usageFor(tokens(sc.query), tokens(answer), (Date.now() - started) / 1000), retriever_resources: [] },
    created_at: t.createdAt,
  });
}

