/** The panel's header: avatar and title, the "new conversation" control, and (launcher) the close button. */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import type { DifyChatStrings } from '../strings.js';
import { CLOSE_ICON, NEW_ICON, icon } from './icons.js';

export interface HeaderView {
  readonly strings: DifyChatStrings;
  readonly botName: string;
  /** The id the dialog is labelled by. */
  readonly titleId: string;
  /** 1–6 makes the title a heading of that level; 0 leaves the page's outline alone. */
  readonly headingLevel: number;
  readonly avatar?: string;
  /** The app's emoji icon (`api`), when there is no picture. */
  readonly emoji?: { emoji: string; background?: string };
  /** Show the close button (launcher mode). */
  readonly closable: boolean;
  reset(): void;
  close(): void;
}

export function renderHeader(v: HeaderView): TemplateResult {
  const t = v.strings;
  const level = v.headingLevel;
  return html`<header part="header">
    ${v.avatar
      ? html`<img part="avatar" class="avatar" src=${v.avatar} alt="" referrerpolicy="no-referrer" />`
      : v.emoji
        ? html`<span part="avatar" class="avatar emoji" aria-hidden="true">${v.emoji.emoji}</span>`
        : nothing}
    <div part="title" id=${v.titleId} role=${level ? 'heading' : nothing} aria-level=${level || nothing}>${v.botName}</div>
    <button part="reset-button" class="btn" type="button" title=${t.reset} @click=${v.reset}>
      ${icon(NEW_ICON, 18)}<span class="text">${t.newChat}</span>
    </button>
    ${v.closable
      ? html`<button part="close-button" class="btn icon" type="button" aria-label=${t.close} title=${t.close}
          @click=${v.close}>${icon(CLOSE_ICON, 20)}</button>`
      : nothing}
  </header>`;
}
