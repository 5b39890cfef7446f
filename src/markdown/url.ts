// URL policy for rendered answers: only http(s), mailto (links) and relative URLs get through.

let box: HTMLTextAreaElement | undefined;

/**
 * Decodes HTML character references (`&amp;`, `&#39;`, `&#x6A;`, `&copy;` …) in plain text, the
 * way a browser would read them in HTML that marked would have produced. The result is only ever
 * put into text nodes or property values, never parsed as HTML.
 *
 * Numeric references are decoded here (0, surrogates and out-of-range values become U+FFFD).
 * Named references use the browser's own table: the single matched reference (`&` + letters and
 * digits + `;`, so it cannot contain `<`, a quote or anything else with markup meaning) is put into a
 * detached `<textarea>`. A textarea's content is RCDATA: the parser only resolves character
 * references there and never creates elements, runs script or loads anything, and the element is
 * never attached to a document. This avoids shipping the 2,000-entry HTML5 entity table.
 */
export function decode(s: string): string {
  return s.includes('&')
    ? s.replace(/&(?:#(\d{1,7})|#x([\da-f]{1,6})|([a-z][a-z\d]{1,31}));/gi, (m, d?: string, h?: string) => {
        if (!d && !h) {
          (box ||= document.createElement('textarea')).innerHTML = m;
          const v = box.value;
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
  // the probe is only used to look for a scheme: decode %xx and entities until nothing changes,
  // then drop every kind of whitespace/invisible character, so no spelling can hide "javascript:"
  let p = url;
  for (let q = ''; p !== q; ) {
    q = p;
    p = decode(p.replace(/%([\da-f]{2})/gi, (_, x: string) => String.fromCharCode(parseInt(x, 16))));
  }
  p = p.replace(/[\s\0-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]/g, '').toLowerCase();
  const allowed = (s: string) => s === 'http:' || s === 'https:' || (kind === 'link' && s === 'mailto:');
  const scheme = /^[^/?#]*?:/.exec(p);
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
