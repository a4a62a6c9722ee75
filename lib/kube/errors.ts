import { InputError } from '../core/errors';
import type { KubeStatus } from './types';

/**
 * The connection cannot be set up from what the user gave: a missing or broken kubeconfig, an
 * unknown context, no in-cluster identity. Bad input (exit code 2), not a cluster failure.
 */
export class KubeconfigError extends InputError {}

/**
 * An API call that reached the server and got a non-2xx answer. `reason` is the Status reason
 * (Conflict, NotFound, Forbidden, AlreadyExists, Invalid, Unauthorized, ...), which is what callers
 * branch on; `message` is the server's Status message. Request and response bodies are never kept
 * here, so an error can be logged without leaking Secret data.
 */
export class KubeApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly serverMessage: string;
  readonly method: string;
  readonly path: string;
  readonly details?: KubeStatus['details'];
  /** how long the server asked us to wait (Status details.retryAfterSeconds or a Retry-After header) */
  readonly retryAfterSeconds?: number;

  constructor(init: { code: number; reason: string; message: string; method: string; path: string; details?: KubeStatus['details']; retryAfterSeconds?: number }) {
    super(`${init.method} ${init.path}: ${init.code} ${init.reason}: ${init.message}`);
    this.name = 'KubeApiError';
    this.code = init.code;
    this.reason = init.reason;
    this.serverMessage = init.message;
    this.method = init.method;
    this.path = init.path;
    this.details = init.details;
    this.retryAfterSeconds = init.retryAfterSeconds ?? init.details?.retryAfterSeconds;
  }
}

/** The request never got an HTTP answer: connection refused, TLS failure, timeout. */
export class KubeTransportError extends Error {
  readonly method: string;
  readonly path: string;
  readonly timedOut: boolean;
  readonly causeCode?: string;

  constructor(init: { method: string; path: string; message: string; timedOut?: boolean; causeCode?: string }) {
    super(`${init.method} ${init.path}: ${init.message}`);
    this.name = 'KubeTransportError';
    this.method = init.method;
    this.path = init.path;
    this.timedOut = init.timedOut ?? false;
    this.causeCode = init.causeCode;
  }
}

export function isKubeApiError(err: unknown, reason?: string): err is KubeApiError {
  return err instanceof KubeApiError && (reason === undefined || err.reason === reason);
}

/** Status reasons by HTTP code, for servers (or proxies) that answer without a Status body. */
const REASON_BY_CODE: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function reasonForCode(code: number): string {
  return REASON_BY_CODE[code] ?? 'Unknown';
}

/**
 * Whether a failed request may succeed if sent again, and after how long: 5xx (not 501) and 429
 * TooManyRequests (the API server's priority-and-fairness answer, with Retry-After,
 * https://kubernetes.io/docs/concepts/cluster-administration/flow-control/), and requests that
 * never got an answer (connection reset or refused, timeout). Returns the server's delay in ms
 * when it named one, true to back off on our own, false when repeating cannot help (4xx).
 */
export function transientKubeError(err: unknown): boolean | number {
  if (err instanceof KubeTransportError) return true;
  if (!(err instanceof KubeApiError)) return false;
  if (err.code === 429 || (err.code >= 500 && err.code !== 501)) {
    return err.retryAfterSeconds !== undefined && err.retryAfterSeconds > 0 ? err.retryAfterSeconds * 1000 : true;
  }
  return false;
}

/** The object `get` reads, or undefined when the API server answers 404 NotFound. */
export async function getOrUndefined<T>(get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (err) {
    if (isKubeApiError(err, 'NotFound')) return undefined;
    throw err;
  }
}
