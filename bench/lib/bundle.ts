import { statSync } from 'node:fs';
import { build } from 'esbuild';

/**
 * Bundles an entry the way serverless-esbuild does for this service (serverless.yml
 * `custom.esbuild`): CommonJS, minified with names kept, platform node, target node22. `esm` is for the
 * benchmark's own runner, which awaits at top level. Returns the bundle's size in bytes (the
 * source map is not counted).
 */
export async function bundle(
  entry: string,
  outfile: string,
  format: 'cjs' | 'esm' = 'cjs',
): Promise<number> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    keepNames: true,
    platform: 'node',
    target: 'node22',
    format,
    logLevel: 'error',
  });
  return statSync(outfile).size;
}
