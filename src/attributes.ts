/**
 * Attribute converters: a bad value logs a console warning and gives the default, never a broken element
 * (SPEC §3).
 */
import { MAX_TIMEOUT_MS } from './limits.js';

export const warn = (text: string): void => console.warn(`<dify-chat>: ${text}`);

const shown = (value: string) => (value.length > 200 ? `${value.slice(0, 200)}…` : value);

/** A JSON attribute (`suggestions`, `inputs`): invalid JSON or the wrong shape falls back to the default. */
export function jsonAttribute<T>(name: string, valid: (value: unknown) => boolean, fallback: () => T) {
  return {
    fromAttribute(value: string | null): T {
      if (value === null || value.trim() === '') return fallback();
      try {
        const parsed: unknown = JSON.parse(value);
        if (valid(parsed)) return parsed as T;
      } catch {
        // reported below
      }
      warn(`${name}="${shown(value)}" is not valid; using the default.`);
      return fallback();
    },
  };
}

/** One of a fixed set of words (`protocol`, `mode`, `position`, `theme`); anything else warns. */
export function enumAttribute<T extends string>(name: string, values: readonly T[]) {
  return {
    fromAttribute(value: string | null): T {
      if (value === null) return values[0];
      const word = value.trim().toLowerCase() as T;
      if (values.includes(word)) return word;
      warn(`${name}="${shown(value)}" is not one of ${values.join(', ')}; using "${values[0]}".`);
      return values[0];
    },
    toAttribute: (value: T) => value,
  };
}

/** A whole number in [min, max] (`heading-level`); anything else warns and gives `fallback`. */
export function intAttribute(name: string, min: number, max: number, fallback: number) {
  return {
    fromAttribute(value: string | null): number {
      if (value === null) return fallback;
      const n = Number(value);
      if (value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max) return n;
      warn(`${name}="${shown(value)}" is not a whole number from ${min} to ${max}; using ${fallback}.`);
      return fallback;
    },
  };
}

/** The timeout: milliseconds (0 = none), at most what `setTimeout` accepts; anything else warns and uses 60000. */
export const timeoutAttribute = {
  fromAttribute(value: string | null): number {
    if (value === null) return 60_000;
    const ms = Number(value);
    if (value.trim() === '' || !Number.isFinite(ms) || ms < 0) {
      warn(`timeout="${shown(value)}" is not a number of milliseconds; using 60000.`);
      return 60_000;
    }
    return Math.min(ms, MAX_TIMEOUT_MS);
  },
};

export const isPlainObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isStringArray = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');
