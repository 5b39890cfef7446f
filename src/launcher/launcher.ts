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

/** Whether a launcher in this document has remembered an open state (a single-page app may make it again). */
let rememberedHere = false;

/** The part of the Navigation API (`window.navigation`) that tells where the visitor came from. */
export interface NavigationLike {
  readonly activation?: {
    /** The previous page's history entry when it was of this origin, in this tab; else null. */
    readonly from: unknown;
  } | null;
}

/**
 * Whether an open state may have been left for this page: the visitor came here from a page of the same site
 * in this tab (a link, a reload, back or forward), or a launcher on this page already remembered one. A new
 * tab, a typed or bookmarked address, or a link from another site starts closed, without touching storage:
 * at page load that read is often the page's first storage access, a synchronous round trip to the browser
 * process (1–5 ms of blocked main thread on a busy machine; SPEC §11). Where the browser has no Navigation
 * API (no `navigation.activation`) it cannot tell, and the state is read; so is it in a page being prerendered.
 */
export function mayHaveBeenLeftOpen(
  navigation: NavigationLike | null | undefined = (globalThis as { navigation?: NavigationLike }).navigation,
  prerendering = (globalThis.document as { prerendering?: boolean } | undefined)?.prerendering,
): boolean {
  const activation = navigation?.activation;
  // (a page prerendered for a link of this site learns where the visitor came from only once it shows)
  return rememberedHere || !activation || activation.from != null || Boolean(prerendering);
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

  /**
   * The remembered open state for this storage key: it carries over within a tab, to the site's next page and
   * to a launcher made again on this page (see `mayHaveBeenLeftOpen`).
   */
  get rememberedOpen(): boolean {
    return mayHaveBeenLeftOpen() && this.#store.get('open') === '1';
  }

  /** Remembers the open state (a closed launcher forgets it, so the next page starts closed). */
  remember(open: boolean): void {
    rememberedHere = true;
    this.#store.set('open', open ? '1' : null);
  }

  /**
   * Whether the teaser `text` was dismissed on this site (per storage key; read once, not on every render, so
   * a dismissal in another tab shows on the next page).
   */
  teaserDismissed(text: string): boolean {
    const ns = this.host.storageNamespace;
    if (this.#dismissedIn !== ns) this.#dismissed = this.#store.get('teaser');
    this.#dismissedIn = ns;
    return this.#dismissed === text;
  }

  dismissTeaser(text: string): void {
    this.#dismissed = text;
    this.#store.set('teaser', text);
    this.host.requestUpdate();
  }

  /** The dismissed teaser's text as stored, and the storage namespace it was read from. */
  #dismissed?: string | null;
  #dismissedIn?: string;

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
