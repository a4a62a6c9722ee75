/**
 * KRM function speed: `jcrkit fn` (bin/jcrkit.js, a fresh process) on a ResourceList holding the
 * default stack (the function's own earlier output, which it replaces: a pipeline's re-render),
 * against `kubectl kustomize` over the same rendered files, both timed in the same run. Then, to
 * inform: bin/jcrkit-fn.js on the same list, the function end to end under kubectl's kustomize
 * (exec plugin, examples/kustomize/kubectl) and under `kpt fn eval --exec` when kpt is installed.
 * Runnable alone: `node build/dev/test/bench/krm.js`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JCRKIT, ROOT, benchEnv, compare, median, ratioRow, timeMs, type BenchRow } from './timing';

const MAX_RATIO = 3.0;
const EMPTY_LIST = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

export async function runKrmBench(runs = 15): Promise<BenchRow[]> {
  const fnBin = join(ROOT, 'bin', 'jcrkit-fn.js');
  const work = mkdtempSync(join(tmpdir(), 'jcrkit-bench-krm-'));
  const env = benchEnv({ JCR_PASSWORD: '', JCRKIT_CONFIG: '' });
  try {
    // The files kustomize reads: what `jcrkit synth` writes for the default config.
    const dist = join(work, 'dist');
    timeMs(process.execPath, [JCRKIT, 'synth', '--quiet', '--out', dist], { env });
    const files = readdirSync(dist).filter((f) => f.endsWith('.k8s.yaml'));
    writeFileSync(join(dist, 'kustomization.yaml'), `resources:\n${files.map((f) => `  - ${f}`).join('\n')}\n`);
    // A ResourceList of the default stack: the function's output for an empty one.
    const made = spawnSync(process.execPath, [JCRKIT, 'fn'], { input: EMPTY_LIST, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (made.status !== 0) throw new Error(`jcrkit fn failed: ${made.stderr}`);
    const stackList = made.stdout;

    const kustomize = () => timeMs('kubectl', ['kustomize', dist]);
    const rows: BenchRow[] = [
      compare('jcrkit fn on a ResourceList of the default stack vs kubectl kustomize of the rendered files', () => timeMs(process.execPath, [JCRKIT, 'fn'], { input: stackList, cwd: work, env }), kustomize, { runs, maxRatio: MAX_RATIO }),
    ];
    const inform = (name: string, ours: () => number) => {
      ours();
      const ms = median(Array.from({ length: runs }, ours));
      const p = median(Array.from({ length: runs }, kustomize));
      rows.push({ ...ratioRow(name, ms, p, MAX_RATIO, `median of ${runs}; informs`), target: '', met: undefined });
    };
    inform('bin/jcrkit-fn.js on the same list vs kubectl kustomize', () => timeMs(process.execPath, [fnBin], { input: stackList, cwd: work, env }));
    // End to end under kubectl's kustomize: the exec-plugin generator of examples/kustomize/kubectl.
    const kustEnv = { ...env, KUSTOMIZE_PLUGIN_HOME: join(ROOT, 'examples', 'kustomize', 'plugins') };
    inform('kubectl kustomize examples/kustomize/kubectl (jcrkit-fn as exec plugin) vs kubectl kustomize of the rendered files', () =>
      timeMs('kubectl', ['kustomize', '--enable-alpha-plugins', join(ROOT, 'examples', 'kustomize', 'kubectl')], { env: kustEnv }),
    );
    if (has('kpt')) {
      const pkg = join(work, 'pkg');
      mkdirSync(pkg);
      cpSync(join(ROOT, 'examples', 'kpt', 'jcrkit.yaml'), join(pkg, 'jcrkit.yaml'));
      inform('kpt fn eval --exec bin/jcrkit-fn.js on a package (read, run, write files) vs kubectl kustomize of the rendered files', () => timeMs('kpt', ['fn', 'eval', pkg, '--exec', fnBin], { cwd: work, env }));
    }
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runKrmBench().then(
    (rows) => console.table(rows),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
