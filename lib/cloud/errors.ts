/**
 * Failures of the cloud commands. Each prints as one `error:` line through the CLI's command
 * runner (lib/cli/run-command.ts): JD Cloud API errors already carry service, action, code,
 * status and requestId in their message (lib/jdcloud/errors.ts); these name what is wrong and the fix.
 */
import { InputError } from '../core/errors';
import { JdcloudApiError } from '../jdcloud/errors';

/** Bad input found before any request (a flag, a config value, the environment): exit code 2. */
export class CloudInputError extends InputError {}

/** A cloud resource is in a state the command cannot fix (error state, taken name, timeout): exit code 1. */
export class CloudStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloudStateError';
  }
}

/** True for the API's "no such object" answer (HTTP 404, status NOT_FOUND). */
export function isNotFound(err: unknown): boolean {
  return err instanceof JdcloudApiError && err.code === 404;
}
