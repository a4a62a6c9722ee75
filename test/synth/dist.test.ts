import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../lib/config';
import { readRefresherBundle, renderStack } from '../../lib/render';
import { ROOT } from '../helpers/render';

/**
 * dist/ is committed and must be exactly what the embedded default renders today (CI fails on
 * drift). Fix a failure with `npm run build && npx cdk8s synth` and review the diff.
 */
test('dist/ is reproducible from the embedded default config', () => {
  const { config } = loadConfig({ env: {} });
  const { files } = renderStack(config, { refresherBundle: readRefresherBundle() });
  const dist = join(ROOT, 'dist');
  expect(readdirSync(dist).sort()).toEqual(files.map((f) => f.path).sort());
  for (const f of files) expect(readFileSync(join(dist, f.path), 'utf8')).toBe(f.yaml);
});
