/** Checks for values parsed from JSON (server bodies, stored transcripts, attributes). Pure. */

/** A JSON object. */
export type Json = Record<string, unknown>;

/** A JSON object (not null, not an array). */
export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value if it is a string. */
export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
