/**
 * Part "launcher" (`dist/dify-chat-launcher.js`), loaded when the element is in launcher mode (its button
 * is in the main bundle and shows at once): the floating panel and its open animation, the teaser bubble,
 * and the phone layout, where the open panel covers the viewport and follows the visual viewport so it
 * stays above the on-screen keyboard (SPEC §13).
 */
import type { TemplateResult } from 'lit/html.js';
import type { PartKit } from './load.js';
import { CLOSE_ICON } from '../view/paths.js';


/** The dismissible teaser beside the closed launcher. */
export function renderTeaser(kit: PartKit, text: string, dismissLabel: string, dir: string | undefined, open: () => void, dismiss: () => void): TemplateResult {
  return kit.html`<div part="teaser" dir=${dir ?? kit.nothing}>
    <button class="teaser-text" type="button" @click=${open}>${text}</button>
    <button class="btn teaser-dismiss" type="button" aria-label=${dismissLabel} title=${dismissLabel} @click=${dismiss}>${kit.icon(CLOSE_ICON, 14)}</button>
  </div>`;
}

/**
 * Sizes the open panel to the visual viewport (custom properties on the panel: CSSOM, allowed under a
 * strict style-src). `follow(panel)` while open, `follow(null)` when closed.
 */
export class Viewport {
  #panel: HTMLElement | null = null;

  follow(panel: HTMLElement | null): void {
    const vv = globalThis.visualViewport;
    if (!vv || panel === this.#panel) return;
    if (!this.#panel) {
      vv.addEventListener('resize', this.#update);
      vv.addEventListener('scroll', this.#update);
    } else if (!panel) {
      vv.removeEventListener('resize', this.#update);
      vv.removeEventListener('scroll', this.#update);
    }
    this.#panel = panel;
    this.#update();
  }

  #update = (): void => {
    const vv = globalThis.visualViewport;
    if (!vv || !this.#panel) return;
    this.#panel.style.setProperty('--_vv-height', `${Math.round(vv.height)}px`);
    this.#panel.style.setProperty('--_vv-top', `${Math.round(vv.offsetTop)}px`);
  };
}

export const styles = `
:host { --_shadow: 0 12px 32px light-dark(#0f172a29, #00000080), 0 2px 6px #0f172a14; }
.icon { width: 40px; }
@media (pointer: coarse) { .icon { width: 44px; } }
:host([mode='launcher']) .panel { position: fixed; z-index: var(--_z); bottom: calc(var(--_y) + var(--_launcher) + 16px); right: var(--_x); width: min(var(--dify-chat-panel-width, 400px), 100vw - 2 * var(--_x)); height: min(var(--dify-chat-panel-height, 640px), 100dvh - var(--_y) - var(--_launcher) - 40px); box-shadow: var(--_shadow); transform-origin: bottom right; transition: opacity 0.18s, transform 0.18s, display 0.18s allow-discrete; }
:host([position='bottom-left']) .panel { right: auto; left: var(--_x); transform-origin: bottom left; }
:host([position='bottom-left']) [part~='teaser'] { right: auto; left: calc(var(--_x) + var(--_launcher) + 12px); }
:host([mode='launcher']) .panel[hidden] { display: none; opacity: 0; transform: translateY(12px) scale(0.97); }
@starting-style { :host([mode='launcher']) .panel { opacity: 0; transform: translateY(12px) scale(0.97); } }
[part~='teaser'] { position: fixed; z-index: var(--_z); bottom: calc(var(--_y) + 8px); right: calc(var(--_x) + var(--_launcher) + 12px); display: flex; align-items: flex-start; max-width: min(260px, 100vw - var(--_launcher) - 2 * var(--_x) - 12px); padding: 4px; border: 1px solid var(--_border); border-radius: 16px; background: var(--_bg); color: var(--_text); box-shadow: var(--_shadow); animation: pop 0.25s both; }
.teaser-text { padding: 8px 4px; padding-inline-start: 10px; border: 0; background: none; text-align: start; font-size: 0.92em; line-height: 1.4; }
[part~='teaser'] .btn { min-height: 28px; width: 28px; border-radius: 50%; }
@keyframes pop { from { opacity: 0; transform: translateY(6px); } }
@media (max-width: 640px) {
  :host([mode='launcher']) .panel { inset: var(--_vv-top, 0) 0 auto; width: 100%; height: var(--_vv-height, 100dvh); border: 0; border-radius: 0; padding: env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left); }
  :host([open]) .launcher { display: none; }
}
@media (prefers-reduced-motion: reduce) { .panel, [part~='teaser'] { animation: none !important; transition: none !important; } }
`;

export { partStrings as strings } from '../app/strings.js';
