/**
 * `npm run bench`: every benchmark, printed as one table of medians and ratios against a peer run
 * in the same process (node -e 0, kubectl kustomize, kubectl apply, skopeo), with the target of each row and
 * whether this run met it. Timings live here, never in tests. `npm run bench -- startup krm` runs
 * only those suites.
 */
import { runKrmBench } from './krm';
import { runMirrorBench } from './mirror';
import { runRefreshBench } from './refresh';
import { runRenderBench } from './render';
import { runStartupBench } from './startup';
import type { BenchRow } from './timing';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const suites: [string, () => Promise<BenchRow[]>][] = [
    ['startup', () => runStartupBench()],
    ['render', () => runRenderBench()],
    ['krm', () => runKrmBench()],
    ['mirror', () => runMirrorBench()],
    ['refresh', () => runRefreshBench()],
  ];
  const rows: BenchRow[] = [];
  for (const [name, run] of suites) {
    if (only.length > 0 && !only.includes(name)) continue;
    process.stderr.write(`bench: ${name}...\n`);
    rows.push(...(await run()));
  }
  const fmt = (n?: number) => (n === undefined ? '' : n.toFixed(n < 10 ? 2 : 0));
  console.table(
    rows.map((r) => ({
      benchmark: r.name,
      'jcrkit ms': fmt(r.jcrkitMs),
      'peer ms': fmt(r.peerMs),
      ratio: r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`,
      target: r.target ?? '',
      met: r.met === undefined ? '' : r.met ? 'yes' : 'NO',
      note: r.note ?? '',
    })),
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
