// The conversation the skin pages show (gallery.html, skin.html and `npm run screenshots`): a question, an
// answer with the markdown a skin must get right (bold, a table with a link in it, a code block, a link),
// and a failed turn with its Retry button. It is written into the widget's stored transcript before the
// element starts, so it restores like a visitor's conversation after a reload; the widget stays live
// (Retry and new messages go to the mock bot of `npm start`).

const at = (minute) => Date.UTC(2025, 4, 16, 7, minute); // fixed times: screenshots do not change by the day

export const ANSWER = [
  'Start with **Sakura Sencha**: light, floral and a little sweet. Green teas like cooler water than black tea:',
  '',
  '| Tea | Water | Steep |',
  '|---|---|---|',
  '| [Sakura Sencha](https://example.com/teas/sakura-sencha) | 70 °C | 1 min |',
  '| Jeju Sejak 제주 세작 | 75 °C | 90 s |',
  '',
  'A timer keeps it from turning bitter:',
  '',
  '```js',
  'setTimeout(pour, 60 * 1000); // one minute',
  '```',
  '',
  'More tips are in our [brewing guide](https://example.com/brewing).',
].join('\n');

export const MESSAGES = [
  { id: 'demo-q1', role: 'user', text: 'Which green tea should I try first, and how do I brew it?', createdAt: at(41) },
  { id: 'demo-a1', role: 'bot', status: 'done', text: ANSWER, createdAt: at(41) },
  { id: 'demo-q2', role: 'user', text: 'Lovely. Can you gift-wrap my order?', createdAt: at(43) },
  {
    id: 'demo-a2',
    role: 'bot',
    status: 'error',
    text: '',
    error: "Can't reach the server. Check your connection and try again.",
    errorCode: 'network',
    retryable: true,
    createdAt: at(43),
  },
];

/**
 * Stores the demo conversation under `storageKey` (the widget's `storage-key`), replacing whatever that
 * widget had, and forgets its conversation id so the next message starts a fresh one at the bot.
 */
export function seedConversation(storageKey, messages = MESSAGES) {
  try {
    localStorage.setItem(`dify-chat:${storageKey}:messages`, JSON.stringify({ v: 1, messages }));
    localStorage.removeItem(`dify-chat:${storageKey}:conversation`);
  } catch {
    // storage off (private mode): the widgets start empty, which is still a demo
  }
}

/** Forgets a launcher's remembered open state and dismissed teaser, so the page's markup decides. */
export function forgetLauncherState(storageKey) {
  try {
    localStorage.removeItem(`dify-chat:${storageKey}:open`);
    localStorage.removeItem(`dify-chat:${storageKey}:teaser`);
  } catch {
    // nothing to forget
  }
}

/** The skins in src/themes/ (dist/themes/ when built), with a line on each for the pages. */
export const SKINS = [
  { name: 'minimal', label: 'Minimal', about: 'Monochrome and flat: answers without a bubble, a grey bubble for the visitor, hairlines.' },
  { name: 'cute', label: 'Cute', about: 'Pastel pink and lilac, very round, a rounded type face and a squircle launcher.' },
  { name: 'korean', label: 'Korean', about: 'Soft and airy: Hangul-first font stack, roomy line height, words kept whole (keep-all).' },
  { name: 'western', label: 'Western', about: 'Classic: cream paper, oxblood, serif type with old-style headings and ruled lines.' },
  { name: 'dark', label: 'Dark', about: 'Slate night palette; also applied to every widget inside a .dark ancestor.' },
  { name: 'bubble', label: 'Bubble', about: 'Messenger style: a coloured header, big round bubbles with tails.' },
  { name: 'corporate', label: 'Corporate', about: 'Navy header, crisp blue, squarer corners and compact spacing.' },
];
