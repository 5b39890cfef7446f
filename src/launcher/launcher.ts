/**
 * Launcher mode (SPEC §13): the open/closed state remembered per storage key, the unread count and the
 * teaser's dismissal. The floating panel, the teaser bubble and the phone layout come with part
 * "launcher" (`src/parts/dify-chat-launcher.ts`).
 */
import type { ReactiveControllerHost } from '../reactive.js';
import { ChatStore } from '../store.js';

export interface LauncherHost extends ReactiveControllerHost {
  /** Whether the element is in launcher mode. */
  readonly isLauncher: boolean;
  /** The storage namespace (storage key or endpoint). */
  readonly storageNamespace: string;
}

export class LauncherController {
  /** Answers that completed while the panel was closed (cleared on open). */
  unread = 0;
  /** The panel has been open at least once (until then no transcript is rendered). */
  started = false;

  constructor(private readonly host: LauncherHost) {}

  /** A small store for the launcher's own values (cheap: no transcript is read). */
  get #store(): ChatStore {
    return new ChatStore(this.host.storageNamespace);
  }

  /** The remembered open state for this storage key. */
  get rememberedOpen(): boolean {
    return this.#store.get('open') === '1';
  }

  /** Remembers the open state (a closed launcher forgets it, so the next page starts closed). */
  remember(open: boolean): void {
    this.#store.set('open', open ? '1' : null);
  }

  /** Whether the teaser `text` was dismissed on this site (per storage key). */
  teaserDismissed(text: string): boolean {
    return this.#store.get('teaser') === text;
  }

  dismissTeaser(text: string): void {
    this.#store.set('teaser', text);
    this.host.requestUpdate();
  }

  /** The panel opened: the transcript renders from now on, unread is cleared. */
  opened(): void {
    this.started = true;
    this.unread = 0;
  }

  /** An answer completed: counts as unread while the panel is closed. */
  answered(isOpen: boolean): void {
    if (isOpen || !this.host.isLauncher) return;
    this.unread++;
    this.host.requestUpdate();
  }
}
