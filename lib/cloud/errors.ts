/**
 * Failures of the cloud commands. Every one prints as ONE line, enough to act on: JD Cloud
 * API errors already carry service, action, code, status and requestId in their message
 * (lib/jdcloud/errors.ts); everything else here names what is wrong and the fix.
 */
import { ConfigError } from '../config';
import { JdcloudApiError, JdcloudError, JdcloudValidationError } from '../jdcloud/errors';
import { KubeApiError, KubeTransportError } from '../kube/errors';

/** Bad input found before any request: exit code 2, like a usage error. */
export class CloudInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloudInputError';
  }
}

/** A cloud resource is in a state the command cannot fix (error state, taken name, timeout). */
export class CloudStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloudStateError';
  }
}

export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** The line to print for an error (without `error: `), and the exit code. */
export function describeCloudError(err: unknown): { line: string; exitCode: number } {
  if (err instanceof ConfigError) return { line: err.message, exitCode: EXIT_BAD_INPUT };
  // UsageError (lib/cli/io.ts, e.g. a malformed --set) is matched by name: lib/cloud does not import the CLI layer.
  if (err instanceof CloudInputError || err instanceof JdcloudValidationError || (err instanceof Error && err.name === 'UsageError')) return { line: oneLine(err.message), exitCode: EXIT_BAD_INPUT };
  if (err instanceof JdcloudApiError || err instanceof JdcloudError) return { line: oneLine(err.message), exitCode: EXIT_FAILED };
  if (err instanceof KubeApiError || err instanceof KubeTransportError) return { line: `Kubernetes ${oneLine(err.message)}`, exitCode: EXIT_FAILED };
  if (err instanceof Error) return { line: oneLine(err.message), exitCode: EXIT_FAILED };
  return { line: oneLine(String(err)), exitCode: EXIT_FAILED };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** True for the API's "no such object" answer (HTTP 404, status NOT_FOUND). */
export function isNotFound(err: unknown): boolean {
  return err instanceof JdcloudApiError && err.code === 404;
}
