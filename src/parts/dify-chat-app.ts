/**
 * Part "app" (`dist/dify-chat-app.js`), loaded when `api` is set (SPEC §15): the Dify app configures the
 * widget (`info`, `parameters`, `site`, fetched once per page session), history comes back from
 * `messages`, follow-up questions from `messages/{id}/suggested`; the pre-chat form, attachments and the
 * microphone are parts of their own, loaded when the app turns them on.
 */
import type { TemplateResult } from 'lit/html.js';
import { DifyApi } from '../app/api.js';
import { readAppConfig, type AppConfig } from '../app/config.js';
import type { AppFeatures, PartHost } from '../app/host.js';
import { fromDifyMessages } from '../app/history.js';
import type { SendOptions } from '../chat/controller.js';
import type { ChatMessage } from '../types.js';
import type * as Files from './dify-chat-files.js';
import type * as Form from './dify-chat-form.js';
import type * as Voice from './dify-chat-voice.js';

export { readAppConfig, fromDifyMessages, DifyApi };

/** Configurations already asked for in this page session, by `api` URL. */
const configs = new Map<string, Promise<AppConfig>>();
/** App colour sheets adopted so far in this page (each start's own: see `start`). */
let starts = 0;

/** The app's configuration, fetched once per page session; a failed request just leaves its part out. */
/** Each mode's routes: where a message goes, and how it is stopped. */
const ROUTES = {
  chat: ['chat-messages', 'chat-messages/{task_id}/stop'],
  workflow: ['workflows/run', 'workflows/tasks/{task_id}/stop'],
  completion: ['completion-messages', 'completion-messages/{task_id}/stop'],
};

export function appConfig(client: DifyApi): Promise<AppConfig> {
  let config = configs.get(client.base);
  if (!config) {
    const get = (name: 'info' | 'parameters' | 'site') => client.config(name).catch(() => undefined);
    config = Promise.all([get('info'), get('parameters'), get('site')]).then(([info, parameters, site]) =>
      readAppConfig(info, parameters, site, client.base),
    );
    configs.set(client.base, config);
  }
  return config;
}

export class AppController implements AppFeatures {
  config?: AppConfig;
  readonly client: DifyApi;
  #followups: { for: string; questions: string[] } | undefined;
  #history: 'idle' | 'loading' | 'failed' | 'done' = 'idle';
  /** The conversation whose history was asked for. */
  #historyFor = '';
  #hasOlder = false;
  #files?: Files.Attachments;
  #recorder?: Voice.Microphone;

  constructor(private readonly host: PartHost) {
    this.client = new DifyApi(host.api, () => host.user, () => host.headers);
  }

  get route() {
    const kind = this.config?.kind ?? 'chat';
    const [run, stop] = ROUTES[kind];
    return { endpoint: `${this.client.base}/${run}`, stop: `${this.client.base}/${stop}`, kind, queryField: this.config?.queryField };
  }

  /** Loads the configuration, then the parts it turns on (so the first message finds them ready). */
  async start(): Promise<void> {
    const config = await appConfig(this.client);
    const parts = [config.form.length && 'form', config.files.enabled && 'files', (config.stt || config.tts.enabled) && 'voice'];
    await Promise.all(parts.filter((p): p is string => Boolean(p)).map((p) => this.host.load(p)));
    // replaced meanwhile (the page set another `api`): no colour, history or render from this app
    if (this.host.app !== this) return;
    this.config = config;
    // The app's colour (the page's --dify-chat-accent still wins) and its icon's background. Each start adds a
    // sheet of its own, after any other (the number makes its text new), so after a switch of `api` the
    // current app's values win, and `initial` clears what an earlier app set and this one does not.
    const bg = config.avatar?.background;
    if (config.accent || bg || starts) {
      this.host.adoptStyles(
        `:host{--_app-accent:${config.accent ?? 'initial'};--_app-accent-text:${config.accentText ?? 'initial'};--_app-icon-background:${bg ?? 'initial'}}/*${++starts}*/`,
      );
    }
    this.host.requestUpdate();
    this.#loadHistory();
  }

  /** Before each render: a conversation id without a transcript (another browser, cleared storage, an id
   *  set by the page) brings its history back. */
  sync(): void {
    this.#loadHistory();
  }

  #loadHistory(): void {
    const id = this.host.conversationId;
    if (!id || id === this.#historyFor || this.host.messages.length || this.config?.kind !== 'chat') return;
    this.#historyFor = id;
    this.#page(id);
  }

  #page(conversationId: string, firstId?: string): void {
    this.#history = 'loading';
    this.host.requestUpdate();
    this.client.messages(conversationId, firstId).then(
      (page) => {
        this.#history = 'done';
        this.#hasOlder = page.hasMore;
        if (conversationId === this.host.conversationId) this.host.addHistory(fromDifyMessages(page.messages, this.client.base));
      },
      () => {
        this.#history = 'failed';
        this.host.requestUpdate();
      },
    );
  }

  older(): void {
    const first = this.host.messages.find((m) => m.messageId);
    if (!this.#hasOlder || this.#history === 'loading' || !first?.messageId) return;
    this.#page(this.host.conversationId, first.messageId);
  }

  /** Form answers (kept per storage key) and uploaded files for the next message; undefined: not yet. */
  prepare(text: string): (SendOptions & { inputs?: Record<string, unknown> }) | undefined {
    const config = this.config;
    const options: SendOptions & { inputs?: Record<string, unknown> } = {};
    if (config?.form.length && !this.host.messages.length) {
      const form = this.host.part<typeof Form>('form');
      if (!form) return undefined;
      const inputs = form.check(this.host, config.form);
      if (!inputs) return undefined;
      options.inputs = inputs;
    }
    if (this.#files) {
      const files = this.#files.take(text);
      if (!files) return undefined;
      Object.assign(options, files);
    }
    this.#followups = undefined;
    return options;
  }

  answered(message: ChatMessage): void {
    const config = this.config;
    if (!config || !message.messageId || message.status !== 'done') return;
    if (config.followups) {
      const id = message.messageId;
      this.client.suggested(id).then(
        (questions) => {
          this.#followups = { for: id, questions };
          this.host.requestUpdate();
        },
        () => undefined,
      );
    }
    if (config.tts.enabled && config.tts.autoPlay) {
      this.host.part<typeof Voice>('voice')?.speak(this.host, message, this.client);
    }
  }

  reset(): void {
    this.#followups = undefined;
    this.#files?.clear();
    this.#history = 'idle';
    this.#historyFor = '';
    this.#hasOlder = false;
  }

  attach(files: FileList | File[]): void {
    this.#attachments()?.add(files);
  }

  #attachments(): Files.Attachments | undefined {
    if (!this.config?.files.enabled) return undefined;
    if (!this.#files) {
      const part = this.host.part<typeof Files>('files');
      if (part) this.#files = new part.Attachments(this.host, this.client, this.config.files);
    }
    return this.#files;
  }

  renderStart(): TemplateResult | unknown {
    const { kit, strings: t } = this.host;
    const config = this.config;
    const history =
      this.#history === 'loading'
        ? kit.html`<p part="notice" class="notice" role="status">${t.loadingHistory}</p>`
        : this.#history === 'failed'
          ? kit.html`<p part="notice" class="notice">${t.historyFailed}</p>`
          : kit.nothing;
    if (!config?.form.length || this.host.messages.length) return history;
    const form = this.host.part<typeof Form>('form');
    return kit.html`${history}${form ? form.render(this.host, config.form) : kit.nothing}`;
  }

  renderFollowups(): TemplateResult | unknown {
    const { kit, strings: t, messages } = this.host;
    const last = messages.findLast((m) => m.role === 'bot');
    const f = this.#followups;
    if (!f || !f.questions.length || last?.messageId !== f.for || this.host.busy) return kit.nothing;
    return kit.html`<div part="followups" role="group" aria-label=${t.followups}>${f.questions.map(
      (q) => kit.html`<button part="followup" class="pill" type="button" @click=${() => this.host.send(q)}>${q}</button>`,
    )}</div>`;
  }

  renderAboveComposer(): TemplateResult | unknown {
    const { kit } = this.host;
    const disclaimer = this.config?.disclaimer;
    return kit.html`${this.#attachments()?.render() ?? kit.nothing}${disclaimer ? kit.html`<p part="disclaimer">${disclaimer}</p>` : kit.nothing}`;
  }

  renderComposerStart(): TemplateResult | unknown {
    return this.#attachments()?.renderButton() ?? this.host.kit.nothing;
  }

  renderComposerEnd(): TemplateResult | unknown {
    if (!this.config?.stt) return this.host.kit.nothing;
    const voice = this.host.part<typeof Voice>('voice');
    if (!voice) return this.host.kit.nothing;
    this.#recorder ??= new voice.Microphone(this.host, this.client);
    return this.#recorder.render();
  }
}

export const styles = `
[part~='followups'] { display: flex; flex-wrap: wrap; gap: 8px; }
[part~='followup'] { min-height: 36px; text-align: start; }
[part~='disclaimer'] { margin: 0 var(--_gap) 8px; color: var(--_muted); font-size: 0.75em; text-align: center; }
`;

export { partStrings as strings } from '../app/strings.js';
