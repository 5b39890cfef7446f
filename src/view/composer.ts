/** The composer: the message box and the send/stop button (SPEC §8: sending while a stream runs is not possible). */
import { html, type TemplateResult } from 'lit/html.js';
import type { DifyChatStrings } from '../strings.js';
import { SEND_ICON, STOP_ICON, icon } from './icons.js';

export interface ComposerView {
  readonly strings: DifyChatStrings;
  readonly placeholder: string;
  readonly busy: boolean;
  /** The box has something to send (Send is disabled otherwise). */
  readonly hasText: boolean;
  /** Extra controls at the start (attach) and end (microphone) of the composer. */
  start?: unknown;
  end?: unknown;
  send(): void;
  stop(): void;
  keydown(event: KeyboardEvent): void;
  input(event: Event): void;
}

export function renderComposer(v: ComposerView): TemplateResult {
  const t = v.strings;
  return html`<div part="composer">
    ${v.start}
    <textarea part="input" rows="1" dir="auto" aria-label=${t.input} placeholder=${v.placeholder}
      @keydown=${v.keydown} @input=${v.input}></textarea>
    ${v.end}
    ${v.busy
      ? html`<button part="stop-button" class="round" type="button" aria-label=${t.stop} title=${t.stop} @click=${v.stop}>${icon(STOP_ICON)}</button>`
      : html`<button part="send-button" class="round" type="button" aria-label=${t.send} title=${t.send}
          ?disabled=${!v.hasText} @click=${v.send}>${icon(SEND_ICON)}</button>`}
  </div>`;
}
