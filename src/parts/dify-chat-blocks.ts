/**
 * Part "blocks" (`dist/dify-chat-blocks.js`): the markdown blocks most answers do without: code blocks with
 * their header and copy button, tables in a box that scrolls sideways, block quotes and rules (their look).
 * It loads when the visitor first sends a message and before a first render that shows such a block; a
 * block made before it arrived is rebuilt when it does.
 */
import type { PartHost } from '../app/host.js';

/** A box that scrolls sideways, reachable by keyboard (a scrollable region must be focusable). */
export function scrollBox(parent: Element, className: string): HTMLElement {
  const box = parent.appendChild(document.createElement('div'));
  box.className = className;
  box.tabIndex = 0;
  return box;
}

/**
 * A fenced or indented code block: a left-to-right box with a header (language, copy button) and a
 * scrolling `<pre>`. Returns the `<pre>`.
 */
export function codeBlock(parent: Element, labels: { code: string; copy: string }): HTMLElement {
  const block = parent.appendChild(document.createElement('div'));
  block.setAttribute('part', 'code-block');
  block.className = 'code-block';
  block.dir = 'ltr';
  const header = block.appendChild(document.createElement('div'));
  header.className = 'code-header';
  const lang = header.appendChild(document.createElement('span'));
  lang.className = 'code-lang';
  lang.textContent = labels.code;
  const copy = header.appendChild(document.createElement('button'));
  copy.type = 'button';
  copy.setAttribute('part', 'code-copy');
  copy.textContent = labels.copy;
  const pre = block.appendChild(document.createElement('pre'));
  pre.tabIndex = 0; // it scrolls sideways: reachable by keyboard
  return pre;
}

/** A click in the log: a code block's copy button copies its code and says so. */
export function click(event: Event, host: Pick<PartHost, 'strings' | 'announce'>): void {
  const button = (event.target as Element).closest?.('[part~="code-copy"]');
  if (!button) return;
  const code = button.closest('.code-block')?.querySelector('pre')?.textContent ?? '';
  void navigator.clipboard?.writeText(code).then(
    () => {
      const t = host.strings;
      host.announce(t.copied);
      button.textContent = t.copied;
      setTimeout(() => (button.textContent = t.copyCode), 1500);
    },
    () => undefined,
  );
}

/** The part's styles, adopted into the element's shadow root when it loads. */
export const styles = `
.image-link::before { content: '🖼 '; }
.table-scroll:focus-visible { outline-offset: -2px; }
/* code is always left to right, whatever the language around it */
.code-block, .table-scroll { direction: ltr; unicode-bidi: isolate; text-align: left; margin: 0.75em 0; border: 1px solid var(--_border); border-radius: 10px; background: var(--_code-bg); overflow: hidden; }
.table-scroll { direction: inherit; text-align: start; overflow-x: auto; background: var(--_bg); }
.code-header { display: flex; align-items: center; justify-content: space-between; padding: 3px 4px 3px 12px; border-bottom: 1px solid var(--_border); color: var(--_muted); font-size: 0.78em; }
[part~='code-copy'] { min-height: 30px; padding: 0 10px; border: 0; border-radius: 7px; background: none; color: var(--_muted); font-size: inherit; font-weight: 600; }
[part~='code-copy']:hover { background: var(--_surface); color: var(--_text); }
.markdown blockquote { margin-inline: 0; padding-inline-start: 12px; border-inline-start: 3px solid var(--_border); color: var(--_muted); }
.markdown table { min-width: 100%; border-collapse: collapse; font-size: 0.92em; }
.markdown :is(th, td) { padding: 7px 12px; border-bottom: 1px solid var(--_border); text-align: start; vertical-align: top; overflow-wrap: break-word; }
.markdown :is(th, td) + * { border-inline-start: 1px solid var(--_border); }
.markdown tr:last-child > td { border-bottom: 0; }
.markdown th { background: var(--_surface); font-weight: 650; }
.markdown hr { border: 0; border-top: 1px solid var(--_border); margin: 1em 0; }
`;
