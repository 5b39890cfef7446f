/** Small helpers for the element tests: query by part (the public contract) and build Dify streams. */
import { fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { DifyChat } from '../../src/dify-chat.js';

export type { DifyChat };

/** The first element in the shadow root with this part name. */
export function part<T extends Element = HTMLElement>(el: DifyChat, name: string): T | null {
  return el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
}

export function parts<T extends Element = HTMLElement>(el: DifyChat, name: string): T[] {
  return [...el.shadowRoot!.querySelectorAll<T>(`[part~="${name}"]`)];
}

/** Text of the last bot message's content. */
export function lastAnswer(el: DifyChat): string {
  const bots = parts(el, 'message--bot');
  const content = bots.at(-1)?.querySelector('[part~="content"]');
  return content?.textContent ?? '';
}

let counter = 0;
/** A fresh storage key, so tests never share a conversation. */
export const uniqueKey = () => `test-${Date.now().toString(36)}-${counter++}`;

export async function chat(attrs: { endpoint?: string; storageKey?: string; extra?: Record<string, string> } = {}): Promise<DifyChat> {
  const el = await fixture<DifyChat>(html`<dify-chat endpoint=${attrs.endpoint ?? '/mock/chat'} storage-key=${attrs.storageKey ?? uniqueKey()}></dify-chat>`);
  for (const [name, value] of Object.entries(attrs.extra ?? {})) el.setAttribute(name, value);
  await el.updateComplete;
  return el;
}

/** Types into the composer and presses the send button. */
export async function typeAndSend(el: DifyChat, text: string): Promise<void> {
  const input = part<HTMLTextAreaElement>(el, 'input')!;
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete; // Send is enabled once there is text
  part<HTMLButtonElement>(el, 'send-button')!.click();
  await el.updateComplete;
}

/**
 * While a stream runs the element renders on animation frames, which are throttled in a background page
 * (wtr runs test files in parallel pages). Render now instead, then look.
 */
export async function rendered(el: DifyChat): Promise<void> {
  el.requestUpdate();
  await el.updateComplete;
}

/** Wait until `check()` holds, rendering the element before each look. */
export function until(el: DifyChat, check: () => unknown, message: string, timeout = 4000): Promise<void> {
  return waitUntil(
    async () => {
      await rendered(el);
      return check();
    },
    message,
    { timeout },
  );
}

/** Wait until the last answer contains `text`. */
export function waitForText(el: DifyChat, text: string): Promise<void> {
  return until(el, () => lastAnswer(el).includes(text), `answer to contain "${text}"`);
}

/** One Dify SSE frame. */
export const sse = (event: Record<string, unknown>) => `data: ${JSON.stringify(event)}\n\n`;

/** A Dify chatbot stream: one `message` event per piece, then `message_end`. */
export function difyStream(pieces: string[], conversationId = 'conv-1', taskId = 'task-1'): string {
  const envelope = { conversation_id: conversationId, message_id: 'msg-1', task_id: taskId, created_at: 1 };
  return (
    pieces.map((answer) => sse({ event: 'message', ...envelope, id: 'msg-1', answer })).join('') +
    sse({ event: 'message_end', ...envelope, id: 'msg-1', metadata: {} })
  );
}
