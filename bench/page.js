// What the bench pages (chat.html, baseline.html, floor.html) share: the query, the long tasks the page saw, a
// rendered frame, and (for the two pages without the widget) reading the raw Dify events.

export const query = new URLSearchParams(location.search);

const longtasks = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
} catch {}

/** The page's long tasks ({start, duration}, ms) that started from `t0` to `t1` (performance.now() times). */
export const longtasksBetween = (t0, t1) => longtasks.filter((e) => e.start >= t0 - 1 && e.start <= t1);

/** Resolves after the next frame has been rendered. */
export const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

/**
 * POSTs the chat request to `/bench/raw` (the page's `chunks`, `pace`, `single`) and reads the answer plainly:
 * split the text on "\n\n", `JSON.parse`, `onAnswer(text)` for each `message` event, `onRead()` after each
 * network read. Resolves with the status: 'done' after `message_end`, else null.
 */
export async function readRawAnswer(onAnswer, onRead = () => {}) {
  const res = await fetch(`/bench/raw?chunks=${query.get('chunks') ?? '500'}&pace=${query.get('pace') ?? '0'}${query.get('single') === '1' ? '&single=1' : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: 'go', inputs: {}, conversation_id: '', user: 'bench', response_mode: 'streaming' }),
  });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let status = null;
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    const blocks = buf.split('\n\n');
    buf = blocks.pop();
    for (const block of blocks) {
      if (!block.startsWith('data: ')) continue;
      const ev = JSON.parse(block.slice(6));
      if (ev.event === 'message') onAnswer(ev.answer);
      else if (ev.event === 'message_end') status = 'done';
    }
    onRead();
  }
  return status;
}
