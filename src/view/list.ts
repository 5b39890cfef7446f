/**
 * The transcript's messages, kept by id: each message renders into its own element (`display: contents`,
 * so the messages are still the log's flex items), which stays where it is while messages are added or
 * the oldest turns are dropped. A positional list would hand every message's DOM to its neighbour when the
 * first turn goes (`MAX_MESSAGES`): the whole log re-inserted, restyled and laid out again on each send of
 * a long conversation.
 */
import { render, type TemplateResult } from 'lit/html.js';

export class MessageList<T extends { id: string }> {
  /** The element holding the messages (the element's template puts it in the log). */
  readonly node: HTMLElement = document.createElement('div');
  readonly #items = new Map<string, HTMLElement>();

  /** @param host `this` of the templates' event listeners */
  constructor(private readonly host?: object) {
    this.node.className = 'messages';
  }

  /** Renders `messages` in order with `template`; returns the node to put in the log. */
  update(messages: readonly T[], template: (message: T) => TemplateResult): HTMLElement {
    const ids = new Set(messages.map((m) => m.id));
    // the messages that went first: the others then stay where they are
    for (const [id, item] of this.#items) {
      if (!ids.has(id)) {
        item.remove();
        this.#items.delete(id);
      }
    }
    const seen = new Set<string>();
    let next: ChildNode | null = this.node.firstChild;
    for (const message of messages) {
      if (seen.has(message.id)) continue; // an id twice: shown once
      seen.add(message.id);
      let item = this.#items.get(message.id);
      if (!item) {
        item = document.createElement('div');
        item.className = 'message-item';
        this.#items.set(message.id, item);
      }
      render(template(message), item, { host: this.host });
      if (item === next) next = item.nextSibling;
      else this.node.insertBefore(item, next);
    }
    return this.node;
  }
}
