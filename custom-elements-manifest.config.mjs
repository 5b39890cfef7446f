// custom-elements.json from the JSDoc of src/dify-chat.ts (tag, attributes, properties, events, parts, custom properties)
export default {
  globs: ['src/dify-chat.ts', 'src/index.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  plugins: [
    {
      // the generic `dispatchEvent(new CustomEvent(type, …))` helper is not an event of its own
      name: 'drop-generic-event',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const decl of mod.declarations ?? []) {
            if (decl.events) decl.events = decl.events.filter((e) => e.name?.startsWith('dify-chat-'));
          }
        }
      },
    },
  ],
};
