// Rollup plugin for the self-contained bundles: Lit's Trusted Types policy is renamed from "lit-html" to
// "dify-chat" and created inside try/catch.
//
// Bundled Lit creates its policy when the module is evaluated. On a page that enforces Trusted Types that
// throws when the name is not in the page's `trusted-types` list, or is already taken (a page that uses Lit
// itself has a "lit-html" policy) — and then the whole bundle fails to evaluate and <dify-chat> never
// defines. With its own name the widget never collides with the page's Lit, and a refused policy only logs
// which name to allow. The build fails if Lit's code changes shape, so an upgrade can't silently undo this.
export const POLICY = 'dify-chat';

export function trustedTypesPolicy() {
  const pattern = /(\w+)\.createPolicy\(\s*["']lit-html["']\s*,\s*(\{[^{}]*\})\s*\)/;
  let patched = 0;
  return {
    name: 'dify-chat-trusted-types',
    transform(code, id) {
      if (!/[\\/]lit-html[\\/](development[\\/])?lit-html\.js$/.test(id)) return null;
      if (!pattern.test(code)) this.error(`Lit's Trusted Types policy was not found in ${id}: update scripts/rollup/trusted-types.mjs`);
      patched++;
      const message = `<dify-chat>: Trusted Types refused the policy "${POLICY}": add ${POLICY} to the page's trusted-types directive (with 'allow-duplicates' if the widget's script is loaded twice).`;
      return {
        code: code.replace(
          pattern,
          (_, tt, options) => `(()=>{try{return ${tt}.createPolicy(${JSON.stringify(POLICY)},${options})}catch(e){console.error(${JSON.stringify(message)},e)}})()`,
        ),
        map: null,
      };
    },
    buildEnd() {
      if (!patched) this.error('lit-html was not bundled: the Trusted Types patch did not run');
    },
  };
}
