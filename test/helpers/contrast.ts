/**
 * Colour helpers for the look and skin tests: WCAG contrast of what is on screen, read from computed styles
 * (semi-transparent backgrounds and opacity composited, `color(srgb …)` from `color-mix()` understood).
 */

/** Red, green, blue (0–255) and alpha (0–1). */
export type Rgba = [number, number, number, number];

/** A computed colour: `rgb()`, `rgba()` or `color(srgb r g b [/ a])` (what `color-mix()` computes to). */
export function parseColor(value: string): Rgba {
  const srgb = /^color\(srgb\s+([\d.e-]+)\s+([\d.e-]+)\s+([\d.e-]+)(?:\s*\/\s*([\d.e-]+))?\)$/.exec(value.trim());
  if (srgb) {
    const [r, g, b] = srgb.slice(1, 4).map((v) => Math.round(Number(v) * 255));
    return [r, g, b, srgb[4] === undefined ? 1 : Number(srgb[4])];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)$/.exec(value.trim());
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
  if (value === 'transparent') return [0, 0, 0, 0];
  throw new Error(`unexpected computed colour: ${value}`);
}

const css = ([r, g, b]: Rgba) => `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;

/** `top` painted over the opaque `bottom`. */
function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1) as Rgba;
}

/** WCAG contrast ratio of two colours (computed CSS values; alpha is ignored, see `backgroundOf`). */
export function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = parseColor(c).slice(0, 3).map((v) => {
      const x = v / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The element above `n`, across shadow roots (the host of a shadow root's top element). */
const up = (n: Element): Element | null => n.parentElement ?? ((n.getRootNode() as ShadowRoot).host ?? null);

/**
 * The opaque colour behind `el`'s content: its background and those of its ancestors (inside the shadow
 * tree, then the host's), semi-transparent layers composited, white when nothing is opaque.
 */
export function backgroundOf(el: Element): string {
  const layers: Rgba[] = [];
  for (let n: Element | null = el; n; n = up(n)) {
    const layer = parseColor(getComputedStyle(n).backgroundColor);
    if (layer[3] === 0) continue;
    layers.push(layer);
    if (layer[3] === 1) break;
  }
  return css(layers.reduceRight<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]));
}

/**
 * The colour `el`'s text (or `property`, e.g. `outlineColor`, `borderTopColor`) shows on screen: its own
 * alpha and the opacity of it and its ancestors applied over the background behind it.
 */
export function colorOf(el: Element, property: 'color' | 'outlineColor' | 'borderTopColor' = 'color'): string {
  const [r, g, b, a] = parseColor(getComputedStyle(el)[property]);
  let alpha = a;
  for (let n: Element | null = el; n; n = up(n)) alpha *= Number(getComputedStyle(n).opacity);
  return css(over([r, g, b, alpha], parseColor(backgroundOf(el))));
}
