/**
 * The element's link to its lazily loaded app features (SPEC §15): with `api`, the app part configures the
 * widget and adds the form, follow-ups, attachments and the microphone; for every backend, the actions part
 * adds copy and ask-again under finished answers (and feedback, read-aloud when turned on). Everything here
 * is small: the features themselves live in `src/parts/`.
 */
import type { SendOptions } from '../chat/controller.js';
import type { Parts } from '../parts/load.js';
import type * as Actions from '../parts/dify-chat-actions.js';
import type * as App from '../parts/dify-chat-app.js';
import type * as Voice from '../parts/dify-chat-voice.js';
import type { ChatMessage } from '../types.js';
import type { AppConfig } from './config.js';
import type { AppFeatures, PartHost } from './host.js';

/** What the element gives its features: the part host, plus the parts loader and styles. */
export interface FeatureHost extends PartHost {
  readonly parts: Parts;
  adoptStyles(css: string): void;
}

export class Features {
  #app?: AppFeatures;
  #accent = '';
  #iconBackground = '';
  #voice?: Voice.Microphone;
  #started?: Promise<void>;

  constructor(private readonly host: FeatureHost) {}

  /** Resolves once the app's configuration is known (or could not be had); at once without `api`. */
  async ready(): Promise<void> {
    if (!this.host.api) return;
    this.connect();
    await this.host.parts.settled();
    this.connect();
    await this.#started;
  }

  /** The app's configuration, once it arrived (`api` only). */
  get config(): AppConfig | undefined {
    return this.#app?.config;
  }

  /** Starts the app features when `api` is set (the app part loads, then the configuration). */
  connect(): void {
    if (!this.host.api || this.#app) return;
    const part = this.host.part<typeof App>('app');
    if (!part) return; // asked for: connect() runs again when it arrives
    this.#app = new part.AppController(this.host);
    this.#started = this.#app.start();
  }

  /** Applies the app's accent colour (the page's `--dify-chat-accent` still wins). */
  sync(): void {
    this.connect();
    this.#app?.sync();
    const c = this.config;
    if (c?.accent && c.accent !== this.#accent) {
      this.#accent = c.accent;
      this.host.adoptStyles(`:host{--_app-accent:${c.accent};--_app-accent-text:${c.accentText}}`);
    }
    const bg = c?.avatar?.background;
    if (bg && !this.#iconBackground) {
      this.#iconBackground = bg;
      this.host.adoptStyles(`:host{--_app-icon-background:${bg}}`);
    }
  }

  /** What the next message carries; undefined when it must wait (form incomplete, uploads running). */
  prepare(text: string): (SendOptions & { inputs?: Record<string, unknown> }) | undefined {
    return this.#app ? this.#app.prepare(text) : {};
  }

  /** Whether the app features are loading (the first message waits for them: they decide where it goes). */
  get pending(): boolean {
    return Boolean(this.host.api) && !this.#app?.config;
  }

  answered(message: ChatMessage): void {
    this.#app?.answered(message);
  }

  older(): void {
    this.#app?.older();
  }

  reset(): void {
    this.#app?.reset();
  }

  attach(files: FileList | File[]): void {
    this.#app?.attach(files);
  }

  renderStart(): unknown {
    return this.#app?.renderStart();
  }

  renderFollowups(): unknown {
    return this.#app?.renderFollowups();
  }

  renderAboveComposer(): unknown {
    return this.#app?.renderAboveComposer();
  }

  renderComposerStart(): unknown {
    return this.#app?.renderComposerStart();
  }

  /** The microphone: from the app's speech-to-text, or the `stt` attribute (the browser's recognition). */
  renderComposerEnd(): unknown {
    if (this.#app?.config?.stt) return this.#app.renderComposerEnd();
    if (!this.host.attributes.stt) return undefined;
    const voice = this.host.part<typeof Voice>('voice');
    if (!voice) return undefined;
    this.#voice ??= new voice.Microphone(this.host);
    return this.#voice.render();
  }

  /** The actions under a finished answer (copy, ask again, feedback, read aloud). */
  renderActions(message: ChatMessage, last: boolean): unknown {
    const actions = this.host.part<typeof Actions>('actions');
    if (!actions) return undefined;
    const c = this.config;
    return actions.renderActions(this.host, message, {
      last,
      feedback: Boolean(this.host.api) || this.host.attributes.feedback,
      speak: Boolean(c?.tts.enabled) || this.host.attributes.tts,
      client: this.#app?.client,
    });
  }
}
