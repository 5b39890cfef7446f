// Scripts: what the bot says. Each is { mode, run(sc) → async generator of steps }; and the texts.
import { randomUUID } from 'node:crypto';
import { COMMANDS, usageFor, wordChunks } from '../../test/fixtures/dify-streams.js';
import { nowSeconds } from './http.mjs';

export function pickScript(command, query) {
  switch (command?.name) {
    case 'help':
      return textScript(() => helpText());
    case 'completed':
      return textScript(
        () =>
          'The `/completed` command answers **400 `conversation_completed`** when it is sent *inside* an existing conversation. ' +
          'This is the first message of a new conversation, so here is a normal answer instead: send `/completed` again to see the error.',
      );
    case 'midstream':
      return { mode: 'chat', run: midstreamScript };
    case 'drop':
      return { mode: 'chat', run: dropScript };
    case 'empty':
      return { mode: 'chat', noPing: true, run: emptyScript };
    case 'stall':
      return { mode: 'chat', run: stallScript };
    case 'slow':
      return textScript((sc) => defaultAnswer(sc.query), { wait: 400 });
    case 'agent':
      return { mode: 'agent-chat', run: agentScript };
    case 'newagent':
      return { mode: 'agent', run: newAgentScript };
    case 'chatflow':
      return { mode: 'advanced-chat', run: chatflowScript };
    case 'chatflow-fail':
      return { mode: 'advanced-chat', run: chatflowFailScript };
    case 'think':
      return { mode: 'chat', run: thinkScript };
    case 'replace':
      return { mode: 'chat', run: replaceScript };
    case 'filetext':
      return { mode: 'chat', run: fileTextScript };
    case 'citations':
      return textScript((sc) => defaultAnswer(sc.query), { citations: true });
    case 'long':
      return textScript(() => longAnswer(), { sizes: [8, 10, 12], fast: true });
    case 'unicode':
      return { ...textScript(() => UNICODE_TEXT), forceSplit: 'utf8' };
    default:
      return textScript((sc) => defaultAnswer(sc.query));
  }
}

export const tokens = (text) => Math.max(1, Math.ceil(String(text ?? '').length / 4));

/** Pause after each delta: `wait` (ms, /slow) or the server's delay; `fast` = a quick stream. */
function pace(sc, opts = {}) {
  if (opts.wait !== undefined) return opts.wait;
  if (opts.fast) return sc.delay > 0 ? Math.min(sc.delay, 4) : 0;
  return sc.delay;
}

export function* deltas(text, make, sizes) {
  for (const piece of wordChunks(text, sizes)) yield make(piece);
}

/** A plain Chatbot answer: message deltas, then message_end (with citations when asked). */
export function textScript(makeText, opts = {}) {
  return {
    mode: 'chat',
    async *run(sc) {
      const started = Date.now();
      const text = makeText(sc);
      const wait = pace(sc, opts);
      for (const e of deltas(text, (p) => sc.turn.message(p), opts.sizes)) yield { event: e, wait };
      yield {
        event: sc.turn.messageEnd({
          usage: usageFor(tokens(sc.query), tokens(text), (Date.now() - started) / 1000),
          retrieverResources: opts.citations ? citations(sc) : [],
        }),
      };
    },
  };
}

async function* midstreamScript(sc) {
  for (const e of deltas('Let me check our stock for you… the Sakura Sencha is ', (p) => sc.turn.message(p))) yield { event: e };
  yield { event: sc.turn.error('completion_request_error', 400, '[openai] Rate Limit Error, Error code: 429') };
}

async function* dropScript(sc) {
  for (const e of deltas('Checking the warehouse — one moment while I look that up for you', (p) => sc.turn.message(p))) yield { event: e };
  yield { drop: true };
}

async function* emptyScript() {
  yield { ping: true };
}

async function* stallScript(sc) {
  for (const e of deltas('Let me think about that for a moment', (p) => sc.turn.message(p))) yield { event: e };
  yield { stall: true };
}

async function* agentScript(sc) {
  const { turn } = sc;
  const started = Date.now();
  const slow = sc.delay * 4;
  const t1 = randomUUID();
  const t2 = randomUUID();
  const fileId = randomUUID();
  const tool = 'current_time';
  const toolLabels = { current_time: { en_US: 'Current Time', zh_Hans: '获取当前时间' } };
  const toolInput = JSON.stringify({ current_time: { timezone: 'Europe/Paris' } });
  const time = parisTime();
  const observation = JSON.stringify({ current_time: `${time.full} (Europe/Paris)` });
  yield { event: turn.agentThought({ id: t1, position: 1 }), wait: slow };
  yield { event: turn.agentThought({ id: t1, position: 1, tool, toolLabels, toolInput }), wait: slow };
  yield { event: turn.agentThought({ id: t1, position: 1, tool, toolLabels, toolInput, observation }), wait: slow };
  yield { event: turn.messageFile({ id: fileId, type: 'image', belongsTo: 'assistant', url: '/api/files/cat.svg' }) };
  yield { event: turn.agentThought({ id: t1, position: 1, tool, toolLabels, toolInput, observation, messageFiles: [fileId] }) };
  yield { event: turn.agentThought({ id: t2, position: 2 }), wait: slow };
  const answer = `I checked the clock: it is **${time.short}** in Paris right now, so our café in Lyon is ${time.open ? 'open — come by for a cup!' : 'closed; it opens at 8am.'} I also found a picture of our shop cat for you. 🐱`;
  for (const e of deltas(answer, (p) => turn.agentMessage(p))) yield { event: e };
  yield { event: turn.agentThought({ id: t2, position: 2, thought: answer }) };
  yield {
    event: turn.messageEnd({ usage: usageFor(310 + tokens(sc.query), tokens(answer), (Date.now() - started) / 1000) }),
  };
}

async function* newAgentScript(sc) {
  const { turn } = sc;
  const started = Date.now();
  const thought = randomUUID();
  const answer =
    'Here is my plan: **check the order**, then **suggest a tea**.\n\n' +
    '1. Your order ships within 2 business days.\n' +
    '2. While you wait, try the *Earl Grey Crème* — it pairs well with crème brûlée.\n';
  yield { event: turn.agentThought({ id: thought, position: 1, thought: 'Planning the answer…' }) };
  for (const e of deltas(answer, (p) => turn.agentMessage(p))) yield { event: e };
  yield { event: turn.agentThought({ id: thought, position: 1, thought: 'Answered from the order FAQ.' }) };
  yield { event: turn.message(answer) };
  yield { event: turn.messageEnd({ usage: usageFor(tokens(sc.query) + 120, tokens(answer), (Date.now() - started) / 1000) }) };
}

export function workflowStartedData(sc) {
  return {
    id: sc.turn.ids.workflowRunId,
    workflow_id: '7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345',
    inputs: { 'sys.query': sc.query, 'sys.files': [], 'sys.conversation_id': sc.conversationId, 'sys.user_id': sc.user },
    created_at: sc.turn.ids.createdAt,
  };
}

export function workflowFinishedData(sc, status, started, extra = {}) {
  return {
    id: sc.turn.ids.workflowRunId,
    workflow_id: '7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345',
    status,
    outputs: null,
    error: null,
    elapsed_time: (Date.now() - started) / 1000,
    total_tokens: 0,
    total_steps: 0,
    created_by: { id: 'e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9', user: sc.user },
    created_at: sc.turn.ids.createdAt,
    finished_at: nowSeconds(),
    exceptions_count: 0,
    files: [],
    ...extra,
  };
}

export function nodeData(sc, node, extra = {}) {
  return {
    id: node.execId,
    node_id: node.id,
    node_type: node.type,
    title: node.title,
    index: node.index,
    predecessor_node_id: node.predecessor ?? null,
    inputs: null,
    created_at: nowSeconds(),
    extras: {},
    iteration_id: null,
    loop_id: null,
    ...extra,
  };
}

export function chatflowNodes() {
  const mk = (id, type, title, index, predecessor) => ({ id, type, title, index, predecessor, execId: randomUUID() });
  return {
    start: mk('1751358999000', 'start', 'Start', 1, null),
    retrieval: mk('1751359000000', 'knowledge-retrieval', 'Knowledge Retrieval', 2, '1751358999000'),
    llm: mk('1751359000001', 'llm', 'LLM', 3, '1751359000000'),
    http: mk('1751359000002', 'http-request', 'HTTP Request', 3, '1751359000000'),
    answer: mk('answer', 'answer', 'Answer', 4, '1751359000001'),
  };
}

async function* chatflowScript(sc) {
  const { turn } = sc;
  const started = Date.now();
  const slow = sc.delay * 4;
  const nodes = chatflowNodes();
  const resources = citations(sc);
  const answer =
    'According to our **refund policy**, refunds are accepted within *30 days* of delivery, and returns ship free. ' +
    'Open teas can be returned if the pouch is at least half full.\n\n' +
    '- Start a return from **My orders → Return**.\n- The refund reaches your card within 5 business days.\n';
  const finished = (node, outputs, elapsed) =>
    turn.workflow('node_finished', nodeData(sc, node, { status: 'succeeded', outputs, process_data: null, error: null, elapsed_time: elapsed, execution_metadata: {}, finished_at: nowSeconds(), files: [] }));

  yield { event: turn.workflow('workflow_started', workflowStartedData(sc)), wait: slow };
  yield { event: turn.workflow('node_started', nodeData(sc, nodes.start)) };
  yield { event: finished(nodes.start, { 'sys.query': sc.query }, 0.01) };
  yield { event: turn.workflow('node_started', nodeData(sc, nodes.retrieval)), wait: slow * 2 };
  yield { event: finished(nodes.retrieval, { result: resources.map((r) => ({ content: r.content, title: r.document_name })) }, 0.42) };
  yield { event: turn.workflow('node_started', nodeData(sc, nodes.llm)), wait: slow };
  for (const e of deltas(answer, (p) => turn.message(p, [nodes.llm.id, 'text']))) yield { event: e };
  yield { event: finished(nodes.llm, { text: answer }, 1.42) };
  yield { event: turn.workflow('node_started', nodeData(sc, nodes.answer)) };
  yield { event: finished(nodes.answer, { answer }, 0.01) };
  yield {
    event: turn.workflow(
      'workflow_finished',
      workflowFinishedData(sc, 'succeeded', started, { outputs: { answer }, total_tokens: 212, total_steps: 4 }),
    ),
  };
  yield {
    event: turn.messageEnd({
      usage: usageFor(180 + tokens(sc.query), tokens(answer), (Date.now() - started) / 1000),
      retrieverResources: resources,
      files: [],
    }),
  };
}

async function* chatflowFailScript(sc) {
  const { turn } = sc;
  const started = Date.now();
  const slow = sc.delay * 4;
  const nodes = chatflowNodes();
  yield { event: turn.workflow('workflow_started', workflowStartedData(sc)), wait: slow };
  yield { event: turn.workflow('node_started', nodeData(sc, nodes.llm)), wait: slow };
  for (const e of deltas('Let me look up the tracking number for your parcel', (p) => turn.message(p, [nodes.llm.id, 'text']))) {
    yield { event: e };
  }
  yield { event: turn.workflow('node_started', nodeData(sc, nodes.http)), wait: slow * 3 };
  yield {
    event: turn.workflow(
      'node_finished',
      nodeData(sc, nodes.http, { status: 'failed', outputs: null, process_data: null, error: 'timeout', elapsed_time: 10.0, execution_metadata: {}, finished_at: nowSeconds(), files: [] }),
    ),
  };
  yield {
    event: turn.workflow(
      'workflow_finished',
      workflowFinishedData(sc, 'failed', started, { error: 'Node HTTP Request run failed: timeout', total_steps: 2 }),
    ),
  };
  yield { event: turn.error('invalid_param', 400, 'Run failed: Node HTTP Request run failed: timeout') };
}

async function* thinkScript(sc) {
  const { turn } = sc;
  const started = Date.now();
  const q = oneLine(sc.query).slice(0, 80);
  const pieces = [
    '<think>',
    '\nThe visitor asks about ',
    `“${q}”. `,
    'Let me recall the shop policies: ',
    'orders ship within two business days, ',
    'returns are free for thirty days. ',
    'I should answer briefly and kindly.\n</th',
    'ink>\n\n',
  ];
  for (const p of pieces) yield { event: turn.message(p) };
  const answer =
    'Short answer: **your order ships within 2 business days**, and returns are free for 30 days.\n\n' +
    'Anything else I can help with? ☕';
  for (const e of deltas(answer, (p) => turn.message(p))) yield { event: e };
  const all = pieces.join('') + answer;
  yield { event: turn.messageEnd({ usage: usageFor(tokens(sc.query), tokens(all), (Date.now() - started) / 1000) }) };
}

async function* replaceScript(sc) {
  const { turn } = sc;
  for (const e of deltas('Sure, here is the secret staff discount code: PINK-', (p) => turn.message(p))) yield { event: e };
  yield { event: turn.messageReplace("Sorry, I can't help with that.", '') };
  yield { event: turn.messageEnd({ usage: usageFor(tokens(sc.query), 5, 0.61) }) };
}

async function* fileTextScript(sc) {
  const { turn } = sc;
  const started = Date.now();
  yield { event: turn.messageFile({ id: randomUUID(), type: 'image', belongsTo: 'assistant', url: '/api/files/cat.svg' }) };
  const answer =
    'Here is the picture you asked for: our shop cat, **Mochi**. ' +
    'These words arrive as `message_file` events that carry `answer` — a Dify quirk since PR #22988.';
  for (const e of deltas(answer, (p) => turn.messageFileText(p))) yield { event: e };
  yield { event: turn.messageEnd({ usage: usageFor(tokens(sc.query), tokens(answer), (Date.now() - started) / 1000) }) };
}

export function citations(sc) {
  return [
    {
      position: 1,
      dataset_id: '101b4c97-fc2e-463c-90b1-5261a4cdcafb',
      dataset_name: 'Store FAQ',
      document_id: '8dd1ad74-0b5f-4175-b735-7d98bbbb4e00',
      document_name: 'refunds.md',
      data_source_type: 'upload_file',
      segment_id: randomUUID(),
      retriever_from: 'api',
      score: 0.91,
      hit_count: 4,
      word_count: 48,
      segment_position: 2,
      content: 'Refunds are accepted within 30 days of delivery. Opened tea pouches qualify if at least half full.',
    },
    {
      position: 2,
      dataset_id: '101b4c97-fc2e-463c-90b1-5261a4cdcafb',
      dataset_name: 'Store FAQ',
      document_id: '2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901',
      document_name: 'shipping.md',
      data_source_type: 'upload_file',
      segment_id: randomUUID(),
      retriever_from: 'api',
      score: 0.78,
      hit_count: 2,
      word_count: 35,
      segment_position: 1,
      content: `Orders ship from Lyon within 2 business days. (Matched for: ${oneLine(sc.query).slice(0, 60)})`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------
// texts

export function oneLine(s) {
  return String(s ?? '').replace(/\s+/g, ' ').trim();
}

export function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The default answer: markdown that echoes the question; the layout varies with the question. */
export function defaultAnswer(query) {
  let q = oneLine(query);
  if (q.length > 120) q = `${q.slice(0, 119)}…`;
  if (!q) q = '(an empty message)';
  switch (hash(q) % 3) {
    case 0:
      return (
        `### About “${q}”\n\n` +
        `Thanks for asking! Here is a quick answer from the **Blossom & Brew** help desk:\n\n` +
        `- Orders ship within *2 business days* from our café in Lyon.\n` +
        `- Returns are free for **30 days** — no naïve fine print.\n` +
        `- Keep your order number handy if you write to us.\n\n` +
        `More details are in the [shipping guide](https://example.com/docs/shipping). ` +
        `Type \`/help\` to see what else this demo bot can do. 👋`
      );
    case 1:
      return (
        `**You asked:** ${q}\n\n` +
        `Here is how that works with our shop API, step by step:\n\n` +
        `1. Create a cart.\n` +
        `2. Add the tea you like (try the *Sakura Sencha*).\n` +
        `3. Check out — that's it.\n\n` +
        '```js\n' +
        `const cart = await shop.carts.create();\n` +
        `await cart.add({ sku: 'sakura-sencha', qty: 1 });\n` +
        `const order = await cart.checkout(); // ✓ ships in 2 days\n` +
        '```\n\n' +
        `See the [API reference](https://example.com/docs/api) for more, or send \`/help\` for the demo commands. 👋`
      );
    default:
      return (
        `#### “${q}” — good question!\n\n` +
        `> Our café is open daily, 8am–6pm. Crème brûlée on Fridays. ☕\n\n` +
        `A few favourites while you are here:\n\n` +
        `| Tea | Price |\n|---|---|\n| Sakura Sencha | €12 |\n| Earl Grey Crème | €9 |\n\n` +
        `- Free shipping over **€40**\n- Gift wrapping on request\n\n` +
        `Anything else? Read the [FAQ](https://example.com/docs/faq) or type \`/help\` for the demo commands. 👋`
      );
  }
}

function helpText() {
  const lines = COMMANDS.map((c) => `- \`${c.command}\` — ${c.description}`);
  return (
    `### Demo commands\n\n` +
    `I am a **mock Dify bot**. Put one of these in your message to see how the widget copes:\n\n` +
    `${lines.join('\n')}\n\n` +
    `Anything else gets a short markdown answer that echoes your question.`
  );
}

function longAnswer() {
  const parts = ['# The Blossom & Brew handbook\n\nA long answer to test fast streaming and long-text rendering.\n'];
  const teas = ['Sakura Sencha', 'Earl Grey Crème', 'Genmaicha', 'Darjeeling First Flush', 'Rooibos Vanille', 'Jasmine Pearls'];
  for (let i = 1; parts.join('').length < 20_000; i++) {
    const tea = teas[i % teas.length];
    parts.push(
      `## ${i}. ${tea}\n\n` +
        `The **${tea}** is steeped at ${70 + (i % 4) * 5} °C for ${2 + (i % 3)} minutes. ` +
        `It is one of our customers' favourites — *smooth, fragrant and never bitter* — and it ships in a resealable pouch. ` +
        `We source it directly from growers we have known for years, and every batch is tasted in our café before it goes on sale.\n\n` +
        `- Caffeine: ${['low', 'medium', 'high'][i % 3]}\n- Pairs with: crème brûlée, shortbread, fruit\n- Pouch: ${50 + (i % 3) * 25} g\n\n` +
        (i % 3 === 0 ? '```text\nwater → 80 °C\nleaves → 3 g per 200 ml\nwait → 2–3 min\n```\n\n' : '') +
        (i % 4 === 0 ? `> Tip ${i}: warm the cup first; the tea stays hot twice as long.\n\n` : '') +
        (i % 5 === 0 ? `| Size | Price |\n|---|---|\n| 50 g | €${8 + (i % 4)} |\n| 100 g | €${14 + (i % 4)} |\n\n` : ''),
    );
  }
  parts.push('That is the whole handbook. Thanks for reading! 🍵');
  return parts.join('');
}

const UNICODE_TEXT =
  '### Unicode stress test ✨\n\n' +
  '- French: café, naïve, crème brûlée, où est la théière ?\n' +
  '- German: Grüße aus der Straße\n' +
  '- Greek: Καλημέρα κόσμε\n' +
  '- Russian: Привет, мир\n' +
  '- Japanese: こんにちは世界、お茶をどうぞ 🍵\n' +
  '- Chinese: 你好，世界\n' +
  '- Korean: 안녕하세요\n' +
  '- Arabic (RTL): مرحبا بالعالم\n' +
  '- Hebrew (RTL): שלום עולם\n' +
  '- Hindi: नमस्ते दुनिया\n' +
  '- Emoji: 👋 👋🏽 👩‍💻 🇫🇷 ❤️ 🧑‍🤝‍🧑 🫖\n' +
  '- Symbols: ∑ ∞ ≠ √2 — “quotes”, ‘apostrophes’ and … an ellipsis\n' +
  '- Astral: 𝒜𝓁𝓅𝒽𝒶 𝔹𝕖𝕥𝕒 😀😃😄\n\n' +
  'Every frame of this answer is cut on the wire in the middle of a multi-byte character. 👋';

function parisTime() {
  const d = new Date();
  const fmt = (opts) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', ...opts }).format(d);
  const hour = Number(fmt({ hour: '2-digit', hourCycle: 'h23' }));
  return {
    short: fmt({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    full: fmt({ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
    open: hour >= 8 && hour < 18,
  };
}
