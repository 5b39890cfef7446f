/**
 * The markdown content nodes of the transcript, kept across renders (each answer's DOM is built once and
 * only grows) and parsed in time slices: newest message first, at most RENDER_SLICE_MS per frame, so a
 * huge answer or a restored transcript never blocks the page (SPEC §11).
 */
import { RENDER_SLICE_MS } from '../limits.js';
import { MarkdownView, type RenderOptions } from '../markdown/stream.js';

/** Top-level markdown blocks per group (see `RenderOptions.group`). */
const BLOCKS_PER_GROUP = 32;

interface Entry {
  node: HTMLElement;
  view: MarkdownView;
}

export class MarkdownContents {
  #entries = new Map<string, Entry>();
  #used = new Map<string, Entry>();
  #frame = 0;
  #timer?: ReturnType<typeof setTimeout>;
  #waiters: (() => void)[] = [];
  /** When the render pass began (its time counts against the slice), and its render options. */
  #began = 0;
  #passOptions?: RenderOptions;

  /**
   * @param options read when a content node is created
   * @param onProgress called after a slice of parsing on a later frame changed the DOM
   */
  constructor(
    private readonly options: () => RenderOptions,
    private readonly onProgress: () => void = () => undefined,
  ) {}

  /** Starts a render pass: nodes not asked for during it are forgotten at `commit()`. */
  begin(): void {
    this.#used = new Map();
    this.#began = performance.now();
    this.#passOptions = undefined;
  }

  /** The content node of message `id`, showing `text` (parsed by `commit()` and later frames). */
  node(id: string, text: string, streaming: boolean): HTMLElement {
    let entry = this.#used.get(id) ?? this.#entries.get(id);
    if (!entry) {
      const node = document.createElement('div');
      node.setAttribute('part', 'content');
      node.className = 'markdown';
      // (read once per render pass: a restored transcript creates a hundred nodes at once)
      this.#passOptions ??= { ...this.options(), group: BLOCKS_PER_GROUP };
      entry = { node, view: new MarkdownView(node, this.#passOptions) };
    }
    entry.view.set(text, streaming);
    this.#used.set(id, entry);
    return entry.node;
  }

  /**
   * Ends a render pass: parses what is new (this frame's slice) and schedules the rest. While a backlog is
   * being worked off, the slice already scheduled for the next frame takes the new text too: a render in
   * the same frame as a slice must not add a second slice (a frame would then build twice the DOM).
   */
  commit(): void {
    this.#entries = this.#used;
    // the render itself (a hundred restored messages) is part of this frame's slice
    if (!this.#frame) this.#pump(this.#began + RENDER_SLICE_MS);
  }

  /** Drops every node (options such as the image hosts or base URL changed): they are rebuilt on next render. */
  clear(): void {
    this.#entries.clear();
    this.#used.clear();
  }

  /** True while some text is still waiting to be parsed. */
  get behind(): boolean {
    for (const { view } of this.#entries.values()) if (view.behind) return true;
    return false;
  }

  /** Resolves once every node shows all of its text (at once when nothing is behind). */
  settled(): Promise<void> {
    if (!this.behind || !this.#frame) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Stops the slicing (element removed). */
  cancel(): void {
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#timer);
    this.#frame = 0;
    this.#timer = undefined;
  }

  /** Stops for good (element removed): nobody waits for text that will not be rendered. */
  dispose(): void {
    this.cancel();
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  #pump(deadline = performance.now() + RENDER_SLICE_MS): boolean {
    this.cancel();
    let behind = false;
    let late = false;
    // newest first: the end of the log is what the visitor sees. Each view stops at the deadline; after it,
    // the next ones wait for the next frame (also when each of them is short: a hundred restored answers)
    for (const { view } of [...this.#entries.values()].reverse()) {
      if (!view.behind) continue;
      if (late || !view.pump(deadline)) behind = true;
      else if (performance.now() >= deadline) late = true;
    }
    if (behind) {
      // next frame (or soon, on a hidden page where frames don't run)
      const next = () => {
        this.#pump();
        this.onProgress();
      };
      this.#frame = requestAnimationFrame(next);
      this.#timer = setTimeout(next, 100);
    } else {
      for (const resolve of this.#waiters.splice(0)) resolve();
    }
    return behind;
  }
}
