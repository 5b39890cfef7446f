import { expect } from '@open-wc/testing';
import { decode, safeUrl } from '../../src/markdown/url.js';

describe('safeUrl', () => {
  it('allows http(s), mailto (links only) and relative URLs', () => {
    expect(safeUrl('https://example.com/a?b#c', 'link')).to.equal('https://example.com/a?b#c');
    expect(safeUrl('HTTP://EXAMPLE.com', 'link')).to.equal('http://example.com/');
    expect(safeUrl('mailto:a@b.c', 'link')).to.equal('mailto:a@b.c');
    expect(safeUrl('mailto:a@b.c', 'image')).to.equal(null);
    for (const rel of ['/x', 'x/y.png', './a:b', '../up', '?q=javascript:x', '#frag', 'page?x=a:b', ''])
      expect(safeUrl(rel, 'link'), rel).to.equal(rel);
    expect(safeUrl('pic.png', 'image')).to.equal('pic.png');
  });

  it('resolves relative URLs against a base', () => {
    expect(safeUrl('x.png', 'image', 'https://cdn.example/a/b')).to.equal('https://cdn.example/a/x.png');
    expect(safeUrl('//other.example/p', 'image', 'https://cdn.example/')).to.equal('https://other.example/p');
    expect(safeUrl('/p', 'link', 'http://h.example/q/')).to.equal('http://h.example/p');
    // a base can not make a dangerous URL safe
    expect(safeUrl('javascript:alert(1)', 'link', 'https://h.example/')).to.equal(null);
  });

  it('allows protocol-relative URLs only when they resolve to http(s)', () => {
    expect(safeUrl('//evil.example/x', 'link')).to.equal(new URL('//evil.example/x', document.baseURI).href);
    expect(safeUrl('\\\\evil.example/x', 'link')).to.match(/^https?:\/\/evil\.example\/x$/);
  });

  const bad = [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    '\tjavascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'java\rscript:alert(1)',
    'java\0script:alert(1)',
    '\x01javascript:alert(1)',
    'javascript\t:alert(1)',
    '&#106;avascript:alert(1)',
    '&#x6A;avascript:alert(1)',
    '&#0000106;avascript:alert(1)',
    'javascript&colon;alert(1)',
    'javascript&#58;alert(1)',
    '&amp;#106;avascript:alert(1)',
    'java%73cript:alert(1)',
    'javascript%3Aalert(1)',
    '%6A%61%76%61%73%63%72%69%70%74:alert(1)',
    'java&Tab;script:alert(1)',
    'java&NewLine;script:alert(1)',
    'java\u200bscript:alert(1)',
    'vbscript:msgbox(1)',
    'VBScript:x',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'data:image/svg+xml,<svg onload=alert(1)>',
    'DATA:image/png;base64,AAAA',
    'file:///etc/passwd',
    'blob:https://x/uuid',
    'about:blank',
    'ftp://x/',
    'livescript:x',
    'jar:x',
    'feed:javascript:alert(1)',
    '\u00a0javascript:alert(1)',
  ];
  for (const url of bad) {
    it(`rejects ${JSON.stringify(url)}`, () => {
      expect(safeUrl(url, 'link')).to.equal(null);
      expect(safeUrl(url, 'image')).to.equal(null);
      expect(safeUrl(url, 'link', 'https://base.example/')).to.equal(null);
    });
  }
});

describe('decode', () => {
  it('decodes numeric and named character references', () => {
    expect(decode('&amp;&lt;&gt;&quot;&#39;&#x27;&#169;&#x2026;&#128512;')).to.equal('&<>"\'\'©…😀');
    expect(decode('&#0;&#xD800;&#x110000;')).to.equal('\ufffd\ufffd\ufffd');
    expect(decode('a & b &unknown; &amp')).to.equal('a & b &unknown; &amp');
    expect(decode('&lt;img src=x onerror=alert(1)&gt;')).to.equal('<img src=x onerror=alert(1)>');
  });

  it('decodes the punctuation names that could hide a scheme, without any HTML parser (Trusted Types)', () => {
    // any innerHTML assignment throws, as on a page that enforces Trusted Types
    const original = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML')!;
    Object.defineProperty(Element.prototype, 'innerHTML', {
      configurable: true,
      get: original.get,
      set() {
        throw new TypeError('This document requires TrustedHTML assignment.');
      },
    });
    try {
      expect(decode('javascript&colon;alert&lpar;1&rpar;')).to.equal('javascript:alert(1)');
      expect(decode('java&Tab;script&NewLine;&sol;&sol;&period;&nbsp;')).to.equal('java\tscript\n//.\u00a0');
      expect(safeUrl('javascript&colon;alert(1)', 'link')).to.equal(null);
      expect(safeUrl('https://x.example/?a=1&amp;b=2', 'link')).to.equal('https://x.example/?a=1&b=2');
      // a name outside the table stays as written: harmless, since setAttribute decodes nothing
      expect(decode('&AElig;&notit;')).to.equal('&AElig;&notit;');
    } finally {
      Object.defineProperty(Element.prototype, 'innerHTML', original);
    }
  });
});
