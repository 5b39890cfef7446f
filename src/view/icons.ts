import { html, type TemplateResult } from 'lit/html.js';

/** A 24×24 stroked icon (decorative: the button around it carries the name). */
export const icon = (path: string, size = 20): TemplateResult =>
  html`<svg viewBox="0 0 24 24" width=${size} height=${size} aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d=${path}></path></svg>`;

export { ALERT_ICON, CLOSE_ICON, DOWN_ICON, NEW_ICON, RETRY_ICON, SEND_ICON, STOP_ICON } from './paths.js';
