import { STATUS_CODES } from 'node:http';

/**
 * One error type for everything that can go wrong talking to a registry. The `code` lets callers
 * (CLI, `--from-config`, the JCR integration) add their own hint without parsing messages.
 */

export type RegistryErrorCode =
  /** the registry wants credentials and none were found */
  | 'auth-required'
  /** credentials were sent and rejected */
  | 'auth-rejected'
  /** authenticated but not allowed (403, or a token without the needed scope) */
  | 'access-denied'
  | 'not-found'
  /** bytes did not hash to the digest that names them */
  | 'digest-mismatch'
  /** a blob ended early or ran long */
  | 'size-mismatch'
  | 'unsupported'
  | 'invalid-reference'
  | 'platform-not-found'
  /** the registry answered with an error status (after retries, if it was retryable) */
  | 'registry-error'
  /** connection-level failure (reset, refused, timeout) after retries */
  | 'network'
  | 'aborted';

export interface RegistryErrorDetails {
  /** registry host the failure came from */
  registry?: string;
  /** HTTP status, when there was a response */
  status?: number;
  /** error codes from the registry's JSON error body, e.g. `BLOB_UNKNOWN` */
  registryCodes?: string[];
  /** whether trying the same operation again may succeed */
  retryable?: boolean;
  cause?: unknown;
}

export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  readonly registry?: string;
  readonly status?: number;
  readonly registryCodes: string[];
  readonly retryable: boolean;

  constructor(code: RegistryErrorCode, message: string, details: RegistryErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'RegistryError';
    this.code = code;
    this.registry = details.registry;
    this.status = details.status;
    this.registryCodes = details.registryCodes ?? [];
    this.retryable = details.retryable ?? false;
  }
}

/** The JSON error envelope of the distribution spec: `{"errors":[{"code","message","detail"}]}`. */
export interface RegistryErrorBody {
  errors?: Array<{ code?: string; message?: string }>;
}

/**
 * Render a registry error body the way the Docker CLI does (`unauthorized: authentication required`),
 * falling back to the status text. Never includes request headers, so no credential can leak.
 */
export function describeRegistryErrorBody(status: number, body: string): { text: string; codes: string[] } {
  try {
    const parsed = JSON.parse(body) as RegistryErrorBody;
    const errors = Array.isArray(parsed.errors) ? parsed.errors : [];
    const parts = errors
      .filter((e) => e && (e.code || e.message))
      .map((e) => [e.code?.toLowerCase(), e.message].filter(Boolean).join(': '));
    if (parts.length > 0) return { text: parts.join('; '), codes: errors.map((e) => e.code ?? '').filter(Boolean) };
  } catch {
    // not JSON: fall through to the status line
  }
  // HEAD responses have no body; the status line is all there is.
  const snippet = body.trim().split('\n')[0]?.slice(0, 200) ?? '';
  const statusText = [`HTTP ${status}`, STATUS_CODES[status]].filter(Boolean).join(' ');
  return { text: snippet ? `${statusText}: ${snippet}` : statusText, codes: [] };
}

export function isAbortError(err: unknown): boolean {
  return (
    (err instanceof RegistryError && err.code === 'aborted') ||
    (err instanceof Error && (err.name === 'AbortError' || (err as NodeJS.ErrnoException).code === 'ABORT_ERR'))
  );
}
