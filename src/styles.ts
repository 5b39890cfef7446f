import { css } from 'lit';

/**
 * Rules for rendering performance, not looks (comments here, not in the CSS, which ships as written):
 * - `.messages, .message-item`: the wrappers of MessageList (messages kept by id) are `display: contents`,
 *   so the messages stay the log's flex items.
 * - `.md-group`: each group of 32 blocks of an answer (RenderOptions.group) is its own paint layer, so a
 *   growing answer's frames cost what its newest group costs; `position: relative` makes no stacking
 *   context and no formatting context, so margins collapse across groups as before.
 * - `.message-item:nth-last-child(n + 3) … .markdown`: earlier answers out of view are skipped by style,
 *   layout and paint (a long conversation restores and streams without jank); the last turn always renders.
 *
 * The default look. Public knobs are `--dify-chat-*` custom properties, read once into private `--_*`
 * aliases here (so a page can theme from `:root` or the element itself).
 */
export const styles = css`
  :host {
    --_accent: var(--dify-chat-accent, #2563eb);
    --_accent-text: var(--dify-chat-accent-text, #fff);
    --_bg: var(--dify-chat-background, #fff);
    --_surface: var(--dify-chat-surface, #f3f4f6);
    --_text: var(--dify-chat-text, #111827);
    --_muted: var(--dify-chat-muted, #4b5563);
    --_border: var(--dify-chat-border, #e5e7eb);
    --_error: var(--dify-chat-error, #b91c1c);
    --_radius: var(--dify-chat-radius, 12px);
    --_gap: var(--dify-chat-spacing, 12px);
    display: block;
    /* the widget never widens its container (a long code line scrolls inside instead) */
    contain: inline-size;
    min-width: 0;
    max-width: 100%;
    height: var(--dify-chat-height, 560px);
    font: var(--dify-chat-font-size, 15px) / 1.5 var(--dify-chat-font, system-ui, -apple-system, 'Segoe UI', sans-serif);
    color: var(--_text);
    color-scheme: light dark;
  }
  [hidden] { display: none !important; }
  *, *::before, *::after { box-sizing: border-box; }
  button { font: inherit; color: inherit; cursor: pointer; }
  :focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
  [part~='panel'] {
    position: relative;
    display: flex;
    flex-direction: column;
    height: 100%;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
  }
  [part~='header'] {
    display: flex;
    align-items: center;
    gap: var(--_gap);
    padding: calc(var(--_gap) * 0.75) var(--_gap);
    border-bottom: 1px solid var(--_border);
  }
  [part~='title'] { flex: 1; margin: 0; font-size: 1.05em; font-weight: 600; }
  [part~='reset-button'], [part~='send-button'], [part~='stop-button'] {
    display: inline-grid;
    place-items: center;
    width: 36px;
    height: 36px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
  }
  [part~='reset-button']:hover { background: var(--_surface); }
  .log-area { position: relative; flex: 1; min-height: 0; display: flex; flex-direction: column; }
  [part~='log'] {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: var(--_gap);
  }
  .log-content { display: flex; flex-direction: column; gap: var(--_gap); min-width: 0; }
  .messages, .message-item { display: contents; }
  [part~='message'] {
    min-width: 0;
    max-width: 85%;
    padding: calc(var(--_gap) * 0.6) var(--_gap);
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }
  [part~='message--user'] {
    align-self: flex-end;
    background: var(--_accent);
    color: var(--_accent-text);
  }
  [part~='message--user'] [part~='content'] { white-space: pre-wrap; }
  [part~='message--bot'] { align-self: flex-start; background: var(--_surface); }
  [part~='notice'] { margin: 0; text-align: center; font-size: 0.85em; color: var(--_muted); }
  [part~='message'] [part~='notice'] { text-align: start; }
  .markdown > :first-child, .md-group:first-child > :first-child { margin-top: 0; }
  .markdown > :last-child, .md-group:last-child > :last-child { margin-bottom: 0; }
  .md-group { position: relative; }
  .message-item:nth-last-child(n + 3) > [part~='message'] > .markdown { content-visibility: auto; contain-intrinsic-size: auto 300px; overflow-clip-margin: 8px; }
  .markdown :is(p, ul, ol, pre, blockquote, table) { margin: 0.5em 0; }
  .markdown :is(h1, h2, h3, h4, h5, h6) { margin: 0.75em 0 0.25em; font-size: 1.05em; }
  .markdown h1 { font-size: 1.25em; }
  .markdown h2 { font-size: 1.15em; }
  .markdown :is(ul, ol) { padding-inline-start: 1.4em; }
  .markdown a { color: var(--_accent); }
  .markdown img { max-width: 100%; }
  .markdown code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
  .markdown :not(pre) > code { padding: 0.1em 0.3em; border-radius: 4px; background: rgb(127 127 127 / 0.15); }
  pre { overflow-x: auto; padding: 0.6em 0.8em; border-radius: calc(var(--_radius) / 2); background: rgb(127 127 127 / 0.12); white-space: pre; }
  /* code is always left to right, whatever the language around it */
  .code-block { direction: ltr; unicode-bidi: isolate; text-align: left; margin: 0.5em 0; border-radius: calc(var(--_radius) / 2); background: rgb(127 127 127 / 0.12); min-width: 0; }
  .code-block pre { margin: 0; background: none; }
  .code-header { display: flex; align-items: center; justify-content: space-between; gap: 0.5em; padding: 0.2em 0.4em 0.2em 0.8em; font-size: 0.8em; color: var(--_muted); border-bottom: 1px solid var(--_border); }
  [part~='code-copy'] { padding: 0.2em 0.6em; border: 1px solid transparent; border-radius: 6px; background: transparent; font-size: inherit; }
  [part~='code-copy']:hover { border-color: var(--_border); }
  .markdown blockquote { margin-inline: 0; padding-inline-start: 0.8em; border-inline-start: 3px solid var(--_border); color: var(--_muted); }
  .table-scroll { overflow-x: auto; margin: 0.5em 0; }
  .markdown table { border-collapse: collapse; }
  .image-link::before { content: '🖼 '; }
  .markdown :is(th, td) { border: 1px solid var(--_border); padding: 0.25em 0.5em; }
  .markdown hr { border: 0; border-top: 1px solid var(--_border); }
  details { margin: 0 0 0.5em; font-size: 0.9em; color: var(--_muted); }
  summary { cursor: pointer; }
  .thinking-text { white-space: pre-wrap; padding-inline-start: 0.8em; border-inline-start: 2px solid var(--_border); }
  .label { font-size: 0.8em; font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; }
  [part~='thought'] pre { white-space: pre-wrap; margin: 0.25em 0; }
  [part~='image'] { display: block; max-width: 100%; margin-top: 0.5em; border-radius: calc(var(--_radius) / 2); }
  [part~='citations'] { margin-top: 0.5em; padding-top: 0.5em; border-top: 1px solid var(--_border); font-size: 0.85em; }
  [part~='citations'] ol { margin: 0.25em 0 0; padding-inline-start: 1.4em; }
  [part~='typing'] { display: flex; align-items: center; gap: 0.5em; min-height: 1.5em; color: var(--_muted); font-size: 0.9em; }
  .dots { display: inline-flex; gap: 4px; }
  .dots i { width: 6px; height: 6px; border-radius: 50%; background: currentColor; animation: blink 1.2s infinite ease-in-out both; }
  .dots i:nth-child(2) { animation-delay: 0.2s; }
  .dots i:nth-child(3) { animation-delay: 0.4s; }
  @keyframes blink { 0%, 80%, 100% { opacity: 0.25; } 40% { opacity: 1; } }
  [part~='error'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    color: var(--_error);
    font-size: 0.9em;
  }
  [part~='message'] > [part~='error']:not(:first-child) { margin-top: 0.5em; }
  [part~='message'].failed { background: color-mix(in srgb, var(--_error) 8%, var(--_bg)); }
  .error-text { flex: 1; min-width: 0; }
  [part~='retry-button'], [part~='suggestion'], [part~='jump-button'] {
    padding: 0.35em 0.9em;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_bg);
  }
  [part~='retry-button'] { display: inline-flex; align-items: center; gap: 0.3em; color: var(--_error); border-color: currentColor; }
  [part~='suggestions'] { display: flex; flex-wrap: wrap; gap: 0.5em; }
  [part~='suggestion']:hover, [part~='jump-button']:hover { border-color: var(--_accent); }
  [part~='jump-button'] {
    position: absolute;
    bottom: var(--_gap);
    left: 50%;
    transform: translateX(-50%);
    display: inline-flex;
    align-items: center;
    gap: 0.3em;
    font-size: 0.85em;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.15);
  }
  [part~='jump-button'] svg { width: 16px; height: 16px; }
  [part~='composer'] {
    display: flex;
    align-items: flex-end;
    gap: calc(var(--_gap) / 2);
    padding: calc(var(--_gap) * 0.75);
    border-top: 1px solid var(--_border);
  }
  [part~='input'] {
    flex: 1;
    min-height: 40px;
    max-height: 160px;
    field-sizing: content;
    resize: none;
    padding: 0.5em 0.75em;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_surface);
    color: inherit;
    font: inherit;
  }
  [part~='send-button'], [part~='stop-button'] { background: var(--_accent); color: var(--_accent-text); }
  @media (prefers-reduced-motion: reduce) {
    .dots i { animation: none; opacity: 0.6; }
    * { scroll-behavior: auto !important; }
  }
`;
