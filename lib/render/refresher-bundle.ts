import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, REFRESHER_BUNDLE_PATH } from '../core/package-root';

/** The bundled refresher program, which the stack renders into the refresher's ConfigMap. */
export function readRefresherBundle(): string {
  const file = join(packageRoot(), REFRESHER_BUNDLE_PATH);
  if (!existsSync(file)) throw new Error(`the refresher bundle ${REFRESHER_BUNDLE_PATH} is missing. Fix: run \`npm run build\` (npm ci runs it too)`);
  return readFileSync(file, 'utf8');
}
