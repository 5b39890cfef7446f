/**
 * Which built-in language the widget speaks (SPEC §17): the `lang` attribute, else the nearest `lang` in the
 * page, else the app's `default_language` (`api`), else the browser's. Pure.
 */

/** The built-in languages; English is in the main bundle, the others load from `dify-chat-lang-<code>.js`. */
export const LANGUAGES = ['en', 'zh-Hans', 'zh-Hant', 'ja', 'ko', 'es', 'fr', 'de', 'pt', 'ru', 'ar', 'he'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Languages written right to left. */
export const RTL: readonly Language[] = ['ar', 'he'];

/**
 * The built-in language for a BCP 47 tag (`fr-CA` → `fr`, `zh-TW` → `zh-Hant`, `iw` → `he`), or undefined
 * when there is none.
 */
export function builtIn(tag: string | null | undefined): Language | undefined {
  const t = (tag ?? '').trim().toLowerCase().replace(/_/g, '-');
  if (!t) return undefined;
  const [primary, ...rest] = t.split('-');
  if (primary === 'zh') {
    // Traditional for the script subtag Hant and for Taiwan, Hong Kong and Macau; Simplified otherwise
    return rest.includes('hant') || rest.some((s) => ['tw', 'hk', 'mo'].includes(s)) ? 'zh-Hant' : 'zh-Hans';
  }
  if (primary === 'iw') return 'he';
  return LANGUAGES.find((l) => l === primary);
}

/**
 * The built-in language of the first non-empty tag (the most specific source decides: an unsupported tag
 * means English, not the next candidate).
 */
export function resolveLanguage(...tags: (string | null | undefined)[]): Language {
  for (const tag of tags) {
    if (!tag) continue;
    return builtIn(tag) ?? 'en';
  }
  return 'en';
}
