/**
 * Rarely used parts of the widget live in separate files beside the bundle (`dist/dify-chat-<name>.js`) and
 * load on first use from the bundle's own URL, for the ES module and the classic-script build alike
 * (SPEC §11). A part imports nothing at run time: the element hands it Lit's `html` and its helpers (a
 * `PartKit`), so it never carries a second copy of Lit.
 */
import type { TemplateResult, nothing } from 'lit/html.js';

/** What the element gives a part to render with. */
export interface PartKit {
  html: (strings: TemplateStringsArray, ...values: unknown[]) => TemplateResult;
  nothing: typeof nothing;
  icon(path: string, size?: number): TemplateResult;
}

// Resolved while the script runs (in the classic-script build `document.currentScript` is set only then).
const BASE = import.meta.url;

/** Imports part `name` from beside the bundle. */
export function importPart<T>(name: string): Promise<T> {
  return import(/* @vite-ignore */ new URL(`./dify-chat-${name}.js`, BASE).href) as Promise<T>;
}

/**
 * The parts an element uses: `get()` returns a loaded part, or undefined while it loads (the element
 * renders without it and is told to render again when it arrives).
 */
export class Parts {
  readonly #loaded = new Map<string, unknown>();
  readonly #loading = new Map<string, Promise<unknown>>();
  /** Parts that failed to load: the element does without them (one warning, no retry loop). */
  readonly #failed = new Set<string>();
  /** The English texts the loaded parts brought (the element's `strings` and language replace them). */
  readonly strings: Record<string, string> = {};

  /** @param onLoad called when a part arrives (render again; adopt its `styles`), or failed to (with `{}`) */
  constructor(private readonly onLoad: (part: { styles?: string }) => void) {}

  get<T>(name: string): T | undefined {
    if (this.#loaded.has(name)) return this.#loaded.get(name) as T;
    if (!this.#loading.has(name) && !this.#failed.has(name)) {
      const promise = importPart<T>(name).then(
        (part) => {
          Object.assign(this.strings, (part as { strings?: Record<string, string> }).strings);
          this.#loaded.set(name, part);
          this.#loading.delete(name);
          this.onLoad(part as { styles?: string });
        },
        (error: unknown) => {
          this.#loading.delete(name);
          this.#failed.add(name);
          console.warn(`<dify-chat>: could not load dify-chat-${name}.js (it belongs beside dify-chat.js).`, error);
          this.onLoad({}); // what waited for it goes on without it
        },
      );
      this.#loading.set(name, promise);
    }
    return undefined;
  }

  /** Part `name` if it has arrived (without asking for it). */
  loaded<T>(name: string): T | undefined {
    return this.#loaded.get(name) as T | undefined;
  }

  /** Whether part `name` is still loading (asked for, neither arrived nor failed). */
  pending(name: string): boolean {
    return this.#loading.has(name);
  }

  /** Loads part `name` (if needed) and resolves with it, or undefined when it could not load. */
  async load<T>(name: string): Promise<T | undefined> {
    this.get(name);
    await this.#loading.get(name);
    return this.#loaded.get(name) as T | undefined;
  }

  /** Resolves when every part asked for so far has loaded (or failed). */
  async settled(): Promise<void> {
    while (this.#loading.size) await Promise.all(this.#loading.values());
  }
}
