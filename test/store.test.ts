// ChatStore (src/store.ts): namespaced localStorage with caps and a memory fallback. SPEC §7.
import { expect } from '@open-wc/testing';
import { ChatStore, MAX_STORED_CHARS, MAX_STORED_MESSAGES, checksum } from '../src/store.js';
import { repairMessage } from '../src/chat/repair.js';
import type { ChatMessage } from '../src/types.js';

/** A Storage-like map that records every call. */
class FakeStorage {
  readonly map = new Map<string, string>();
  calls = 0;
  getItem(key: string): string | null {
    this.calls++;
    return this.map.has(key) ? this.map.get(key)! : null;
  }
  setItem(key: string, value: string): void {
    this.calls++;
    this.map.set(key, String(value));
  }
  removeItem(key: string): void {
    this.calls++;
    this.map.delete(key);
  }
}

/** Storage whose calls all throw (private mode, disabled storage, sandboxed iframe). */
class ThrowingStorage {
  getItem(): string | null {
    throw new DOMException('denied', 'SecurityError');
  }
  setItem(): void {
    throw new DOMException('denied', 'SecurityError');
  }
  removeItem(): void {
    throw new DOMException('denied', 'SecurityError');
  }
}

/** Storage that is full: reads work, writes throw QuotaExceededError. */
class FullStorage extends FakeStorage {
  override setItem(): void {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  }
}

const message = (i: number, text = `message ${i}`): ChatMessage => ({
  id: `m${i}`,
  role: i % 2 ? 'bot' : 'user',
  text,
  ...(i % 2 ? { status: 'done' as const } : {}),
  createdAt: 1700000000000 + i,
});

/** Capture console.warn while `fn` runs. */
function warnings(fn: () => void): unknown[][] {
  const seen: unknown[][] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => seen.push(args);
  try {
    fn();
  } finally {
    console.warn = original;
  }
  return seen;
}

describe('ChatStore', () => {
  it('namespaces every key as dify-chat:<namespace>:…', () => {
    const storage = new FakeStorage();
    const store = new ChatStore('shop', storage);
    store.conversationId = 'conv-1';
    void store.userId;
    store.saveMessages([message(0), message(1)]);
    const keys = [...storage.map.keys()].sort();
    expect(keys).to.deep.equal(['dify-chat:shop:conversation', 'dify-chat:shop:messages', 'dify-chat:shop:user']);
    expect(storage.map.get('dify-chat:shop:conversation')).to.equal('conv-1');
  });

  it('keeps namespaces apart on the same storage', () => {
    const storage = new FakeStorage();
    const a = new ChatStore('a', storage);
    const b = new ChatStore('b', storage);
    a.conversationId = 'conv-a';
    a.saveMessages([message(0)]);
    expect(b.conversationId).to.equal('');
    expect(b.loadMessages(repairMessage)).to.deep.equal([]);
    b.conversationId = 'conv-b';
    expect(a.conversationId).to.equal('conv-a');
  });

  it('reads what an earlier instance stored (a reload)', () => {
    const storage = new FakeStorage();
    const first = new ChatStore('ns', storage);
    first.conversationId = 'conv-keep';
    first.saveMessages([message(0), message(1)]);
    const second = new ChatStore('ns', storage);
    expect(second.conversationId).to.equal('conv-keep');
    expect(second.loadMessages(repairMessage)).to.deep.equal([message(0), message(1)]);
  });

  it('creates a user id once and keeps it stable across instances', () => {
    const storage = new FakeStorage();
    const store = new ChatStore('ns', storage);
    const id = store.userId;
    expect(id).to.be.a('string').with.length.above(8);
    expect(store.userId).to.equal(id);
    expect(new ChatStore('ns', storage).userId).to.equal(id);
    expect(new ChatStore('other', storage).userId).to.not.equal(id);
  });

  it('clearConversation forgets the conversation id and transcript, not the user id', () => {
    const storage = new FakeStorage();
    const store = new ChatStore('ns', storage);
    const user = store.userId;
    store.conversationId = 'conv-1';
    store.saveMessages([message(0)]);
    store.clearConversation();
    expect(store.conversationId).to.equal('');
    expect(store.loadMessages(repairMessage)).to.deep.equal([]);
    expect(store.userId).to.equal(user);
    expect([...storage.map.keys()]).to.deep.equal(['dify-chat:ns:user']);
  });

  it('an empty conversation id removes the key', () => {
    const storage = new FakeStorage();
    const store = new ChatStore('ns', storage);
    store.conversationId = 'conv-1';
    store.conversationId = '';
    expect(storage.map.has('dify-chat:ns:conversation')).to.equal(false);
    expect(store.conversationId).to.equal('');
  });

  describe('caps', () => {
    it(`keeps at most MAX_STORED_MESSAGES (${MAX_STORED_MESSAGES}), the newest`, () => {
      const storage = new FakeStorage();
      const store = new ChatStore('ns', storage);
      const all = Array.from({ length: MAX_STORED_MESSAGES + 50 }, (_, i) => message(i));
      store.saveMessages(all);
      const loaded = new ChatStore("ns", storage).loadMessages(repairMessage)!;
      expect(loaded.length).to.be.at.most(MAX_STORED_MESSAGES);
      expect(loaded.length).to.be.above(MAX_STORED_MESSAGES / 2);
      expect(loaded.at(-1)).to.deep.equal(all.at(-1));
      expect(loaded).to.deep.equal(all.slice(-loaded.length));
    });

    it(`keeps the stored JSON within MAX_STORED_CHARS (${MAX_STORED_CHARS}), dropping the oldest`, () => {
      const storage = new FakeStorage();
      const store = new ChatStore('ns', storage);
      const big = Array.from({ length: 40 }, (_, i) => message(i, `${i} `.padEnd(20_000, 'x')));
      store.saveMessages(big);
      const raw = storage.map.get('dify-chat:ns:messages')!;
      expect(raw.length).to.be.at.most(MAX_STORED_CHARS);
      const loaded = store.loadMessages(repairMessage)!;
      expect(loaded.length).to.be.above(0);
      expect(loaded.at(-1)).to.deep.equal(big.at(-1));
      expect(loaded).to.deep.equal(big.slice(-loaded.length));
    });

    it('saving an empty transcript removes the key', () => {
      const storage = new FakeStorage();
      const store = new ChatStore('ns', storage);
      store.saveMessages([message(0)]);
      store.saveMessages([]);
      expect(storage.map.has('dify-chat:ns:messages')).to.equal(false);
    });
  });

  describe('what this version wrote vs anything else', () => {
    it('its own transcript loads as it is, without the repair (checksum fast path)', () => {
      const storage = new FakeStorage();
      new ChatStore('ns', storage).saveMessages([message(0), message(1)]);
      const raw = storage.map.get('dify-chat:ns:messages')!;
      expect(raw.startsWith('{"v":1,"sum":')).to.equal(true);
      expect(new ChatStore('ns', storage).loadMessages()).to.deep.equal([message(0), message(1)]);
    });

    it('an older version\'s transcript (no checksum) needs the repair, and loads through it', () => {
      const storage = new FakeStorage();
      storage.map.set('dify-chat:ns:messages', JSON.stringify({ v: 1, messages: [message(0), { ...message(1), thoughts: 'bad' }] }));
      const store = new ChatStore('ns', storage);
      expect(store.loadMessages(), 'asks for the repair').to.equal(undefined);
      expect(store.loadMessages(repairMessage)).to.deep.equal([message(0), message(1)]);
    });

    it('a tampered transcript (checksum off by one edit) goes through the repair', () => {
      const storage = new FakeStorage();
      new ChatStore('ns', storage).saveMessages([message(0), message(1)]);
      const raw = storage.map.get('dify-chat:ns:messages')!;
      storage.map.set('dify-chat:ns:messages', raw.replace('"message 1"', '"message 1","files":[{"url":"javascript:alert(1)"}]'));
      const store = new ChatStore('ns', storage);
      expect(store.loadMessages()).to.equal(undefined);
      expect(store.loadMessages(repairMessage)).to.deep.equal([message(0), message(1)]);
      expect(checksum('abc')).to.not.equal(checksum('abd'));
    });
  });

  describe('bad stored values', () => {
    for (const raw of ['{bad', 'null', '42', '"text"', '[]', '{"v":1,"messages":"nope"}', '{"messages":[]}']) {
      it(`ignores a stored transcript of ${raw}`, () => {
        const storage = new FakeStorage();
        storage.map.set('dify-chat:ns:messages', raw);
        const store = new ChatStore('ns', storage);
        expect(store.loadMessages(repairMessage)).to.deep.equal([]);
        // and it can be overwritten with a good one
        store.saveMessages([message(0)]);
        expect(store.loadMessages(repairMessage)).to.deep.equal([message(0)]);
      });
    }

    it('ignores a transcript of another version', () => {
      const storage = new FakeStorage();
      storage.map.set('dify-chat:ns:messages', JSON.stringify({ v: 2, messages: [message(0)] }));
      expect(new ChatStore('ns', storage).loadMessages(repairMessage)).to.deep.equal([]);
      storage.map.set('dify-chat:ns:messages', JSON.stringify([message(0)]));
      expect(new ChatStore('ns', storage).loadMessages(repairMessage)).to.deep.equal([]);
    });

    it('drops malformed entries and keeps the good ones', () => {
      const storage = new FakeStorage();
      storage.map.set('dify-chat:ns:messages', JSON.stringify({
        v: 1,
        messages: [null, 5, { id: 'x' }, { id: 'y', role: 'admin', text: 'no' }, { id: 'z', role: 'user', text: 7 }, message(0), message(1)],
      }));
      expect(new ChatStore('ns', storage).loadMessages(repairMessage)).to.deep.equal([message(0), message(1)]);
    });
  });

  describe('when storage fails', () => {
    it('works in memory when every storage call throws, warning exactly once', () => {
      let store!: ChatStore;
      const seen = warnings(() => {
        store = new ChatStore('ns', new ThrowingStorage());
        expect(store.conversationId).to.equal('');
        store.conversationId = 'conv-mem';
        const user = store.userId;
        expect(store.userId).to.equal(user);
        store.saveMessages([message(0), message(1)]);
        expect(store.conversationId).to.equal('conv-mem');
        expect(store.loadMessages(repairMessage)).to.deep.equal([message(0), message(1)]);
        store.clearConversation();
        expect(store.conversationId).to.equal('');
        expect(store.loadMessages(repairMessage)).to.deep.equal([]);
        expect(store.userId).to.equal(user);
      });
      expect(seen).to.have.length(1);
      expect(store.degraded).to.equal(true);
    });

    it('a full storage (QuotaExceededError on write) keeps the new values in memory, not the stale stored ones', () => {
      const storage = new FullStorage();
      storage.map.set('dify-chat:ns:conversation', 'conv-old');
      let store!: ChatStore;
      const seen = warnings(() => {
        store = new ChatStore('ns', storage);
        expect(store.conversationId).to.equal('conv-old');
        store.conversationId = 'conv-new';
        expect(store.conversationId).to.equal('conv-new');
        store.saveMessages([message(0)]);
        store.saveMessages([message(0), message(1)]);
        expect(store.loadMessages(repairMessage)).to.deep.equal([message(0), message(1)]);
      });
      expect(seen).to.have.length(1);
    });

    it('does not warn while storage works', () => {
      const seen = warnings(() => {
        const store = new ChatStore('ns', new FakeStorage());
        store.conversationId = 'c';
        store.saveMessages([message(0)]);
        void store.userId;
      });
      expect(seen).to.have.length(0);
    });

    it('null storage means memory only, silently', () => {
      const seen = warnings(() => {
        const store = new ChatStore('ns', null);
        store.conversationId = 'c';
        store.saveMessages([message(0)]);
        expect(store.conversationId).to.equal('c');
        expect(store.loadMessages(repairMessage)).to.deep.equal([message(0)]);
        expect(store.userId).to.equal(store.userId);
      });
      expect(seen).to.have.length(0);
    });
  });
});
