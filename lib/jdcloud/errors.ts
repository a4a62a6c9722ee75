/**
 * Typed failures of JD Cloud OpenAPI calls. Every error renders as one line that names the
 * service and action, so a CLI or a CronJob log line is enough to act on it.
 */

import { InputError } from '../core/errors';

/** Service-level statuses per HTTP code (https://docs.jdcloud.com/cn/common-declaration/api/error-codes), for responses without a JSON error. */
const STATUS_BY_HTTP_CODE: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'HTTP_FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RATE_LIMIT',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  502: 'SOURCE_UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'HTTP_SERVER_TIMING_OUT',
};

export function defaultStatusFor(httpStatus: number): string {
  return STATUS_BY_HTTP_CODE[httpStatus] ?? `HTTP_${httpStatus}`;
}

/**
 * Whether a failure may succeed when repeated: a 5xx (but 501 NOT_IMPLEMENTED) or a 429 rate
 * limit may; a 429 QUOTA_EXCEEDED ("quota insufficient") will not until the quota changes.
 * 400/401/403/404/409 are the caller's problem.
 */
export function isRetryableStatus(httpStatus: number, status: string): boolean {
  if (httpStatus === 429) return status !== 'QUOTA_EXCEEDED';
  return httpStatus >= 500 && httpStatus !== 501;
}

/** Common base: which call failed. */
export abstract class JdcloudError extends Error {
  /** Service name as signed (`cr`, `containerregistry`, `vpc`, `kubernetes`). */
  readonly service: string;
  /** API name, e.g. `GetAuthorizationToken`. */
  readonly action: string;
  /** True when repeating the same call may succeed. */
  abstract readonly retryable: boolean;

  protected constructor(service: string, action: string, detail: string) {
    super(`JD Cloud ${service} ${action} failed: ${detail}`);
    this.service = service;
    this.action = action;
  }

  /** The one-line message, without the `Error:` prefix. */
  override toString(): string {
    return this.message;
  }
}

export interface JdcloudApiErrorInit {
  service: string;
  action: string;
  /** `error.code` (an HTTP status as an int, equal to the response's status in every example seen). */
  code: number;
  /** `error.status`, e.g. `UNAUTHENTICATED`, `QUOTA_EXCEEDED`. */
  status: string;
  /** `error.message` as the server sent it. */
  serverMessage: string;
  requestId?: string;
  httpStatus: number;
  /** Optional `error.details` (java-sdk ServiceError). */
  details?: unknown;
  /** The response's Retry-After in seconds, when it sent one (e.g. when a 429 quota frees up). */
  retryAfterSeconds?: number;
}

/**
 * The server answered with an error envelope (or an unusable body).
 * `message` is the whole line: `JD Cloud cr GetAuthorizationToken failed: 401 UNAUTHENTICATED: … (requestId abc)`.
 */
export class JdcloudApiError extends JdcloudError {
  readonly code: number;
  readonly status: string;
  readonly serverMessage: string;
  readonly requestId: string | undefined;
  readonly httpStatus: number;
  readonly details: unknown;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(init: JdcloudApiErrorInit) {
    const request = init.requestId ? ` (requestId ${init.requestId})` : '';
    super(init.service, init.action, `${init.code} ${init.status}: ${init.serverMessage}${request}`);
    this.name = 'JdcloudApiError';
    this.code = init.code;
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.requestId = init.requestId;
    this.httpStatus = init.httpStatus;
    this.details = init.details;
    this.retryAfterSeconds = init.retryAfterSeconds;
    // A 2xx carrying an error envelope is judged by its `error.code` (= HTTP status in every example).
    this.retryable = isRetryableStatus(init.httpStatus >= 400 ? init.httpStatus : init.code, init.status);
  }
}

/** No HTTP answer: connection refused/reset, DNS failure, or the per-attempt timeout. Always retryable. */
export class JdcloudNetworkError extends JdcloudError {
  readonly timedOut: boolean;
  readonly retryable = true;

  constructor(service: string, action: string, detail: string, options: { timedOut: boolean; cause?: unknown }) {
    super(service, action, options.timedOut ? `timed out: ${detail}` : `network error: ${detail}`);
    this.name = 'JdcloudNetworkError';
    this.timedOut = options.timedOut;
    if (options.cause !== undefined) Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false });
  }
}

/** Bad input caught before any request was made; `field` names the parameter. */
export class JdcloudValidationError extends InputError {
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.field = field;
  }

  override toString(): string {
    return this.message;
  }
}

/**
 * An answer jcrkit cannot use, e.g. an `authorizationToken` that does not decode to
 * user:password. Not bad input: the request was right, the response was not (exit code 1).
 */
export class JdcloudResponseError extends Error {
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'JdcloudResponseError';
    this.field = field;
  }

  override toString(): string {
    return this.message;
  }
}
