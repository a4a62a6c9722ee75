/**
 * The entry of build/bundle/jcrkit-fn.js (scripts/bundle.js). bin/jcrkit-fn.js requires it and
 * calls run(); run directly (`exec: node build/bundle/jcrkit-fn.js`) it runs itself the same way.
 */
import { endQuietlyOnClosedPipe } from '../core/closed-stdout';
import { errorText, exitCodeFor } from '../core/errors';
import { main } from './main';

export { main };

/** Runs the function with the process's argv, stdio and environment; sets the exit code. */
export function run(argv: string[]): Promise<void> {
  endQuietlyOnClosedPipe(process.stdout, process.stderr);
  return main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(errorText(e));
      process.exitCode = exitCodeFor(e);
    },
  );
}

if (require.main?.filename === __filename) void run(process.argv.slice(2));
