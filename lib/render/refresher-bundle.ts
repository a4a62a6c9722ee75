import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, REFRESHER_BUNDLE_PATH } from '../core/package-root';

/**
 * Set by the front-door bundler (scripts/bundle.js) to the text of the refresher bundle, so a
 * bundled jcrkit renders the ConfigMap with no build/ directory beside it.
 */
declare const JCRKIT_REFRESHER_BUNDLE: string | undefined;

/** The bundled refresher program, which the stack renders into the refresher's ConfigMap. */
export function readRefresherBundle(): string {
  if (typeof JCRKIT_REFRESHER_BUNDLE === 'string') return JCRKIT_REFRESHER_BUNDLE;
  const file = join(packageRoot(), REFRESHER_BUNDLE_PATH);
  if (!existsSync(file)) throw new Error(`the refresher bundle ${REFRESHER_BUNDLE_PATH} is missing. Fix: run \`npm run build\` (npm ci runs it too)`);
  return readFileSync(file, 'utf8');
}
