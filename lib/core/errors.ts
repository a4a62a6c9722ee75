/**
 * The error vocabulary every layer shares, and the exit codes the commands map it to:
 * 0 done, 1 the operation failed (network, remote API, some namespaces), 2 bad input (usage,
 * flags, config file or values).
 */

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/**
 * Bad input: something the user wrote (a flag, a config value, a file, a functionConfig) is wrong
 * and the message says what to fix. Every "bad input" error class extends this one, so callers
 * recognise it with `instanceof`, never by comparing names.
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
