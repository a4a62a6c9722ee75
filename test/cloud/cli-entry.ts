/**
 * The real `jcrkit` CLI root (lib/cli/main.ts, every registered command), bundled by esbuild from
 * the current sources by cli-harness.ts and run as a child process: black-box tests that never
 * run a stale build/ and use the real ESM yargs (which jest itself cannot load).
 */
import { main } from '../../lib/cli/main';

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`error: ${e && e.message ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
