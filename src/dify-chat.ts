import { html, nothing, type TemplateResult } from 'lit/html.js';
import { isObject } from './json.js';
import { ReactiveBase, type PropertyDeclaration, type PropertyValues } from './reactive.js';
import {
  enumAttribute,
  intAttribute,
  isStringArray,
  jsonAttribute,
  timeoutAttribute,
  warn,
} from './attributes.js';
import {
  ChatController,
  type ChatConfig,
  type ChatEventMap,
  type ChatHost,
  type ConversationSnapshot,
  type SendOptions,
} from './chat/controller.js';
import type { AppFeatures, PartHost } from './app/host.js';
import { LauncherController, type LauncherHost } from './launcher/launcher.js';
import { renderLauncher } from './launcher/render.js';
import { imagePolicy, parseImageHosts } from './markdown/images.js';
import { Parts } from './parts/load.js';
import type * as Rich from './parts/dify-chat-rich.js';
import type * as Actions from './parts/dify-chat-actions.js';
import type * as App from './parts/dify-chat-app.js';
import type * as Voice from './parts/dify-chat-voice.js';
import type * as Look from './parts/dify-chat-look.js';
import type * as Blocks from './parts/dify-chat-blocks.js';
import type * as LauncherPart from './parts/dify-chat-launcher.js';
import type { Renderers } from './markdown/stream.js';
import { safeUrl } from './markdown/url.js';
import { RTL, resolveLanguage, type Language } from './i18n/language.js';
import { defaultStrings, format, type DifyChatStrings } from './strings.js';
import { buttonStyles, styles } from './styles.js';
import type { ChatMessage, Protocol } from './types.js';
import { kit } from './view/message.js';
import { renderComposer } from './view/composer.js';
import { MarkdownContents } from './view/contents.js';
import { FollowController } from './view/follow.js';
import { MessageList } from './view/list.js';
import { renderHeader } from './view/header.js';
import { DOWN_ICON, icon } from './view/icons.js';
import { renderMessage, type MessageView } from './view/message.js';
import './events.js';

const PROTOCOLS: readonly Protocol[] = ['dify', 'openai'];
/** `mode`: inline (fills its box) or launcher (a round button in a corner opens a floating panel). */
export type Mode = 'inline' | 'launcher';
/** `position` of the launcher. */
export type Position = 'bottom-right' | 'bottom-left';
/** `theme`: the built-in palette; `auto` follows `prefers-color-scheme`. */
export type Theme = 'light' | 'dark' | 'auto';

let instances = 0;

/** Markdown that makes a code block, table, block quote or rule (a rough look: a false match only loads a part). */
const BLOCK_SYNTAX = /^ {0,3}(?:```|>|\||(?:[-*_][ \t]*){3,}$)|\n\n {4}/m;

/** An answer's text without markdown marks, for screen readers (cut to a readable length). */
const plain = (markdown: string): string =>
  markdown
    .replace(/```[^\n]*\n?/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`#>|~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 4000);

/**
 * A chat widget for Dify apps and any streaming chat backend. The answer streams in chunk by chunk as safe
 * markdown; the conversation survives reloads. Inline (fills its box) or as a launcher in a corner.
 *
 * @summary Embeddable streaming chat for Dify.
 * @tag dify-chat
 *
 * @fires {DifyChatSendEvent} dify-chat-send - Before a message is sent; cancelable. `detail.query`.
 * @fires {DifyChatMessageEvent} dify-chat-message - An answer is complete (done or stopped). `detail.message`.
 * @fires {DifyChatConversationEvent} dify-chat-conversation - The server gave a new conversation id. `detail.conversationId`.
 * @fires {DifyChatErrorEvent} dify-chat-error - A request failed. `detail.error` ({message, code, status, retryable}).
 * @fires {DifyChatResetEvent} dify-chat-reset - The conversation was cleared.
 * @fires {DifyChatOpenEvent} dify-chat-open - The launcher's panel opened.
 * @fires {DifyChatCloseEvent} dify-chat-close - The launcher's panel closed.
 * @fires {DifyChatFeedbackEvent} dify-chat-feedback - The visitor rated an answer. `detail` {messageId, rating, content}.
 *
 * @csspart panel - The whole chat (in launcher mode the floating dialog).
 * @csspart header - The title bar.
 * @csspart avatar - The bot's or visitor's picture (`bot-avatar`, `user-avatar`).
 * @csspart title - The bot's name in the header.
 * @csspart reset-button - Starts a new conversation (with Undo).
 * @csspart undo-button - Brings back the conversation that was just cleared.
 * @csspart close-button - Closes the launcher's panel.
 * @csspart log - The scrolling list of messages (`role="log"`).
 * @csspart message - Every message; also `message--user`, `message--bot`, `message--welcome`.
 * @csspart content - The text of a message (markdown for the bot).
 * @csspart time - The time of a message (`show-time`).
 * @csspart thinking - The collapsed reasoning (`<think>`) of an answer.
 * @csspart thought - One collapsible agent step (tool, input, result).
 * @csspart image - An image the bot produced.
 * @csspart image-link - An image from a host that may not load by itself, shown as a link.
 * @csspart code-block - A fenced code block (header with the language and a copy button, then the code).
 * @csspart code-copy - The copy button of a code block.
 * @csspart citations - The sources of an answer.
 * @csspart citation - One source (a chip that expands).
 * @csspart typing - The typing indicator (or Chatflow progress line) before the first chunk.
 * @csspart notice - A quiet line from the widget, e.g. that a new conversation started.
 * @csspart error - The error of a failed answer, inside its turn.
 * @csspart retry-button - Sends the failed message again.
 * @csspart suggestions - The starter prompts shown while the conversation is empty.
 * @csspart suggestion - One starter prompt.
 * @csspart jump-button - Scrolls back to the newest text after the visitor scrolled up.
 * @csspart composer - The input area.
 * @csspart input - The message text area.
 * @csspart send-button - Sends the message.
 * @csspart stop-button - Stops the running answer (replaces the send button while streaming).
 * @csspart actions - The buttons under a finished answer.
 * @csspart copy-button - Copies an answer's text.
 * @csspart regenerate-button - Asks the last question again, replacing its answer.
 * @csspart like-button - Rates an answer as good (`aria-pressed`).
 * @csspart dislike-button - Rates an answer as bad (`aria-pressed`), then offers a comment box.
 * @csspart speak-button - Reads an answer aloud.
 * @csspart followups - The follow-up questions after an answer (`api`).
 * @csspart followup - One follow-up question.
 * @csspart form - The pre-chat form from the app's inputs (`api`).
 * @csspart disclaimer - The app's disclaimer under the composer (`api`).
 * @csspart attach-button - Attaches files (when the app allows uploads).
 * @csspart attachment - One attached file, with its upload progress and a remove button.
 * @csspart mic-button - Records speech into the composer (speech to text).
 * @csspart launcher - The round button that opens and closes the panel (launcher mode).
 * @csspart badge - The unread count on the launcher.
 * @csspart teaser - The dismissible bubble beside the closed launcher (`teaser`).
 *
 * @cssprop --dify-chat-accent - Accent colour (buttons, visitor messages, focus ring).
 * @cssprop --dify-chat-accent-text - Text on the accent colour.
 * @cssprop --dify-chat-background - Panel background.
 * @cssprop --dify-chat-surface - Bot message background.
 * @cssprop --dify-chat-text - Text colour.
 * @cssprop --dify-chat-muted - Secondary text colour.
 * @cssprop --dify-chat-border - Border colour.
 * @cssprop --dify-chat-error - Error colour.
 * @cssprop --dify-chat-link - Link colour in answers (default: the text colour, underlined in the accent).
 * @cssprop --dify-chat-code-background - Code block background.
 * @cssprop --dify-chat-font - Font family.
 * @cssprop --dify-chat-font-size - Base font size.
 * @cssprop --dify-chat-radius - Corner radius.
 * @cssprop --dify-chat-spacing - Base spacing unit.
 * @cssprop --dify-chat-height - Height of the inline widget.
 * @cssprop --dify-chat-launcher-size - Diameter of the launcher button (default 56px).
 * @cssprop --dify-chat-offset-x - Distance of the launcher from the side of the viewport (default 20px).
 * @cssprop --dify-chat-offset-y - Distance of the launcher from the bottom of the viewport (default 20px).
 * @cssprop --dify-chat-panel-width - Width of the launcher's panel (default 400px).
 * @cssprop --dify-chat-panel-height - Height of the launcher's panel (default 640px, at most the viewport).
 * @cssprop --dify-chat-z-index - Stacking order of the launcher and its panel.
 *
 * @cssstate busy - A request is running.
 * @cssstate empty - The conversation has no messages.
 * @cssstate error - The last request failed.
 * @cssstate open - The launcher's panel is open.
 */
export class DifyChat extends ReactiveBase implements ChatHost, LauncherHost {
  static override styles = styles;

  /** The reactive properties and their attributes (each is documented at its field below). */
  static override properties: Record<string, PropertyDeclaration> = {
    lang: { reflect: true },
    endpoint: {},
    protocol: { converter: enumAttribute('protocol', PROTOCOLS) },
    botName: { attribute: 'bot-name' },
    placeholder: {},
    welcome: {},
    suggestions: { converter: jsonAttribute<string[]>('suggestions', isStringArray, []) },
    user: {},
    inputs: { converter: jsonAttribute<Record<string, unknown>>('inputs', isObject, {}) },
    storageKey: { attribute: 'storage-key' },
    stopEndpoint: { attribute: 'stop-endpoint' },
    model: {},
    apiKey: { attribute: 'api-key' },
    timeout: { converter: timeoutAttribute },
    imageHosts: { attribute: 'image-hosts' },
    mode: { converter: enumAttribute<Mode>('mode', ['inline', 'launcher']), reflect: true },
    position: { converter: enumAttribute<Position>('position', ['bottom-right', 'bottom-left']), reflect: true },
    open: { type: Boolean, reflect: true },
    teaser: {},
    theme: { converter: enumAttribute<Theme>('theme', ['light', 'dark', 'auto']), reflect: true },
    botAvatar: { attribute: 'bot-avatar' },
    userAvatar: { attribute: 'user-avatar' },
    showTime: { type: Boolean, attribute: 'show-time' },
    headingLevel: { attribute: 'heading-level', converter: intAttribute('heading-level', 0, 6, 0) },
    api: {},
    feedback: { type: Boolean },
    tts: { type: Boolean },
    stt: { type: Boolean },
    renderers: { attribute: false },
    headers: { attribute: false },
    strings: { attribute: false },
  };

  /** URL (relative or absolute) POSTed for every message. */
  endpoint = '';

  /** Request body shape: `dify` or `openai`. */
  protocol: Protocol = 'dify';

  /** Header title and accessible name of bot messages (by default "Assistant" in the widget's language). */
  botName = 'Assistant';

  /** Composer placeholder (by default "Type a message…" in the widget's language). */
  placeholder = 'Type a message…';

  /** Opening message shown while the conversation is empty (never sent). Markdown. */
  welcome = '';

  /** Starter prompts shown as buttons while the conversation is empty (JSON array of strings). */
  suggestions: string[] = [];

  /** Dify `user` (end-user identity). Defaults to a random id stored per storage key. */
  user = '';

  /** Dify app `inputs` (JSON object). */
  inputs: Record<string, unknown> = {};

  /** localStorage namespace; widgets with different keys keep separate conversations. Defaults to the endpoint. */
  storageKey = '';

  /** URL template with `{task_id}`, POSTed `{user}` when the visitor stops an answer. */
  stopEndpoint = '';

  /** Model name for `protocol="openai"`. */
  model = '';

  /** Sent as `Authorization: Bearer`. For local testing only: anyone can read it from a public page. Use a proxy. */
  apiKey = '';

  /** Milliseconds without a byte from the server before a request fails with a `timeout` error (0: never). */
  timeout = 60_000;

  /**
   * Extra hosts whose images load by themselves in answers (space-separated host names such as
   * `cdn.example.com` or `*.example.com`, or origins). Images from the page's and the endpoint's origins
   * always load; any other image shows as a link.
   */
  imageHosts = '';

  /** `inline` (default: fills its box) or `launcher` (a round button in a corner opens a floating panel). */
  mode: Mode = 'inline';

  /** Corner of the launcher: `bottom-right` (default) or `bottom-left`. */
  position: Position = 'bottom-right';

  /**
   * Whether the launcher's panel is open. In markup: start open. Remembered per storage key across pages.
   * Setting it opens or closes the panel (`show()`, `hide()`, `toggle()` do the same).
   */
  open = false;

  /** A short text in a dismissible bubble beside the closed launcher. */
  teaser = '';

  /** The built-in palette: `light` (default), `dark`, or `auto` (follows `prefers-color-scheme`). */
  theme: Theme = 'light';

  /** Picture of the bot beside its messages and in the header (http(s) or relative URL). */
  botAvatar = '';

  /** Picture of the visitor beside their messages (http(s) or relative URL). */
  userAvatar = '';

  /** Show the time of each message (`part="time"`). */
  showTime = false;

  /**
   * Makes the title a heading of this level (1–6) so it fits the page's outline; 0 (default) keeps it out
   * of the outline.
   */
  headingLevel = 0;

  /**
   * The base URL of a Dify Service API proxy (`dify-chat/proxy`, e.g. `/api/dify`). The app then configures
   * the widget (welcome, prompts, title, colour, form, features) and everything it offers works: chat,
   * workflow and completion apps, follow-ups, feedback, history, files, voice. `endpoint` and
   * `stop-endpoint` still win when set.
   */
  api = '';

  /** Show like/dislike buttons without `api` (only the `dify-chat-feedback` event fires). */
  feedback = false;

  /** Offer to read answers aloud without `api` (the browser's speech synthesis). */
  tts = false;

  /** Offer a microphone without `api` (the browser's speech recognition). */
  stt = false;

  /** Plug-ins for code blocks and math (SPEC §14), called once per complete block. */
  renderers: Renderers = {};

  /** Extra request headers. */
  headers: Record<string, string> = {};

  /** Replacements for any UI text (see `defaultStrings`). */
  strings: Partial<DifyChatStrings> = {};

  #find<T extends Element>(selector: string): T | null {
    return this.renderRoot?.querySelector<T>(selector) ?? null;
  }
  get #log() {
    return this.#find<HTMLElement>('[part~="log"]');
  }
  get #logContent() {
    return this.#find<HTMLElement>('.log-content');
  }
  get #input() {
    return this.#find<HTMLTextAreaElement>('[part~="input"]');
  }
  get #launcherButton() {
    return this.#find<HTMLButtonElement>('.launcher');
  }

  #controller?: ChatController;
  #frame = 0;
  #frameTimer?: ReturnType<typeof setTimeout>;
  readonly #uid = `dify-chat-${instances++}`;
  readonly #launcher = new LauncherController(this);
  // Made on first use, not with the element: a closed launcher on page load needs none of them (SPEC §11).
  #internalsMade?: ElementInternals;
  get #internals(): ElementInternals {
    return (this.#internalsMade ??= this.attachInternals());
  }
  #followMade?: FollowController;
  get #follow(): FollowController {
    return (this.#followMade ??= new FollowController(this, () => this.#log, () => this.#logContent));
  }
  #contentsMade?: MarkdownContents;
  get #contents(): MarkdownContents {
    return (this.#contentsMade ??= new MarkdownContents(() => ({
      baseUrl: this.chatConfig.baseUrl,
      imageAllowed: this.#imageAllowed,
      labels: { code: this.#text.code, copy: this.#text.copyCode },
      renderers: this.renderers,
      // asked when a block is made (not when the answer began: the part may have arrived since)
      blocks: () => {
        const part = this.#parts.get<typeof Blocks>('blocks'); // (asks for it)
        this.#rebuildBlocks ||= !part; // made without it: rebuilt when it arrives
        return part;
      },
    })));
  }
  /** A code block or table was made before part "blocks" arrived: the answers are rebuilt when it does. */
  #rebuildBlocks = false;
  #imageAllowed: (url: string) => boolean = () => false;
  /** The transcript's messages, kept by id (dropping the oldest turn moves no other message's DOM). */
  #listMade?: MessageList<ChatMessage>;
  get #list(): MessageList<ChatMessage> {
    return (this.#listMade ??= new MessageList(this));
  }
  /** Rarely used parts, loaded from beside the bundle on first use. */
  readonly #parts = new Parts((part) => {
    if (this.#dormant && !part.styles) {
      // the texts of the widget's language (or a part that failed): the dormant button's name
      this.#texts = undefined;
      return this.#syncLauncher();
    }
    this.#wake(); // (first: the main sheet goes before the part's)
    if (part.styles) this.adopt(part.styles);
    if (part === this.#parts.loaded('blocks') && this.#rebuildBlocks) this.#contents.clear();
    this.requestUpdate();
  });
  /** What the parts get from the element. */
  #hostMade?: PartHost;
  get #host(): PartHost {
    return (this.#hostMade ??= this.#partHost());
  }
  /** The app features (`api`): part "app", started once it arrived. */
  #app?: AppFeatures;
  #appStarted?: Promise<void>;
  /** The microphone of the `stt` attribute without `api` (part "voice"). */
  #mic?: Voice.Microphone;
  /** The composer has text (Send is enabled). */
  #hasText = false;
  #viewport?: LauncherPart.Viewport;
  /** What the reset button cleared, while its Undo is offered. */
  #undo?: ConversationSnapshot;
  /** Move focus with the next open/close (the visitor or a method did it, not the page load). */
  #moveFocus = false;

  get #chat(): ChatController {
    if (!this.#controller) {
      this.#controller = new ChatController(this, this.#namespace);
      if (this.isConnected) this.#connectChat();
    }
    return this.#controller;
  }

  get #namespace(): string {
    return this.storageKey || this.endpoint || this.api || 'default';
  }

  /** The `api` base as an absolute URL ('' without `api`). */
  get #api(): string {
    try {
      return this.api ? new URL(this.api, document.baseURI).href.replace(/\/+$/, '') : '';
    } catch {
      return '';
    }
  }

  /** What the element offers its parts (read live: every getter reads the current state). */
  #partHost(): PartHost {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const el = this;
    return {
      kit,
      get strings() {
        return el.#text;
      },
      get api() {
        return el.#api;
      },
      get user() {
        return el.#chat.user;
      },
      get headers() {
        return el.headers ?? {};
      },
      get inputs() {
        return el.inputs ?? {};
      },
      get storage() {
        return el.#chat.storage;
      },
      get conversationId() {
        return el.#chat.conversationId;
      },
      get messages() {
        return el.#chat.messages;
      },
      get busy() {
        return el.#chat.busy;
      },
      get attributes() {
        return { feedback: el.feedback, tts: el.tts, stt: el.stt };
      },
      get app() {
        return el.#app;
      },
      part: (name) => this.#parts.get(name),
      load: (name) => this.#parts.load(name),
      requestUpdate: () => this.requestUpdate(),
      send: (text, options) => this.#sendFromUi(text, undefined, options),
      compose: (text) => {
        const input = this.#input;
        if (!input) return;
        input.value = input.value ? `${input.value} ${text}` : text;
        this.#handleInput();
        input.focus();
      },
      regenerate: () => {
        void this.#chat.regenerate();
        void this.#refocus();
      },
      rate: (id, rating) => this.#chat.rate(id, rating),
      addHistory: (messages) => this.#chat.addHistory(messages),
      announce: (text, assertive) => this.#announce(text, assertive),
      fire: (type, detail) => this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true })),
      adoptStyles: (css) => this.adopt(css),
    };
  }

  /**
   * The widget's language tag (for `Intl`): the `lang` attribute, else the nearest `lang` in the page, else
   * the app's `default_language` (`api`), else the browser's.
   */
  get #locale(): string {
    // (the property first: set by script, it reaches the attribute only in the update)
    return this.lang || this.closest('[lang]')?.getAttribute('lang') || this.#app?.config?.language || navigator.language || 'en';
  }

  /** The built-in language of the texts (SPEC §17). */
  get #language(): Language {
    return resolveLanguage(this.#locale);
  }

  /**
   * The texts: English, then the built-in language (loaded as a part), then the page's `strings`. Worked out
   * once per render.
   */
  get #text(): DifyChatStrings {
    if (!this.#texts) {
      const lang = this.#language;
      const translated = lang === 'en' ? undefined : this.#parts.get<{ messages: DifyChatStrings }>(`lang-${lang}`)?.messages;
      this.#texts = { ...defaultStrings, ...this.#parts.strings, ...translated, ...this.strings } as DifyChatStrings;
    }
    return this.#texts;
  }

  #texts?: DifyChatStrings;

  /** Right to left for Arabic and Hebrew texts, unless the page says otherwise (`dir` on the element or above). */
  get #dir(): 'rtl' | undefined {
    return !this.closest('[dir]') && RTL.includes(this.#language) ? 'rtl' : undefined;
  }

  /** @internal */
  get isLauncher(): boolean {
    return this.mode === 'launcher';
  }

  /** @internal */
  get storageNamespace(): string {
    return this.#namespace;
  }


  /** Whether the transcript is rendered: always inline; a launcher only once it has been opened (lazy). */
  get #started(): boolean {
    return !this.isLauncher || this.open || this.#launcher.started;
  }

  /** The current conversation id ("" before the server gave one). Setting it switches conversation. */
  get conversationId(): string {
    return this.#chat.conversationId;
  }

  set conversationId(id: string) {
    this.#chat.conversationId = id ?? '';
  }

  /** A copy of the transcript, oldest first. */
  get messages(): ChatMessage[] {
    return this.#chat.messages.map((m) => ({ ...m }));
  }

  /** @internal */
  get chatConfig(): ChatConfig {
    const api = this.#api;
    // with `api`, the app's own routes (SPEC §15); `endpoint`/`stop-endpoint` still win
    const route = this.endpoint ? undefined : this.#app?.route;
    const endpoint = this.endpoint || route?.endpoint || (api && `${api}/chat-messages`);
    let baseUrl: string | undefined;
    try {
      baseUrl = new URL(endpoint, document.baseURI).href;
    } catch {
      baseUrl = undefined;
    }
    return {
      endpoint,
      baseUrl,
      protocol: PROTOCOLS.includes(this.protocol) ? this.protocol : 'dify',
      headers: this.headers ?? {},
      inputs: { ...this.#formInputs, ...this.inputs },
      user: this.user,
      model: this.model,
      apiKey: this.apiKey,
      stopEndpoint: this.stopEndpoint || route?.stop || '',
      timeout: this.timeout,
      strings: this.#text,
      kind: route?.kind,
      queryField: route?.queryField,
    };
  }

  /** The pre-chat form's answers for the message being sent. */
  #formInputs: Record<string, unknown> = {};

  /** @internal */
  chatChanged(urgent: boolean): void {
    if (urgent) {
      this.requestUpdate();
    } else if (!this.#frame) {
      // coalesce streaming updates to one render per animation frame; the timer covers hidden pages,
      // where animation frames don't run
      const flush = () => {
        cancelAnimationFrame(this.#frame);
        clearTimeout(this.#frameTimer);
        this.#frame = 0;
        this.requestUpdate();
      };
      this.#frame = requestAnimationFrame(flush);
      this.#frameTimer = setTimeout(flush, 250);
    }
  }

  /** @internal */
  chatNeedsRepair(): void {
    // once it arrives, the repair re-reads the stored transcript: one wait is enough
    if (this.#parts.pending('repair')) return;
    void this.#parts.load<{ repairMessage: (v: unknown) => ChatMessage | undefined }>('repair').then((part) => {
      if (part) this.#controller?.useRepair(part.repairMessage);
    });
  }

  /** @internal */
  chatEvent<K extends keyof ChatEventMap>(type: K, detail: ChatEventMap[K], cancelable = false): boolean {
    const t = this.#text;
    if (type === 'dify-chat-message') {
      const message = (detail as ChatEventMap['dify-chat-message']).message;
      if (message.status === 'done') {
        // each finished answer is announced once, in full, through the panel's own live region
        this.#announce(format(t.answered, { bot: this.#title, text: plain(message.text) }));
        if (this.isLauncher && !this.open) this.#announce(format(t.newMessage, { bot: this.#title }));
        this.#launcher.answered(this.open);
        this.#app?.answered(message);
      } else if (message.status === 'stopped') this.#announce(t.stopped);
    } else if (type === 'dify-chat-error') {
      this.#announce((detail as ChatEventMap['dify-chat-error']).error.message, true);
    } else if (type === 'dify-chat-reset') this.#announce(t.resetDone);
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }

  /**
   * Sends a message (aborting any running answer). Resolves with the answer when it is complete, or
   * undefined when the message did not go (cancelled, the pre-chat form is incomplete, files still upload).
   */
  send(text: string): Promise<ChatMessage | undefined> {
    return this.#send(text);
  }

  async #send(text: string, extra: SendOptions = {}): Promise<ChatMessage | undefined> {
    if (!text.trim()) return undefined;
    this.#parts.get('blocks'); // styles the answer may need: here before it arrives
    // with `api` the app decides where the message goes (chat, workflow, completion) and what it carries
    if (this.api && !this.#app?.config) {
      // the first message waits for the app's configuration: it decides where the message goes
      await this.#parts.load('app'); // (only that part: not every part still loading)
      this.#connectApp();
      await this.#appStarted;
    }
    const prepared = this.#app ? this.#app.prepare(text) : {};
    if (!prepared) return undefined;
    this.#formInputs = prepared.inputs ?? {};
    this.#follow.follow();
    this.#undo = undefined;
    return this.#chat.send(text, { ...prepared, ...extra });
  }

  /** Stops the running answer, keeping what arrived so far. */
  stop(): void {
    this.#controller?.stop();
  }

  /** Clears the conversation and transcript and shows the welcome state. */
  reset(): void {
    this.#chat.reset();
    this.#app?.reset();
  }

  /** Opens the launcher's panel (like setting `open`), focusing the message box. */
  show(): void {
    this.#moveFocus ||= !this.open;
    this.open = true;
  }

  /** Closes the launcher's panel, returning focus to the launcher button. */
  hide(): void {
    this.#moveFocus ||= this.open;
    this.open = false;
  }

  /** Opens the panel when closed, closes it when open. */
  toggle(): void {
    if (this.open) this.hide();
    else this.show();
  }

  override connectedCallback(): void {
    this.#loadedOpen = undefined;
    this.attach();
    this.adopt(buttonStyles); // first: the class's `styles` and the parts' go after it
    const launcher = this.isLauncher && !this.hasUpdated;
    // a launcher opens as it was left on the last page (unless the markup says `open`)
    if (launcher && !this.open && this.#launcher.rememberedOpen) this.open = true;
    this.#dormant = launcher && !this.open && !(this.teaser && !this.#launcher.teaserDismissed(this.teaser));
    if (this.#dormant) {
      this.#loadedOpen = false; // (opening it later is a change, with its event)
      // a closed launcher as the page loads: its button (in the widget's language), made with DOM calls and
      // styled by the small sheet; nothing else until the visitor or the page needs more (SPEC §11)
      this.reflect(undefined, true); // (the defaults' attributes come with the first update)
      void this.#text; // asks for the language's texts: the button waits for them
      if (!this.#parts.pending(`lang-${this.#language}`)) this.#syncLauncher();
    } else super.connectedCallback();
    this.#connectChat();
  }

  /** Connects the conversation, if there is one yet (a closed launcher has none until it is opened). */
  #connectChat(): void {
    if (!this.#controller) return;
    this.#controller.connect();
    window.addEventListener('pagehide', this.#handlePageHide);
  }

  /**
   * A closed launcher on page load is dormant: no update, no render, no sheet but the button's. Any change
   * (opening it, an answer, a property the page sets) or the visitor pointing at the button wakes it.
   */
  #dormant = false;
  /** The open state a dormant launcher loaded with (undefined: the first update shows the loaded state). */
  #loadedOpen?: boolean;

  #wake(): void {
    if (!this.#dormant) return;
    this.#dormant = false;
    super.connectedCallback();
  }

  /** Schedules an update (a dormant closed launcher wakes for it, not for a value set again unchanged). */
  override requestUpdate(name?: PropertyKey, old?: unknown): boolean {
    const changed = super.requestUpdate(name, old);
    if (changed) this.#wake();
    return changed;
  }

  override disconnectedCallback(): void {
    this.#dormant = false; // (decided again when it is connected again)
    super.disconnectedCallback();
    window.removeEventListener('pagehide', this.#handlePageHide);
    this.#viewport?.follow(null);
    this.#controller?.disconnect();
    this.#contentsMade?.dispose();
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#frameTimer);
    this.#frame = 0;
  }

  /**
   * Resolves when the DOM shows everything: the slices of a long answer still being parsed, and the parts
   * (loaded on first use) that the transcript needs.
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    await this.#parts.settled();
    if (this.isUpdatePending) result = await super.getUpdateComplete();
    await this.#contentsMade?.settled();
    return result;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#texts = undefined;
    if (changed.has('endpoint') || changed.has('api') || changed.has('storageKey')) {
      // another storage namespace is another conversation, the running answer cancelled (also before the first
      // update, once the page read the conversation); nothing happens while the namespace stays (a
      // `storage-key` shared by two apps)
      this.#controller?.switchNamespace(this.#namespace);
      // another api is another app, configured anew (by #connectApp below)
      if (this.#app && this.#app.client.base !== this.#api) this.#app = undefined;
    }
    // (`api`: other image hosts and links' base; `lang` and `strings`: the code blocks' words)
    if (changed.has('endpoint') || changed.has('api') || changed.has('imageHosts') || changed.has('renderers') || changed.has('strings') || changed.has('lang')) {
      const endpoint = this.chatConfig.baseUrl;
      this.#imageAllowed = imagePolicy(
        [location.origin, endpoint ? new URL(endpoint).origin : undefined],
        parseImageHosts(this.imageHosts),
      );
      if (this.hasUpdated) this.#contents.clear(); // rebuilt with the new policy
    }
    if (changed.has('open')) {
      const was = changed.get('open') ?? this.#loadedOpen;
      if (was !== this.open) this.#openChanged(was);
    }
    if (this.#started) this.#connectApp()?.sync();
    const states = this.#internals.states;
    const set = (name: string, on: boolean) => (on ? states.add(name) : states.delete(name));
    const chat = this.#controller;
    set('busy', Boolean(chat?.busy));
    set('empty', !chat?.messages.length);
    set('error', chat?.error !== undefined);
    set('open', this.isLauncher && this.open);
  }

  /** Open/close bookkeeping: unread count, remembered state, events (not for the state the page loaded with). */
  #openChanged(was: boolean | undefined): void {
    if (this.open) this.#launcher.opened();
    if (was === undefined || !this.isLauncher) return;
    this.#launcher.remember(this.open);
    this.dispatchEvent(new CustomEvent(this.open ? 'dify-chat-open' : 'dify-chat-close', { bubbles: true, composed: true }));
  }

  protected override updated(): void {
    // on phones the open panel follows the visual viewport (above the on-screen keyboard)
    const part = this.isLauncher ? this.#parts.loaded<typeof LauncherPart>('launcher') : undefined;
    if (part) (this.#viewport ??= new part.Viewport()).follow(this.open ? this.#find('[part~="panel"]') : null);
    if (this.#moveFocus) {
      // opening focuses the message box (once the panel is there); closing returns focus to the launcher
      const target = this.open ? this.#input : this.#launcherButton;
      target?.focus();
      this.#moveFocus = !target;
    }
  }

  /**
   * The first render waits (a moment) for the parts it shows: the built-in language (the visitor never sees
   * English first), part "look" (pictures and times, so nothing moves when they arrive), and part "blocks"
   * when the transcript or welcome has code blocks, tables, quotes or rules (styled from the first paint).
   */
  protected override shouldUpdate(): boolean {
    if (this.#started && this.#hasBlocks === undefined) {
      const shown = [this.welcome, ...this.#chat.messages.map((m) => m.text)].join('\n');
      this.#hasBlocks = BLOCK_SYNTAX.test(shown);
    }
    const lang = this.#language;
    const wanted = [
      lang === 'en' ? '' : `lang-${lang}`,
      this.botAvatar || this.userAvatar || this.showTime ? 'look' : '',
      this.#hasBlocks ? 'blocks' : '',
    ];
    return !wanted.some((name) => {
      if (!name) return false;
      this.#parts.get(name); // asks for it
      return this.#parts.pending(name);
    });
  }

  /** Whether the text the panel first shows has blocks styled by part "blocks" (undefined: not looked yet). */
  #hasBlocks?: boolean;

  protected override update(changed: PropertyValues<this>): void {
    this.#syncLauncher();
    this.#contents.begin();
    super.update(changed);
    this.#contents.commit();
  }

  /** The launcher button (DOM calls, ahead of the rendered content: see launcher/render.ts). */
  #syncLauncher(): void {
    const button = this.#launcherButton;
    if (!this.isLauncher) return button?.remove();
    renderLauncher(this.renderRoot, button, {
      strings: this.#text,
      botName: this.#title,
      open: this.open,
      unread: this.#launcher.unread,
      count: (n) => new Intl.NumberFormat(this.#locale).format(n),
      dir: this.#dir,
      panelId: `${this.#uid}-panel`,
      toggle: () => this.toggle(),
      prefetch: () => this.#parts.get('launcher'), // (its arrival wakes a dormant launcher)
    });
  }

  protected override render(): unknown {
    const launcher = this.isLauncher;
    // a launcher's floating panel and teaser come with part "launcher", asked for when one of them is to
    // show (or the visitor points at the button)
    const part = launcher && (this.#started || this.teaser) ? this.#parts.get<typeof LauncherPart>('launcher') : undefined;
    const panel = this.#started && (part || !launcher);
    const teaser = part && !this.open && this.teaser && !this.#launcher.teaserDismissed(this.teaser);
    // a closed launcher shows only its button: no template at all until the panel or teaser shows (once
    // the panel has shown it stays, hidden when closed, so the content is never rebuilt)
    return panel || teaser
      ? html`${panel ? this.#renderPanel(launcher) : nothing}${
          teaser ? part.renderTeaser(kit, this.teaser, this.#text.dismiss, this.#dir, () => this.show(), () => this.#launcher.dismissTeaser(this.teaser)) : nothing
        }`
      : nothing;
  }

  /** Starts the app features when `api` is set and part "app" arrived (asking for it until then). */
  #connectApp(): AppFeatures | undefined {
    if (!this.#app && this.api) {
      const part = this.#parts.get<typeof App>('app');
      if (part) this.#appStarted = (this.#app = new part.AppController(this.#host)).start();
    }
    return this.#app;
  }

  /** The microphone: from the app's speech to text (`api`), or the `stt` attribute (the browser's recognition). */
  #renderMic(): unknown {
    if (this.#app?.config?.stt) return this.#app.renderComposerEnd();
    const voice = this.stt ? this.#parts.get<typeof Voice>('voice') : undefined;
    return voice ? (this.#mic ??= new voice.Microphone(this.#host)).render() : nothing;
  }

  /** Part "look" (pictures and times beside messages) when the page asks for them; undefined while it loads. */
  get #look(): typeof Look | undefined {
    return this.botAvatar || this.userAvatar || this.showTime ? this.#parts.get<typeof Look>('look') : undefined;
  }

  /** The bot's name: the page's `bot-name`, else the app's title (`api`), else the default. */
  get #title(): string {
    return this.botName !== 'Assistant' ? this.botName : (this.#app?.config?.title ?? this.#text.assistant);
  }

  #renderPanel(launcher: boolean): TemplateResult {
    const t = this.#text;
    const titleId = `${this.#uid}-title`;
    const app = this.#app?.config;
    const icon_ = app?.avatar;
    return html`
      <section part="panel" id=${`${this.#uid}-panel`} class="panel" role=${launcher ? 'dialog' : nothing} dir=${this.#dir ?? nothing}
        aria-labelledby=${launcher ? titleId : nothing} ?hidden=${launcher && !this.open} @keydown=${this.#handlePanelKeydown}
        @dragover=${this.#handleFiles} @drop=${this.#handleFiles} @paste=${this.#handleFiles}>
        ${renderHeader({
          strings: t,
          botName: this.#title,
          titleId,
          headingLevel: this.headingLevel,
          avatar: this.#avatar(this.botAvatar, 'bot-avatar') ?? icon_?.url,
          emoji: this.botAvatar ? undefined : icon_?.emoji ? { emoji: icon_.emoji, background: icon_.background } : undefined,
          closable: launcher,
          reset: this.#handleResetClick,
          close: () => this.hide(),
        })}
        <div class="log-area">
          ${this.#renderLog()}
          ${this.#follow.following
            ? nothing
            : html`<button part="jump-button" class="pill" type="button" @click=${() => this.#follow.follow()}>${icon(DOWN_ICON, 16)}<span>${t.jump}</span></button>`}
        </div>
        ${this.#app?.renderAboveComposer()}
        ${renderComposer({
          strings: t,
          placeholder: this.placeholder !== 'Type a message…' ? this.placeholder : (app?.placeholder ?? t.placeholder),
          busy: this.#chat.busy,
          hasText: this.#hasText,
          start: this.#app?.renderComposerStart(),
          end: this.#renderMic(),
          send: this.#handleSendClick,
          stop: this.#handleStopClick,
          keydown: this.#handleInputKeydown,
          input: this.#handleInput,
        })}
        <div class="sr-status visually-hidden" role="status"></div>
        <div class="sr-alert visually-hidden" role="alert"></div>
      </section>`;
  }

  #renderLog(): TemplateResult {
    const messages = this.#chat.messages;
    const view = this.#messageView();
    // the log does not speak while an answer streams: the finished answer is announced once, in full (#say)
    return html`<div part="log" role="log" aria-live="off" aria-busy=${this.#chat.busy ? 'true' : 'false'}
        aria-label=${this.#title} tabindex="0" @scroll=${this.#handleLogScroll} @click=${(e: Event) => this.#parts.loaded<typeof Blocks>('blocks')?.click(e, this.#host)}>
      <div class="log-content">
        ${messages.length ? html`${this.#app?.renderStart()}${this.#list.update(messages, (m) => renderMessage(view, m))}` : this.#renderWelcome()}
        ${messages.length ? this.#app?.renderFollowups() : nothing}
      </div>
    </div>`;
  }

  #messageView(): MessageView {
    const chat = this.#chat;
    const lastBot = chat.messages.findLast((m) => m.role === 'bot');
    return {
      strings: this.#text,
      botName: this.#title,
      progress: chat.progress,
      retryTarget: chat.retryable,
      botAvatar: this.#avatar(this.botAvatar, 'bot-avatar'),
      userAvatar: this.#avatar(this.userAvatar, 'user-avatar'),
      time: this.showTime ? this.#look?.timeFormat(this.#locale) : undefined,
      look: this.#look,
      rich: () => this.#parts.get<typeof Rich>('rich'),
      actions: (m) => this.#parts.get<typeof Actions>('actions')?.renderActions(this.#host, m, m === lastBot),
      content: (id, text, streaming) => this.#contents.node(id, text, streaming),
      imageAllowed: this.#imageAllowed,
      retry: this.#handleRetryClick,
    };
  }

  #renderWelcome(): TemplateResult {
    const t = this.#text;
    const app = this.#app?.config;
    // the page's attributes win; the app (`api`) fills what the page left out
    const welcome = this.welcome || app?.welcome;
    const suggestions = this.suggestions.length ? this.suggestions : (app?.suggestions ?? []);
    return html`
      ${this.#undo
        ? html`<p part="notice" class="notice undo" role="status">${t.resetDone}
            <button part="undo-button" class="pill" type="button" @click=${this.#handleUndoClick}>${t.undo}</button></p>`
        : nothing}
      ${this.#app?.renderStart()}
      ${welcome
        ? html`<div part="message message--bot message--welcome" role="article" aria-label=${this.#title}>
            ${this.#contents.node('welcome', welcome, false)}</div>`
        : nothing}
      ${suggestions.length
        ? html`<div part="suggestions">${suggestions.map(
            (s) => html`<button part="suggestion" class="pill" type="button" @click=${() => this.#sendFromUi(s)}>${s}</button>`,
          )}</div>`
        : nothing}`;
  }

  /** A checked avatar URL (http(s) or relative), or undefined (a bad one warns once). */
  #avatar(url: string, name: string): string | undefined {
    if (!url) return undefined;
    const safe = safeUrl(url, 'image', document.baseURI);
    if (!safe && !this.#warnedAvatar.has(name)) {
      this.#warnedAvatar.add(name);
      warn(`${name}="${url.slice(0, 100)}" is not an http(s) or relative URL; no picture is shown.`);
    }
    return safe ?? undefined;
  }

  readonly #warnedAvatar = new Set<string>();

  /**
   * Puts focus back into the composer after a control the visitor used went away (send, suggestion, stop,
   * retry, reset), so keyboard and screen-reader users are never dropped to the top of the page.
   */
  async #refocus(always = false): Promise<void> {
    await this.updateComplete;
    const active = this.shadowRoot!.activeElement;
    if (always || !active || !active.isConnected || active === this.#input) this.#input?.focus();
  }

  /** Sends from the widget's own controls: the typed text comes back if the send was cancelled. */
  #sendFromUi(text: string, restore?: HTMLTextAreaElement, options?: SendOptions): void {
    void this.#send(text, options).then((answer) => {
      if (!answer && restore && !restore.value) {
        restore.value = text;
        this.#handleInput();
      }
    });
    void this.#refocus();
  }

  /**
   * Says something to screen readers through the panel's own live regions (polite, or assertive for
   * errors), once: the same text twice in a row is said twice.
   */
  #announce(text: string, assertive = false): void {
    const region = this.#find<HTMLElement>(assertive ? '.sr-alert' : '.sr-status');
    if (!region) return;
    region.textContent = '';
    setTimeout(() => (region.textContent = text), 50);
  }

  /** The log: follow the newest text; at the top, older history (`api`). */
  #handleLogScroll = (): void => {
    this.#follow.handleScroll();
    if ((this.#log?.scrollTop ?? 1) < 40) this.#app?.older();
  };

  /**
   * Files pasted into the composer or dropped on the panel are attached (when the app takes files); text
   * pastes and drops as usual.
   */
  #handleFiles = (event: ClipboardEvent | DragEvent): void => {
    const data = (event as ClipboardEvent).clipboardData ?? (event as DragEvent).dataTransfer;
    if (event.type === 'dragover' ? data?.types.includes('Files') : data?.files.length) {
      event.preventDefault();
      if (data!.files.length) this.#app?.attach(data!.files);
    }
  };

  #handlePageHide = (): void => {
    this.#controller?.persist(); // a reload mid-answer keeps what arrived
  };

  #handleResetClick = (): void => {
    const snapshot = this.#chat.reset();
    this.#app?.reset(); // as reset() does: attachments, follow-ups and history paging start over too
    this.#undo = snapshot.messages.length ? snapshot : undefined;
    void this.#refocus(true); // a new conversation: ready to type
  };

  #handleUndoClick = (): void => {
    if (this.#undo) this.#chat.restore(this.#undo);
    this.#undo = undefined;
    void this.#refocus(true);
  };

  #handleRetryClick = (): void => {
    void this.#chat.retry();
    void this.#refocus();
  };

  #handleStopClick = (): void => {
    this.stop();
    void this.#refocus();
  };

  #handlePanelKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    // Escape stops a running answer first; then (launcher) closes the panel
    if (this.#controller?.busy) {
      event.preventDefault();
      this.stop();
      void this.#refocus();
    } else if (this.isLauncher && this.open) {
      event.preventDefault();
      this.hide();
    }
  };

  #handleInput = (): void => {
    const hasText = Boolean(this.#input?.value.trim());
    if (hasText !== this.#hasText) {
      this.#hasText = hasText;
      this.requestUpdate();
    }
  };

  #handleInputKeydown = (event: KeyboardEvent): void => {
    // Enter that ends an IME composition must not send: isComposing, or keyCode 229 (Safari fires the
    // keydown after compositionend with isComposing false)
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    if (!this.#chat.busy) this.#handleSendClick();
  };

  #handleSendClick = (): void => {
    const input = this.#input!;
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    this.#handleInput();
    this.#sendFromUi(text, input);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'dify-chat': DifyChat;
  }
}
