/**
 * Entry point: registers `<dify-chat>` (once: importing twice, or after a page already defined the tag,
 * does not throw) and re-exports the public API. The only module with side effects.
 */
import { DifyChat } from './dify-chat.js';

export * from './element.js';

if (!customElements.get('dify-chat')) customElements.define('dify-chat', DifyChat);
