// Loads src/proxy (TypeScript) into node for the dev server, the mock and the node tests: esbuild
// bundles it in memory (it has no dependencies) and it is imported from a data: URL. The published
// package ships the same code as dist/proxy.js (npm run build).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let loading = null;

/** @returns {Promise<typeof import('../src/proxy/index.ts')>} */
export function loadProxy() {
  loading ??= (async () => {
    const result = await build({
      entryPoints: [path.join(root, 'src/proxy/index.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  })();
  return loading;
}
