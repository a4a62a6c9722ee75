/**
 * Start-up: `jcrkit --version` and `jcrkit mirror --help` (bin/jcrkit.js, the bundled CLI) against
 * `node -e 0`, the floor of any Node.js program, as fresh processes in the same run. Both commands
 * load yargs and the command definitions only; a command's modules load when it runs.
 * Runnable alone: `node build/dev/test/bench/startup.js`.
 */
import { JCRKIT, compare, timeMs, type BenchRow } from './timing';

const MAX_RATIO = 1.8;

export async function runStartupBench(runs = 21): Promise<BenchRow[]> {
  const floor = () => timeMs(process.execPath, ['-e', '0']);
  return [
    compare('jcrkit --version vs node -e 0', () => timeMs(process.execPath, [JCRKIT, '--version']), floor, { runs, maxRatio: MAX_RATIO }),
    compare('jcrkit mirror --help vs node -e 0', () => timeMs(process.execPath, [JCRKIT, 'mirror', '--help']), floor, { runs, maxRatio: MAX_RATIO }),
  ];
}

if (require.main === module) {
  runStartupBench().then((rows) => console.table(rows));
}
