/**
 * Render functions for the transcript: one message (user, bot, notice) with its parts. They read what they
 * need from a `MessageView` the element provides, and hold no state.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Progress } from '../chat/answer.js';
import { format, type DifyChatStrings } from '../strings.js';
import type { AgentThought, ChatMessage, Citation, MessageFile } from '../types.js';
import { ALERT_ICON, RETRY_ICON, icon } from './icons.js';

export interface MessageView {
  readonly strings: DifyChatStrings;
  readonly botName: string;
  /** Chatflow progress of the running answer. */
  readonly progress?: Progress;
  /** The answer a Retry button is offered for (the last one, when it failed and trying again may help). */
  readonly retryTarget?: ChatMessage;
  /** The message that failed last (its error is announced). */
  readonly lastFailed?: ChatMessage;
  /** The kept-across-renders markdown node of a message. */
  content(id: string, text: string, streaming: boolean): HTMLElement;
  /** Whether an image may load by itself (else it is a link). */
  imageAllowed(url: string): boolean;
  retry(): void;
}

export function renderMessage(v: MessageView, m: ChatMessage): TemplateResult {
  if (m.role === 'notice') return html`<p part="notice" class="notice">${m.text}</p>`;
  if (m.role === 'user') {
    return html`<div part="message message--user" role="article" aria-label=${v.strings.you}>
      <div part="content" dir="auto">${m.text}</div></div>`;
  }
  return renderAnswer(v, m);
}

function renderAnswer(v: MessageView, m: ChatMessage): TemplateResult {
  const t = v.strings;
  const streaming = m.status === 'pending' || m.status === 'streaming';
  const empty = !m.text && !m.thinking && !m.thoughts?.length && !m.files?.length;
  return html`<div part="message message--bot" role="article" aria-label=${v.botName}
      class=${streaming ? 'streaming' : m.status === 'error' ? 'failed' : ''}>
    ${m.thinking ? renderThinking(t, m.thinking, streaming && !m.text) : nothing}
    ${m.thoughts?.map((step) => renderThought(t, step))}
    ${m.status === 'pending' && !m.text ? renderTyping(v) : nothing}
    ${m.text || (!streaming && !(m.status === 'error' && empty)) ? v.content(m.id, m.text, streaming) : nothing}
    ${m.files?.map((f) => renderFile(v, f))}
    ${m.citations?.length ? renderCitations(t, m.citations) : nothing}
    ${m.truncated ? html`<p part="notice" class="notice">${t.truncated}</p>` : nothing}
    ${m.status === 'stopped' ? html`<p part="notice" class="notice">${t.stopped}</p>` : nothing}
    ${m.status === 'error' ? renderError(v, m) : nothing}
  </div>`;
}

function renderThinking(t: DifyChatStrings, text: string, open: boolean): TemplateResult {
  return html`<details part="thinking"><summary>${open ? t.thinking : t.thought}</summary>
    <div class="thinking-text" dir="auto">${text}</div></details>`;
}

function renderThought(t: DifyChatStrings, step: AgentThought): TemplateResult {
  return html`<details part="thought">
    <summary>${step.tool ? format(t.tool, { tool: step.tool }) : `${t.step} ${step.position ?? ''}`}</summary>
    ${step.thought ? html`<p dir="auto">${step.thought}</p>` : nothing}
    ${step.toolInput ? html`<div class="label">${t.toolInput}</div><pre dir="ltr" tabindex="0">${step.toolInput}</pre>` : nothing}
    ${step.observation ? html`<div class="label">${t.toolOutput}</div><pre dir="ltr" tabindex="0">${step.observation}</pre>` : nothing}
  </details>`;
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

function renderCitations(t: DifyChatStrings, citations: Citation[]): TemplateResult {
  return html`<div part="citations"><div class="label">${t.sources}</div><ol>
    ${citations.map((c) => html`<li><details><summary>${c.documentName ?? c.datasetName ?? '—'}</summary>
      <p dir="auto">${c.content ?? ''}</p></details></li>`)}</ol></div>`;
}

/** The error of a failed answer, inside its turn (kept after the next message and after a reload). */
function renderError(v: MessageView, m: ChatMessage): TemplateResult {
  const t = v.strings;
  return html`<div part="error" role=${v.lastFailed === m ? 'alert' : nothing}>
    ${icon(ALERT_ICON, 18)}<span class="error-text">${m.error || format(t.http, { status: '?' })}</span>
    ${v.retryTarget === m
      ? html`<button part="retry-button" type="button" @click=${v.retry}>${icon(RETRY_ICON, 16)}<span>${t.retry}</span></button>`
      : nothing}</div>`;
}
