/** Where the jcrkit package lives on disk, and the build outputs other layers read from it. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Set by the front-door bundler (scripts/bundle.js) to package.json's version. */
declare const JCRKIT_VERSION: string | undefined;

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

/** jcrkit's version: built into a bundle, else read from package.json (tests, the compiled build). */
export function packageVersion(): string {
  if (typeof JCRKIT_VERSION === 'string') return JCRKIT_VERSION;
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
