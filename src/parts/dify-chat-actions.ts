/**
 * Part "actions" (`dist/dify-chat-actions.js`): the row under each finished answer (SPEC §15): copy (any
 * backend), ask again (the last answer; any backend), like / dislike with an optional comment after a
 * dislike (with `api`, or the `feedback` attribute: then only the `dify-chat-feedback` event fires), and
 * read aloud (when the app or the `tts` attribute turns it on).
 */
import type { TemplateResult } from 'lit/html.js';
import type { DifyApi } from '../app/api.js';
import type { FeedbackDetail, PartHost } from '../app/host.js';
import type { ChatMessage } from '../types.js';
import type * as Voice from './dify-chat-voice.js';
import { RETRY_ICON } from '../view/paths.js';

const COPY_ICON = 'M9 9h10v10H9zM5 15V5h10';
const UP_ICON = 'M7 10v11H4V10h3Zm0 0 4-7a2 2 0 0 1 2 2v4h5.5a2 2 0 0 1 2 2.3l-1.3 8A2 2 0 0 1 17.2 21H7';
const DOWN_ICON = 'M17 14V3h3v11h-3Zm0 0-4 7a2 2 0 0 1-2-2v-4H5.5a2 2 0 0 1-2-2.3l1.3-8A2 2 0 0 1 6.8 3H17';

/** Per element: which answer has its comment box open, and which was just copied. */
const state = new WeakMap<PartHost, { commenting?: string; copied?: string; thanked?: string }>();
const stateOf = (host: PartHost) => {
  let s = state.get(host);
  if (!s) state.set(host, (s = {}));
  return s;
};

async function copy(host: PartHost, m: ChatMessage): Promise<void> {
  try {
    await navigator.clipboard.writeText(m.text);
  } catch {
    return;
  }
  stateOf(host).copied = m.id;
  host.announce(host.strings.copiedAnswer);
  host.requestUpdate();
  setTimeout(() => {
    if (stateOf(host).copied === m.id) stateOf(host).copied = undefined;
    host.requestUpdate();
  }, 2000);
}

/** Sends a rating (or revokes it with null) and fires `dify-chat-feedback`. */
function rate(host: PartHost, m: ChatMessage, rating: 'like' | 'dislike' | null, client?: DifyApi, content?: string): void {
  const messageId = m.messageId ?? m.id;
  host.rate(messageId, rating ?? undefined);
  if (m.messageId && client && host.api) client.feedback(m.messageId, rating, content).catch(() => undefined);
  const detail: FeedbackDetail = { messageId, rating, ...(content ? { content } : {}) };
  host.fire('dify-chat-feedback', detail);
  const s = stateOf(host);
  s.commenting = rating === 'dislike' && !content ? m.id : undefined;
  if (content) {
    s.thanked = m.id;
    host.announce(host.strings.feedbackThanks);
  }
  host.requestUpdate();
}

/** The actions under a finished answer: copy, ask again (the last answer), like/dislike, read aloud. */
export function renderActions(host: PartHost, m: ChatMessage, last: boolean): TemplateResult {
  const { kit, strings: t, app, attributes } = host;
  const { html, nothing } = kit;
  const s = stateOf(host);
  // feedback and read-aloud: with `api` the app decides, else the page's `feedback` and `tts` attributes
  const options = {
    last,
    feedback: Boolean(host.api) || attributes.feedback,
    client: app?.client,
  };
  const speak = Boolean(app?.config?.tts.enabled) || attributes.tts;
  const voice = speak ? host.part<typeof Voice>('voice') : undefined;
  const button = (name: string, label: string, path: string, click: () => void, pressed?: boolean) =>
    html`<button part=${name} class="action" type="button" aria-label=${label} title=${label}
      aria-pressed=${pressed === undefined ? nothing : pressed ? 'true' : 'false'} @click=${click}>${kit.icon(path, 16)}</button>`;
  const comment = (e: Event) => {
    e.preventDefault();
    const box = (e.target as HTMLFormElement).elements.namedItem('comment') as HTMLTextAreaElement;
    if (box.value.trim()) rate(host, m, 'dislike', options.client, box.value.trim().slice(0, 2000));
  };
  return html`<div part="actions" role="group">
    ${button('copy-button', s.copied === m.id ? t.copiedAnswer : t.copy, COPY_ICON, () => void copy(host, m))}
    ${options.last && !host.busy ? button('regenerate-button', t.regenerate, RETRY_ICON, () => host.regenerate()) : nothing}
    ${options.feedback
      ? html`${button('like-button', t.like, UP_ICON, () => rate(host, m, m.rating === 'like' ? null : 'like', options.client), m.rating === 'like')}
          ${button('dislike-button', t.dislike, DOWN_ICON, () => rate(host, m, m.rating === 'dislike' ? null : 'dislike', options.client), m.rating === 'dislike')}`
      : nothing}
    ${voice ? voice.renderSpeak(host, m, options.client) : nothing}
  </div>
  ${s.commenting === m.id && m.rating === 'dislike'
    ? html`<form class="comment" @submit=${comment}>
        <label class="comment-label" for=${`c-${m.id}`}>${t.feedbackPrompt}</label>
        <textarea id=${`c-${m.id}`} name="comment" rows="2" maxlength="2000"></textarea>
        <button type="submit" class="comment-send">${t.feedbackSend}</button>
      </form>`
    : s.thanked === m.id
      ? html`<p part="notice" class="notice" role="status">${t.feedbackThanks}</p>`
      : nothing}`;
}

export const styles = `
[part~='actions'] { display: flex; flex-wrap: wrap; gap: 2px; margin-top: 6px; margin-inline-start: -6px; }
.action { display: grid; place-items: center; width: 34px; height: 34px; padding: 0; border: 0; border-radius: 8px; background: transparent; color: var(--_muted); }
.action:hover { background: color-mix(in srgb, var(--_text) 8%, transparent); color: var(--_text); }
.action[aria-pressed='true'] { color: var(--_accent); background: color-mix(in srgb, var(--_accent) 12%, transparent); }
.comment { display: flex; flex-direction: column; gap: 6px; margin-top: 6px; }
.comment-label { font-size: 0.82em; color: var(--_muted); }
.comment textarea { min-height: 44px; padding: 8px 10px; border: 1px solid var(--_border); border-radius: 10px; background: var(--_bg); color: inherit; font: inherit; resize: vertical; }
.comment-send { align-self: flex-end; min-height: 36px; padding: 0 14px; border: 0; border-radius: 999px; background: var(--_accent); color: var(--_accent-text); font-weight: 600; }
@media (pointer: coarse) { .action { width: 44px; height: 44px; } }
@media (forced-colors: active) { .action[aria-pressed='true'] { outline: 2px solid Highlight; } }
`;

export { partStrings as strings } from '../app/strings.js';
