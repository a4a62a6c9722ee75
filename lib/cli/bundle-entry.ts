/**
 * The entry of build/bundle/jcrkit.js (scripts/bundle.js). bin/jcrkit.js requires it and calls
 * run(); run directly (`node build/bundle/jcrkit.js …`, e.g. by an Argo CD config management
 * plugin with no checkout around it) it runs itself the same way. Only the bundle's entry may do
 * that: in the bundle every module sees the bundle's __filename.
 */
import { main } from './main';

export { main };

/** Runs the CLI; an error that escaped every handler becomes one `error:` line and exit code 1. */
export function run(argv: string[]): Promise<void> {
  return main(argv).catch((e: unknown) => {
    const message = (e as { message?: unknown } | undefined)?.message;
    process.stderr.write(`error: ${message ? String(message) : String(e)}\n`);
    process.exitCode = 1;
  });
}

if (require.main?.filename === __filename) void run(process.argv.slice(2));
