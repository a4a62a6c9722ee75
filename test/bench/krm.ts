/**
 * KRM function speed: one `jcrkit fn` call (bin/jcrkit-fn.js as a fresh process, default config,
 * an empty ResourceList on stdin) against `kubectl kustomize` over the same rendered files, both
 * timed in the same run; plus the function end to end under kubectl's kustomize (exec plugin,
 * examples/kustomize/kubectl) and under `kpt fn eval --exec` when kpt is installed.
 * Target: one function call ≤ 500 ms. Runnable alone: `node build/dev/test/bench/krm.js`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_CONFIG_SOURCE, DEFAULT_CONFIG_YAML, parseConfigYaml, validateConfig } from '../../lib/config';
import { packageRoot } from '../../lib/core/package-root';
import { renderStack } from '../../lib/render';
import { median, timeMs } from './timing';

export interface KrmBenchRow {
  name: string;
  /** jcrkit's time (median), ms. */
  ms: number;
  /** The peer's time in the same run (kubectl kustomize over the rendered files), ms. */
  peerMs?: number;
  /** ms / peerMs. */
  ratio?: number;
  note?: string;
}

const TARGET_MS = 500;
const EMPTY_LIST = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

export async function runKrmBench(runs = 7): Promise<KrmBenchRow[]> {
  const root = packageRoot();
  const fn = join(root, 'bin', 'jcrkit-fn.js');
  const work = mkdtempSync(join(tmpdir(), 'jcrkit-bench-krm-'));
  const env = { ...process.env, JCR_PASSWORD: '' };
  try {
    // The files kustomize reads: what `jcrkit synth` writes for the default config.
    const dist = join(work, 'dist');
    const { config } = validateConfig(parseConfigYaml(DEFAULT_CONFIG_YAML, DEFAULT_CONFIG_SOURCE), DEFAULT_CONFIG_SOURCE);
    const files = renderStack(config).files;
    for (const f of files) {
      mkdirSync(dirname(join(dist, f.path)), { recursive: true });
      writeFileSync(join(dist, f.path), f.yaml);
    }
    writeFileSync(join(dist, 'kustomization.yaml'), `resources:\n${files.map((f) => `  - ${f.path}`).join('\n')}\n`);

    const callFn = () => timeMs(process.execPath, [fn], { input: EMPTY_LIST, cwd: work, env });
    const callKustomize = () => timeMs('kubectl', ['kustomize', dist]);
    callFn(); // warm the file cache
    callKustomize();
    const ours: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(callFn());
      peer.push(callKustomize());
    }
    const j = median(ours);
    const p = median(peer);
    const rows: KrmBenchRow[] = [
      {
        name: 'jcrkit fn (bin/jcrkit-fn.js process, default config) vs kubectl kustomize of the rendered files',
        ms: j,
        peerMs: p,
        ratio: j / p,
        note: `median of ${runs}; target <= ${TARGET_MS} ms${j > TARGET_MS ? ' (MISSED)' : ''}`,
      },
    ];

    // End to end under kubectl's kustomize: the exec-plugin generator of examples/kustomize/kubectl.
    const kustEnv = { ...env, KUSTOMIZE_PLUGIN_HOME: join(root, 'examples', 'kustomize', 'plugins') };
    const viaKustomize = () => timeMs('kubectl', ['kustomize', '--enable-alpha-plugins', join(root, 'examples', 'kustomize', 'kubectl')], { env: kustEnv });
    viaKustomize();
    const k = median(Array.from({ length: runs }, viaKustomize));
    rows.push({ name: 'kubectl kustomize examples/kustomize/kubectl (jcrkit-fn as exec plugin) vs kubectl kustomize of the rendered files', ms: k, peerMs: p, ratio: k / p, note: `median of ${runs}` });

    if (has('kpt')) {
      const pkg = join(work, 'pkg');
      mkdirSync(pkg);
      cpSync(join(root, 'examples', 'kpt', 'jcrkit.yaml'), join(pkg, 'jcrkit.yaml'));
      const viaKpt = () => timeMs('kpt', ['fn', 'eval', pkg, '--exec', fn], { cwd: work, env });
      viaKpt();
      const e = median(Array.from({ length: runs }, viaKpt));
      rows.push({ name: 'kpt fn eval --exec bin/jcrkit-fn.js on a package (read, run, write files) vs kubectl kustomize of the rendered files', ms: e, peerMs: p, ratio: e / p, note: `median of ${runs}` });
    }
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runKrmBench().then(
    (rows) => console.table(rows.map((r) => ({ ...r, ms: Math.round(r.ms), peerMs: r.peerMs === undefined ? '' : Math.round(r.peerMs), ratio: r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x` }))),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
