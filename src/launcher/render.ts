/**
 * The launcher button and its unread badge (SPEC §13), kept with plain DOM calls instead of a template: a
 * closed launcher is on every page of a site, so its first paint must cost the page next to nothing
 * (SPEC §11), and lit-html's first render alone costs more than that budget. The teaser bubble and the
 * floating panel are templates of part "launcher", rendered once they show.
 */
import { format, type DifyChatStrings } from '../strings.js';

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

/**
 * Makes (the first time, as the first child of `root`) and updates the launcher button, fixed in its
 * corner: `<button part="launcher">` with its unread badge. Its icon (a speech bubble, a cross when open) is
 * drawn by the stylesheet, not an SVG: on many pages it would be the first SVG element, which costs the page
 * more than everything else the button needs at load.
 */
export function renderLauncher(root: ShadowRoot, button: HTMLButtonElement | null, v: LauncherView): void {
  if (!button) {
    button = root.insertBefore(document.createElement('button'), root.firstChild);
    button.setAttribute('part', 'launcher');
    button.className = 'round launcher';
    button.type = 'button';
    button.onclick = v.toggle;
    button.onpointerenter = button.onfocus = v.prefetch;
  }
  const t = v.strings;
  const name = v.open ? t.close : format(t.open, { bot: v.botName }) + (v.unread ? `, ${format(t.unread, { count: v.count(v.unread) })}` : '');
  button.dir = v.dir ?? '';
  button.title = name;
  button.setAttribute('aria-label', name);
  button.setAttribute('aria-expanded', String(v.open));
  button.setAttribute('aria-controls', v.panelId);
  let badge = button.querySelector('span');
  if (!v.unread || v.open) badge?.remove();
  else {
    badge ??= button.appendChild(document.createElement('span'));
    badge.setAttribute('part', 'badge');
    badge.setAttribute('aria-hidden', 'true');
    badge.textContent = v.unread > 99 ? `${v.count(99)}+` : v.count(v.unread);
  }
}
