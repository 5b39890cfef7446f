import { css } from './reactive.js';

/**
 * Rules for rendering performance, not looks:
 * - `.messages, .message-item`: the wrappers of MessageList (messages kept by id) are `display: contents`,
 *   so the messages stay the log's flex items.
 * - `.md-group`: each group of 32 blocks of an answer (RenderOptions.group) is its own paint layer, so a
 *   growing answer's frames cost what its newest group costs; `position: relative` makes no stacking
 *   context and no formatting context, so margins collapse across groups as before.
 * - `.md-last`: the last block of an answer (set by the markdown renderer). A rule under `.streaming` must
 *   end in a class (like `.md-last::after`): ending in `:last-child` it would restyle the whole answer when
 *   the stream ends (~20 ms for a 100 KB answer).
 * - `.message-item:nth-last-child(n + 3) … .markdown`: earlier answers out of view are skipped by style,
 *   layout and paint (a long conversation restores and streams without jank); the last turn always renders.
 *
 * The default look, in two sheets: `buttonStyles` (the custom properties and what a closed launcher's button
 * needs: all a page pays for at load, SPEC §11) and `styles` (everything else, adopted once the panel or an
 * inline widget shows). Public knobs are `--dify-chat-*` custom properties, read once into private `--_*`
 * aliases here (so a page can theme from `:root` or the element itself). Skins (`dist/themes/*.css`) use
 * only those properties and `::part()`. Logical properties throughout, so right-to-left pages mirror.
 * Shared classes keep it small: `.btn` (a bare button), `.pill` (a rounded outlined button), `.round` (a
 * 44px circle).
 */
export const buttonStyles = css`
  :host {
    /* light-dark(): the dark values apply with theme="dark", and with theme="auto" on a dark system */
    --_accent: var(--dify-chat-accent, var(--_app-accent, light-dark(#2563eb, #60a5fa)));
    --_accent-text: var(--dify-chat-accent-text, var(--_app-accent-text, light-dark(#fff, #0b1220)));
    --_bg: var(--dify-chat-background, light-dark(#fff, #0f172a));
    --_text: var(--dify-chat-text, light-dark(#111827, #e2e8f0));
    --_launcher: var(--dify-chat-launcher-size, 56px);
    --_x: var(--dify-chat-offset-x, 20px);
    --_y: var(--dify-chat-offset-y, 20px);
    --_z: var(--dify-chat-z-index, 2147483000);
    display: block;
    /* the widget never widens its container (a long code line scrolls inside instead) */
    contain: inline-size;
    min-width: 0;
    max-width: 100%;
    height: var(--dify-chat-height, 560px);
    font: var(--dify-chat-font-size, 15px) / 1.55 var(--dify-chat-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--_text);
    color-scheme: light;
  }
  :host([theme='dark']) { color-scheme: dark; }
  :host([theme='auto']) { color-scheme: light dark; }
  :host([mode='launcher']) { height: 0; }
  [hidden] { display: none !important; }
  *, ::before, ::after { box-sizing: border-box; }
  button { font: inherit; color: inherit; cursor: pointer; }
  :focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
  svg { flex: none; }
  .btn, .pill, .round { display: inline-flex; align-items: center; justify-content: center; gap: 6px; padding: 0; border: 0; background: none; }
  .round { flex: none; width: 44px; height: 44px; border-radius: 50%; background: var(--_accent); color: var(--_accent-text); }
  .round:disabled { opacity: 0.4; cursor: default; }
  [part~='stop-button'] { background: var(--_text); color: var(--_bg); }
  .round:not(:disabled):active, .launcher:active { transform: scale(0.95); }
  /* launcher button (the floating panel, teaser and phone layout: part "launcher") */
  .launcher { position: fixed; z-index: var(--_z); bottom: var(--_y); right: var(--_x); width: var(--_launcher); height: var(--_launcher); box-shadow: 0 6px 20px #0f172a40; }
  /* its icon, drawn here (no SVG: see launcher/render.ts): a speech bubble, a cross when open */
  .launcher::before, .launcher::after { content: ''; position: absolute; inset: 0; margin: auto; }
  .launcher::before { width: 24px; height: 18px; border-radius: 7px; background: currentColor; transform: translateY(-2px); }
  .launcher::after { width: 0; height: 0; border-top: 7px solid; border-right: 7px solid transparent; transform: translate(-3.5px, 9.5px); }
  .launcher[aria-expanded='true']::before, .launcher[aria-expanded='true']::after { width: 22px; height: 2.4px; border: 0; border-radius: 2px; background: currentColor; transform: rotate(45deg); }
  .launcher[aria-expanded='true']::after { transform: rotate(-45deg); }
  :host([position='bottom-left']) .launcher { right: auto; left: var(--_x); }
  [part~='badge'] { position: absolute; top: -3px; inset-inline-end: -3px; min-width: 22px; height: 22px; padding: 0 6px; border: 2px solid var(--_bg); border-radius: 11px; background: #dc2626; color: #fff; font: 700 11px/18px sans-serif; }
  @media (prefers-reduced-motion: reduce) { *, ::before, ::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; } }
  @media (forced-colors: active) { .round, [part~='badge'] { forced-color-adjust: none; background: ButtonText; color: ButtonFace; } }
`;

/** The rest of the default look, adopted once the element is more than a closed launcher's button. */
export const styles = css`
  :host {
    --_surface: var(--dify-chat-surface, light-dark(#f3f4f6, #1e293b));
    --_muted: var(--dify-chat-muted, light-dark(#4b5563, #a3b1c6));
    --_border: var(--dify-chat-border, light-dark(#e5e7eb, #334155));
    --_error: var(--dify-chat-error, light-dark(#b91c1c, #fca5a5));
    --_code-bg: var(--dify-chat-code-background, light-dark(#fff, #0b1220));
    --_radius: var(--dify-chat-radius, 14px);
    --_gap: var(--dify-chat-spacing, 12px);
  }
  .btn { min-height: 40px; padding: 0 10px; border-radius: 10px; color: var(--_muted); font-size: 0.88em; font-weight: 550; }
  .btn:hover { background: var(--_surface); color: var(--_text); }
  .pill { min-height: 40px; padding: 0 14px; border: 1px solid var(--_border); border-radius: 999px; background: var(--_bg); font-size: 0.9em; }
  .pill:hover { border-color: var(--_accent); }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }

  /* panel and header */
  .panel { position: relative; display: flex; flex-direction: column; height: 100%; background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); overflow: hidden; }
  [part~='header'] { display: flex; align-items: center; gap: 9px; min-height: 56px; padding: 8px 10px; padding-inline-start: var(--_gap); border-bottom: 1px solid var(--_border); }
  [part~='title'] { flex: 1; min-width: 0; font-size: 1.05em; font-weight: 650; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .avatar { flex: none; display: grid; place-items: center; width: 28px; height: 28px; border-radius: 50%; object-fit: cover; background: var(--_app-icon-background, var(--_surface)); line-height: 1; }

  /* log */
  .log-area { position: relative; flex: 1; min-height: 0; display: flex; flex-direction: column; }
  [part~='log'] { flex: 1; min-height: 0; overflow-y: auto; overscroll-behavior: contain; padding: 15px var(--_gap); scrollbar-width: thin; }
  [part~='log']:focus-visible { outline-offset: -3px; }
  .log-content { display: flex; flex-direction: column; gap: var(--_gap); min-width: 0; }
  .messages, .message-item { display: contents; }
  [part~='message'] { min-width: 0; padding: 10px 14px; border-radius: calc(var(--_radius) + 4px); overflow-wrap: anywhere; }
  [part~='message--user'] { align-self: flex-end; max-width: 85%; background: var(--_accent); color: var(--_accent-text); border-end-end-radius: 6px; }
  [part~='message--user'] [part~='content'] { white-space: pre-wrap; }
  /* answers use the whole width of the log, so tables and code breathe */
  [part~='message--bot'] { align-self: stretch; background: var(--_surface); border-end-start-radius: 6px; }
  .notice { margin: 0; text-align: center; font-size: 0.82em; color: var(--_muted); }
  [part~='message'] .notice { text-align: start; }
  .stopped { display: flex; align-items: center; gap: 6px; margin-top: 8px; padding-top: 6px; border-top: 1px dashed var(--_border); }
  .undo { display: flex; align-items: center; justify-content: center; gap: 8px; }
  .undo .pill { min-height: 30px; color: var(--_text); font-weight: 600; }

  /* markdown */
  .md-group:first-child > :first-child { margin-top: 0; }
  .markdown .md-last { margin-bottom: 0; }
  .md-group { position: relative; }
  .message-item:nth-last-child(n + 3) .markdown { content-visibility: auto; contain-intrinsic-size: auto 300px; overflow-clip-margin: 8px; }
  .markdown :is(p, ul, ol, blockquote) { margin: 0.55em 0; }
  .markdown :is(h1, h2, h3, h4, h5, h6) { margin: 0.9em 0 0.35em; font-size: 1.02em; line-height: 1.3; }
  .markdown h1 { font-size: 1.25em; }
  .markdown h2 { font-size: 1.14em; }
  .markdown :is(ul, ol) { padding-inline-start: 1.4em; }
  .markdown a, .image-link { color: var(--dify-chat-link, inherit); text-decoration: underline 1.5px var(--_accent); text-underline-offset: 2px; }
  .markdown a:hover { text-decoration-thickness: 2.5px; }
  .markdown img, [part~='image'] { display: block; max-width: 100%; margin: 0.5em 0; border-radius: 10px; }
  .sent-image { max-width: min(240px, 100%); }
  code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
  .markdown :not(pre) > code { padding: 0.1em 0.35em; border-radius: 5px; background: #7f7f7f29; font-size: 0.88em; }
  pre { margin: 0; overflow-x: auto; padding: 10px 14px; font-size: 0.85em; line-height: 1.5; scrollbar-width: thin; }
  pre:focus-visible { outline-offset: -2px; }
  /* a streaming answer shows that more is coming */
  .streaming .md-last::after { content: ''; display: inline-block; width: 0.45em; height: 1.05em; margin-inline-start: 2px; vertical-align: text-bottom; background: currentColor; opacity: 0.55; animation: caret 1s steps(2, jump-none) infinite; }
  @keyframes caret { 50% { opacity: 0; } }
  [part~='typing'] { display: flex; align-items: center; gap: 8px; min-height: 1.55em; color: var(--_muted); font-size: 0.9em; }
  .dots { display: inline-flex; gap: 4px; }
  .dots i { width: 6px; height: 6px; border-radius: 50%; background: currentColor; animation: blink 1.2s infinite both; }
  .dots i:nth-child(2) { animation-delay: 0.2s; }
  .dots i:nth-child(3) { animation-delay: 0.4s; }
  @keyframes blink { 0%, 80%, 100% { opacity: 0.25; } 40% { opacity: 1; } }

  /* errors sit inside the failed turn */
  .failed { background: color-mix(in srgb, var(--_error) 9%, var(--_bg)); box-shadow: inset 0 0 0 1px color-mix(in srgb, var(--_error) 30%, transparent); }
  [part~='error'] { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; color: var(--_error); font-size: 0.9em; }
  [part~='message'] > [part~='error']:not(:first-child) { margin-top: 8px; }
  .error-text { flex: 1; min-width: 12em; }
  [part~='retry-button'] { min-height: 34px; border-color: currentColor; color: var(--_error); font-weight: 600; }

  /* starter prompts, jump button, composer */
  [part~='suggestions'] { display: flex; flex-wrap: wrap; gap: 8px; }
  [part~='jump-button'] { position: absolute; bottom: var(--_gap); left: 50%; transform: translateX(-50%); min-height: 36px; box-shadow: 0 4px 14px #0f172a26; }
  [part~='composer'] { position: relative; display: flex; align-items: flex-end; gap: 8px; margin: 0 var(--_gap) var(--_gap); padding: 4px; padding-inline-start: 14px; border: 1px solid color-mix(in srgb, var(--_text) 45%, var(--_bg)); border-radius: 26px; background: var(--_bg); }
  [part~='composer']:focus-within { border-color: var(--_accent); box-shadow: 0 0 0 3px color-mix(in srgb, var(--_accent) 22%, transparent); }
  [part~='input'] { flex: 1; min-width: 0; min-height: 44px; max-height: 160px; field-sizing: content; resize: none; padding: 11px 0; border: 0; outline: 0; background: none; color: inherit; font: inherit; line-height: 1.45; }
  [part~='input']::placeholder { color: var(--_muted); opacity: 1; }
  [dir='rtl'] [part~='send-button'] svg, :host(:dir(rtl)) [part~='send-button'] svg { transform: scaleX(-1); }

  @media (max-width: 640px) { [part~='input'] { font-size: max(16px, 1em); } }
  @media (pointer: coarse) { .btn { min-height: 44px; } }
  @media (forced-colors: active) {
    button, [part~='message'], [part~='composer'] { border: 1px solid CanvasText; }
    .round:disabled { background: GrayText; }
    :focus-visible { outline-color: Highlight; }
  }
`;
