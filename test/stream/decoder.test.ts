import { expect } from '@open-wc/testing';
import { StreamDecoder, type Framing, type StreamItem } from '../../src/stream/decoder.js';
import {
  DIFY_A_CHATBOT_OLD,
  DIFY_B_AGENT,
  DIFY_BLOCKING_BODY,
  DIFY_C_CHATFLOW,
  DIFY_D1_ERROR_MID_STREAM,
  DIFY_D2_WORKFLOW_FAILED,
  DIFY_D3_NOT_FOUND_BODY,
  DIFY_E_MESSAGE_REPLACE,
  DIFY_F_PLUGIN_BLOCKS,
  DIFY_UTF8_EMOJI,
  OPENAI_BLOCKING_BODY,
  OPENAI_CHUNKS,
} from '../fixtures/streams.js';

const encoder = new TextEncoder();

interface Decoded {
  items: StreamItem[];
  framing: Framing | undefined;
}

/** Feed the pieces in order, then end(). Adjacent text items of a text body are merged, because how a
 *  plain-text body is cut into items depends on the network chunks; every other item is discrete. */
function decode(pieces: (Uint8Array | string)[]): Decoded {
  const decoder = new StreamDecoder();
  const items: StreamItem[] = [];
  for (const piece of pieces) for (const item of decoder.push(piece)) items.push(item);
  for (const item of decoder.end()) items.push(item);
  const framing = decoder.framing;
  if (framing != 'text') return { items, framing };
  const text = items.map((i) => (i.type == 'text' ? i.text : '')).join('');
  expect(items.every((i) => i.type == 'text'), 'a text body yields only text items').to.equal(true);
  return { items: text ? [{ type: 'text', text }] : [], framing };
}

/** mulberry32: a small seeded PRNG, so random splits are reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cutAt<T extends Uint8Array | string>(whole: T, cuts: number[]): T[] {
  const pieces: T[] = [];
  let from = 0;
  for (const cut of [...cuts, whole.length]) {
    pieces.push(whole.slice(from, cut) as T);
    from = cut;
  }
  return pieces;
}

function same(actual: Decoded, expected: Decoded, how: string): void {
  // JSON.stringify is much faster than a deep-equal for thousands of runs; fall back for a readable diff
  if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual, how).to.deep.equal(expected);
}

/**
 * Decode `body` whole, then split at every byte boundary, 1 byte at a time, in seeded random multi-way
 * splits (empty pieces included), and as strings cut at every UTF-16 index; every result must be identical.
 * Returns the whole-body result.
 */
function decodeEverySplit(body: string | Uint8Array): Decoded {
  const bytes = typeof body == 'string' ? encoder.encode(body) : body;
  const whole = decode([bytes]);
  for (let i = 0; i <= bytes.length; i++) same(decode(cutAt(bytes, [i])), whole, `split at byte ${i}`);
  same(decode(cutAt(bytes, [...bytes.keys()])), whole, '1 byte at a time');
  for (let seed = 1; seed <= 12; seed++) {
    const random = rng(seed);
    const count = 1 + Math.floor(random() * 40);
    const cuts = Array.from({ length: count }, () => Math.floor(random() * (bytes.length + 1))).sort((a, b) => a - b);
    same(decode(cutAt(bytes, cuts)), whole, `random split, seed ${seed}`);
  }
  if (typeof body == 'string') {
    same(decode([body]), whole, 'whole string');
    for (let i = 0; i <= body.length; i++) same(decode(cutAt(body, [i])), whole, `string split at ${i}`);
  }
  return whole;
}

const json = (value: unknown, event?: string): StreamItem =>
  event === undefined ? { type: 'json', value } : { type: 'json', value, event };
const text = (t: string): StreamItem => ({ type: 'text', text: t });

/** Independent oracle for LF-only, one-line-per-event SSE fixtures: every `data: ` block, JSON-parsed. */
const sseOracle = (body: string): StreamItem[] =>
  body
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => json(JSON.parse(block.slice(6))));

/** Independent oracle for blank-line separated bare JSON blocks. */
const blocksOracle = (body: string): StreamItem[] =>
  body
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => json(JSON.parse(block)));

const answers = (items: StreamItem[]): unknown[] =>
  items.map((i) => (i.type == 'json' ? (i.value as { answer?: unknown }).answer : undefined)).filter((a) => a !== undefined);

describe('StreamDecoder', () => {
  describe('SSE (Dify Service API, OpenAI)', () => {
    it('A: older json.dumps formatting with a ping and \\u00e9 escapes', () => {
      const { items, framing } = decodeEverySplit(DIFY_A_CHATBOT_OLD);
      expect(framing).to.equal('sse');
      expect(items).to.deep.equal(sseOracle(DIFY_A_CHATBOT_OLD));
      expect(items).to.have.length(3);
      expect(answers(items)).to.deep.equal(['Café hours', ' are 8am-6pm.']);
      expect((items[2] as { value: { event: string } }).value.event).to.equal('message_end');
    });

    it('B: compact raw UTF-8 (é, —, 获取当前时间), split inside multi-byte characters', () => {
      const { items, framing } = decodeEverySplit(DIFY_B_AGENT);
      expect(framing).to.equal('sse');
      expect(items).to.deep.equal(sseOracle(DIFY_B_AGENT));
      expect(items).to.have.length(8);
      expect(answers(items)).to.deep.equal(['It is 11:00 in Paris — ', 'bonne journée !']);
      const thought = (items[1] as { value: { tool_labels: { current_time: { zh_Hans: string } } } }).value;
      expect(thought.tool_labels.current_time.zh_Hans).to.equal('获取当前时间');
    });

    it('raw UTF-8 with emoji (4-byte characters split at every byte)', () => {
      const { items } = decodeEverySplit(DIFY_UTF8_EMOJI);
      expect(items).to.deep.equal(sseOracle(DIFY_UTF8_EMOJI));
      expect(answers(items)).to.deep.equal(['Bonjour 👋 ça va ? ', '获取当前时间 🕐✨']);
    });

    for (const [name, body] of [
      ['C: chatflow', DIFY_C_CHATFLOW],
      ['D(1): error event mid-stream', DIFY_D1_ERROR_MID_STREAM],
      ['D(2): failed workflow', DIFY_D2_WORKFLOW_FAILED],
      ['E: message_replace', DIFY_E_MESSAGE_REPLACE],
    ] as const) {
      it(`${name}: every event, in order`, () => {
        const { items, framing } = decodeEverySplit(body);
        expect(framing).to.equal('sse');
        expect(items).to.deep.equal(sseOracle(body));
        expect(items.length).to.be.greaterThan(1);
      });
    }

    it('CRLF line endings give the same items as LF', () => {
      const crlf = decodeEverySplit(DIFY_A_CHATBOT_OLD.replace(/\n/g, '\r\n'));
      expect(crlf).to.deep.equal(decode([DIFY_A_CHATBOT_OLD]));
    });

    it('CR-only line endings give the same items as LF', () => {
      const cr = decodeEverySplit(DIFY_A_CHATBOT_OLD.replace(/\n/g, '\r'));
      expect(cr).to.deep.equal(decode([DIFY_A_CHATBOT_OLD]));
    });

    it('drops `:` comments and `event: ping` frames (a body may start with a comment)', () => {
      const body = ': keep-alive\n\nevent: ping\n\ndata: {"a":1}\n\n:another comment\nevent: ping\n\nevent: ping\r\n\r\n';
      expect(decodeEverySplit(body)).to.deep.equal({ items: [json({ a: 1 })], framing: 'sse' });
    });

    it('joins multi-line `data:` (JSON spread over lines, and text lines)', () => {
      const body =
        'data: {"event":"message",\ndata: "answer":"two\\nlines"}\n\n';
      expect(decodeEverySplit(body).items).to.deep.equal([json({ event: 'message', answer: 'two\nlines' })]);
      expect(decodeEverySplit('data: first line\ndata: second line\n\n').items).to.deep.equal([text('first line\nsecond line')]);
    });

    it('data that is not a JSON object or array is text (one leading space stripped)', () => {
      const body = 'data: Hello\n\ndata:  world\n\ndata: 42\n\ndata: null\n\ndata: "quoted"\n\ndata: [1,2]\n\n';
      expect(decodeEverySplit(body)).to.deep.equal({
        items: [text('Hello'), text(' world'), text('42'), text('null'), text('"quoted"'), json([1, 2])],
        framing: 'sse',
      });
    });

    it('a garbled JSON frame is invalid, never text (`{{{`, a raw NUL in a string, text in a JSON stream)', () => {
      // without the fix these came out as text and were shown in the answer
      expect(decodeEverySplit('data: {{{\n\n').items).to.deep.equal([{ type: 'invalid', raw: '{{{' }]);
      expect(decodeEverySplit('data: {not json}\n\n').items).to.deep.equal([{ type: 'invalid', raw: '{not json}' }]);
      const nul = 'data: {"event":"message","answer":"a\u0000b"}\n\n';
      expect(decodeEverySplit(nul).items).to.deep.equal([{ type: 'invalid', raw: '{"event":"message","answer":"a\u0000b"}' }]);
      const mixed = 'data: {"a":1}\n\ndata: plain\n\n';
      expect(decodeEverySplit(mixed).items).to.deep.equal([json({ a: 1 }), { type: 'invalid', raw: 'plain' }]);
    });

    it('keeps the SSE `event:` name unless it is "message"', () => {
      const body =
        'event: message\ndata: {"a":1}\n\nevent: error\ndata: {"message":"boom"}\n\nevent: delta\ndata: [3]\n\ndata: {"b":2}\n\n';
      expect(decodeEverySplit(body).items).to.deep.equal([
        json({ a: 1 }),
        json({ message: 'boom' }, 'error'),
        json([3], 'delta'),
        json({ b: 2 }),
      ]);
      // no `event` key at all (not `event: undefined`) when there is no name to report
      expect(decode([body]).items[0]).to.not.have.property('event');
    });

    it('OpenAI chunks end with `data: [DONE]`', () => {
      const { items, framing } = decodeEverySplit(OPENAI_CHUNKS);
      expect(framing).to.equal('sse');
      expect(items.map((i) => i.type)).to.deep.equal(['json', 'json', 'json', 'json', 'done']);
      const deltas = items
        .slice(0, 4)
        .map((i) => (i as { value: { choices: { delta: { content?: string } }[] } }).value.choices[0].delta.content ?? '');
      expect(deltas.join('')).to.equal('Hello wörld 👋');
    });

    it('detects SSE from `id:` and `retry:` lines', () => {
      expect(decodeEverySplit('retry: 3000\nid: 7\ndata: {"a":1}\n\n')).to.deep.equal({
        items: [json({ a: 1 })],
        framing: 'sse',
      });
      expect(decodeEverySplit('id: 1\ndata: x\n\n')).to.deep.equal({ items: [text('x')], framing: 'sse' });
    });

    it('flushes a trailing event without the final blank line', () => {
      for (const end of ['', '\n', '\r\n', '\r']) {
        const body = `data: {"answer":"a"}\n\ndata: {"answer":"b"}${end}`;
        expect(decodeEverySplit(body).items, JSON.stringify(end)).to.deep.equal([
          json({ answer: 'a' }),
          json({ answer: 'b' }),
        ]);
      }
      expect(decodeEverySplit('data: [DONE]').items).to.deep.equal([{ type: 'done' }]);
    });

    it('ignores whitespace before the first field, even spaces on its line', () => {
      expect(decodeEverySplit('\r\n\n  data: {"a":1}\n\n')).to.deep.equal({ items: [json({ a: 1 })], framing: 'sse' });
      expect(decodeEverySplit('\n\t: hi\n\ndata: x\n\n')).to.deep.equal({ items: [text('x')], framing: 'sse' });
    });

    it('strips a leading UTF-8 BOM', () => {
      const body = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('data: {"a":"é"}\n\n')]);
      expect(decodeEverySplit(body)).to.deep.equal({ items: [json({ a: 'é' })], framing: 'sse' });
      expect(decode(['\uFEFFdata: {"a":1}\n\n'])).to.deep.equal({ items: [json({ a: 1 })], framing: 'sse' });
    });
  });

  describe('bare JSON (plugin endpoint, NDJSON, blocking)', () => {
    it('F: plugin blocks separated by \\n\\n', () => {
      const { items, framing } = decodeEverySplit(DIFY_F_PLUGIN_BLOCKS);
      expect(framing).to.equal('json');
      expect(items).to.deep.equal(blocksOracle(DIFY_F_PLUGIN_BLOCKS));
      expect(answers(items)).to.deep.equal(["Hi! I'm Candy ✨"]);
      expect(items).to.have.length(2);
    });

    it('blocks separated by \\r\\n\\r\\n', () => {
      const body = DIFY_F_PLUGIN_BLOCKS.replace(/\n/g, '\r\n');
      expect(decodeEverySplit(body)).to.deep.equal({ items: blocksOracle(DIFY_F_PLUGIN_BLOCKS), framing: 'json' });
    });

    it('NDJSON, last line without a newline', () => {
      const values = [{ event: 'message', answer: 'Hé' }, { event: 'message', answer: ' 👋' }, { event: 'message_end' }];
      const body = values.map((v) => JSON.stringify(v)).join('\n');
      expect(decodeEverySplit(body)).to.deep.equal({ items: values.map((v) => json(v)), framing: 'json' });
    });

    it('objects with no separator at all, and leading whitespace', () => {
      expect(decodeEverySplit('\r\n  {"a":1}{"b":{"c":[{}]}}\t{"d":2}')).to.deep.equal({
        items: [json({ a: 1 }), json({ b: { c: [{}] } }), json({ d: 2 })],
        framing: 'json',
      });
    });

    it('one blocking JSON body (pretty-printed, escapes, braces and \\n\\n inside the answer)', () => {
      const { items, framing } = decodeEverySplit(DIFY_BLOCKING_BODY);
      expect(framing).to.equal('json');
      expect(items).to.deep.equal([json(JSON.parse(DIFY_BLOCKING_BODY))]);
      expect(answers(items)).to.deep.equal(['Café hours are {8am}-{6pm}.\n\nSee "hours.md" \\ FAQ']);
    });

    it('OpenAI blocking body and the Dify 404 error body', () => {
      expect(decodeEverySplit(OPENAI_BLOCKING_BODY).items).to.deep.equal([json(JSON.parse(OPENAI_BLOCKING_BODY))]);
      expect(decodeEverySplit(DIFY_D3_NOT_FOUND_BODY).items).to.deep.equal([
        json({ code: 'not_found', message: 'Conversation Not Exists.', status: 404 }),
      ]);
    });

    it('strings with braces, quotes, escaped backslashes and \\n\\n do not confuse the splitter', () => {
      const values = [
        { t: '{' },
        { t: '}' },
        { t: '}}}{{' },
        { t: 'say "hi" {ok}' },
        { t: 'ends with a backslash \\' }, // wire: "...\\" — an escaped backslash right before the closing quote
        { t: '\\"}' },
        { t: 'a\n\nb' },
        { t: '}\n\n{"x":1}' },
        { '}': '{', n: { m: [{}, { '"': '\\' }] } },
        { t: '\u2028 é 👋 \\u0041' },
      ];
      const body = values.map((v) => JSON.stringify(v)).join('\n\n') + '\n\n';
      expect(decodeEverySplit(body)).to.deep.equal({ items: values.map((v) => json(v)), framing: 'json' });
    });

    it('a balanced block that does not parse is `invalid`; the next ones still decode', () => {
      const body = '{"a":1}\n\n{"b": oops}\n\n{"c":3}\n\n{\'d\': 4}\n\n{"e":5}';
      expect(decodeEverySplit(body).items).to.deep.equal([
        json({ a: 1 }),
        { type: 'invalid', raw: '{"b": oops}' },
        json({ c: 3 }),
        { type: 'invalid', raw: "{'d': 4}" },
        json({ e: 5 }),
      ]);
    });

    it('skips junk between objects (no text items)', () => {
      expect(decodeEverySplit('{"a":1}\n garbage ] } \n{"b":2} trailing').items).to.deep.equal([
        json({ a: 1 }),
        json({ b: 2 }),
      ]);
    });

    it('an object cut off by the end of the body is `invalid`', () => {
      expect(decodeEverySplit('{"answer":"ok"}\n\n{"answer":"cut {').items).to.deep.equal([
        json({ answer: 'ok' }),
        { type: 'invalid', raw: '{"answer":"cut {' },
      ]);
    });
  });

  describe('text/plain', () => {
    for (const body of [
      'Hello, wörld 👋\nSecond line — 获取当前时间',
      '  \n\tHello after whitespace',
      'database is down',
      'da',
      'data',
      'data\nnot sse',
      'event is cancelled',
      '<!doctype html><title>502 Bad Gateway</title>',
      '[1, 2, 3]',
      'Internal Server Error',
    ]) {
      it(`is the raw text: ${JSON.stringify(body)}`, () => {
        expect(decodeEverySplit(body)).to.deep.equal({ items: [text(body)], framing: 'text' });
      });
    }

    it('is streamed as it arrives, never held until the end', () => {
      const decoder = new StreamDecoder();
      expect(decoder.push('  Hel')).to.deep.equal([text('  Hel')]);
      expect(decoder.framing).to.equal('text');
      expect(decoder.push(encoder.encode('lo ').slice())).to.deep.equal([text('lo ')]);
      const wave = encoder.encode('👋');
      expect(decoder.push(wave.slice(0, 2))).to.deep.equal([]);
      expect(decoder.push(wave.slice(2))).to.deep.equal([text('👋')]);
      expect(decoder.end()).to.deep.equal([]);
    });
  });

  describe('detection and timing', () => {
    it('framing stays undefined while the start is a prefix of an SSE keyword or whitespace', () => {
      const decoder = new StreamDecoder();
      expect(decoder.push('\n \r\n')).to.deep.equal([]);
      expect(decoder.framing).to.equal(undefined);
      expect(decoder.push('da')).to.deep.equal([]);
      expect(decoder.framing).to.equal(undefined);
      expect(decoder.push('ta: {"a":1}\n\n')).to.deep.equal([json({ a: 1 })]);
      expect(decoder.framing).to.equal('sse');
    });

    it('returns each SSE event as soon as its blank line arrives', () => {
      const decoder = new StreamDecoder();
      expect(decoder.push('data: {"a":1}\n')).to.deep.equal([]);
      expect(decoder.push('\ndata: {"b"')).to.deep.equal([json({ a: 1 })]);
      expect(decoder.push(':2}\n\n')).to.deep.equal([json({ b: 2 })]);
      expect(decoder.end()).to.deep.equal([]);
    });

    it('returns each JSON object as soon as its closing brace arrives', () => {
      const decoder = new StreamDecoder();
      expect(decoder.push('{"a":')).to.deep.equal([]);
      expect(decoder.framing).to.equal('json');
      expect(decoder.push('1}')).to.deep.equal([json({ a: 1 })]);
      expect(decoder.push('\n{"b":2}\n{')).to.deep.equal([json({ b: 2 })]);
      expect(decoder.push('"c":3}')).to.deep.equal([json({ c: 3 })]);
      expect(decoder.end()).to.deep.equal([]);
    });

    it('an empty or whitespace-only body yields nothing', () => {
      expect(decodeEverySplit('')).to.deep.equal({ items: [], framing: 'text' });
      expect(decodeEverySplit(' \r\n\n\t')).to.deep.equal({ items: [], framing: 'text' });
      const decoder = new StreamDecoder();
      expect(decoder.end()).to.deep.equal([]);
    });
  });

  describe('large bodies in 7-byte chunks (linear, not quadratic)', () => {
    const MB = 1 << 20;
    const inChunks = (body: string, size = 7): Uint8Array[] => {
      const bytes = encoder.encode(body);
      const pieces: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
      return pieces;
    };

    it('1 MB of NDJSON', () => {
      const lines: string[] = [];
      let size = 0;
      for (let i = 0; size < MB; i++) {
        const line = JSON.stringify({ i, event: 'message', answer: `chunk ${i} {é} "👋" \\` });
        lines.push(line);
        size += line.length + 1;
      }
      const { items, framing } = decode(inChunks(lines.join('\n') + '\n'));
      expect(framing).to.equal('json');
      expect(items).to.have.length(lines.length);
      expect(items.every((item, i) => item.type == 'json' && (item.value as { i: number }).i === i)).to.equal(true);
    });

    it('one 1 MB JSON object', () => {
      const answer = 'lorem {ipsum} "dolor" 获取 👋 \\ '.repeat(MB / 32);
      const { items } = decode(inChunks(JSON.stringify({ answer })));
      expect(items).to.deep.equal([json({ answer })]);
    });

    it('1 MB of SSE', () => {
      const events: string[] = [];
      for (let i = 0; events.length * 60 < MB; i++) events.push(`data: ${JSON.stringify({ i, answer: `tok ${i} é` })}\n\n`);
      const { items } = decode(inChunks(events.join('')));
      expect(items).to.have.length(events.length);
      expect((items[items.length - 1] as { value: { i: number } }).value.i).to.equal(events.length - 1);
    });

    it('1 MB of text', () => {
      const body = 'The quick brown fox — 👋 jumps.\n'.repeat(MB / 32);
      expect(decode(inChunks(body))).to.deep.equal({ items: [text(body)], framing: 'text' });
    });
  });
});
