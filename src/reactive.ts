/**
 * A small reactive custom-element base on lit-html, with the part of LitElement's API the widget uses:
 * `static properties` (attribute conversion and reflection), batched updates (`requestUpdate`,
 * `shouldUpdate`, `willUpdate`, `update`, `render`, `updated`, `updateComplete`, `hasUpdated`,
 * `isUpdatePending`), reactive controllers and an adopted stylesheet.
 *
 * Why not LitElement itself: its reactive base, `css` tag and element layer are 3.2 KB gzip, this is under
 * 1 KB, and the 30 KB budget of `dist/dify-chat.js` (SPEC §11) needs the difference. Templates, directives
 * and rendering are Lit's own (lit-html). Same semantics where the widget relies on them; see the tests.
 */
import { render } from 'lit/html.js';

/** How a property maps to its attribute (the subset of Lit's `PropertyDeclaration` the widget uses). */
export interface PropertyDeclaration {
  /** The attribute's name (default: the property name in lower case); false: no attribute. */
  attribute?: string | false;
  /** Boolean: a present/absent attribute (other types: a `converter`). */
  type?: typeof Boolean;
  /** Write the property back to its attribute. */
  reflect?: boolean;
  converter?: { fromAttribute?(value: string | null): unknown };
}

/** The properties changed since the last update, with their previous values. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Lit's: any element's keys
export interface PropertyValues<T = any> extends Map<PropertyKey, unknown> {
  get<K extends keyof T>(key: K): T[K] | undefined;
  has<K extends keyof T>(key: K): boolean;
}

export interface ReactiveController {
  hostConnected?(): void;
  hostDisconnected?(): void;
  hostUpdated?(): void;
}

export interface ReactiveControllerHost {
  addController(controller: ReactiveController): void;
  requestUpdate(): void;
  readonly updateComplete: Promise<boolean>;
}

/** The tag for the element's CSS (plain text; the build minifies it). */
export const css = (strings: TemplateStringsArray): string => strings.join('');

type Ctor = typeof ReactiveBase;
const VALUES = Symbol();
/** Per class: attribute name → property name. */
const attributes = new WeakMap<Ctor, Map<string, string>>();
/** Per CSS text: its constructed stylesheet, made once and shared by every element that adopts it. */
const sheets = new Map<string, CSSStyleSheet>();

/** Defines the accessors of `static properties` once per class. */
function finalize(ctor: Ctor): Map<string, string> {
  let map = attributes.get(ctor);
  if (map) return map;
  attributes.set(ctor, (map = new Map()));
  for (const [name, decl] of Object.entries(ctor.properties)) {
    if (decl.attribute !== false) map.set(decl.attribute ?? name.toLowerCase(), name);
    Object.defineProperty(ctor.prototype, name, {
      get(this: ReactiveBase) {
        return this[VALUES].get(name);
      },
      set(this: ReactiveBase, value: unknown) {
        const old = this[VALUES].get(name);
        this[VALUES].set(name, value);
        this.requestUpdate(name, old);
      },
      configurable: true,
    });
  }
  return map;
}

export abstract class ReactiveBase extends HTMLElement implements ReactiveControllerHost {
  static properties: Record<string, PropertyDeclaration> = {};
  /** The element's CSS, adopted into its shadow root. */
  static styles = '';

  static get observedAttributes(): string[] {
    return [...finalize(this).keys()];
  }

  readonly [VALUES] = new Map<string, unknown>();
  /** Set once the first update ran. */
  hasUpdated = false;
  /** True from a change until its update ran. */
  isUpdatePending = false;
  renderRoot!: ShadowRoot;
  #changed = new Map<PropertyKey, unknown>();
  #done: Promise<boolean> = Promise.resolve(true);
  #scheduled = false;
  #connected = false;
  #reflecting = '';
  #controllers: ReactiveController[] = [];
  /** Values set on the element before it was upgraded (they would shadow the accessors). */
  #early?: [string, unknown][] = [];

  constructor() {
    super();
    const ctor = this.constructor as Ctor;
    finalize(ctor);
    for (const name of Object.keys(ctor.properties)) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        this.#early!.push([name, (this as Record<string, unknown>)[name]]);
        delete (this as Record<string, unknown>)[name];
      }
    }
  }

  addController(controller: ReactiveController): void {
    this.#controllers.push(controller);
    if (this.#connected) controller.hostConnected?.();
  }

  /** Makes the shadow root (once), and sets the values given before the upgrade. */
  protected attach(): ShadowRoot {
    if (!this.renderRoot) {
      this.renderRoot = this.attachShadow({ mode: 'open' });
      // restored after the class's own defaults were set, so they win (as in Lit)
      for (const [name, value] of this.#early!) (this as Record<string, unknown>)[name] = value;
      this.#early = undefined;
    }
    return this.renderRoot;
  }

  /**
   * Adopts `css` into the shadow root, after the sheets it has (once: adopting the same text again does
   * nothing). Before the root is made there is nowhere to adopt it. A constructed sheet, not a `<style>`:
   * allowed under a strict `style-src`.
   */
  protected adopt(css: string): void {
    const root = this.renderRoot;
    if (!root) return;
    let sheet = sheets.get(css);
    if (!sheet) {
      sheets.set(css, (sheet = new CSSStyleSheet()));
      sheet.replaceSync(css);
    }
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }

  /** Adopts the class's `styles` (after any sheet the root has), then updates from now on. */
  connectedCallback(): void {
    this.attach();
    this.adopt((this.constructor as Ctor).styles);
    this.#connected = true;
    for (const c of this.#controllers) c.hostConnected?.();
    this.requestUpdate();
    this.#schedule();
  }

  disconnectedCallback(): void {
    this.#connected = false;
    for (const c of this.#controllers) c.hostDisconnected?.();
  }

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null): void {
    const name = finalize(this.constructor as Ctor).get(attribute)!;
    if (this.#reflecting === name) return;
    const decl = (this.constructor as Ctor).properties[name];
    (this as Record<string, unknown>)[name] = decl.converter?.fromAttribute
      ? decl.converter.fromAttribute(value)
      : decl.type === Boolean
        ? value !== null
        : value;
  }

  /**
   * Schedules an update (after the current task's microtasks); `name` records a changed property. False when
   * `name` kept its value (no update).
   */
  requestUpdate(name?: PropertyKey, old?: unknown): boolean {
    if (name !== undefined) {
      if (Object.is(old, (this as Record<PropertyKey, unknown>)[name])) return false;
      if (!this.#changed.has(name)) this.#changed.set(name, old);
    }
    this.isUpdatePending = true;
    this.#schedule();
    return true;
  }

  #schedule(): void {
    if (this.#scheduled || !this.#connected) return;
    this.#scheduled = true;
    this.#done = Promise.resolve().then(() => this.#performUpdate());
  }

  #performUpdate(): boolean {
    this.#scheduled = false;
    if (!this.#connected || !this.isUpdatePending) return !this.isUpdatePending;
    const changed = this.#changed as PropertyValues;
    if (!this.shouldUpdate(changed)) {
      // the changes stay for the update that runs (unlike Lit, which drops them): an element that waits for
      // something (a part) before it renders must not lose a change made meanwhile, such as opening it
      this.isUpdatePending = false;
      return false;
    }
    // changes made in willUpdate belong to this update (as in Lit)
    this.willUpdate(changed);
    this.#changed = new Map();
    this.isUpdatePending = false;
    this.update(changed);
    this.hasUpdated = true;
    for (const c of this.#controllers) c.hostUpdated?.();
    this.updated(changed);
    return !this.isUpdatePending;
  }

  /** Resolves (true) once no update is pending. */
  get updateComplete(): Promise<boolean> {
    return this.getUpdateComplete();
  }

  protected async getUpdateComplete(): Promise<boolean> {
    let result = await this.#done;
    while (this.#scheduled) result = await this.#done;
    return result;
  }

  protected shouldUpdate(_changed: PropertyValues): boolean {
    return true;
  }

  protected willUpdate(_changed: PropertyValues): void {}

  /** Reflects properties to attributes, then renders. */
  protected update(changed: PropertyValues): void {
    this.reflect(changed.keys());
    render(this.render(), this.renderRoot, { host: this });
  }

  /**
   * Writes the reflecting properties among `names` (by default: those changed since the last update) to their
   * attributes. `lean`: not a missing attribute whose absence means the value (a default, written by a later
   * call without `lean`).
   */
  protected reflect(names: Iterable<PropertyKey> = this.#changed.keys(), lean = false): void {
    const props = (this.constructor as Ctor).properties;
    for (const name of names) {
      const decl = props[name as string];
      if (!decl?.reflect) continue;
      const attribute = decl.attribute || (name as string).toLowerCase();
      const value = (this as Record<PropertyKey, unknown>)[name];
      // lean: a missing attribute whose absence already means the value (a default) is left for a later call
      if (lean && !this.hasAttribute(attribute)) {
        const absent = decl.type === Boolean ? false : (decl.converter?.fromAttribute?.(null) ?? null);
        if (absent === (value ?? null)) continue;
      }
      this.#reflecting = name as string;
      if (decl.type === Boolean) this.toggleAttribute(attribute, Boolean(value));
      else if (value == null) this.removeAttribute(attribute);
      else this.setAttribute(attribute, String(value));
      this.#reflecting = '';
    }
  }

  protected abstract render(): unknown;

  protected updated(_changed: PropertyValues): void {}
}
