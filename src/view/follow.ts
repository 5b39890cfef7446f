/**
 * Follows the newest text: keeps the log scrolled to the bottom while the visitor has not scrolled up, also
 * when content grows without a render (an image loads, a slice of a long answer is parsed). Offers a jump
 * back when they have scrolled up.
 */
import type { ReactiveController, ReactiveControllerHost } from '../reactive.js';

/** Within this many pixels of the bottom counts as "at the bottom". */
const NEAR_BOTTOM = 32;

export class FollowController implements ReactiveController {
  /** True while the log sticks to its newest text. */
  following = true;
  #observer?: ResizeObserver;
  #observed = new Set<Element>();
  /** Where `stick()` last put the scroll position: a scroll event there is ours, not the visitor's. */
  #stuckAt = -1;

  /**
   * @param log the scrolling element
   * @param content the elements whose size changes mean new content (the log's children wrapper)
   */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly log: () => HTMLElement | null | undefined,
    private readonly content: () => Element | null | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#observer ??= new ResizeObserver(() => this.stick());
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#observed.clear();
  }

  /**
   * After a render (at most once per frame while streaming) the log sticks at once; growth between renders
   * (slices of a long answer, images loading) is seen by the ResizeObserver after the browser's layout.
   */
  hostUpdated(): void {
    let observing = false;
    for (const el of [this.log(), this.content()]) {
      if (el && !this.#observed.has(el)) {
        this.#observed.add(el);
        this.#observer?.observe(el);
        observing = true;
      }
    }
    // A log just rendered has never been laid out: reading its height now would lay out everything it
    // shows (a restored transcript) inside this task. The observer's first notification, after the
    // browser's own layout of this frame, sticks instead.
    if (!observing || !this.#observer) this.stick();
  }

  /** Scrolls to the newest text when following. */
  stick(): void {
    const log = this.log();
    if (!this.following || !log) return;
    const top = log.scrollHeight - log.clientHeight;
    if (Math.abs(log.scrollTop - top) >= 1) log.scrollTop = top;
    this.#stuckAt = log.scrollTop;
  }

  /** The visitor scrolled: follow again only when they are back at the bottom. */
  readonly handleScroll = (): void => {
    const log = this.log();
    if (!log) return;
    // Our own scroll event can arrive after the content grew again: only a position we did not set (the
    // visitor scrolled) stops the following.
    const top = log.scrollTop;
    if (this.following && Math.abs(top - this.#stuckAt) < 2) return;
    const following = log.scrollHeight - top - log.clientHeight < NEAR_BOTTOM;
    if (following !== this.following) {
      this.following = following;
      this.host.requestUpdate();
    }
  };

  /** Back to the newest text (the jump button, or the visitor sent a message). */
  follow(): void {
    if (!this.following) {
      this.following = true;
      this.host.requestUpdate();
    }
    this.stick();
  }
}
