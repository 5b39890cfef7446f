/**
 * Conversation state in localStorage, namespaced per widget (`dify-chat:<storage-key>:…`), SPEC §7.
 * Pure: takes any `Storage`-like object; when storage is missing, disabled, full or throwing it keeps
 * working in memory and warns once. Corrupt stored values are ignored.
 */
import type { ChatMessage } from './types.js';

/** Most messages kept in the stored transcript. */
export const MAX_STORED_MESSAGES = 100;
/** Most characters of stored transcript (JSON); oldest messages are dropped to fit. */
export const MAX_STORED_CHARS = 200_000;

const TRANSCRIPT_VERSION = 1;

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

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

function isMessage(value: unknown): value is ChatMessage {
  const m = value as ChatMessage;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.id === 'string' &&
    typeof m.text === 'string' &&
    (m.role === 'user' || m.role === 'bot' || m.role === 'notice')
  );
}

export class ChatStore {
  private readonly memory = new Map<string, string>();
  private storage: StorageLike | undefined;
  private warned = false;

  /**
   * @param namespace the storage key of the widget (the `storage-key` attribute, or the endpoint)
   * @param storage localStorage by default; pass `null` for memory only
   */
  constructor(
    readonly namespace: string,
    storage: StorageLike | null | undefined = defaultStorage(),
  ) {
    this.storage = storage ?? undefined;
  }

  private key(name: string): string {
    return `dify-chat:${this.namespace}:${name}`;
  }

  private read(name: string): string | null {
    const key = this.key(name);
    if (this.memory.has(key)) return this.memory.get(key)!;
    try {
      return this.storage?.getItem(key) ?? null;
    } catch (error) {
      this.fallBack(error);
      return null;
    }
  }

  private write(name: string, value: string | null): void {
    const key = this.key(name);
    try {
      if (this.storage) {
        if (value === null) this.storage.removeItem(key);
        else this.storage.setItem(key, value);
        this.memory.delete(key);
        return;
      }
    } catch (error) {
      this.fallBack(error);
    }
    if (value === null) this.memory.delete(key);
    else this.memory.set(key, value);
  }

  private fallBack(error: unknown): void {
    if (!this.warned) {
      this.warned = true;
      console.warn('<dify-chat>: storage is unavailable, keeping the conversation in memory only.', error);
    }
  }

  /** True when a storage call has failed and the widget fell back to memory. */
  get degraded(): boolean {
    return this.warned;
  }

  get conversationId(): string {
    return this.read('conversation') ?? '';
  }

  set conversationId(id: string) {
    this.write('conversation', id || null);
  }

  /** The stored end-user id, created on first use. */
  get userId(): string {
    let id = this.read('user');
    if (!id) {
      id = randomId();
      this.write('user', id);
    }
    return id;
  }

  loadMessages(): ChatMessage[] {
    const raw = this.read('messages');
    if (!raw) return [];
    try {
      const parsed = JSON.parse(raw) as { v?: number; messages?: unknown };
      if (parsed?.v !== TRANSCRIPT_VERSION || !Array.isArray(parsed.messages)) return [];
      return parsed.messages.filter(isMessage);
    } catch {
      return []; // corrupt value: start fresh rather than break the page
    }
  }

  /** Stores the newest messages that fit the caps. */
  saveMessages(messages: readonly ChatMessage[]): void {
    let kept = messages.slice(-MAX_STORED_MESSAGES);
    let json = JSON.stringify({ v: TRANSCRIPT_VERSION, messages: kept });
    while (json.length > MAX_STORED_CHARS && kept.length > 1) {
      kept = kept.slice(Math.ceil(kept.length / 4));
      json = JSON.stringify({ v: TRANSCRIPT_VERSION, messages: kept });
    }
    this.write('messages', kept.length ? json : null);
  }

  /** Forgets the conversation and transcript (not the user id). */
  clearConversation(): void {
    this.write('conversation', null);
    this.write('messages', null);
  }
}
