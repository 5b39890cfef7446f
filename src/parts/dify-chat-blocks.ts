/**
 * Part "blocks" (`dist/dify-chat-blocks.js`): the look of the markdown blocks most answers do without (code
 * blocks with their header and copy button, tables, block quotes, rules). It loads when the visitor first
 * sends a message, when a transcript or welcome about to be shown has such a block (the first render waits
 * for it), and at the latest when the renderer makes one.
 */

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
