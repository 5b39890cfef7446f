import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query } from 'lit/decorators.js';
import { ChatController, type ChatConfig, type ChatEventMap, type ChatHost } from './chat/controller.js';
import { imagePolicy, parseImageHosts } from './markdown/images.js';
import type { Renderers } from './markdown/stream.js';
import { defaultStrings, type DifyChatStrings } from './strings.js';
import { styles } from './styles.js';
import type { ChatMessage, Protocol } from './types.js';
import { MarkdownContents } from './view/contents.js';
import { FollowController } from './view/follow.js';
import { MessageList } from './view/list.js';
import { DOWN_ICON, NEW_ICON, SEND_ICON, STOP_ICON, icon } from './view/icons.js';
import { renderMessage, type MessageView } from './view/message.js';
import { MAX_TIMEOUT_MS } from './limits.js';
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
      warn(`${name}="${value.slice(0, 200)}" is not valid; using the default.`);
      return fallback();
    },
  };
}

/** Attribute converter for the timeout: a number of ms (0 = none); anything else warns and uses 60000. */
const timeoutConverter = {
  fromAttribute(value: string | null): number {
    if (value === null) return 60_000;
    const ms = Number(value);
    if (value.trim() === '' || !Number.isFinite(ms) || ms < 0) {
      warn(`timeout="${value.slice(0, 50)}" is not a number of milliseconds; using 60000.`);
      return 60_000;
    }
    return Math.min(ms, MAX_TIMEOUT_MS);
  },
};

const isPlainObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
const PROTOCOLS: readonly Protocol[] = ['dify', 'openai'];

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

  /** Milliseconds without a byte from the server before a request fails with a `timeout` error (0: never). */
  @property({ converter: timeoutConverter }) timeout = 60_000;

  /**
   * Extra hosts whose images load by themselves in answers (space-separated host names such as
   * `cdn.example.com` or `*.example.com`, or origins). Images from the page's and the endpoint's origins
   * always load; any other image shows as a link.
   */
  @property({ attribute: 'image-hosts' }) imageHosts = '';

  /** Plug-ins for code blocks and math (SPEC §14), called once per complete block. */
  @property({ attribute: false }) renderers: Renderers = {};

  /** Extra request headers. */
  @property({ attribute: false }) headers: Record<string, string> = {};

  /** Replacements for any UI text (see `defaultStrings`). */
  @property({ attribute: false }) strings: Partial<DifyChatStrings> = {};

  @query('[part~="log"]') private log?: HTMLElement;
  @query('.log-content') private logContent?: HTMLElement;
  @query('[part~="input"]') private input?: HTMLTextAreaElement;

  private controller?: ChatController;
  private frame = 0;
  private frameTimer?: ReturnType<typeof setTimeout>;
  private readonly internals = this.attachInternals();
  private readonly follow = new FollowController(this, () => this.log, () => this.logContent);
  private readonly contents = new MarkdownContents(
    () => ({
      baseUrl: this.chatConfig.baseUrl,
      imageAllowed: this.imageAllowed,
      labels: { code: this.text.code, copy: this.text.copyCode },
      renderers: this.renderers,
    }),
  );
  private imageAllowed: (url: string) => boolean = () => false;
  private readonly list = new MessageList<ChatMessage>(this);

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
    this.follow.follow();
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

  override connectedCallback(): void {
    super.connectedCallback();
    this.chat.connect();
    window.addEventListener('pagehide', this.handlePageHide);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pagehide', this.handlePageHide);
    this.controller?.disconnect();
    this.contents.dispose();
    cancelAnimationFrame(this.frame);
    clearTimeout(this.frameTimer);
    this.frame = 0;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('endpoint') || changed.has('storageKey')) && this.hasUpdated) {
      this.chat.cancelRun(); // a late chunk must never land in another conversation
      this.chat.switchNamespace(this.namespace);
    }
    if (changed.has('endpoint') || changed.has('imageHosts') || changed.has('renderers') || changed.has('strings')) {
      const endpoint = this.chatConfig.baseUrl;
      this.imageAllowed = imagePolicy(
        [location.origin, endpoint ? new URL(endpoint).origin : undefined],
        parseImageHosts(this.imageHosts),
      );
      if (this.hasUpdated) this.contents.clear(); // rebuilt with the new policy
    }
    const states = this.internals.states;
    const set = (name: string, on: boolean) => (on ? states.add(name) : states.delete(name));
    set('busy', this.chat.busy);
    set('empty', this.chat.messages.length === 0);
    set('error', this.chat.error !== undefined);
  }

  /** Resolves when the DOM shows everything, including the slices of a long answer still being parsed. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const result = await super.getUpdateComplete();
    await this.contents.settled();
    return result;
  }

  protected override update(changed: PropertyValues<this>): void {
    this.contents.begin();
    super.update(changed);
    this.contents.commit();
  }

  protected override render(): TemplateResult {
    const t = this.text;
    return html`
      <section part="panel" @keydown=${this.handlePanelKeydown}>
        <header part="header">
          <h2 part="title">${this.botName}</h2>
          <button part="reset-button" type="button" aria-label=${t.reset} title=${t.reset}
            @click=${this.handleResetClick}>${icon(NEW_ICON)}</button>
        </header>
        <div class="log-area">
          ${this.renderLog()}
          ${this.follow.following
            ? nothing
            : html`<button part="jump-button" type="button" @click=${() => this.follow.follow()}>${icon(DOWN_ICON, 16)}<span>${t.jump}</span></button>`}
        </div>
        ${this.renderComposer()}
      </section>`;
  }

  private renderLog(): TemplateResult {
    const messages = this.chat.messages;
    const view = this.messageView();
    return html`<div part="log" role="log" aria-live="polite" aria-busy=${this.chat.busy ? 'true' : 'false'}
        aria-label=${this.botName} tabindex="0" @scroll=${this.follow.handleScroll} @click=${this.handleLogClick}>
      <div class="log-content">
        ${messages.length ? this.list.update(messages, (m) => renderMessage(view, m)) : this.renderWelcome()}
      </div>
    </div>`;
  }

  private messageView(): MessageView {
    const chat = this.chat;
    const lastBot = chat.messages.findLast((m) => m.role === 'bot');
    return {
      strings: this.text,
      botName: this.botName,
      progress: chat.progress,
      retryTarget: chat.retryable,
      lastFailed: lastBot?.status === 'error' ? lastBot : undefined,
      content: (id, text, streaming) => this.contents.node(id, text, streaming),
      imageAllowed: this.imageAllowed,
      retry: this.handleRetryClick,
    };
  }

  private renderWelcome(): TemplateResult {
    return html`
      ${this.welcome
        ? html`<div part="message message--bot message--welcome" role="article" aria-label=${this.botName}>
            ${this.contents.node('welcome', this.welcome, false)}</div>`
        : nothing}
      ${this.suggestions.length
        ? html`<div part="suggestions">${this.suggestions.map(
            (s) => html`<button part="suggestion" type="button" @click=${() => this.sendFromUi(s)}>${s}</button>`,
          )}</div>`
        : nothing}`;
  }

  private renderComposer(): TemplateResult {
    const t = this.text;
    return html`<div part="composer">
      <textarea part="input" rows="1" dir="auto" aria-label=${t.input} placeholder=${this.placeholder}
        @keydown=${this.handleInputKeydown}></textarea>
      ${this.chat.busy
        ? html`<button part="stop-button" type="button" aria-label=${t.stop} title=${t.stop} @click=${this.handleStopClick}>${icon(STOP_ICON)}</button>`
        : html`<button part="send-button" type="button" aria-label=${t.send} title=${t.send} @click=${this.handleSendClick}>${icon(SEND_ICON)}</button>`}
    </div>`;
  }

  /**
   * Puts focus back into the composer after a control the visitor used went away (send, suggestion, stop,
   * retry, reset), so keyboard and screen-reader users are never dropped to the top of the page.
   */
  private async refocus(always = false): Promise<void> {
    await this.updateComplete;
    const active = this.shadowRoot!.activeElement;
    if (always || !active || !active.isConnected || active === this.input) this.input?.focus();
  }

  /** Sends from the widget's own controls: the typed text comes back if the send was cancelled. */
  private sendFromUi(text: string, restore?: HTMLTextAreaElement): void {
    void this.send(text).then((answer) => {
      if (!answer && restore && !restore.value) restore.value = text;
    });
    void this.refocus();
  }

  private handlePageHide = (): void => {
    this.controller?.persist(); // a reload mid-answer keeps what arrived
  };

  private handleLogClick = (event: Event): void => {
    const button = (event.target as Element).closest?.('[part~="code-copy"]');
    if (!button) return;
    const code = button.closest('.code-block')?.querySelector('pre')?.textContent ?? '';
    void navigator.clipboard?.writeText(code).then(
      () => {
        button.textContent = this.text.copied;
        setTimeout(() => (button.textContent = this.text.copyCode), 1500);
      },
      () => undefined,
    );
  };

  private handleResetClick = (): void => {
    this.reset();
    void this.refocus(true); // a new conversation: ready to type
  };

  private handleRetryClick = (): void => {
    void this.chat.retry();
    void this.refocus();
  };

  private handleStopClick = (): void => {
    this.stop();
    void this.refocus();
  };

  private handlePanelKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.chat.busy) {
      event.preventDefault();
      this.stop();
      void this.refocus();
    }
  };

  private handleInputKeydown = (event: KeyboardEvent): void => {
    // Enter that ends an IME composition must not send: isComposing, or keyCode 229 (Safari fires the
    // keydown after compositionend with isComposing false)
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    if (!this.chat.busy) this.handleSendClick();
  };

  private handleSendClick = (): void => {
    const input = this.input!;
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    this.sendFromUi(text, input);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'dify-chat': DifyChat;
  }
}
