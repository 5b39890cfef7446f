// The skins gallery (gallery.html): every skin with the demo conversation, inline and as a launcher, and an
// editor that sets the element's custom properties live and writes the snippet to copy.
import { SKINS, forgetLauncherState, seedConversation } from './conversation.js';

const $ = (selector) => document.querySelector(selector);

/**
 * The element's own defaults (src/styles.ts), shown while a skin leaves a property unset. Light palette, and
 * the dark one for theme="dark".
 */
const DEFAULTS = {
  light: {
    '--dify-chat-accent': '#2563eb',
    '--dify-chat-accent-text': '#ffffff',
    '--dify-chat-background': '#ffffff',
    '--dify-chat-surface': '#f3f4f6',
    '--dify-chat-text': '#111827',
    '--dify-chat-muted': '#4b5563',
    '--dify-chat-border': '#e5e7eb',
    '--dify-chat-error': '#b91c1c',
    '--dify-chat-code-background': '#ffffff',
  },
  dark: {
    '--dify-chat-accent': '#60a5fa',
    '--dify-chat-accent-text': '#0b1220',
    '--dify-chat-background': '#0f172a',
    '--dify-chat-surface': '#1e293b',
    '--dify-chat-text': '#e2e8f0',
    '--dify-chat-muted': '#a3b1c6',
    '--dify-chat-border': '#334155',
    '--dify-chat-error': '#fca5a5',
    '--dify-chat-code-background': '#0b1220',
  },
  other: {
    '--dify-chat-font': "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    '--dify-chat-font-size': '15px',
    '--dify-chat-radius': '14px',
    '--dify-chat-spacing': '12px',
    '--dify-chat-launcher-size': '56px',
    '--dify-chat-panel-width': '400px',
    '--dify-chat-panel-height': '640px',
  },
};

/** The knobs of the editor: every colour, the type and the shape. */
const PROPS = [
  { name: '--dify-chat-accent', label: 'Accent', kind: 'color' },
  { name: '--dify-chat-accent-text', label: 'Text on accent', kind: 'color' },
  { name: '--dify-chat-background', label: 'Background', kind: 'color' },
  { name: '--dify-chat-surface', label: 'Surface (answers)', kind: 'color' },
  { name: '--dify-chat-text', label: 'Text', kind: 'color' },
  { name: '--dify-chat-muted', label: 'Muted text', kind: 'color' },
  { name: '--dify-chat-border', label: 'Borders', kind: 'color' },
  { name: '--dify-chat-error', label: 'Error', kind: 'color' },
  { name: '--dify-chat-link', label: 'Links', kind: 'color' },
  { name: '--dify-chat-code-background', label: 'Code background', kind: 'color' },
  { name: '--dify-chat-font', label: 'Font', kind: 'text' },
  { name: '--dify-chat-font-size', label: 'Font size', kind: 'px', min: 12, max: 20 },
  { name: '--dify-chat-radius', label: 'Corner radius', kind: 'px', min: 0, max: 28 },
  { name: '--dify-chat-spacing', label: 'Spacing', kind: 'px', min: 6, max: 24 },
  { name: '--dify-chat-launcher-size', label: 'Launcher size', kind: 'px', min: 44, max: 72 },
  { name: '--dify-chat-panel-width', label: 'Panel width', kind: 'px', min: 320, max: 480 },
  { name: '--dify-chat-panel-height', label: 'Panel height', kind: 'px', min: 420, max: 640 },
];

const BASES = [
  { name: 'default', label: 'Default look (light)' },
  { name: 'default-dark', label: 'Default look, theme="dark"' },
  ...SKINS,
];

const COMMON = {
  endpoint: '/api/chat',
  'bot-avatar': '/demo/img/pink.svg',
  placeholder: 'Ask about our teas…',
  'show-time': '',
};

function chatElement(attributes) {
  const el = document.createElement('dify-chat');
  for (const [name, value] of Object.entries({ ...COMMON, ...attributes })) {
    if (value !== undefined && value !== null) el.setAttribute(name, value);
  }
  return el;
}

/** Any CSS colour as #rrggbb (what <input type="color"> takes). */
const context = document.createElement('canvas').getContext('2d');
function hex(value) {
  context.fillStyle = '#000000';
  context.fillStyle = value;
  const out = context.fillStyle;
  if (out.startsWith('#')) return out;
  const [r, g, b] = out.match(/[\d.]+/g).map(Number);
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

// ------------------------------------------------------------------ the gallery cards

function renderCards() {
  const cards = $('#cards');
  for (const skin of SKINS) {
    const inlineKey = `gallery-${skin.name}-inline`;
    const launcherKey = `gallery-${skin.name}-launcher`;
    seedConversation(inlineKey);
    seedConversation(launcherKey);
    forgetLauncherState(launcherKey);

    const card = document.createElement('article');
    card.className = 'g-card';
    card.setAttribute('aria-labelledby', `card-${skin.name}`);
    card.innerHTML = `
      <div class="g-card__head">
        <h3 id="card-${skin.name}">${skin.label}</h3>
        <p>${skin.about}</p>
        <p class="g-card__meta">
          <code>&lt;dify-chat class="${skin.name}"&gt;</code>
          <a href="./skin.html?skin=${skin.name}">On its own</a>
          <button type="button" class="button button--quiet" data-edit="${skin.name}">Edit this skin</button>
        </p>
      </div>
      <div class="g-card__body">
        <div class="g-card__inline"></div>
        <div class="g-card__stage${skin.name === 'dark' ? ' is-night' : ''}"><div class="g-fake-site" aria-hidden="true"><i></i><i></i><i></i></div></div>
      </div>`;
    card.querySelector('.g-card__inline').append(
      chatElement({ class: skin.name, 'storage-key': inlineKey, 'bot-name': 'Pink' }),
    );
    card.querySelector('.g-card__stage').append(
      chatElement({
        class: skin.name,
        'storage-key': launcherKey,
        'bot-name': 'Pink',
        mode: 'launcher',
        open: '',
        teaser: 'Questions about brewing? Ask Pink!',
      }),
    );
    cards.append(card);
  }
}

// ------------------------------------------------------------------ the editor

const form = $('#controls');
const preview = $('#preview');
const EDITOR_KEY = 'gallery-editor';
let chat;
/** The properties the visitor changed (name → value): these go into the snippet. */
const changed = new Map();

function base() {
  return BASES.find((b) => b.name === form.skin.value) ?? BASES[0];
}

function isSkin(name) {
  return SKINS.some((s) => s.name === name);
}

function buildControls() {
  form.skin.innerHTML = BASES.map((b) => `<option value="${b.name}">${b.label}</option>`).join('');
  $('#props').innerHTML = PROPS.map((p) => {
    const id = `prop${p.name.slice('--dify-chat'.length)}`;
    const input =
      p.kind === 'color'
        ? `<input type="color" id="${id}" data-prop="${p.name}" /><output for="${id}"></output>`
        : p.kind === 'px'
          ? `<input type="range" id="${id}" data-prop="${p.name}" min="${p.min}" max="${p.max}" step="1" /><output for="${id}"></output>`
          : `<input type="text" id="${id}" data-prop="${p.name}" spellcheck="false" />`;
    return `<div class="g-prop g-prop--${p.kind}"><label for="${id}">${p.label} <code>${p.name}</code></label>${input}</div>`;
  }).join('');
}

/** The value a property has with the chosen skin alone (no edits): the skin's, else the element's default. */
function skinValue(name) {
  const own = getComputedStyle(chat).getPropertyValue(name).trim();
  if (own) return own;
  const palette = base().name === 'default-dark' || base().name === 'dark' ? DEFAULTS.dark : DEFAULTS.light;
  if (name === '--dify-chat-link') return palette['--dify-chat-text'];
  return palette[name] ?? DEFAULTS.other[name] ?? '';
}

/** Puts the chosen skin's values in the controls (edits are dropped). */
function loadSkin() {
  changed.clear();
  for (const p of PROPS) chat.style.removeProperty(p.name);
  chat.className = isSkin(base().name) ? base().name : '';
  if (base().name === 'default-dark') chat.setAttribute('theme', 'dark');
  else chat.removeAttribute('theme');
  preview.classList.toggle('is-night', base().name === 'dark' || base().name === 'default-dark');
  for (const input of form.querySelectorAll('[data-prop]')) {
    const value = skinValue(input.dataset.prop);
    if (input.type === 'color') input.value = hex(value);
    else if (input.type === 'range') input.value = String(parseFloat(value) || input.min);
    else input.value = value;
    showValue(input);
  }
  update();
}

function showValue(input) {
  const out = input.nextElementSibling;
  if (out?.tagName === 'OUTPUT') out.textContent = input.type === 'range' ? `${input.value}px` : input.value;
}

function applyMode() {
  const launcher = form.mode.value === 'launcher';
  for (const row of form.querySelectorAll('[data-launcher-only]')) row.hidden = !launcher;
  preview.classList.toggle('is-launcher', launcher);
  if (launcher) {
    chat.setAttribute('mode', 'launcher');
    chat.setAttribute('position', form.position.value);
    chat.setAttribute('teaser', form.teaser.value);
    chat.open = true;
  } else {
    chat.setAttribute('mode', 'inline');
    chat.removeAttribute('position');
    chat.removeAttribute('teaser');
  }
}

function update() {
  chat.setAttribute('bot-name', form['bot-name'].value || 'Assistant');
  renderSnippet();
  renderContrast();
}

// snippet ---------------------------------------------------------------------------------------------

const escapeAttr = (value) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

function renderSnippet() {
  const b = base();
  const skin = isSkin(b.name) ? b.name : '';
  const launcher = form.mode.value === 'launcher';
  const attrs = [
    skin && `class="${skin}"`,
    launcher && 'mode="launcher"',
    launcher && form.position.value !== 'bottom-right' && `position="${form.position.value}"`,
    launcher && form.teaser.value && `teaser="${escapeAttr(form.teaser.value)}"`,
    b.name === 'default-dark' && 'theme="dark"',
    'endpoint="/api/chat"',
    `bot-name="${escapeAttr(form['bot-name'].value || 'Assistant')}"`,
  ].filter(Boolean);
  const lines = ['<script type="module" src="/dify-chat.js"></script>'];
  if (skin) lines.push(`<link rel="stylesheet" href="/dify-chat/themes/${skin}.css">`);
  lines.push(`<dify-chat\n  ${attrs.join('\n  ')}\n></dify-chat>`);
  if (changed.size) {
    const selector = skin ? `dify-chat.${skin}` : 'dify-chat';
    const body = [...changed].map(([name, value]) => `    ${name}: ${value};`).join('\n');
    lines.push(`<style>\n  /* after the skin's stylesheet */\n  ${selector} {\n${body}\n  }\n</style>`);
  }
  $('#snippet').textContent = lines.join('\n');
}

// contrast --------------------------------------------------------------------------------------------

function luminance(color) {
  const h = hex(color);
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255).map((v) =>
    v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4,
  );
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function ratio(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
/** `a` mixed into `b` at `share` (what the failed turn's tint does: color-mix(error 9%, background)). */
function mix(a, b, share) {
  const [x, y] = [hex(a), hex(b)];
  const channel = (i) => Math.round(parseInt(x.slice(i, i + 2), 16) * share + parseInt(y.slice(i, i + 2), 16) * (1 - share));
  return `#${[1, 3, 5].map((i) => channel(i).toString(16).padStart(2, '0')).join('')}`;
}

function renderContrast() {
  const v = (name) => form.querySelector(`[data-prop="${name}"]`).value;
  const bg = v('--dify-chat-background');
  const surface = v('--dify-chat-surface');
  const pairs = [
    ['Text on the background', v('--dify-chat-text'), bg, 4.5],
    ['Text on answers (surface)', v('--dify-chat-text'), surface, 4.5],
    ['Muted text on the background', v('--dify-chat-muted'), bg, 4.5],
    ['Muted text on answers', v('--dify-chat-muted'), surface, 4.5],
    ['Links on answers', v('--dify-chat-link'), surface, 4.5],
    ['Text on the accent (your messages, Send)', v('--dify-chat-accent-text'), v('--dify-chat-accent'), 4.5],
    ['Accent on the background (focus ring, buttons)', v('--dify-chat-accent'), bg, 3],
    ['Error on a failed turn', v('--dify-chat-error'), mix(v('--dify-chat-error'), bg, 0.09), 4.5],
    ['Code on its background', v('--dify-chat-text'), v('--dify-chat-code-background'), 4.5],
  ];
  $('#contrast').innerHTML = pairs
    .map(([label, fg, back, min]) => {
      const r = ratio(fg, back);
      const ok = r >= min;
      return `<li class="${ok ? 'is-ok' : 'is-low'}"><span class="g-swatch" style="color:${fg};background:${back}" aria-hidden="true">Aa</span>
        <span>${label}</span><strong>${r.toFixed(2)}:1 ${ok ? '✓' : `✗ needs ${min}`}</strong></li>`;
    })
    .join('');
}

// wiring ----------------------------------------------------------------------------------------------

function buildEditor() {
  buildControls();
  seedConversation(EDITOR_KEY);
  forgetLauncherState(EDITOR_KEY);
  chat = chatElement({ 'storage-key': EDITOR_KEY, 'bot-name': 'Pink' });
  preview.append(Object.assign(document.createElement('div'), { className: 'g-fake-site', ariaHidden: 'true', innerHTML: '<i></i><i></i><i></i>' }), chat);

  const wanted = new URLSearchParams(location.search).get('skin');
  if (BASES.some((b) => b.name === wanted)) form.skin.value = wanted;

  form.addEventListener('input', (event) => {
    const input = event.target;
    if (input.dataset.prop) {
      const value = input.type === 'range' ? `${input.value}px` : input.value;
      chat.style.setProperty(input.dataset.prop, value);
      changed.set(input.dataset.prop, value);
      showValue(input);
      update();
    } else if (input.id === 'teaser' || input.id === 'position') {
      applyMode();
      update();
    } else if (input.id === 'bot-name') {
      update();
    }
  });
  form.addEventListener('change', (event) => {
    if (event.target.id === 'skin') {
      loadSkin();
      history.replaceState(null, '', `?skin=${form.skin.value}`);
    } else if (event.target.id === 'mode') {
      applyMode();
      update();
    }
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  $('#reset-props').addEventListener('click', loadSkin);
  $('#reseed').addEventListener('click', async () => {
    seedConversation(EDITOR_KEY);
    // the element reads its stored conversation when its storage key changes: away and back
    chat.setAttribute('storage-key', `${EDITOR_KEY}-swap`);
    await chat.updateComplete;
    chat.setAttribute('storage-key', EDITOR_KEY);
  });
  $('#copy').addEventListener('click', async () => {
    const text = $('#snippet').textContent;
    try {
      await navigator.clipboard.writeText(text);
      $('#copied').textContent = 'Copied to the clipboard.';
    } catch {
      getSelection().selectAllChildren($('#snippet'));
      $('#copied').textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  });
  document.addEventListener('click', (event) => {
    const button = event.target.closest('[data-edit]');
    if (!button) return;
    form.skin.value = button.dataset.edit;
    loadSkin();
    history.replaceState(null, '', `?skin=${form.skin.value}`);
    $('#editor').scrollIntoView({ block: 'start' });
  });
}

buildEditor();
renderCards();
await import('/src/index.ts');
await customElements.whenDefined('dify-chat');
applyMode();
loadSkin();
document.documentElement.dataset.ready = 'true';
