/**
 * Repairing a stored message (or any untrusted one: another version's, a hand edit, another site's script
 * writing our key): every field is checked, wrong types dropped or repaired, lists and texts cut to their
 * limits, URLs re-checked. Transcripts this version wrote itself carry a checksum and skip this (the store's
 * fast path), so the repair travels in part "repair" and loads only when needed. Pure.
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
import { compact } from './transcript.js';
import { isObject, type Json } from '../json.js';


const ROLES: readonly Role[] = ['user', 'bot', 'notice'];
const STATUSES: readonly MessageStatus[] = ['pending', 'streaming', 'done', 'stopped', 'error'];

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
  const status = STATUSES.find((s) => s === value.status);
  // (an answer still arriving when the page went away becomes stopped in Store.loadMessages, for every load)
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

