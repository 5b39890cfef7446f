/**
 * Conversation state in localStorage, namespaced per widget (`dify-chat:<storage-key>:…`), SPEC §7.
 * Pure: takes any `Storage`-like object; when storage is missing, disabled, full or throwing it keeps
 * working in memory and warns once. Every stored value is checked when it is read back: corrupt values
 * are ignored, wrong fields repaired or dropped, sizes limited.
 */
import { MAX_ID_CHARS, MAX_MESSAGES, MAX_STORED_CHARS } from './limits.js';
import { newestTurns, storedForm } from './chat/transcript.js';
import type { ChatMessage } from './types.js';

export { MAX_STORED_CHARS };
/** Most messages kept in the stored transcript. */
export const MAX_STORED_MESSAGES = MAX_MESSAGES;

const TRANSCRIPT_VERSION = 1;
/** Where the messages start in a stored transcript: `{"v":1,"sum":…,"messages":[…]}`. */
const FIELD = ',"messages":';

/** FNV-1a hash of a text (not a secret: it only tells this version's own writes from anything else). */
export function checksum(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The stored values of a widget another tab can change. */
export type StoredValue = 'conversation' | 'messages' | 'user' | 'open' | 'teaser' | 'form';

/** Where `storage` events come from (the window). */
type StorageEvents = Pick<Window, 'addEventListener' | 'removeEventListener'>;

/** A conversation id we store and send: short, without control characters. */
const validConversationId = (id: string) => id.length <= MAX_ID_CHARS && !/[\0-\x1f\x7f]/.test(id);

function defaultStorage(): StorageLike | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined; // e.g. a sandboxed iframe throws on access
  }
}

function randomId(): string {
  const c = globalThis.crypto;
  return typeof c?.randomUUID === 'function'
    ? c.randomUUID()
    : `u-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export class ChatStore {
  readonly #memory = new Map<string, string>();
  #storage: StorageLike | undefined;
  #warned = false;

  /**
   * @param namespace the storage key of the widget (the `storage-key` attribute, or the endpoint)
   * @param storage localStorage by default; pass `null` for memory only
   */
  constructor(
    readonly namespace: string,
    storage: StorageLike | null | undefined = defaultStorage(),
  ) {
    this.#storage = storage ?? undefined;
  }

  #key(name: string): string {
    return `dify-chat:${this.namespace}:${name}`;
  }

  #read(name: string): string | null {
    const key = this.#key(name);
    if (this.#memory.has(key)) return this.#memory.get(key)!;
    try {
      return this.#storage?.getItem(key) ?? null;
    } catch (error) {
      this.#fallBack(error);
      return null;
    }
  }

  #write(name: string, value: string | null): void {
    const key = this.#key(name);
    try {
      if (this.#storage) {
        if (value === null) this.#storage.removeItem(key);
        else this.#storage.setItem(key, value);
        this.#memory.delete(key);
        return;
      }
    } catch (error) {
      this.#fallBack(error);
    }
    if (value === null) this.#memory.delete(key);
    else this.#memory.set(key, value);
  }

  #fallBack(error: unknown): void {
    if (!this.#warned) {
      this.#warned = true;
      console.warn('<dify-chat>: storage is unavailable, keeping the conversation in memory only.', error);
    }
  }

  /** True when a storage call has failed and the widget fell back to memory. */
  get degraded(): boolean {
    return this.#warned;
  }

  /** The stored conversation id; a stored value that is too long or garbled reads as none. */
  get conversationId(): string {
    const id = this.#read('conversation') ?? '';
    return validConversationId(id) ? id : '';
  }

  set conversationId(id: string) {
    this.#write('conversation', id && validConversationId(id) ? id : null);
  }

  /** Any other small value of this widget (launcher state, dismissed teaser, form answers). */
  get(name: StoredValue): string | null {
    return this.#read(name);
  }

  set(name: StoredValue, value: string | null): void {
    this.#write(name, value);
  }

  /**
   * Calls `onChange(name)` when another tab changes one of this widget's stored values. Returns the
   * function that stops listening.
   */
  watch(onChange: (name: StoredValue) => void, events: StorageEvents | undefined = globalThis.window): () => void {
    if (!events || !this.#storage) return () => undefined;
    const prefix = this.#key('');
    const listener = (event: StorageEvent) => {
      if (event.storageArea !== this.#storage) return;
      // key null: the other tab cleared all of storage
      if (event.key === null) return onChange('conversation');
      if (event.key.startsWith(prefix)) onChange(event.key.slice(prefix.length) as StoredValue);
    };
    events.addEventListener('storage', listener);
    return () => events.removeEventListener('storage', listener);
  }

  /** The stored end-user id, created on first use. */
  get userId(): string {
    let id = this.#read('user');
    if (!id) {
      id = randomId();
      this.#write('user', id);
    }
    return id;
  }

  /**
   * The stored transcript, within the limits; a value written by an older version, another tab of another
   * version or a hand edit can never break the widget:
   * - what this version wrote itself (its checksum matches) is taken as it is;
   * - anything else goes through `repair` (every field checked: `src/chat/repair.ts`); without `repair` the
   *   result is undefined: the caller loads it and asks again.
   */
  loadMessages(repair?: (value: unknown) => ChatMessage | undefined): ChatMessage[] | undefined {
    const raw = this.#read('messages');
    // a value far beyond what this version writes (an old version's, or a hand edit) is not even parsed
    if (!raw || raw.length > MAX_STORED_CHARS * 5) return [];
    let parsed: { v?: unknown; sum?: unknown; messages?: unknown } | null;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return []; // corrupt value: start fresh rather than break the page
    }
    const list = parsed?.v === TRANSCRIPT_VERSION ? parsed.messages : undefined;
    if (!Array.isArray(list)) return [];
    const at = raw.indexOf(FIELD);
    const ours = at > 0 && parsed!.sum === checksum(raw.slice(at + FIELD.length, -1));
    if (!ours && !repair) return undefined;
    const messages: ChatMessage[] = [];
    for (const value of list.slice(-MAX_STORED_MESSAGES * 2)) {
      const message = ours ? (value as ChatMessage) : repair!(value);
      // an answer that was still arriving when the page went away is shown as stopped
      if (message?.status === 'pending' || message?.status === 'streaming') message.status = 'stopped';
      if (message) messages.push(message);
    }
    return newestTurns(messages, MAX_STORED_MESSAGES);
  }

  /**
   * Stores the newest whole turns that fit the limits: each message cut to its own limit, then the oldest
   * turns dropped until the transcript fits (the newest question and answer always stay). With a checksum
   * of the messages, so the next load knows the value is this version's own.
   */
  saveMessages(messages: readonly ChatMessage[]): void {
    // the size check's JSON is the value stored (its last check is of the messages kept)
    let json = '';
    const kept = newestTurns(messages.map(storedForm), MAX_STORED_MESSAGES, (m) => (json = JSON.stringify(m)).length < MAX_STORED_CHARS - 50);
    this.#write('messages', kept.length ? `{"v":${TRANSCRIPT_VERSION},"sum":${checksum(json)}${FIELD}${json}}` : null);
  }

  /** Forgets the conversation and transcript (not the user id). */
  clearConversation(): void {
    this.#write('conversation', null);
    this.#write('messages', null);
  }
}
