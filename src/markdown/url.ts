// URL policy for rendered answers: only http(s), mailto (links) and relative URLs get through.

/**
 * Named character references decoded in URLs: the ASCII punctuation names that could hide a scheme or
 * matter in a query (`&colon;`, `&Tab;`, `&sol;`, `&amp;` …). Others stay as written: the URL is only ever
 * set with `setAttribute`, which decodes nothing, so an unknown reference can't hide anything. No HTML
 * parser is involved (Trusted Types pages forbid it).
 */
const NAMED: Record<string, string> = Object.assign(Object.create(null), {
  Tab: '\t', NewLine: '\n', excl: '!', quot: '"', num: '#', dollar: '$', percnt: '%', amp: '&', apos: "'",
  lpar: '(', rpar: ')', ast: '*', plus: '+', comma: ',', period: '.', sol: '/', colon: ':', semi: ';',
  lt: '<', equals: '=', gt: '>', quest: '?', commat: '@', lsqb: '[', bsol: '\\', rsqb: ']', lowbar: '_',
  grave: '`', lcub: '{', verbar: '|', rcub: '}', nbsp: '\xa0',
});

/**
 * Decodes HTML character references (`&amp;`, `&#39;`, `&#x6A;`, `&colon;` …) in a URL, as CommonMark
 * does in link destinations, so `safeUrl` checks the scheme a reader would see. Numeric references are
 * decoded (0, surrogates and out-of-range numbers become U+FFFD), named ones from the table above.
 */
export function decode(s: string): string {
  return s.includes('&')
    ? s.replace(/&(?:#(\d{1,7})|#x([\da-f]{1,6})|([a-z][a-z\d]{1,31}));/gi, (m, d?: string, h?: string, n?: string) => {
        if (n) return NAMED[n] ?? m;
        const c = d ? +d : parseInt(h!, 16);
        return String.fromCodePoint(c && c < 0x110000 && (c < 0xd800 || c > 0xdfff) ? c : 0xfffd);
      })
    : s;
}

/**
 * A URL that is safe to put in href (kind 'link': http:, https:, mailto:, or relative) or src
 * (kind 'image': http:, https: or relative). Returns the URL to use, or null when unsafe.
 * Relative URLs are resolved against `base` when given (image src must be absolute then).
 * Rejects javascript:, data:, vbscript:, file:, blob: etc. in any casing, with leading/embedded
 * whitespace or control characters, with HTML entities (&#106;avascript:, &colon;) or
 * percent-encoding (java%73cript:); those are decoded (repeatedly) before the scheme is checked.
 * Protocol-relative //host is allowed only when it resolves to http(s).
 */
export function safeUrl(raw: string, kind: 'link' | 'image', base?: string): string | null {
  // what a browser does to an attribute value: entities decoded, C0/space trimmed, tab/CR/LF dropped
  const url = decode(raw).replace(/^[\0- ]+|[\0- ]+$|[\t\n\r]/g, '');
  // any other control character is never needed in a URL: refuse rather than guess
  if (/[\0-\x1f\x7f]/.test(url)) return null;
  // The probe is only used to find the scheme: %xx and entities decoded until nothing changes.
  // Anything before the first ':' that is not a plain allowed scheme (`java\u200bscript:`,
  // `java%73cript:`, `1x:`) is refused, even where a browser would read a harmless relative URL.
  // A scheme a browser would see ([a-z][a-z0-9+.-]*: at the start) is unchanged by the decoding, so
  // it is always the one checked here.
  let p = url;
  for (let q = ''; p !== q; ) {
    q = p;
    p = decode(p.replace(/%([\da-f]{2})/gi, (_, x: string) => String.fromCharCode(parseInt(x, 16))));
  }
  const allowed = (s: string) => s === 'http:' || s === 'https:' || (kind === 'link' && s === 'mailto:');
  const scheme = /^[^/?#]*?:/.exec(p.toLowerCase());
  if (scheme && !allowed(scheme[0])) return null;
  try {
    if (base || scheme || /^[/\\]{2}/.test(p)) {
      // resolve with the browser's own parser and check what it really made of it
      const r = new URL(url, base || document.baseURI);
      return allowed(r.protocol) ? r.href : null;
    }
  } catch {
    return null;
  }
  return url;
}
