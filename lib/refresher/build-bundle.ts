/**
 * `node build/lib/refresher/build-bundle.js [OUT]` writes the pod refresher bundle, by default to
 * build/refresher/jcrkit-refresher.js, and prints its path and size.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildRefresherBundle, repoRoot } from './bundle';

export const DEFAULT_BUNDLE_PATH = path.join('build', 'refresher', 'jcrkit-refresher.js');

const out = path.resolve(process.argv[2] ?? path.join(repoRoot(), DEFAULT_BUNDLE_PATH));
fs.mkdirSync(path.dirname(out), { recursive: true });
const { bytes } = buildRefresherBundle(out);
process.stdout.write(`${path.relative(process.cwd(), out) || out} ${bytes} bytes\n`);
