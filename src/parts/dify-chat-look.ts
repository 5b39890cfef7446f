/**
 * Part "look" (`dist/dify-chat-look.js`), loaded before the first render when the page asks for pictures
 * beside the messages (`bot-avatar`, `user-avatar`) or their times (`show-time`), SPEC §14: the row that
 * puts a picture beside a message, and the message's time formatted with `Intl` in the widget's language.
 */
import type { TemplateResult } from 'lit/html.js';
import type { PartKit } from './load.js';

/** A message with its author's picture beside it (the URL is checked by the element). */
export function withAvatar(kit: PartKit, src: string, user: boolean, message: TemplateResult): TemplateResult {
  return kit.html`<div class=${`row ${user ? 'row--user' : 'row--bot'}`}>
    <img part="avatar" class="avatar" src=${src} alt="" loading="lazy" referrerpolicy="no-referrer" />${message}</div>`;
}

/** A message's time, as a `<time datetime>` shown in the widget's language. */
export function renderTime(kit: PartKit, time: number, format: (time: number) => string): TemplateResult {
  return kit.html`<time part="time" datetime=${new Date(time).toISOString()}>${format(time)}</time>`;
}

/** The formatters made so far, by locale (the element asks on every render). */
const formats = new Map<string, (time: number) => string>();

/** Formats times in `locale` (hours and minutes), or in the browser's language when `locale` is not one. */
export function timeFormat(locale: string): (time: number) => string {
  let made = formats.get(locale);
  if (!made) {
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' });
    } catch {
      format = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
    }
    made = (time) => format.format(time);
    formats.set(locale, made);
  }
  return made;
}

/** The part's styles, adopted into the element's shadow root when it loads. */
export const styles = `
  .row { display: flex; align-items: flex-end; gap: 8px; min-width: 0; }
  .row--user { flex-direction: row-reverse; }
  .row--bot > [part~='message'] { flex: 1; }
  [part~='time'] { display: block; margin-top: 4px; font-size: 0.72em; }
  [part~='message--user'] [part~='time'] { text-align: end; }
`;
