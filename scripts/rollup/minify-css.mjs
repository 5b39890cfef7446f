// Rollup plugin: minifies the CSS inside Lit `css\`…\`` templates of our own sources (comments and
// whitespace), which terser leaves alone. Only templates without `${}` are touched; spaces that matter
// (descendant combinators, `+`/`-` in calc(), before `:` of a pseudo-class) are kept.
export function minifyCss(css) {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    // [part~='log'] → [part~=log] (an identifier needs no quotes); 0.5em → .5em; ' !important' → '!important'
    .replace(/\[([\w-]+)([~|^$*]?=)'([a-zA-Z_][\w-]*)'\]/g, '[$1$2$3]')
    .replace(/([\s:,(-])0\.(\d)/g, '$1.$2')
    .replace(/ !important/g, '!important')
    .trim();
}

export function minifyCssTemplates() {
  return {
    name: 'dify-chat-minify-css',
    transform(code, id) {
      if (!/[\\/]src[\\/].*\.ts$/.test(id) || !/css`|const styles =/.test(code)) return null;
      // the element's css`…` and the parts' `export const styles = \`…\`` (or `= SHARED + \`…\``)
      const out = code.replace(/(\bcss|const styles =\s*(?:\w+\s*\+\s*)?)`([^`$]*)`/g, (_, head, body) => `${head}\`${minifyCss(body)}\``);
      return { code: out, map: null };
    },
  };
}
