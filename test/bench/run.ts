/**
 * `npm run bench`: every benchmark, printed as one table of times and ratios against a peer run in
 * the same process (kubectl kustomize, skopeo). Timings live here, never in tests.
 */
import { runKrmBench } from './krm';
import { runMirrorBench } from './mirror';
import { runRefreshBench } from './refresh';
import { runRenderBench } from './render';

interface Row {
  name: string;
  jcrkitMs?: number;
  peerMs?: number;
  ratio?: number;
  ms?: number;
  note?: string;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const suites: [string, () => Promise<Row[]>][] = [
    ['render', () => runRenderBench()],
    ['refresh', () => runRefreshBench()],
    ['krm', () => runKrmBench()],
    ['mirror', () => runMirrorBench()],
  ];
  const rows: Row[] = [];
  for (const [name, run] of suites) {
    if (only.length > 0 && !only.includes(name)) continue;
    process.stderr.write(`bench: ${name}...\n`);
    rows.push(...(await run()));
  }
  const fmt = (n?: number) => (n === undefined ? '' : n.toFixed(n < 10 ? 2 : 0));
  console.table(rows.map((r) => ({ benchmark: r.name, 'jcrkit ms': fmt(r.jcrkitMs ?? r.ms), 'peer ms': fmt(r.peerMs), ratio: r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`, note: r.note ?? '' })));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
