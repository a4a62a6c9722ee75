/**
 * The entry of build/bundle/jcrkit.js (scripts/bundle.js). bin/jcrkit.js requires it and calls
 * run(); run directly (`node build/bundle/jcrkit.js …`, e.g. by an Argo CD config management
 * plugin with no checkout around it) it runs itself the same way. Only the bundle's entry may do
 * that: in the bundle every module sees the bundle's __filename.
 */
import { endQuietlyOnClosedPipe } from '../core/closed-stdout';
import { errorText, exitCodeFor } from '../core/errors';
import { main } from './main';

export { main };

/**
 * Runs the CLI. A reader that closes stdout early ends the run quietly; every command reports its
 * own errors, so what reaches the catch is the last resort for a crash.
 */
export function run(argv: string[]): Promise<void> {
  endQuietlyOnClosedPipe(process.stdout, process.stderr);
  return main(argv).catch((e: unknown) => {
    process.stderr.write(errorText(e));
    process.exitCode = exitCodeFor(e);
  });
}

if (require.main?.filename === __filename) void run(process.argv.slice(2));
