import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { trustedTypesPolicy } from './scripts/rollup/trusted-types.mjs';
import { minifyCssTemplates } from './scripts/rollup/minify-css.mjs';
import { minifyHtml } from './scripts/rollup/minify-html.mjs';
import { readdirSync } from 'node:fs';
// Terser's list of DOM property names (not in its package exports, so by path): see `minify` below
import { domprops } from './node_modules/terser/tools/domprops.js';

/** The lazily loaded parts (src/parts/dify-chat-*.ts → dist/dify-chat-*.js, beside the bundle). */
const parts = Object.fromEntries(
  readdirSync('src/parts')
    // English is built into the bundle: its language file exists for the translation tests only
    .filter((f) => /^dify-chat-[\w-]+\.ts$/.test(f) && f !== 'dify-chat-lang-en.ts')
    .map((f) => [f.replace(/\.ts$/, ''), `src/parts/${f}`]),
);

/** A part imports nothing at run time (the element hands it Lit): fail the build if one does. */
const selfContained = () => ({
  name: 'dify-chat-parts-self-contained',
  resolveId(source, importer) {
    if (importer && /^lit/.test(source)) this.error(`${importer} imports ${source}: parts get Lit from the element (PartKit)`);
    return null;
  },
});

// esbuild transpiles (reads experimentalDecorators from tsconfig.json); `tsc --noEmit` type-checks.
const transpile = () => esbuild({ tsconfig: 'tsconfig.json', target: 'es2022' });
// pure_getters: no getter the code reads for its side effect (checked: no bare `el.offsetHeight;` reads).
// hoist_funs: function declarations moved to the top of their scope (as JS hoists them anyway; -150 B);
// sequences: false leaves statements apart instead of joining them with commas, which gzips better (-40 B).
// Properties named `_$…` are lit-html's internal fields: all of lit is inside the bundle (parts get it from
// the element), so they are mangled together (-50 B). So are streaming-markdown's parser fields and the
// renderer methods it calls (`fence_start`, `table_state`, `add_token`, `pending`…; `pending` is a DOM name
// too, Animation's, which no code in the bundle reads: see DOM_NAMES below; -65 B, the parser reads its
// `pending` 137 times): the parser lives in the bundle, our renderer is its
// only caller, and no part, DOM object or JSON field goes by these names. Likewise the members only the
// bundle's own modules use: the element's `@internal` ones its controllers call (`chatChanged`,
// `isLauncher`, `rememberedOpen`…) and its view objects' (`following`, `settled`, `begin`…); none is public
// API and no part uses them. (-420 B; test:dist runs the element suite on the result.)
//
// The bundle's first line, `//# allFunctionsCalledOnLoad`, is V8's explicit compile hint (Chrome 136+): its
// functions are compiled with the script, on the thread that streams it in, instead of one by one on the
// main thread the first time each runs. A closed launcher's upgrade then costs the page 2–3 ms less
// main-thread time at load (bench/README.md); other browsers ignore the comment.
// `builtins: true` lets the list below rename `pending`, a DOM name; every other DOM name stays reserved, so
// no short name Terser makes up (`x`, `id`…) can land on a real property of an element or event.
const DOM_NAMES = domprops.filter((name) => name !== 'pending');
const minify = ({ preamble } = {}) =>
  terser({
    ecma: 2022,
    module: true,
    // console.assert: streaming-markdown's internal checks (they only log)
    compress: { passes: 3, pure_getters: true, unsafe_arrows: true, unsafe_methods: true, hoist_funs: true, sequences: false, pure_funcs: ['console.assert'] },
    mangle: { properties: { builtins: true, reserved: DOM_NAMES, regex: /^(_\$.*|tokens|len|fence_start|fence_end|blockquote_idx|hr_char|hr_chars|indent|indent_len|table_state|spaces|renderer|add_token|end_token|add_text|set_attr|chatChanged|chatConfig|chatEvent|chatNeedsRepair|switchNamespace|useRepair|isLauncher|storageNamespace|rememberedOpen|teaserDismissed|dismissTeaser|showTail|handleScroll|stick|marked|following|begin|settled|pending)$/ } },
    format: { comments: false, preamble },
  });

export default [
  // Self-contained bundles for a <script> tag: lit, eventsource-parser and streaming-markdown inside, with
  // Lit's Trusted Types policy named "dify-chat".
  {
    input: 'src/index.ts',
    output: [
      { file: 'dist/dify-chat.js', format: 'es', sourcemap: true },
      { file: 'dist/dify-chat.iife.js', format: 'iife', name: 'DifyChat', sourcemap: true },
    ],
    plugins: [nodeResolve({ browser: true }), trustedTypesPolicy(), minifyCssTemplates(), minifyHtml(), transpile(), minify({ preamble: '//# allFunctionsCalledOnLoad' })],
  },
  // Parts loaded on first use from beside the bundle (both builds load these same ES modules), each one
  // file with no imports.
  ...Object.entries(parts).map(([name, input]) => ({
    input,
    output: { file: `dist/${name}.js`, format: 'es', sourcemap: true },
    plugins: [selfContained(), minifyCssTemplates(), minifyHtml(), transpile(), minify()],
  })),
  // dify-chat/proxy: server-only, no dependencies, not minified (people read what runs on their server).
  {
    input: 'src/proxy/index.ts',
    output: { file: 'dist/proxy.js', format: 'es', sourcemap: true },
    plugins: [transpile()],
  },
  // Modules for bundler users: dependencies stay external, `./element` imports the class without defining it.
  {
    input: { index: 'src/index.ts', element: 'src/element.ts', ...Object.fromEntries(Object.entries(parts).map(([n, f]) => [`parts/${n}`, f])) },
    external: [/^lit/, /^streaming-markdown/, /^eventsource-parser/],
    output: { dir: 'dist/lib', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true },
    plugins: [transpile()],
  },
];
