/**
 * The launcher button and its unread badge (SPEC §13), kept with plain DOM calls instead of a template: a
 * closed launcher is on every page of a site, so its first paint must cost the page next to nothing
 * (SPEC §11), and lit-html's first render alone costs more than that budget. The teaser bubble and the
 * floating panel are templates of part "launcher", rendered once they show.
 */
import { format, type DifyChatStrings } from '../strings.js';
import { CHAT_ICON, CLOSE_ICON } from '../view/icons.js';

export interface LauncherView {
  readonly strings: DifyChatStrings;
  readonly botName: string;
  readonly open: boolean;
  readonly unread: number;
  /** Formats a count in the widget's language. */
  count(n: number): string;
  readonly dir?: string;
  /** The id of the panel the launcher controls. */
  readonly panelId: string;
  /** Runs on a click. */
  toggle(): void;
  /** Runs when the visitor points at or focuses the button (the panel may open soon). */
  prefetch(): void;
}

const SVG = 'http://www.w3.org/2000/svg';

/**
 * Makes (the first time, as the first child of `root`) and updates the launcher button, fixed in its
 * corner: `<button part="launcher">` with its icon and unread badge.
 */
export function renderLauncher(root: ShadowRoot, button: HTMLButtonElement | null, v: LauncherView): void {
  if (!button) {
    button = root.insertBefore(document.createElement('button'), root.firstChild);
    button.setAttribute('part', 'launcher');
    button.className = 'round launcher';
    button.type = 'button';
    button.onclick = v.toggle;
    button.onpointerenter = button.onfocus = v.prefetch;
    const svg = button.appendChild(document.createElementNS(SVG, 'svg'));
    // the attributes of view/icons.ts's icon(), in the same words
    for (const [, name, value] of 'viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"'.matchAll(/(\S+)="(.*?)"/g)) {
      svg.setAttribute(name, value);
    }
    svg.appendChild(document.createElementNS(SVG, 'path'));
  }
  const t = v.strings;
  const name = v.open ? t.close : format(t.open, { bot: v.botName }) + (v.unread ? `, ${format(t.unread, { count: v.count(v.unread) })}` : '');
  button.dir = v.dir ?? '';
  button.title = name;
  button.setAttribute('aria-label', name);
  button.setAttribute('aria-expanded', String(v.open));
  button.setAttribute('aria-controls', v.panelId);
  button.querySelector('path')!.setAttribute('d', v.open ? CLOSE_ICON : CHAT_ICON);
  let badge = button.querySelector('span');
  if (!v.unread || v.open) badge?.remove();
  else {
    badge ??= button.appendChild(document.createElement('span'));
    badge.setAttribute('part', 'badge');
    badge.setAttribute('aria-hidden', 'true');
    badge.textContent = v.unread > 99 ? `${v.count(99)}+` : v.count(v.unread);
  }
}
