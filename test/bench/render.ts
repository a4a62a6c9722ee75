/**
 * Render speed: the cdk8s app process (`node build/main.js`, what `npx cdk8s synth` runs) against
 * `kubectl kustomize` over the same rendered files, both as fresh processes in the same run.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../lib/core/package-root';
import { median, timeMs, type BenchRow } from './timing';

const ROOT = packageRoot();

export async function runRenderBench(runs = 7): Promise<BenchRow[]> {
  const out = mkdtempSync(join(tmpdir(), 'jcrkit-bench-render-'));
  const env = { ...process.env, CDK8S_OUTDIR: join(out, 'dist'), JCRKIT_CONFIG: '', JCR_PASSWORD: '' };
  const app = join(ROOT, 'build', 'main.js');
  timeMs(process.execPath, [app], { env }); // warm the file cache, produce the files kustomize reads
  const files = readdirSync(join(out, 'dist')).filter((f) => f.endsWith('.k8s.yaml'));
  writeFileSync(join(out, 'dist', 'kustomization.yaml'), `resources:\n${files.map((f) => `  - ${f}`).join('\n')}\n`);
  timeMs('kubectl', ['kustomize', join(out, 'dist')]);
  const ours: number[] = [];
  const peer: number[] = [];
  for (let i = 0; i < runs; i++) {
    ours.push(timeMs(process.execPath, [app], { env: { ...env, CDK8S_OUTDIR: join(out, `run${i}`) } }));
    peer.push(timeMs('kubectl', ['kustomize', join(out, 'dist')]));
  }
  const j = median(ours);
  const p = median(peer);
  return [{ name: 'render default stack (cdk8s app process) vs kubectl kustomize of its output', jcrkitMs: j, peerMs: p, ratio: j / p, note: `median of ${runs}; target < 1000 ms` }];
}

if (require.main === module) {
  runRenderBench().then((rows) => console.table(rows));
}
