// custom-elements.json from the JSDoc of src/dify-chat.ts (tag, attributes, properties, events, parts, custom properties)
export default {
  globs: ['src/dify-chat.ts', 'src/index.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
};
