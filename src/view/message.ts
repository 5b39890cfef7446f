/**
 * Render functions for the transcript: one message (user, bot, notice) with its parts. They read what they
 * need from a `MessageView` the element provides, and hold no state.
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import type { Progress } from '../chat/answer.js';
import type { PartKit } from '../parts/load.js';
import type * as Rich from '../parts/dify-chat-rich.js';
import type * as Look from '../parts/dify-chat-look.js';
import { format, type DifyChatStrings } from '../strings.js';
import type { ChatMessage, MessageFile } from '../types.js';
import { ALERT_ICON, RETRY_ICON, STOP_ICON, icon } from './icons.js';

/** What the element hands to parts to render with. */
export const kit: PartKit = { html, nothing, icon };

export interface MessageView {
  readonly strings: DifyChatStrings;
  readonly botName: string;
  /** Chatflow progress of the running answer. */
  readonly progress?: Progress;
  /** The answer a Retry button is offered for (the last one, when it failed and trying again may help). */
  readonly retryTarget?: ChatMessage;
  /** Checked picture URLs (`bot-avatar`, `user-avatar`). */
  readonly botAvatar?: string;
  readonly userAvatar?: string;
  /** Formats a message's time (`show-time`); undefined hides times. */
  readonly time?: (time: number) => string;
  /** The "look" part (pictures and times), once loaded: the element waits for it before it renders. */
  readonly look?: typeof Look;
  /** The "rich" part (reasoning, agent steps, citations), loading on first use: undefined until it arrives. */
  rich(): typeof Rich | undefined;
  /** The actions under a finished answer (copy, ask again, feedback, read aloud), once their part loaded. */
  actions(m: ChatMessage): unknown;
  /** The kept-across-renders markdown node of a message (or of an agent step's thought). */
  content(id: string, text: string, streaming: boolean): HTMLElement;
  /** Whether an image may load by itself (else it is a link). */
  imageAllowed(url: string): boolean;
  retry(): void;
}

export function renderMessage(v: MessageView, m: ChatMessage): TemplateResult {
  if (m.role === 'notice') return html`<p part="notice" class="notice">${m.text}</p>`;
  const user = m.role === 'user';
  const avatar = user ? v.userAvatar : v.botAvatar;
  const body = user ? renderQuestion(v, m) : renderAnswer(v, m);
  return avatar && v.look ? v.look.withAvatar(kit, avatar, user, body) : body;
}

function renderTime(v: MessageView, m: ChatMessage): TemplateResult | typeof nothing {
  return v.time && m.createdAt && v.look ? v.look.renderTime(kit, m.createdAt, v.time) : nothing;
}

function renderQuestion(v: MessageView, m: ChatMessage): TemplateResult {
  return html`<div part="message message--user" role="article" aria-label=${v.strings.you}>
    ${m.files?.map((f) => html`<img part="image" class="sent-image" src=${f.url} alt="" loading="lazy" referrerpolicy="no-referrer" />`)}
    <div part="content" dir="auto">${m.text}</div>${renderTime(v, m)}</div>`;
}

function renderAnswer(v: MessageView, m: ChatMessage): TemplateResult {
  const t = v.strings;
  const streaming = m.status === 'pending' || m.status === 'streaming';
  const empty = !m.text && !m.thinking && !m.thoughts?.length && !m.files?.length;
  const rich = m.thinking || m.thoughts?.length || m.citations?.length ? v.rich() : undefined;
  return html`<div part="message message--bot" role="article" aria-label=${v.botName}
      class=${streaming ? 'streaming' : m.status === 'error' ? 'failed' : ''}>
    ${m.thinking && rich ? rich.renderThinking(kit, t, m.thinking, streaming && !m.text) : nothing}
    ${rich ? m.thoughts?.map((step) => rich.renderThought(kit, v, m, step, streaming)) : nothing}
    ${m.status === 'pending' && !m.text ? renderTyping(v) : nothing}
    ${m.text || (!streaming && !(m.status === 'error' && empty)) ? v.content(m.id, m.text, streaming) : nothing}
    ${m.files?.map((f) => renderFile(v, f))}
    ${m.citations?.length && rich ? rich.renderCitations(kit, t, m.citations) : nothing}
    ${m.truncated ? html`<p part="notice" class="notice">${t.truncated}</p>` : nothing}
    ${m.status === 'stopped' ? html`<p part="notice" class="notice stopped">${icon(STOP_ICON, 14)}${t.stopped}</p>` : nothing}
    ${m.status === 'error' ? renderError(v, m) : nothing}
    ${renderTime(v, m)}
    ${m.status === 'done' ? v.actions(m) : nothing}
  </div>`;
}




function renderTyping(v: MessageView): TemplateResult {
  const t = v.strings;
  const progress = v.progress;
  const label = !progress
    ? format(t.typing, { bot: v.botName })
    : progress.kind === 'knowledge'
      ? t.searching
      : progress.kind === 'node'
        ? format(t.working, { title: progress.title })
        : format(t.typing, { bot: v.botName });
  return html`<div part="typing" role="status" aria-label=${label}>
    <span class="dots" aria-hidden="true"><i></i><i></i><i></i></span>
    ${progress ? html`<span class="progress">${label}</span>` : nothing}</div>`;
}

/** An image the bot produced: shown when its host may load by itself, else a link to it. */
function renderFile(v: MessageView, f: MessageFile): TemplateResult {
  return v.imageAllowed(f.url)
    ? html`<img part="image" src=${f.url} alt="" loading="lazy" referrerpolicy="no-referrer" />`
    : html`<a part="image-link" class="image-link" href=${f.url} target="_blank" rel="noopener noreferrer"
        referrerpolicy="no-referrer">${f.url}</a>`;
}


/** The error of a failed answer, inside its turn (kept after the next message and after a reload). */
function renderError(v: MessageView, m: ChatMessage): TemplateResult {
  const t = v.strings;
  // (announced assertively through the panel's live region when it happens, not by a role here)
  return html`<div part="error">
    ${icon(ALERT_ICON, 18)}<span class="error-text">${m.error || format(t.http, { status: '?' })}</span>
    ${v.retryTarget === m
      ? html`<button part="retry-button" class="pill" type="button" @click=${v.retry}>${icon(RETRY_ICON, 16)}<span>${t.retry}</span></button>`
      : nothing}</div>`;
}
