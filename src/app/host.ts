/**
 * The contract between the element and its lazily loaded app parts (`dify-chat-app`, `-actions`, `-form`,
 * `-files`, `-voice`). Types only: nothing here is in the bundle.
 */
import type { TemplateResult } from 'lit/html.js';
import type { SendOptions } from '../chat/controller.js';
import type { PartKit } from '../parts/load.js';
import type { ChatStore } from '../store.js';
import type { DifyChatStrings } from '../strings.js';
import type { ChatMessage } from '../types.js';
import type { DifyApi } from './api.js';
import type { AppConfig, AppKind } from './config.js';

/** Event names and details the parts fire through the element. */
export interface FeedbackDetail {
  messageId: string;
  rating: 'like' | 'dislike' | null;
  content?: string;
}

/** What the element offers to its parts. */
export interface PartHost {
  readonly kit: PartKit;
  readonly strings: DifyChatStrings;
  /** The `api` base, absolute; '' without `api`. */
  readonly api: string;
  /** The visitor's Dify `user`. */
  readonly user: string;
  readonly headers: Record<string, string>;
  /** `inputs` set by the page (never asked in the form). */
  readonly inputs: Record<string, unknown>;
  readonly storage: ChatStore;
  readonly conversationId: string;
  readonly messages: readonly ChatMessage[];
  readonly busy: boolean;
  /** Feature attributes of the page (`feedback`, `tts`, `stt`). */
  readonly attributes: { feedback: boolean; tts: boolean; stt: boolean };
  /** A loaded part, or undefined while it loads (the element renders again when it arrives). */
  part<T>(name: string): T | undefined;
  /** Loads a part and resolves with it (undefined when it could not load). */
  load<T>(name: string): Promise<T | undefined>;
  requestUpdate(): void;
  send(text: string, options?: SendOptions): void;
  /** Puts text into the composer (speech to text) and focuses it. */
  compose(text: string): void;
  regenerate(): void;
  rate(messageId: string, rating: 'like' | 'dislike' | undefined): void;
  addHistory(messages: ChatMessage[]): void;
  /** Says something to screen readers (politely, or assertively for errors). */
  announce(text: string, assertive?: boolean): void;
  fire(type: string, detail: unknown): void;
  /** Adds CSS to the widget's shadow root (a constructed sheet). */
  adoptStyles(css: string): void;
  /** The app features (`api`), once created. */
  readonly app?: AppFeatures;
}

/** The app part's controller (`dify-chat-app.js`), created by the element when `api` is set. */
export interface AppFeatures {
  /** The app's configuration; undefined until it arrived (or when every request failed). */
  readonly config?: AppConfig;
  readonly client: DifyApi;
  /** Where messages go and how they are stopped, by the app's mode (chat, workflow, completion). */
  readonly route: { endpoint: string; stop: string; kind: AppKind; queryField?: string };
  /** Loads the configuration (once per page session for each `api`) and the history when needed; resolves
   *  when the configuration is there (or every request for it failed). */
  start(): Promise<void>;
  /** Before each render: load history when the conversation has none yet. */
  sync(): void;
  /** What the next message carries (form answers, files); undefined when the message must not go yet. */
  prepare(text: string): SendOptions & { inputs?: Record<string, unknown> } | undefined;
  /** An answer finished: fetch follow-ups, read it aloud when the app says so. */
  answered(message: ChatMessage): void;
  /** The visitor scrolled to the top of the log: load older history, if any. */
  older(): void;
  /** Rendered above the welcome message: the pre-chat form. */
  renderStart(): TemplateResult | unknown;
  /** Rendered after the last answer: follow-up questions. */
  renderFollowups(): TemplateResult | unknown;
  /** Rendered above the composer: attachments, disclaimer. */
  renderAboveComposer(): TemplateResult | unknown;
  /** Rendered at the start / end of the composer: attach and microphone buttons. */
  renderComposerStart(): TemplateResult | unknown;
  renderComposerEnd(): TemplateResult | unknown;
  /** Files pasted or dropped on the widget. */
  attach(files: FileList | File[]): void;
  /** The conversation was reset: forget follow-ups and attachments. */
  reset(): void;
}
