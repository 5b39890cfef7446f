/** The launcher button, its unread badge and the teaser bubble (SPEC §13). Render functions, no state. */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { format, type DifyChatStrings } from '../strings.js';
import { CHAT_ICON, CLOSE_ICON, icon } from '../view/icons.js';

export interface LauncherView {
  readonly strings: DifyChatStrings;
  readonly botName: string;
  readonly open: boolean;
  readonly unread: number;
  /** Formats a count in the widget's language. */
  count(n: number): string;
  readonly dir?: string;
  /** The teaser bubble (part "launcher"), when it should show. */
  readonly teaser: unknown;
  /** The id of the panel the launcher controls. */
  readonly panelId: string;
  toggle(): void;
  /** The visitor may open soon (pointer over or focus on the button): fetch what the panel needs. */
  prefetch(): void;
}

export function renderLauncher(v: LauncherView): TemplateResult {
  const t = v.strings;
  const name = v.open
    ? t.close
    : [format(t.open, { bot: v.botName }), v.unread ? format(t.unread, { count: v.count(v.unread)}) : ''].filter(Boolean).join(', ');
  return html`<div class="launcher-area" dir=${v.dir ?? nothing}>
    ${v.teaser}
    <button part="launcher" class="round launcher" type="button" aria-label=${name} title=${name}
      aria-expanded=${v.open ? 'true' : 'false'} aria-controls=${v.panelId} @click=${v.toggle} @pointerenter=${v.prefetch} @focus=${v.prefetch}>
      ${icon(v.open ? CLOSE_ICON : CHAT_ICON, 26)}
      ${v.unread && !v.open ? html`<span part="badge" class="badge" aria-hidden="true">${v.unread > 99 ? `${v.count(99)}+` : v.count(v.unread)}</span>` : nothing}
    </button>
  </div>`;
}
