/**
 * Builds the pod's refresher: lib/refresher/main.ts and everything it imports, in one CommonJS
 * file for the stock node:24 runtime image (lib/config/images.ts), so the CronJob can run it from a
 * ConfigMap without an image of ours. Plain syntax only: the output also runs on the Node 20 that
 * `jcrkit` itself supports (test/refresher/bundle.test.ts runs it under the test suite's node).
 * No source maps, no banner with dates, so the output is byte-for-byte reproducible (the
 * ConfigMap is rendered into dist/, which CI checks for drift).
 */
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../core/package-root';

export interface BundleResult {
  outFile: string;
  bytes: number;
}

export function buildRefresherBundle(outFile: string): BundleResult {
  const root = packageRoot();
  // esbuild is a devDependency: load it only when building (never from the bundle itself), and
  // from the repository, wherever the compiled copy of this file lives
  const esbuild = require(require.resolve('esbuild', { paths: [root] })) as typeof import('esbuild');
  const result = esbuild.buildSync({
    entryPoints: [path.join(root, 'lib', 'refresher', 'main.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    // paths in comments would differ between checkouts; keep the output location-independent
    absWorkingDir: root,
    logLevel: 'silent',
    write: true,
  });
  if (result.errors.length) throw new Error(`refresher bundle failed: ${result.errors.map((e) => e.text).join('; ')}`);
  return { outFile, bytes: fs.statSync(outFile).size };
}
