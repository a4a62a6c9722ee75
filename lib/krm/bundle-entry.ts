/**
 * The entry of build/bundle/jcrkit-fn.js (scripts/bundle.js). bin/jcrkit-fn.js requires it and
 * calls run(); run directly (`exec: node build/bundle/jcrkit-fn.js`) it runs itself the same way.
 */
import { main } from './main';

export { main };

/** Runs the function with the process's argv, stdio and environment; sets the exit code. */
export function run(argv: string[]): Promise<void> {
  return main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const message = (e as { message?: unknown } | undefined)?.message;
      process.stderr.write(`jcrkit-fn: ${message ? String(message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main?.filename === __filename) void run(process.argv.slice(2));
