/**
 * The error vocabulary every layer shares, and the exit-code contract every front door (the
 * `jcrkit` commands, `jcrkit-fn`, the cdk8s app, the in-cluster refresher) maps it to:
 *
 *   0  done
 *   1  the operation failed or partly failed (network, remote API, cluster state, some namespaces)
 *   2  bad input: usage, flags, environment, config file or values, missing files — fix and rerun
 */

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/**
 * Bad input: something the user wrote (a flag, a config value, a file, a functionConfig, an
 * environment variable) is wrong and the message says what to fix. Every "bad input" error class
 * extends this one, so callers recognise it with `instanceof`, never by comparing names.
 */
export class InputError extends Error {
  readonly exitCode = EXIT_BAD_INPUT;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A command called the wrong way (flags, arguments, stdin). */
export class UsageError extends InputError {}

/** The exit code an uncaught error maps to: 2 for bad input, 1 for anything else. */
export function exitCodeFor(err: unknown): number {
  return err instanceof InputError ? EXIT_BAD_INPUT : EXIT_FAILED;
}

/**
 * How every failure is printed: `error: <message>` on the first line; lines of the message that
 * are indented (a config error's field paths) follow as indented lines, any other line break is
 * folded into the line before, so a server's multi-line text cannot fake extra output lines.
 */
export function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const lines: string[] = [];
  for (const raw of message.split(/\r?\n/)) {
    const text = raw.trim();
    if (!text) continue;
    if (lines.length === 0) lines.push(`error: ${text.replace(/^error:\s*/, '')}`);
    else if (/^\s/.test(raw)) lines.push(`  ${text}`);
    else lines[lines.length - 1] += ` ${text}`;
  }
  if (lines.length === 0) lines.push('error: failed without a message');
  return `${lines.join('\n')}\n`;
}
