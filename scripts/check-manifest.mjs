// After `npm run build`: custom-elements.json must describe the public contract of SPEC §3 and §9.
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync('dist/custom-elements.json', 'utf8'));
const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'dify-chat');
const expected = {
  attributes: ['endpoint', 'protocol', 'bot-name', 'placeholder', 'welcome', 'suggestions', 'user', 'inputs', 'storage-key', 'stop-endpoint', 'model', 'api-key', 'timeout', 'image-hosts', 'mode', 'position', 'open', 'teaser', 'theme', 'bot-avatar', 'user-avatar', 'show-time'],
  events: ['dify-chat-send', 'dify-chat-message', 'dify-chat-conversation', 'dify-chat-error', 'dify-chat-reset', 'dify-chat-open', 'dify-chat-close'],
  cssParts: ['panel', 'header', 'title', 'reset-button', 'log', 'message', 'content', 'thought', 'citations', 'typing', 'error', 'retry-button', 'suggestions', 'suggestion', 'composer', 'input', 'send-button', 'stop-button', 'launcher', 'close-button', 'badge', 'teaser', 'avatar', 'time', 'code-block', 'code-copy'],
  members: ['headers', 'conversationId', 'messages', 'strings', 'renderers', 'send', 'stop', 'reset', 'show', 'hide', 'toggle', 'open'],
};
const missing = [];
if (!element) missing.push('the dify-chat tag');
else {
  for (const [kind, names] of Object.entries(expected)) {
    const have = new Set((element[kind] ?? []).map((x) => x.name));
    for (const name of names) if (!have.has(name)) missing.push(`${kind}: ${name}`);
  }
}
if (missing.length) {
  console.error(`custom-elements.json is missing:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log('custom-elements.json: tag, attributes, events, parts and members present');
