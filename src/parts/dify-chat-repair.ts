/**
 * Part "repair" (`dist/dify-chat-repair.js`): loaded only when a stored transcript was not written by this
 * version (an older one, another tab of another version, a hand edit): every field is checked before the
 * widget shows it (`src/chat/repair.ts`).
 */
export { repairMessage } from '../chat/repair.js';
