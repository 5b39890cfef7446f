/** The element class without registering it, for bundler users who define their own tag. */
export { DifyChat } from './dify-chat.js';
export { defaultStrings, type DifyChatStrings } from './strings.js';
export type * from './types.js';
export type * from './events.js';
