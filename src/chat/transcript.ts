/**
 * Pure rules for the transcript: its stored form, keeping it within its limits by whole turns (a question is
 * never dropped while its answer stays), and merging what another tab stored. No DOM. (Repairing untrusted
 * stored messages: `repair.ts`.)
 */
import { MAX_STORED_MESSAGE_CHARS, clip } from '../limits.js';
import type { ChatMessage } from '../types.js';

/** Drops undefined fields so stored JSON stays small and equal messages compare equal. */
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
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
 * kept, so the visitor's current question and its answer never disappear. The last call of `fits` is on the
 * messages returned (a caller may keep what its check worked out).
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
  while (!fits(kept) && from < all.length - 1) {
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
