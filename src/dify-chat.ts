import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ChatController, type ChatConfig, type ChatEventMap, type ChatHost } from './chat/controller.js';
import { MarkdownView } from './markdown/stream.js';
import { defaultStrings, format, type DifyChatStrings } from './strings.js';
import { styles } from './styles.js';
import type { ChatMessage, Protocol } from './types.js';
import './events.js';

const warn = (text: string) => console.warn(`<dify-chat>: ${text}`);

/** Attribute converter for JSON values: a bad value warns and falls back to the default. */
function json<T>(name: string, valid: (value: unknown) => boolean, fallback: () => T) {
  return {
    fromAttribute(value: string | null): T {
      if (value === null || value.trim() === '') return fallback();
      try {
        const parsed: unknown = JSON.parse(value);
        if (valid(parsed)) return parsed as T;
      } catch {
        // reported below
      }
      warn(`${name}="${value}" is not valid; using the default.`);
      return fallback();
    },
  };
}

const isPlainObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
const PROTOCOLS: readonly Protocol[] = ['dify', 'openai'];

const icon = (path: string) =>
  html`<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d=${path}></path></svg>`;
const SEND_ICON = 'M5 12h14M13 6l6 6-6 6';
const STOP_ICON = 'M7 7h10v10H7z';
const RESET_ICON = 'M12 5v14M5 12h14';
const DOWN_ICON = 'M12 5v14M6 13l6 6 6-6';

interface RenderedContent {
  node: HTMLElement;
  view: MarkdownView;
  text: string;
  streaming: boolean;
}

/**
 * A chat widget for Dify apps and any streaming chat backend. The answer streams in chunk by chunk as safe
 * markdown; the conversation survives reloads.
 *
 * @summary Embeddable streaming chat for Dify.
 * @tag dify-chat
 *
 * @fires {DifyChatSendEvent} dify-chat-send - Before a message is sent; cancelable. `detail.query`.
 * @fires {DifyChatMessageEvent} dify-chat-message - An answer is complete (done or stopped). `detail.message`.
 * @fires {DifyChatConversationEvent} dify-chat-conversation - The server gave a new conversation id. `detail.conversationId`.
 * @fires {DifyChatErrorEvent} dify-chat-error - A request failed. `detail.error` ({message, code, status, retryable}).
 * @fires {DifyChatResetEvent} dify-chat-reset - The conversation was cleared.
 *
 * @csspart panel - The whole widget.
 * @csspart header - The title bar.
 * @csspart title - The bot's name in the header.
 * @csspart reset-button - Starts a new conversation.
 * @csspart log - The scrolling list of messages (`role="log"`).
 * @csspart message - Every message; also `message--user`, `message--bot`, `message--welcome`.
 * @csspart content - The text of a message (markdown for the bot).
 * @csspart thinking - The collapsed reasoning (`<think>`) of an answer.
 * @csspart thought - One collapsible agent step (tool, input, result).
 * @csspart image - An image the bot produced.
 * @csspart citations - The sources of an answer.
 * @csspart typing - The typing indicator (or Chatflow progress line) before the first chunk.
 * @csspart notice - A quiet line from the widget, e.g. that a new conversation started.
 * @csspart error - The error message of a failed request.
 * @csspart retry-button - Sends the failed message again.
 * @csspart suggestions - The starter prompts shown while the conversation is empty.
 * @csspart suggestion - One starter prompt.
 * @csspart jump-button - Scrolls back to the newest text after the visitor scrolled up.
 * @csspart composer - The input area.
 * @csspart input - The message text area.
 * @csspart send-button - Sends the message.
 * @csspart stop-button - Stops the running answer (replaces the send button while streaming).
 *
 * @cssprop --dify-chat-accent - Accent colour (buttons, user messages, focus ring).
 * @cssprop --dify-chat-accent-text - Text on the accent colour.
 * @cssprop --dify-chat-background - Panel background.
 * @cssprop --dify-chat-surface - Bot message and input background.
 * @cssprop --dify-chat-text - Text colour.
 * @cssprop --dify-chat-muted - Secondary text colour.
 * @cssprop --dify-chat-border - Border colour.
 * @cssprop --dify-chat-error - Error colour.
 * @cssprop --dify-chat-font - Font family.
 * @cssprop --dify-chat-font-size - Base font size.
 * @cssprop --dify-chat-radius - Corner radius.
 * @cssprop --dify-chat-spacing - Base spacing unit.
 * @cssprop --dify-chat-height - Height of the widget.
 *
 * @cssstate busy - A request is running.
 * @cssstate empty - The conversation has no messages.
 * @cssstate error - The last request failed.
 */
export class DifyChat extends LitElement implements ChatHost {
  static override styles = styles;

  /** URL (relative or absolute) POSTed for every message. */
  @property() endpoint = '';

  /** Request body shape: `dify` or `openai`. */
  @property({
    converter: {
      fromAttribute: (value: string | null): Protocol => {
        if (value === null || PROTOCOLS.includes(value as Protocol)) return (value as Protocol) ?? 'dify';
        warn(`protocol="${value}" is not supported; using "dify".`);
        return 'dify';
      },
    },
  })
  protocol: Protocol = 'dify';

  /** Header title and accessible name of bot messages. */
  @property({ attribute: 'bot-name' }) botName = 'Assistant';

  /** Composer placeholder. */
  @property() placeholder = 'Type a message…';

  /** Opening message shown while the conversation is empty (never sent). Markdown. */
  @property() welcome = '';

  /** Starter prompts shown as buttons while the conversation is empty (JSON array of strings). */
  @property({ converter: json<string[]>('suggestions', isStringArray, () => []) })
  suggestions: string[] = [];

  /** Dify `user` (end-user identity). Defaults to a random id stored per storage key. */
  @property() user = '';

  /** Dify app `inputs` (JSON object). */
  @property({ converter: json<Record<string, unknown>>('inputs', isPlainObject, () => ({})) })
  inputs: Record<string, unknown> = {};

  /** localStorage namespace; widgets with different keys keep separate conversations. Defaults to the endpoint. */
  @property({ attribute: 'storage-key' }) storageKey = '';

  /** URL template with `{task_id}`, POSTed `{user}` when the visitor stops an answer. */
  @property({ attribute: 'stop-endpoint' }) stopEndpoint = '';

  /** Model name for `protocol="openai"`. */
  @property() model = '';

  /** Sent as `Authorization: Bearer`. For local testing only: anyone can read it from a public page. Use a proxy. */
  @property({ attribute: 'api-key' }) apiKey = '';

  /** Milliseconds without a byte from the server before a request fails. */
  @property({ type: Number }) timeout = 60_000;

  /** Extra request headers. */
  @property({ attribute: false }) headers: Record<string, string> = {};

  /** Replacements for any UI text (see `defaultStrings`). */
  @property({ attribute: false }) strings: Partial<DifyChatStrings> = {};

  @state() private following = true;
  @query('[part~="log"]') private log?: HTMLElement;
  @query('[part~="input"]') private input?: HTMLTextAreaElement;

  private controller?: ChatController;
  private frame = 0;
  private frameTimer?: ReturnType<typeof setTimeout>;
  private contents = new Map<string, RenderedContent>();
  private readonly internals = this.attachInternals();

  private get chat(): ChatController {
    return (this.controller ??= new ChatController(this, this.namespace));
  }

  private get namespace(): string {
    return this.storageKey || this.endpoint || 'default';
  }

  private get text(): DifyChatStrings {
    return { ...defaultStrings, ...this.strings };
  }

  /** The current conversation id ("" before the server gave one). Setting it switches conversation. */
  get conversationId(): string {
    return this.chat.conversationId;
  }

  set conversationId(id: string) {
    this.chat.conversationId = id ?? '';
  }

  /** A copy of the transcript, oldest first. */
  get messages(): ChatMessage[] {
    return this.chat.messages.map((m) => ({ ...m }));
  }

  /** @internal */
  get chatConfig(): ChatConfig {
    let baseUrl: string | undefined;
    try {
      baseUrl = new URL(this.endpoint, document.baseURI).href;
    } catch {
      baseUrl = undefined;
    }
    return {
      endpoint: this.endpoint,
      baseUrl,
      protocol: PROTOCOLS.includes(this.protocol) ? this.protocol : 'dify',
      headers: this.headers ?? {},
      inputs: this.inputs ?? {},
      user: this.user,
      model: this.model,
      apiKey: this.apiKey,
      stopEndpoint: this.stopEndpoint,
      timeout: this.timeout,
      strings: this.text,
    };
  }

  /** @internal */
  chatChanged(urgent: boolean): void {
    if (urgent) {
      this.requestUpdate();
    } else if (!this.frame) {
      // coalesce streaming updates to one render per animation frame; the timer covers hidden pages,
      // where animation frames don't run
      const flush = () => {
        cancelAnimationFrame(this.frame);
        clearTimeout(this.frameTimer);
        this.frame = 0;
        this.requestUpdate();
      };
      this.frame = requestAnimationFrame(flush);
      this.frameTimer = setTimeout(flush, 250);
    }
  }

  /** @internal */
  chatEvent<K extends keyof ChatEventMap>(type: K, detail: ChatEventMap[K], cancelable = false): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }

  /** Sends a message (aborting any running answer). Resolves with the answer when it is complete. */
  send(text: string): Promise<ChatMessage | undefined> {
    this.following = true;
    return this.chat.send(text);
  }

  /** Stops the running answer, keeping what arrived so far. */
  stop(): void {
    this.chat.stop();
  }

  /** Clears the conversation and transcript and shows the welcome state. */
  reset(): void {
    this.chat.reset();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.controller?.cancelRun();
    cancelAnimationFrame(this.frame);
    clearTimeout(this.frameTimer);
    this.frame = 0;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('endpoint') || changed.has('storageKey')) && this.hasUpdated) {
      this.chat.cancelRun(); // a late chunk must never land in another conversation
      this.chat.switchNamespace(this.namespace);
    }
    const states = this.internals.states;
    const set = (name: string, on: boolean) => (on ? states.add(name) : states.delete(name));
    set('busy', this.chat.busy);
    set('empty', this.chat.messages.length === 0);
    set('error', this.chat.error !== undefined);
  }

  protected override updated(): void {
    if (this.following && this.log) this.log.scrollTop = this.log.scrollHeight;
  }

  protected override render(): TemplateResult {
    const t = this.text;
    const used = new Map<string, RenderedContent>();
    const messages = this.chat.messages;
    const log = html`
      <div part="log" role="log" aria-live="polite" aria-busy=${this.chat.busy ? 'true' : 'false'}
        aria-label=${this.botName} tabindex="0" @scroll=${this.handleLogScroll}>
        ${messages.length ? messages.map((m) => this.renderMessage(m, used)) : this.renderWelcome(used)}
        ${this.renderError()}
      </div>`;
    this.contents = used;
    return html`
      <section part="panel" @keydown=${this.handlePanelKeydown}>
        <header part="header">
          <h2 part="title">${this.botName}</h2>
          <button part="reset-button" type="button" aria-label=${t.reset} title=${t.reset}
            @click=${() => this.reset()}>${icon(RESET_ICON)}</button>
        </header>
        ${log}
        ${this.following ? nothing : html`<button part="jump-button" type="button" @click=${this.handleJumpClick}>${icon(DOWN_ICON)}<span>${t.jump}</span></button>`}
        ${this.renderComposer()}
      </section>`;
  }

  private renderWelcome(used: Map<string, RenderedContent>): TemplateResult {
    return html`
      ${this.welcome
        ? html`<div part="message message--bot message--welcome" role="article" aria-label=${this.botName}>
            ${this.content('welcome', this.welcome, false, used)}</div>`
        : nothing}
      ${this.suggestions.length
        ? html`<div part="suggestions">${this.suggestions.map(
            (s) => html`<button part="suggestion" type="button" @click=${() => this.send(s)}>${s}</button>`,
          )}</div>`
        : nothing}`;
  }

  private renderMessage(m: ChatMessage, used: Map<string, RenderedContent>): TemplateResult {
    const t = this.text;
    if (m.role === 'notice') return html`<p part="notice">${m.text}</p>`;
    if (m.role === 'user') {
      return html`<div part="message message--user" role="article" aria-label=${t.you}>
        <div part="content" dir="auto">${m.text}</div></div>`;
    }
    const streaming = m.status === 'pending' || m.status === 'streaming';
    return html`<div part="message message--bot" role="article" aria-label=${this.botName}>
      ${m.thinking ? this.renderThinking(m.thinking, streaming && !m.text) : nothing}
      ${m.thoughts?.map((step) => html`<details part="thought">
          <summary>${step.tool ? format(t.tool, { tool: step.tool }) : `${t.step} ${step.position ?? ''}`}</summary>
          ${step.thought ? html`<p>${step.thought}</p>` : nothing}
          ${step.toolInput ? html`<div class="label">${t.toolInput}</div><pre>${step.toolInput}</pre>` : nothing}
          ${step.observation ? html`<div class="label">${t.toolOutput}</div><pre>${step.observation}</pre>` : nothing}
        </details>`)}
      ${m.status === 'pending' && !m.text ? this.renderTyping() : nothing}
      ${m.text || !streaming ? this.content(m.id, m.text, streaming, used) : nothing}
      ${m.files?.map((f) => html`<img part="image" src=${f.url} alt="" loading="lazy" />`)}
      ${m.citations ? this.renderCitations(m) : nothing}
      ${m.status === 'stopped' ? html`<p part="notice">${t.stopped}</p>` : nothing}
    </div>`;
  }

  private renderThinking(text: string, open: boolean): TemplateResult {
    return html`<details part="thinking"><summary>${open ? this.text.thinking : this.text.thought}</summary>
      <div class="thinking-text">${text}</div></details>`;
  }

  private renderTyping(): TemplateResult {
    const t = this.text;
    const progress = this.chat.progress;
    const label = !progress
      ? format(t.typing, { bot: this.botName })
      : progress.kind === 'knowledge'
        ? t.searching
        : progress.kind === 'node'
          ? format(t.working, { title: progress.title })
          : format(t.typing, { bot: this.botName });
    return html`<div part="typing" role="status" aria-label=${label}>
      <span class="dots" aria-hidden="true"><i></i><i></i><i></i></span>
      ${progress ? html`<span class="progress">${label}</span>` : nothing}</div>`;
  }

  private renderCitations(m: ChatMessage): TemplateResult {
    return html`<div part="citations"><div class="label">${this.text.sources}</div><ol>
      ${m.citations!.map((c) => html`<li><details><summary>${c.documentName ?? c.datasetName ?? '—'}</summary>
        <p>${c.content ?? ''}</p></details></li>`)}</ol></div>`;
  }

  private renderError(): TemplateResult | typeof nothing {
    const error = this.chat.error;
    if (!error) return nothing;
    return html`<div part="error" role="alert"><span>${error.message}</span>
      ${error.retryable
        ? html`<button part="retry-button" type="button" @click=${() => this.chat.retry()}>${this.text.retry}</button>`
        : nothing}</div>`;
  }

  private renderComposer(): TemplateResult {
    const t = this.text;
    return html`<div part="composer">
      <textarea part="input" rows="1" dir="auto" aria-label=${t.input} placeholder=${this.placeholder}
        @keydown=${this.handleInputKeydown}></textarea>
      ${this.chat.busy
        ? html`<button part="stop-button" type="button" aria-label=${t.stop} title=${t.stop} @click=${() => this.stop()}>${icon(STOP_ICON)}</button>`
        : html`<button part="send-button" type="button" aria-label=${t.send} title=${t.send} @click=${this.handleSendClick}>${icon(SEND_ICON)}</button>`}
    </div>`;
  }

  /** The markdown node of a message, kept across renders and updated incrementally. */
  private content(id: string, text: string, streaming: boolean, used: Map<string, RenderedContent>): HTMLElement {
    let entry = this.contents.get(id);
    if (!entry) {
      const node = document.createElement('div');
      node.setAttribute('part', 'content');
      node.className = 'markdown';
      node.dir = 'auto'; // right-to-left answers align on their own
      entry = { node, view: new MarkdownView(node, { baseUrl: this.chatConfig.baseUrl }), text: '', streaming: true };
    }
    if (entry.text !== text || entry.streaming !== streaming) {
      entry.view.update(text, streaming);
      entry.text = text;
      entry.streaming = streaming;
    }
    used.set(id, entry);
    return entry.node;
  }

  private handleLogScroll = (): void => {
    const log = this.log!;
    this.following = log.scrollHeight - log.scrollTop - log.clientHeight < 32;
  };

  private handleJumpClick = (): void => {
    this.following = true;
  };

  private handlePanelKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.chat.busy) {
      event.preventDefault();
      this.stop();
    }
  };

  private handleInputKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (!this.chat.busy) this.handleSendClick();
    }
  };

  private handleSendClick = (): void => {
    const input = this.input!;
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    void this.send(text).then((answer) => {
      // a cancelled send keeps what the visitor typed
      if (!answer && !input.value) input.value = text;
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'dify-chat': DifyChat;
  }
}
