/**
 * Attribute converters: a bad value logs a console warning and gives the default, never a broken element
 * (SPEC §3).
 */
import { MAX_TIMEOUT_MS } from './limits.js';

export const warn = (text: string): void => console.warn(`<dify-chat>: ${text}`);

/**
 * A converter that reads an attribute with `parse` (undefined: not valid); an invalid value warns, naming
 * what was `expected`, and gives `fallback`.
 */
export function checked<T>(name: string, parse: (value: string) => T | undefined, fallback: T, expected: string) {
  return {
    fromAttribute(value: string | null): T {
      const parsed = value === null ? fallback : parse(value);
      if (parsed !== undefined) return parsed;
      warn(`${name}="${value!.slice(0, 200)}" is not ${expected}; using ${JSON.stringify(fallback)}.`);
      return fallback;
    },
  };
}

/** A JSON attribute (`suggestions`, `inputs`): invalid JSON or the wrong shape falls back to the default. */
export const jsonAttribute = <T>(name: string, valid: (value: unknown) => boolean, fallback: T) =>
  checked<T>(
    name,
    (value) => {
      if (!value.trim()) return fallback;
      try {
        const parsed: unknown = JSON.parse(value);
        return valid(parsed) ? (parsed as T) : undefined;
      } catch {
        return undefined;
      }
    },
    fallback,
    'valid',
  );

/** One of a fixed set of words (`protocol`, `mode`, `position`, `theme`). */
export const enumAttribute = <T extends string>(name: string, values: readonly T[]) =>
  checked<T>(name, (value) => values.find((v) => v === value.trim().toLowerCase()), values[0], `one of ${values.join(', ')}`);

/** A whole number in [min, max] (`heading-level`). */
export const intAttribute = (name: string, min: number, max: number, fallback: number) =>
  checked(
    name,
    (value) => {
      const n = Number(value);
      return value.trim() && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
    },
    fallback,
    `a whole number from ${min} to ${max}`,
  );

/** The timeout: milliseconds (0 = none), at most what `setTimeout` accepts. */
export const timeoutAttribute = checked(
  'timeout',
  (value) => {
    const ms = Number(value);
    return value.trim() && Number.isFinite(ms) && ms >= 0 ? Math.min(ms, MAX_TIMEOUT_MS) : undefined;
  },
  60_000,
  'a number of milliseconds',
);

export const isStringArray = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');
