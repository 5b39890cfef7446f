/**
 * Every text the widget shows or announces. Replace any of them through the `strings` property:
 * `el.strings = { send: 'Senden', stop: 'Stopp' }`. `{bot}`, `{count}`, `{status}`, `{tool}`, `{title}`,
 * `{message}` and `{text}` are filled in.
 */
export const defaultStrings = {
  reset: 'Start a new conversation',
  newChat: 'New chat',
  undo: 'Undo',
  resetDone: 'A new conversation started.',
  open: 'Open chat with {bot}',
  close: 'Close chat',
  unread: '{count} unread',
  send: 'Send',
  stop: 'Stop',
  retry: 'Retry',
  input: 'Message',
  /** The composer's placeholder while the page's `placeholder` (and the app's) is not set. */
  placeholder: 'Type a message…',
  /** The bot's name while the page's `bot-name` (and the app's title) is not set. */
  assistant: 'Assistant',
  you: 'You',
  typing: '{bot} is typing…',
  stopped: 'Stopped.',
  jump: 'Jump to latest',
  newConversation: 'The previous conversation could not be continued, so a new one started.',
  searching: 'Searching the knowledge base…',
  working: '{title}…',
  noEndpoint: 'This chat is not configured (no endpoint).',
  network: "Can't reach the server. Check your connection and try again.",
  timeout: 'The server stopped responding.',
  empty: 'The server sent an empty answer.',
  incomplete: 'The connection closed before the answer was complete.',
  http: 'The server answered with an error ({status}).',
  auth: 'This chat is not authorized to reach the bot (the server said: {message}).',
  tooLarge: 'The answer was too long to show in full, so it was cut off here.',
  trimmed: 'Earlier messages of this long conversation are no longer shown.',
  truncated: 'This answer was shortened when it was saved.',
  code: 'Code',
  copyCode: 'Copy code',
  copied: 'Copied',
  newMessage: 'New message from {bot}',
  answered: '{bot}: {text}',
};

/**
 * Every UI text: the element's own (`defaultStrings`) and those of its lazily loaded parts
 * (`src/app/strings.ts`, in the parts' files).
 */
export type DifyChatStrings = typeof defaultStrings & typeof import('./app/strings.js').partStrings;

/** Fill `{name}` placeholders. */
export function format(template: string, values: Record<string, string | number | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}
