/**
 * Pure rules for the transcript: repairing stored messages, keeping it within its limits by whole turns
 * (a question is never dropped while its answer stays), and merging what another tab stored. No DOM.
 */
import {
  MAX_CITATION_CHARS,
  MAX_CITATIONS,
  MAX_ERROR_CHARS,
  MAX_FILES,
  MAX_ID_CHARS,
  MAX_STORED_MESSAGE_CHARS,
  MAX_THOUGHT_FIELD_CHARS,
  MAX_THOUGHTS,
  clip,
} from '../limits.js';
import type { AgentThought, ChatMessage, Citation, MessageFile, MessageStatus, Role } from '../types.js';

type Json = Record<string, unknown>;

const ROLES: readonly Role[] = ['user', 'bot', 'notice'];
const STATUSES: readonly MessageStatus[] = ['pending', 'streaming', 'done', 'stopped', 'error'];

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown, max: number): string | undefined => (typeof value === 'string' ? clip(value, max) : undefined);
const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
/** A list of valid items: a non-array is empty, bad items are dropped, at most `max` kept. */
function list<T>(value: unknown, max: number, read: (item: Json) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: T[] = [];
  for (const item of value) {
    const read_ = isObject(item) ? read(item) : undefined;
    if (read_ !== undefined) items.push(read_);
    if (items.length >= max) break;
  }
  return items.length ? items : undefined;
}

/** Only absolute http(s) URLs come back from storage (a stored `javascript:` or `data:` URL never does). */
function storedUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 4096) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function readThought(t: Json): AgentThought | undefined {
  const id = text(t.id, MAX_ID_CHARS);
  if (!id) return undefined;
  return compact({
    id,
    position: number(t.position),
    thought: text(t.thought, MAX_THOUGHT_FIELD_CHARS),
    tool: text(t.tool, 200),
    toolInput: text(t.toolInput, MAX_THOUGHT_FIELD_CHARS),
    observation: text(t.observation, MAX_THOUGHT_FIELD_CHARS),
  });
}

function readFile(f: Json): MessageFile | undefined {
  const url = storedUrl(f.url);
  if (!url) return undefined;
  return compact({ id: text(f.id, MAX_ID_CHARS), type: text(f.type, 40) ?? 'image', url });
}

function readCitation(c: Json): Citation {
  return compact({
    position: number(c.position),
    datasetName: text(c.datasetName, 500),
    documentName: text(c.documentName, 500),
    content: text(c.content, MAX_CITATION_CHARS),
    score: number(c.score),
  });
}

/** Drops undefined fields so stored JSON stays small and equal messages compare equal. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

/**
 * A message read back from storage (or any untrusted source), with every field checked: wrong types are
 * dropped or repaired, lists and texts are cut to their limits, URLs re-checked. Undefined when the message
 * is beyond repair (no id, unknown role).
 */
export function repairMessage(value: unknown): ChatMessage | undefined {
  if (!isObject(value)) return undefined;
  const id = text(value.id, MAX_ID_CHARS);
  const role = ROLES.find((r) => r === value.role);
  if (!id || !role) return undefined;
  const body = typeof value.text === 'string' ? value.text : '';
  if (role === 'user' && !body) return undefined;
  const message: ChatMessage = {
    id,
    role,
    text: clip(body, MAX_STORED_MESSAGE_CHARS),
    createdAt: number(value.createdAt) ?? 0,
  };
  if (role === 'user') {
    const files = list(value.files, MAX_FILES, readFile);
    return files ? { ...message, files } : message;
  }
  if (role !== 'bot') return message;
  let status = STATUSES.find((s) => s === value.status);
  // an answer that was still arriving when the page went away is shown as stopped
  if (status === 'pending' || status === 'streaming') status = 'stopped';
  return compact<ChatMessage>({
    ...message,
    status: status ?? 'done',
    thinking: text(value.thinking, MAX_STORED_MESSAGE_CHARS),
    thoughts: list(value.thoughts, MAX_THOUGHTS, readThought),
    files: list(value.files, MAX_FILES, readFile),
    citations: list(value.citations, MAX_CITATIONS, readCitation),
    error: text(value.error, MAX_ERROR_CHARS),
    errorCode: text(value.errorCode, 60),
    retryable: typeof value.retryable === 'boolean' ? value.retryable : undefined,
    truncated: value.truncated === true || body.length > MAX_STORED_MESSAGE_CHARS || undefined,
    messageId: text(value.messageId, MAX_ID_CHARS),
    rating: value.rating === 'like' || value.rating === 'dislike' ? value.rating : undefined,
  });
}

/** Limits of the stored copy of an answer's extras (its text has MAX_STORED_MESSAGE_CHARS). */
const STORED_EXTRAS = { thinking: 5_000, thoughts: 20, thoughtField: 1_000, citations: 20, citation: 500 };

/**
 * The form a message is stored in: long texts cut (and marked), agent steps and citations shortened, so one
 * answer can't fill the storage (at most ~110k characters of JSON).
 */
export function storedForm(message: ChatMessage): ChatMessage {
  const cut = message.text.length > MAX_STORED_MESSAGE_CHARS;
  const field = (value?: string) => (value === undefined ? undefined : clip(value, STORED_EXTRAS.thoughtField));
  return compact({
    ...message,
    text: clip(message.text, MAX_STORED_MESSAGE_CHARS),
    thinking: message.thinking === undefined ? undefined : clip(message.thinking, STORED_EXTRAS.thinking),
    thoughts: message.thoughts?.slice(-STORED_EXTRAS.thoughts).map((t) =>
      compact({ ...t, thought: field(t.thought), toolInput: field(t.toolInput), observation: field(t.observation) }),
    ),
    citations: message.citations?.slice(0, STORED_EXTRAS.citations).map((c) =>
      compact({ ...c, content: c.content === undefined ? undefined : clip(c.content, STORED_EXTRAS.citation) }),
    ),
    truncated: message.truncated || cut || undefined,
  });
}

/**
 * Splits the transcript into turns: a visitor's message with everything after it up to the next one
 * (answer, notices). Messages before the first question form a turn of their own.
 */
export function turns(messages: readonly ChatMessage[]): ChatMessage[][] {
  const result: ChatMessage[][] = [];
  for (const m of messages) {
    if (m.role === 'user' || !result.length) result.push([m]);
    else result[result.length - 1].push(m);
  }
  return result;
}

/**
 * The newest whole turns that fit `maxMessages` (and `fits`, e.g. a size check). The newest turn is always
 * kept, so the visitor's current question and its answer never disappear.
 */
export function newestTurns(
  messages: readonly ChatMessage[],
  maxMessages: number,
  fits: (kept: ChatMessage[]) => boolean = () => true,
): ChatMessage[] {
  const all = turns(messages);
  let from = 0;
  let count = messages.length;
  while (from < all.length - 1 && count > maxMessages) count -= all[from++].length;
  let kept = all.slice(from).flat();
  while (from < all.length - 1 && !fits(kept)) {
    // drop a quarter of what is left at a time: a few size checks, even for a long transcript
    const drop = Math.max(1, Math.floor((all.length - from) / 4));
    from = Math.min(all.length - 1, from + drop);
    kept = all.slice(from).flat();
  }
  return kept;
}

/**
 * What another tab stored, merged into this tab's transcript of the same conversation: messages are matched
 * by id; this tab's own messages (`own`) keep its version; every other message is as stored (and gone when
 * the other tab removed it); the result is in time order.
 */
export function mergeTranscripts(
  mine: readonly ChatMessage[],
  stored: readonly ChatMessage[],
  own: ReadonlySet<string>,
): ChatMessage[] {
  const byId = new Map<string, ChatMessage>();
  for (const m of stored) byId.set(m.id, m);
  for (const m of mine) if (own.has(m.id)) byId.set(m.id, m);
  return [...byId.values()]
    .map((m, i) => [m, i] as const)
    .sort(([a, i], [b, j]) => a.createdAt - b.createdAt || i - j)
    .map(([m]) => m);
}
