// URL policy for rendered answers: only http(s), mailto (links) and relative URLs get through.

let box: HTMLTextAreaElement | undefined;
/** The references answers use most, decoded without the browser (see below). */
const NAMED: Record<string, string> = Object.assign(Object.create(null), {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\xa0',
});

/**
 * Decodes HTML character references (`&amp;`, `&#39;`, `&#x6A;`, `&copy;` …) in a URL, as CommonMark
 * does in link destinations, so `safeUrl` checks the scheme a reader would see. The result is only
 * ever used as an attribute value, never parsed as HTML.
 *
 * Numeric references and the most common named ones are decoded here (0, surrogates and
 * out-of-range numbers become U+FFFD). Other named references use the browser's own table: the
 * single matched reference (`&` + letters and digits + `;`, so it cannot contain `<`, a quote or
 * anything else with markup meaning) is put into a detached `<textarea>`. A textarea's content is
 * RCDATA: the parser only resolves character references there and never creates elements, runs
 * script or loads anything, and the element is never attached to a document. This avoids shipping
 * the 2,000-entry HTML5 entity table. On a page that enforces Trusted Types that assignment throws;
 * the reference is then shown as written.
 */
export function decode(s: string): string {
  return s.includes('&')
    ? s.replace(/&(?:#(\d{1,7})|#x([\da-f]{1,6})|([a-z][a-z\d]{1,31}));/gi, (m, d?: string, h?: string, n?: string) => {
        if (n) {
          let v = NAMED[n];
          if (!v) {
            try {
              (box ||= document.createElement('textarea')).innerHTML = m;
              v = box.value;
            } catch {
              v = m;
            }
          }
          // the HTML parser also accepts a legacy prefix (`&notit;` → "¬it;"); CommonMark does not
          return v.length < 3 ? v : m;
        }
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
