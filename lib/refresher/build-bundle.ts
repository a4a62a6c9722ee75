/**
 * `node build/lib/refresher/build-bundle.js [OUT]` writes the pod refresher bundle, by default to
 * build/refresher/jcrkit-refresher.js, and prints its path and size.
 */
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot, REFRESHER_BUNDLE_PATH } from '../core/package-root';
import { buildRefresherBundle } from './bundle';

const out = path.resolve(process.argv[2] ?? path.join(packageRoot(), REFRESHER_BUNDLE_PATH));
fs.mkdirSync(path.dirname(out), { recursive: true });
const { bytes } = buildRefresherBundle(out);
process.stdout.write(`${path.relative(process.cwd(), out) || out} ${bytes} bytes\n`);
