/**
 * The conversation: transcript, conversation id, and one request at a time with its AbortController.
 * No Lit and no DOM: the element gives it a host (config in, change notifications and events out).
 * SPEC §4, §5, §7, §8.
 */
import { MAX_ERROR_CHARS, MAX_MESSAGES, MAX_TIMEOUT_MS, clip } from '../limits.js';
import { StreamDecoder } from '../stream/decoder.js';
import { ChatStore, type StoredValue } from '../store.js';
import { format, type DifyChatStrings } from '../strings.js';
import type { ChatError, ChatMessage, MessageFile, Protocol } from '../types.js';
import { AnswerReader, type Progress, type ServerError } from './answer.js';
import { buildBody, isLostConversation, isRetryable, readErrorResponse, type RequestFile, type RequestKind } from './request.js';
import { splitThinking } from './think.js';
import { mergeTranscripts, newestTurns } from './transcript.js';

/** How often a streaming answer is written to storage (so a reload mid-answer keeps it). */
const PERSIST_EVERY_MS = 1000;
/** The notice at the top of a transcript whose oldest turns were dropped. */
const TRIMMED_ID = 'n-trimmed';

/** What the controller reads from its element at the time of each request. */
export interface ChatConfig {
  endpoint: string;
  /** The endpoint resolved to an absolute URL (relative file URLs are resolved against it). */
  baseUrl?: string;
  protocol: Protocol;
  headers: Record<string, string>;
  inputs: Record<string, unknown>;
  /** The `user` attribute; empty means the stored random id. */
  user: string;
  model?: string;
  apiKey?: string;
  stopEndpoint?: string;
  /** Milliseconds without a byte before a request fails. */
  timeout: number;
  strings: DifyChatStrings;
  /** Dify apps: how the app is asked (chat, workflow run, completion), and where the text goes. */
  kind?: RequestKind;
  queryField?: string;
}

/** What a message carries besides its text. */
export interface SendOptions {
  /** Files uploaded for this message (sent as `files`). */
  files?: RequestFile[];
  /** What the visitor sees of them in their message (images). */
  shown?: MessageFile[];
}

/** Events the controller asks its host to dispatch, with their `detail`. */
export interface ChatEventMap {
  'dify-chat-send': { query: string };
  'dify-chat-message': { message: ChatMessage };
  'dify-chat-conversation': { conversationId: string };
  'dify-chat-error': { error: ChatError; message?: ChatMessage };
  'dify-chat-reset': Record<string, never>;
}

export interface ChatHost {
  readonly chatConfig: ChatConfig;
  /** Something visible changed. `urgent`: render now; otherwise at most once per animation frame. */
  chatChanged(urgent: boolean): void;
  /** The stored transcript needs the repair part (`useRepair` once it is there). */
  chatNeedsRepair(): void;
  /** Dispatch an event; returns false when a listener cancelled it. */
  chatEvent<K extends keyof ChatEventMap>(type: K, detail: ChatEventMap[K], cancelable?: boolean): boolean;
}

/** A conversation as it was before `reset()`. */
export interface ConversationSnapshot {
  conversationId: string;
  messages: ChatMessage[];
}

interface Run {
  readonly abort: AbortController;
  readonly bot: ChatMessage;
  readonly query: string;
  reader: AnswerReader;
  /** The idle timer fired: whatever the aborted read returns, the run ends as a `timeout` error. */
  timedOut: boolean;
  idle?: ReturnType<typeof setTimeout>;
}

let nextId = 0;
const newId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(nextId++).toString(36)}`;

/** Thrown inside a run to end it with an error the visitor sees. */
class RunError extends Error {
  constructor(readonly chatError: ChatError) {
    super(chatError.message);
  }
}

export class ChatController {
  /** The transcript, oldest first. Bot messages are updated in place while they stream. */
  messages: ChatMessage[] = [];
  /** The error of the last request, if it failed (the failed answer shows it, with Retry when it may help). */
  error?: ChatError;
  #store: ChatStore;
  #run?: Run;
  /** The conversation this tab shows (another tab may have moved the stored one on). */
  #shownConversation = '';
  /** Files sent with each question (by message id), so Retry and regenerate send them again. */
  readonly #files = new Map<string, RequestFile[]>();
  /** Ids of the messages this tab created: in a merge with another tab's copy, ours win. */
  readonly #own = new Set<string>();
  /** Another tab changed the stored conversation while we were busy: catch up when the run ends. */
  #syncPending = false;
  #persistTimer?: ReturnType<typeof setTimeout>;
  #unwatch?: () => void;

  constructor(
    private readonly host: ChatHost,
    namespace: string,
  ) {
    this.#store = new ChatStore(namespace);
    this.#load();
  }

  /** Starts following changes other tabs make to the stored conversation. */
  connect(): void {
    this.#unwatch ??= this.#store.watch(this.#handleStorage);
  }

  /** Stops following other tabs and aborts the running request (the element was removed). */
  disconnect(): void {
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.#cancelRun();
  }

  /** Writes the transcript now, including a streaming answer (the page is going away). */
  persist(): void {
    clearTimeout(this.#persistTimer);
    this.#persistTimer = undefined;
    this.#save();
  }

  /** True while a request is running (the send button is a stop button). */
  get busy(): boolean {
    return this.#run !== undefined;
  }

  /** Chatflow progress of the running answer before its first text. */
  get progress(): Progress | undefined {
    return this.#run?.reader.progress;
  }

  get conversationId(): string {
    return this.#shownConversation;
  }

  /** Switches to another conversation id (set by the page): the old transcript does not belong to it. */
  set conversationId(id: string) {
    if (id === this.#shownConversation) return;
    this.#cancelRun();
    this.#store.clearConversation();
    this.#store.conversationId = id;
    this.#shownConversation = this.#store.conversationId;
    this.messages = [];
    this.error = undefined;
    this.host.chatChanged(true);
  }

  /** The storage namespace (storage key) of the conversation. */
  get namespace(): string {
    return this.#store.namespace;
  }

  /** The widget's stored values (launcher state, form answers, …) share the conversation's namespace. */
  get storage(): ChatStore {
    return this.#store;
  }

  /** The end-user id sent as Dify's `user`. */
  get user(): string {
    return this.host.chatConfig.user || this.#store.userId;
  }

  /** Loads the conversation stored under another namespace (storage key or endpoint changed). */
  switchNamespace(namespace: string): void {
    if (namespace === this.#store.namespace) return;
    const watching = Boolean(this.#unwatch);
    this.disconnect();
    this.#store = new ChatStore(namespace);
    this.#load();
    if (watching) this.connect();
    this.host.chatChanged(true);
  }

  /** Shows the stored conversation (an answer that was still arriving is shown as stopped). */
  #load(): void {
    this.error = undefined;
    this.#shownConversation = this.#store.conversationId;
    this.messages = this.#stored() ?? [];
    this.#own.clear();
  }

  /** Repairs stored messages this version did not write itself (part "repair", handed in by the host). */
  #repair?: (value: unknown) => ChatMessage | undefined;

  /** The stored transcript; undefined while it waits for the repair (the host is asked to load it). */
  #stored(): ChatMessage[] | undefined {
    const stored = this.#store.loadMessages(this.#repair);
    if (!stored) this.host.chatNeedsRepair();
    return stored;
  }

  /** The repair arrived: the stored transcript shows, before anything sent meanwhile. */
  useRepair(repair: (value: unknown) => ChatMessage | undefined): void {
    this.#repair = repair;
    const stored = this.#stored() ?? [];
    // in the stored order; what this tab sent while the repair loaded goes after it
    this.messages = this.messages.some((m) => this.#own.has(m.id))
      ? newestTurns(mergeTranscripts(this.messages, stored, this.#own), MAX_MESSAGES)
      : stored;
    if (this.#syncPending && !this.#run) {
      // the other tab's messages were just read and merged: write them without reading them again
      this.#syncPending = false;
      this.#save();
    }
    this.host.chatChanged(true);
  }

  /**
   * Writes the transcript, unless another tab has moved the stored conversation on (then this tab catches
   * up instead of overwriting it).
   */
  #save(): void {
    if (this.#store.conversationId !== this.#shownConversation) return;
    if (this.#syncPending) {
      // another tab wrote to this conversation meanwhile: keep its messages too (once they can be read)
      const stored = this.#stored();
      if (!stored) return;
      this.#syncPending = false;
      this.messages = mergeTranscripts(this.messages, stored, this.#own);
    }
    this.#store.saveMessages(this.messages);
  }

  /** Writes a streaming answer at most once a second. */
  #saveSoon(): void {
    this.#persistTimer ??= setTimeout(() => {
      this.#persistTimer = undefined;
      if (this.#run) this.#save();
    }, PERSIST_EVERY_MS);
  }

  /** Another tab changed this widget's stored conversation or transcript. */
  #handleStorage = (name: StoredValue): void => {
    if (name !== 'conversation' && name !== 'messages') return;
    if (this.#run) {
      this.#syncPending = true;
      return;
    }
    this.#sync();
  };

  /** Catches up with the stored conversation: adopt it when it is another one, else merge the transcripts. */
  #sync(): void {
    this.#syncPending = false;
    if (this.#store.conversationId !== this.#shownConversation) {
      this.#load(); // started, reset or switched in another tab: show the same conversation everywhere
    } else {
      const stored = this.#stored();
      if (stored) this.messages = mergeTranscripts(this.messages, stored, this.#own);
      else this.#syncPending = true; // merged when the repair arrives
    }
    this.host.chatChanged(true);
  }

  /** Ends a run's bookkeeping: stop its idle timer, catch up with other tabs. */
  #settle(run: Run): void {
    clearTimeout(run.idle);
    clearTimeout(this.#persistTimer);
    this.#persistTimer = undefined;
    if (this.#syncPending && !this.#run) queueMicrotask(() => !this.#run && this.#syncPending && this.#sync());
  }

  /**
   * Keeps the live transcript within MAX_MESSAGES by dropping the oldest whole turns, with one notice at the
   * top saying so (a long session never grows memory and DOM without bound).
   */
  #trim(): void {
    if (this.messages.length <= MAX_MESSAGES) return;
    const strings = this.host.chatConfig.strings;
    const rest = newestTurns(this.messages.filter((m) => m.id !== TRIMMED_ID), MAX_MESSAGES - 1);
    const notice: ChatMessage = { id: TRIMMED_ID, role: 'notice', text: strings.trimmed, createdAt: rest[0]?.createdAt ?? 0 };
    this.messages = [notice, ...rest];
  }

  /** Sends a message; resolves with the bot's answer when it is complete (done, stopped or failed). */
  async send(text: string, options: SendOptions = {}): Promise<ChatMessage | undefined> {
    const query = text.trim();
    if (!query) return undefined;
    if (!this.host.chatEvent('dify-chat-send', { query }, true)) return undefined;
    this.#cancelRun();
    this.error = undefined;
    const now = Date.now();
    const user: ChatMessage = { id: newId('u'), role: 'user', text: query, createdAt: now };
    if (options.shown?.length) user.files = options.shown;
    const bot: ChatMessage = { id: newId('b'), role: 'bot', text: '', status: 'pending', createdAt: now };
    this.#own.add(user.id).add(bot.id);
    if (options.files?.length) this.#files.set(user.id, options.files);
    this.messages = [...this.messages, user, bot];
    this.#trim();
    this.#save();
    return this.#request(query, bot, true, options.files);
  }

  /** The message a Retry button would send again: the last answer, when it failed and trying again may help. */
  get retryable(): ChatMessage | undefined {
    const bot = this.messages.findLast((m) => m.role === 'bot');
    return !this.#run && bot?.status === 'error' && bot.retryable ? bot : undefined;
  }

  /** Sends the failed message again, in place of the failed answer. */
  retry(): Promise<ChatMessage | undefined> {
    return this.#askAgain((bot) => bot.status === 'error');
  }

  /** Asks the last question again, replacing its finished answer (the regenerate button). */
  regenerate(): Promise<ChatMessage | undefined> {
    return this.#askAgain((bot) => bot.status !== 'pending' && bot.status !== 'streaming');
  }

  #askAgain(allowed: (bot: ChatMessage) => boolean): Promise<ChatMessage | undefined> {
    const index = this.messages.findLastIndex((m) => m.role === 'bot');
    const bot = this.messages[index];
    const question = this.messages.slice(0, index).findLast((m) => m.role === 'user');
    if (!bot || !question || !allowed(bot) || this.busy) return Promise.resolve(undefined);
    Object.assign(bot, {
      text: '', status: 'pending', error: undefined, errorCode: undefined, retryable: undefined,
      thoughts: undefined, files: undefined, citations: undefined, thinking: undefined, messageId: undefined,
      rating: undefined, truncated: undefined,
    });
    this.#own.add(bot.id);
    this.error = undefined;
    return this.#request(question.text, bot, true, this.#files.get(question.id));
  }

  /** Records the visitor's feedback on an answer (`undefined` revokes it). */
  rate(messageId: string, rating: 'like' | 'dislike' | undefined): void {
    const m = this.messages.find((x) => x.messageId === messageId);
    if (!m) return;
    m.rating = rating;
    this.#save();
    this.host.chatChanged(true);
  }

  /**
   * Shows history loaded from the server (`{api}/messages`): older messages go before the transcript (a page
   * scrolled into view), or become the transcript when it is empty (another browser, cleared storage).
   */
  addHistory(older: ChatMessage[]): void {
    const known = new Set(this.messages.map((m) => m.id));
    const fresh = older.filter((m) => !known.has(m.id));
    if (!fresh.length) return;
    this.messages = newestTurns([...fresh, ...this.messages], MAX_MESSAGES);
    this.#save();
    this.host.chatChanged(true);
  }

  /** Stops the running answer: aborts the request, keeps the partial text, tells the stop endpoint. */
  stop(): void {
    const run = this.#run;
    if (!run) return;
    const { stopEndpoint, headers } = this.host.chatConfig;
    const taskId = run.reader.taskId;
    this.#cancelRun();
    if (stopEndpoint && taskId) {
      const url = stopEndpoint.replace('{task_id}', encodeURIComponent(taskId));
      fetch(url, {
        method: 'POST',
        headers: this.#requestHeaders(headers),
        body: JSON.stringify({ user: this.user }),
      }).catch(() => undefined); // best effort: the stream is already closed on our side
    }
    this.host.chatEvent('dify-chat-message', { message: { ...run.bot } });
  }

  /**
   * Clears the conversation and transcript (not the user id). Returns what was cleared, for `restore()`
   * (the reset button's Undo).
   */
  reset(): ConversationSnapshot {
    this.#cancelRun();
    const snapshot: ConversationSnapshot = { conversationId: this.#shownConversation, messages: this.messages };
    this.messages = [];
    this.error = undefined;
    this.#own.clear();
    this.#store.clearConversation();
    this.#shownConversation = '';
    this.host.chatChanged(true);
    this.host.chatEvent('dify-chat-reset', {});
    return snapshot;
  }

  /** Brings back a conversation cleared by `reset()`, unless a new one has started since. */
  restore(snapshot: ConversationSnapshot): boolean {
    if (this.#run || this.messages.length || this.#shownConversation) return false;
    this.#store.conversationId = snapshot.conversationId;
    this.#shownConversation = this.#store.conversationId;
    this.messages = snapshot.messages;
    this.#save();
    this.host.chatChanged(true);
    if (this.#shownConversation) this.host.chatEvent('dify-chat-conversation', { conversationId: this.#shownConversation });
    return true;
  }

  /** Aborts the running request (element removed, new message, reset). The partial answer is kept as stopped. */
  #cancelRun(): void {
    const run = this.#run;
    if (!run) return;
    this.#run = undefined;
    run.abort.abort();
    if (run.bot.status === 'pending' || run.bot.status === 'streaming') run.bot.status = 'stopped';
    this.#save();
    this.#settle(run);
    this.host.chatChanged(true);
  }

  #requestHeaders(extra: Record<string, string>): Record<string, string> {
    const { apiKey } = this.host.chatConfig;
    return {
      'Content-Type': 'application/json',
      Accept: 'text/event-stream',
      ...extra,
      ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}),
    };
  }

  async #request(query: string, bot: ChatMessage, mayRestart: boolean, files?: RequestFile[]): Promise<ChatMessage> {
    const config = this.host.chatConfig;
    const run: Run = { abort: new AbortController(), bot, query, reader: new AnswerReader(config.baseUrl), timedOut: false };
    this.#run = run;
    this.host.chatChanged(true);
    this.#arm(run);
    const conversationId = config.protocol === 'dify' && (config.kind ?? 'chat') === 'chat' ? this.#shownConversation : '';
    try {
      if (!config.endpoint) throw new RunError({ message: config.strings.noEndpoint, code: 'config', retryable: false });
      const body = buildBody({
        protocol: config.protocol,
        query,
        inputs: config.inputs,
        conversationId,
        user: this.user,
        model: config.model,
        history: this.messages.slice(0, this.messages.indexOf(bot) - 1),
        kind: config.kind,
        queryField: config.queryField,
        files,
      });
      const response = await fetch(config.endpoint, {
        method: 'POST',
        headers: this.#requestHeaders(config.headers),
        body: JSON.stringify(body),
        signal: run.abort.signal,
      });
      this.#arm(run);
      if (!response.ok) {
        const error = await readErrorResponse(response);
        this.#checkTimeout(run);
        if (this.#run !== run) return bot;
        if (mayRestart && conversationId && isLostConversation(error)) {
          // the stored conversation is gone on the server: start a new one, once, and say so quietly
          this.#run = undefined;
          this.#settle(run);
          this.#store.conversationId = '';
          this.#shownConversation = '';
          const notice: ChatMessage = { id: newId('n'), role: 'notice', text: config.strings.newConversation, createdAt: Date.now() };
          this.messages.splice(this.messages.indexOf(bot) - 1, 0, notice);
          this.messages = [...this.messages];
          return this.#request(query, bot, false, files);
        }
        throw new RunError(this.#describe(error, config.strings));
      }
      await this.#readBody(run, response);
      this.#finish(run);
    } catch (error) {
      if (this.#run !== run) return bot; // stopped, reset or replaced: whoever ended it has updated the message
      this.#fail(run, this.#toChatError(run, error, config.strings));
    }
    return { ...bot };
  }

  /**
   * (Re)starts the run's idle timer: `timeout` ms without a byte from the server marks the run as timed out
   * and aborts it. Whatever the aborted fetch or read then returns, `checkTimeout` turns it into a timeout.
   */
  #arm(run: Run): void {
    clearTimeout(run.idle);
    const { timeout } = this.host.chatConfig;
    if (!(timeout > 0) || this.#run !== run) return;
    run.idle = setTimeout(() => {
      run.timedOut = true;
      run.abort.abort();
    }, Math.min(timeout, MAX_TIMEOUT_MS));
  }

  #checkTimeout(run: Run): void {
    if (run.timedOut) throw new RunError(this.#timeoutError());
  }

  #timeoutError(): ChatError {
    return { message: this.host.chatConfig.strings.timeout, code: 'timeout', retryable: true };
  }

  async #readBody(run: Run, response: Response): Promise<void> {
    const decoder = new StreamDecoder();
    const answer = run.reader;
    if (!response.body) {
      for (const item of decoder.push(await response.text())) answer.apply(item);
      for (const item of decoder.end()) answer.apply(item);
      this.#absorb(run);
      return;
    }
    const reader = response.body.getReader();
    run.abort.signal.addEventListener('abort', () => reader.cancel().catch(() => undefined), { once: true });
    for (;;) {
      const { value, done } = await reader.read();
      this.#checkTimeout(run);
      if (this.#run !== run) return;
      this.#arm(run);
      const items = done ? decoder.end() : decoder.push(value);
      for (const item of items) answer.apply(item);
      this.#absorb(run);
      if (done || answer.error) return;
      if (answer.complete) {
        // the answer is complete (message_end, [DONE]): don't wait for the server to close the connection
        reader.cancel().catch(() => undefined);
        return;
      }
    }
  }

  /** Copies what the reader learned into the bot message and persists a new conversation id at once. */
  #absorb(run: Run): void {
    const answer = run.reader;
    const id = answer.conversationId;
    if (id && this.host.chatConfig.protocol === 'dify' && id !== this.#shownConversation) {
      // persisted at once (not at the end), so a reload mid-answer continues the same conversation
      this.#store.conversationId = id;
      this.#shownConversation = this.#store.conversationId;
      this.host.chatEvent('dify-chat-conversation', { conversationId: id });
    }
    if (!answer.takeChanged()) return;
    const bot = run.bot;
    // (an answer without a leading <think> is shown as it is: no need to read the whole growing text)
    const split = answer.plain ? { answer: answer.text, thinking: undefined } : splitThinking(answer.text, !answer.ended);
    bot.text = split.answer;
    bot.thinking = split.thinking;
    bot.thoughts = answer.thoughts.length ? answer.thoughts : undefined;
    bot.files = answer.files.length ? answer.files : undefined;
    bot.citations = answer.citations.length ? answer.citations : undefined;
    bot.messageId = answer.messageId;
    if (bot.status === 'pending' && (bot.text || bot.thinking || bot.thoughts || bot.files)) bot.status = 'streaming';
    this.#saveSoon();
    this.host.chatChanged(false);
  }

  #finish(run: Run): void {
    if (this.#run !== run) return; // stopped, reset or replaced while the body was closing
    const answer = run.reader;
    const strings = this.host.chatConfig.strings;
    if (answer.error) return this.#fail(run, this.#describe(answer.error, strings, true));
    const bot = run.bot;
    const hasContent = Boolean(bot.text || bot.thinking || bot.thoughts || bot.files);
    if (!hasContent) return this.#fail(run, { message: strings.empty, code: 'empty', retryable: true });
    if (answer.sawDifyEvent && !answer.ended) {
      return this.#fail(run, { message: strings.incomplete, code: 'incomplete', retryable: true });
    }
    this.#run = undefined;
    bot.status = 'done';
    this.#save();
    this.#settle(run);
    this.host.chatChanged(true);
    this.host.chatEvent('dify-chat-message', { message: { ...bot } });
  }

  /** Ends the run as failed: the answer keeps its partial text and shows the error (with Retry if it may help). */
  #fail(run: Run, error: ChatError): void {
    this.#run = undefined;
    run.abort.abort();
    Object.assign(run.bot, { status: 'error', error: error.message, errorCode: error.code, retryable: error.retryable });
    this.error = error;
    this.#save();
    this.#settle(run);
    this.host.chatChanged(true);
    this.host.chatEvent('dify-chat-error', { error, message: { ...run.bot } });
  }

  #toChatError(run: Run, error: unknown, strings: DifyChatStrings): ChatError {
    if (run.timedOut) return this.#timeoutError();
    if (error instanceof RunError) return error.chatError;
    // the connection dropped: after some text it is a cut-off answer, before any it is unreachable
    return run.bot.text
      ? { message: strings.incomplete, code: 'incomplete', retryable: true }
      : { message: strings.network, code: 'network', retryable: true };
  }

  /** Words for the visitor: the server's own message when it gave one (cut to MAX_ERROR_CHARS). */
  #describe(error: ServerError, strings: DifyChatStrings, inStream = false): ChatError {
    const status = error.status;
    if (error.code === 'too_large') return { message: strings.tooLarge, code: 'too_large', retryable: false };
    let message = clip(error.message, MAX_ERROR_CHARS);
    if (!inStream && (status === 401 || status === 403)) message = format(strings.auth, { message: message || String(status) });
    else if (!message) message = format(strings.http, { status });
    return { message, code: error.code, status, retryable: isRetryable(error) };
  }
}
