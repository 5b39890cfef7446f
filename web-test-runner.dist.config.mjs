// Tests of the built bundle (run after `npm run build`): smoke tests, strict pages (a page served with
// Content-Security-Policy (script-src/style-src 'self') and Trusted Types enforced), and the whole element
// suite again with the minified bundle and parts in place of the sources (what site owners run).
import base from './web-test-runner.config.mjs';

/** The CSP of each strict test page: /test-dist/csp/<name>.html */
const STRICT = {
  // the documented policy list: the page's own Lit ("lit-html") and the widget ("dify-chat")
  listed: "script-src 'self'; style-src 'self'; require-trusted-types-for 'script'; trusted-types lit-html dify-chat",
  // no policy allowed at all: the widget can't render, but it must not break the page's scripts
  none: "script-src 'self'; style-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'",
};

function strictPages(ctx, next) {
  const match = /^\/test-dist\/csp\/(\w+)\.html$/.exec(ctx.path);
  if (!match || !STRICT[match[1]]) return next();
  ctx.set('Content-Security-Policy', STRICT[match[1]]);
  ctx.type = 'html';
  // ?classic=1: the classic-script build from a plain <script src>, before the page's module runs
  const classic = ctx.query.classic ? '<script src="/dist/dify-chat.iife.js"></script>' : '';
  ctx.body = `<!doctype html><html lang="en"><head><title>strict</title></head><body>${classic}<script type="module" src="/test-dist/csp/page.js${ctx.search}"></script></body></html>`;
  return undefined;
}

/** The element tests import `src/index`: they get the minified bundle instead (which loads `dist/` parts). */
function bundleInsteadOfSources(ctx, next) {
  if (ctx.path !== '/src/index.js' && ctx.path !== '/src/index.ts') return next();
  ctx.type = 'js';
  ctx.body = "export * from '/dist/dify-chat.js';";
  return undefined;
}

export default {
  ...base,
  files: ['test-dist/**/*.test.js', 'test/element/**/*.test.ts'],
  middleware: [strictPages, bundleInsteadOfSources, ...base.middleware],
};
