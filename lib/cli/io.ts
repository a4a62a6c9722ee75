/** Small I/O helpers shared by commands: output format, error exit. */
import { ConfigError } from '../config';
import { UsageError } from '../core/errors';

export type OutputFormat = 'text' | 'json';

/** Prints an error as one clear message (several lines only for config issue lists) and sets the exit code. */
export function reportError(e: unknown): void {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  } else if (e instanceof UsageError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`error: ${e instanceof Error ? String(e.message) : String(e)}\n`);
    process.exitCode = 1;
  }
}
