/** Where the jcrkit package lives on disk, and the build outputs other layers read from it. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where `npm run build` writes the bundled refresher, relative to the package root. */
export const REFRESHER_BUNDLE_PATH = 'build/refresher/jcrkit-refresher.js';

/** The jcrkit package root: the nearest directory above this file with jcrkit's package.json. */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'jcrkit') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the jcrkit package root');
    dir = up;
  }
}
