/**
 * Part "rich" (`dist/dify-chat-rich.js`): what only some apps' answers have, loaded the first time an answer
 * has it: the reasoning of a `<think>` block, agent steps (the thought as markdown, tool input and output
 * pretty-printed when they are JSON) and knowledge-base citations as chips that expand.
 */
import type { TemplateResult } from 'lit/html.js';
import type { PartKit } from './load.js';
import { format, type DifyChatStrings } from '../strings.js';
import type { AgentThought, ChatMessage, Citation } from '../types.js';

export interface RichView {
  readonly strings: DifyChatStrings;
  content(id: string, text: string, streaming: boolean): HTMLElement;
}

/** Tool input and output: pretty-printed when they are JSON, as sent otherwise. */
export function prettyJson(text: string): string {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed) || trimmed.length > 100_000) return text;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return text;
  }
}

export function renderThinking({ html }: PartKit, t: DifyChatStrings, text: string, open: boolean): TemplateResult {
  return html`<details part="thinking"><summary>${open ? t.thinking : t.thought}</summary>
    <div class="thinking-text" dir="auto">${text}</div></details>`;
}

export function renderThought(kit: PartKit, v: RichView, m: ChatMessage, step: AgentThought, streaming: boolean): TemplateResult {
  const { html, nothing } = kit;
  const t = v.strings;
  return html`<details part="thought">
    <summary>${step.tool ? format(t.tool, { tool: step.tool }) : format(t.step, { n: step.position ?? '' }).trim()}</summary>
    ${step.thought ? v.content(`${m.id}:${step.id}`, step.thought, streaming) : nothing}
    ${step.toolInput ? html`<div class="label">${t.toolInput}</div><pre dir="ltr" tabindex="0">${prettyJson(step.toolInput)}</pre>` : nothing}
    ${step.observation ? html`<div class="label">${t.toolOutput}</div><pre dir="ltr" tabindex="0">${prettyJson(step.observation)}</pre>` : nothing}
  </details>`;
}

/** Sources as compact chips; each expands to its quoted passage. */
export function renderCitations({ html }: PartKit, t: DifyChatStrings, citations: Citation[]): TemplateResult {
  return html`<div part="citations"><div class="label">${t.sources}</div><div class="chips">
    ${citations.map((c, i) => html`<details part="citation" class="chip">
      <summary><span class="chip-number">${i + 1}</span><span class="chip-name">${c.documentName ?? c.datasetName ?? '—'}</span></summary>
      <p dir="auto">${c.content ?? ''}</p></details>`)}</div></div>`;
}

/** The part's styles, adopted into the element's shadow root when it loads. */
export const styles = `
details { margin: 0 0 0.5em; }
summary { display: flex; align-items: center; gap: 6px; list-style: none; cursor: pointer; color: var(--_muted); font-size: 0.86em; font-weight: 550; }
summary::-webkit-details-marker { display: none; }
summary::before { content: ''; flex: none; width: 6px; height: 6px; margin-inline: 2px 4px; border-inline-end: 2px solid currentColor; border-bottom: 2px solid currentColor; transform: rotate(-45deg); transition: transform 0.15s; }
:host(:dir(rtl)) summary::before { transform: rotate(135deg); }
details[open] > summary::before { transform: rotate(45deg); }
.chip > summary::before { display: none; }
.thinking-text { white-space: pre-wrap; margin-top: 6px; padding-inline-start: 12px; border-inline-start: 2px solid var(--_border); color: var(--_muted); font-size: 0.9em; }
[part~='thought'] > :not(summary) { margin-inline-start: 12px; }
[part~='thought'] > .markdown { margin-top: 6px; color: var(--_muted); font-size: 0.92em; }
[part~='thought'] pre { margin-top: 4px; border: 1px solid var(--_border); border-radius: 8px; background: var(--_code-bg); white-space: pre-wrap; max-height: 260px; overflow: auto; }
.label { margin-top: 8px; color: var(--_muted); font-size: 0.72em; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; }
[part~='citations'] { margin-top: 10px; padding-top: 8px; border-top: 1px solid var(--_border); }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.chip { margin: 0; max-width: 100%; }
.chip[open] { flex-basis: 100%; }
.chip > summary { max-width: 100%; padding: 3px 10px 3px 4px; border: 1px solid var(--_border); border-radius: 999px; background: var(--_bg); color: var(--_text); font-size: 0.8em; font-weight: 500; }
.chip-number { display: inline-grid; place-items: center; min-width: 20px; height: 20px; border-radius: 10px; background: var(--_accent); color: var(--_accent-text); font-size: 0.85em; font-weight: 700; }
.chip-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chip > p { margin: 6px 0 0; padding: 8px 10px; max-height: 220px; overflow: auto; border: 1px solid var(--_border); border-radius: 8px; background: var(--_bg); font-size: 0.86em; white-space: pre-wrap; }
@media (prefers-reduced-motion: reduce) { summary::before { transition: none; } }
@media (forced-colors: active) { .chip-number { forced-color-adjust: none; background: ButtonText; color: ButtonFace; } }
`;

export { partStrings as strings } from '../app/strings.js';
