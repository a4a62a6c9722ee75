/**
 * Render speed: the cdk8s app process (cdk8s.yaml's `app:` command, what `npx cdk8s synth` runs:
 * `node build/bundle/cdk8s-app.js`) rendering the default stack, against `kubectl kustomize` over
 * the rendered files, both as fresh processes in the same run.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, benchEnv, compare, timeMs, type BenchRow } from './timing';

const MAX_RATIO = 3.0;
const STRETCH_RATIO = 2.0;

/** cdk8s.yaml's `app: node FILE`, as node arguments. */
export function cdk8sAppArgs(): string[] {
  const app = /^app: node (\S+)$/m.exec(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8'));
  if (!app) throw new Error('cdk8s.yaml has no `app: node FILE` line');
  return [join(ROOT, app[1])];
}

export async function runRenderBench(runs = 15): Promise<BenchRow[]> {
  const out = mkdtempSync(join(tmpdir(), 'jcrkit-bench-render-'));
  const env = benchEnv({ CDK8S_OUTDIR: join(out, 'dist'), JCRKIT_CONFIG: '', JCR_PASSWORD: '' });
  const app = cdk8sAppArgs();
  timeMs(process.execPath, app, { env }); // the files kustomize reads
  const files = readdirSync(join(out, 'dist')).filter((f) => f.endsWith('.k8s.yaml'));
  writeFileSync(join(out, 'dist', 'kustomization.yaml'), `resources:\n${files.map((f) => `  - ${f}`).join('\n')}\n`);
  let i = 0;
  const row = compare(
    'cdk8s app, default stack (cdk8s.yaml app:) vs kubectl kustomize of its output',
    () => timeMs(process.execPath, app, { env: { ...env, CDK8S_OUTDIR: join(out, `run${i++}`) } }),
    () => timeMs('kubectl', ['kustomize', join(out, 'dist')]),
    { runs, maxRatio: MAX_RATIO },
  );
  row.note += `; stretch <= ${STRETCH_RATIO.toFixed(1)}x${row.ratio! <= STRETCH_RATIO ? ' (met)' : ''}`;
  return [row];
}

if (require.main === module) {
  runRenderBench().then((rows) => console.table(rows));
}
