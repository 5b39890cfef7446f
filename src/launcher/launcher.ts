/**
 * Launcher mode (SPEC §13): the open/closed state (remembered per storage key), the unread count, the
 * teaser's dismissal, and the phone layout that follows the visual viewport (on-screen keyboard). A reactive
 * controller: the element renders what it says and calls `open()`/`close()`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ChatStore } from '../store.js';

export interface LauncherHost extends ReactiveControllerHost, HTMLElement {
  /** Whether the element is in launcher mode. */
  readonly isLauncher: boolean;
  /** The storage namespace (storage key or endpoint). */
  readonly storageNamespace: string;
  /** The floating panel, while rendered. */
  readonly panelElement: HTMLElement | null | undefined;
}

/** Below this viewport width the open panel covers the whole viewport. */
export const PHONE_MAX_WIDTH = 640;

export class LauncherController implements ReactiveController {
  /** Answers that completed while the panel was closed (cleared on open). */
  unread = 0;
  /** The panel has been open at least once (until then no transcript is rendered). */
  started = false;
  #viewport?: VisualViewport;

  constructor(private readonly host: LauncherHost) {
    host.addController(this);
  }

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

  /** Bookkeeping when the panel opens: unread cleared, the phone layout follows the viewport. */
  opened(): void {
    this.started = true;
    this.unread = 0;
    this.#followViewport(true);
  }

  closed(): void {
    this.#followViewport(false);
  }

  /** An answer completed: counts as unread while the panel is closed. */
  answered(isOpen: boolean): void {
    if (isOpen || !this.host.isLauncher) return;
    this.unread++;
    this.host.requestUpdate();
  }

  hostUpdated(): void {
    if (this.#viewport) this.#handleViewport(); // the panel may have just been rendered
  }

  hostDisconnected(): void {
    this.#followViewport(false);
  }

  /**
   * On phones the open panel is sized to the visual viewport, so it stays above the on-screen keyboard. The
   * size goes into custom properties on the panel (CSSOM: allowed under a strict style-src).
   */
  #followViewport(on: boolean): void {
    const vv = globalThis.visualViewport;
    if (!vv) return;
    if (on && !this.#viewport) {
      this.#viewport = vv;
      vv.addEventListener('resize', this.#handleViewport);
      vv.addEventListener('scroll', this.#handleViewport);
      this.#handleViewport();
    } else if (!on && this.#viewport) {
      vv.removeEventListener('resize', this.#handleViewport);
      vv.removeEventListener('scroll', this.#handleViewport);
      this.#viewport = undefined;
    }
  }

  #handleViewport = (): void => {
    const vv = this.#viewport;
    const panel = this.host.panelElement;
    if (!vv || !panel) return;
    panel.style.setProperty('--_vv-height', `${Math.round(vv.height)}px`);
    panel.style.setProperty('--_vv-top', `${Math.round(vv.offsetTop)}px`);
  };
}
