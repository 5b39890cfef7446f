// Dev server / test runner middleware: the bundle loads its lazy parts from beside itself
// (`./dify-chat-<name>.js`, src/parts/load.ts). From the sources, that URL is /src/parts/dify-chat-<name>.js:
// serve the TypeScript module of the same name, transpiled like every other source file.
export function partsFromSource(ctx, next) {
  if (/^\/src\/parts\/dify-chat-[\w-]+\.js$/.test(ctx.path)) ctx.url = ctx.url.replace(/\.js(?=\?|$)/, '.ts');
  return next();
}
