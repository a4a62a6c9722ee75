/**
 * The signed JD Cloud OpenAPI client: builds the URL, signs, sends, parses the envelope
 * (`{requestId, result}`, or `{requestId, error: {code, status, message}}` on failure), turns
 * failures into typed errors and retries what is worth retrying.
 * Service modules (cr, vpc, kubernetes) describe their APIs on top of `request`.
 */
import { inspect } from 'util';
import { backoffDelay, retryAfterMs } from '../core/backoff';
import { REDACTED, Redactor } from '../core/redact';
import { JdcloudApiError, JdcloudError, JdcloudNetworkError, JdcloudValidationError, defaultStatusFor } from './errors';
import { resolveEndpoint } from './endpoints';
import { buildQueryString, expandPath } from './params';
import { DEFAULT_SIGNED_HEADERS, canonicalUri } from './canonical-request';
import { signRequest } from './signer';
import { JDCLOUD2, NO_REGION, SigningAlgorithm } from './signing-key';
import { Transport, TransportResponse, fetchTransport, nodeHttpTransport } from './transport';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Anything with optional `debug`/`warn` line methods; `console` fits. Never receives bodies or credentials. */
export interface JdcloudLogger {
  debug?(message: string): void;
  warn?(message: string): void;
}

export interface JdcloudClientOptions {
  accessKey: string;
  secretKey: string;
  /** Send every service to this base URL instead of `https://{service}.jdcloud-api.com` (see `resolveEndpoint`). */
  endpoint?: string;
  /** Per-attempt timeout; default 20 000 ms (the jdc CLI's default of 20 s). */
  timeoutMs?: number;
  /** Retries after the first attempt for retryable failures; default 3. */
  retries?: number;
  /** Backoff cap before jitter for retry n is min(backoffMaxMs, backoffBaseMs·2^(n-1)); defaults 200 and 5 000 ms. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** HTTP exchange; default node http/https. */
  transport?: Transport;
  /** Alternative to `transport`: a WHATWG fetch. Ignored when `transport` is set. */
  fetchImpl?: typeof fetch;
  /** Waits between retries; inject to keep tests instant. */
  sleep?: (ms: number) => Promise<void>;
  /** [0,1) source for backoff jitter; default Math.random. */
  random?: () => number;
  logger?: JdcloudLogger;
  /** Clock and nonce for signing; defaults now and a random UUID. */
  now?: () => Date;
  nonce?: () => string;
  userAgent?: string;
  /** Default JDCLOUD2 (what the official doc and the Go/Java/Node SDKs send). */
  algorithm?: SigningAlgorithm;
  /** Default `content-type;host;x-jdcloud-date;x-jdcloud-nonce`, what the Go SDK signs. */
  signedHeaders?: readonly string[];
}

/** One API call as a service module describes it. */
export interface JdcloudCall {
  /** Signing and endpoint service name, e.g. `cr`. */
  service: string;
  /** API name for errors and logs, e.g. `GetAuthorizationToken`. */
  action: string;
  method: HttpMethod;
  /** Path after `/v1`, with `{placeholders}` for `regionId` and `pathParams`. */
  path: string;
  /** Signing region (and `{regionId}`); region-less APIs sign with `jdcloud-api`, as the SDKs do. */
  regionId?: string;
  pathParams?: Readonly<Record<string, string | number | undefined>>;
  /** GET/DELETE: flattened into the query (`filters.1.name=…`, see params.ts). */
  query?: Readonly<Record<string, unknown>>;
  /** POST/PUT/PATCH: the JSON body (`{}` when omitted). */
  body?: Readonly<Record<string, unknown>>;
}

export interface JdcloudResponse<T> {
  requestId: string | undefined;
  result: T;
  httpStatus: number;
}

const DEFAULTS = { timeoutMs: 20_000, retries: 3, backoffBaseMs: 200, backoffMaxMs: 5_000 };
/**
 * Cap for a server's Retry-After. Longer than our own backoff cap on purpose: a JD Cloud 429
 * (RATE_LIMIT) names the wait the gateway wants, and retrying sooner only fails again.
 */
const MAX_RETRY_AFTER_MS = 60_000;
const USER_AGENT = 'jcrkit (JD Cloud OpenAPI client)';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class JdcloudClient {
  /** The endpoint override, if any (undefined = per-service default hosts). */
  readonly endpoint: string | undefined;
  readonly timeoutMs: number;
  readonly retries: number;

  // Private fields are invisible to util.inspect, JSON.stringify and Object.keys: credentials
  // must never reach a log line or an error report.
  readonly #accessKey: string;
  readonly #secretKey: string;
  readonly #redactor: Redactor;
  readonly #options: Required<Pick<JdcloudClientOptions, 'backoffBaseMs' | 'backoffMaxMs' | 'sleep' | 'random' | 'now' | 'algorithm' | 'signedHeaders' | 'userAgent'>> & {
    transport: Transport;
    logger: JdcloudLogger;
    nonce: (() => string) | undefined;
  };

  constructor(options: JdcloudClientOptions) {
    if (!options.accessKey || !options.secretKey) {
      throw new JdcloudValidationError('accessKey/secretKey', 'JD Cloud credentials missing: set JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY');
    }
    if (options.endpoint !== undefined) resolveEndpoint('cr', options.endpoint); // fail fast on a bad URL
    this.#accessKey = options.accessKey;
    this.#secretKey = options.secretKey;
    this.#redactor = new Redactor().add(options.accessKey).add(options.secretKey);
    this.endpoint = options.endpoint?.trim() || undefined;
    this.timeoutMs = positive(options.timeoutMs, DEFAULTS.timeoutMs, 'timeoutMs');
    this.retries = nonNegativeInt(options.retries, DEFAULTS.retries, 'retries');
    this.#options = {
      backoffBaseMs: options.backoffBaseMs ?? DEFAULTS.backoffBaseMs,
      backoffMaxMs: options.backoffMaxMs ?? DEFAULTS.backoffMaxMs,
      sleep: options.sleep ?? defaultSleep,
      random: options.random ?? Math.random,
      now: options.now ?? (() => new Date()),
      nonce: options.nonce,
      algorithm: options.algorithm ?? JDCLOUD2,
      signedHeaders: options.signedHeaders ?? DEFAULT_SIGNED_HEADERS,
      userAgent: options.userAgent ?? USER_AGENT,
      transport: options.transport ?? (options.fetchImpl ? fetchTransport(options.fetchImpl) : nodeHttpTransport),
      logger: options.logger ?? {},
    };
  }

  /** Full URL of a call (without query), e.g. `https://cr.jdcloud-api.com/v1/regions/…`; the path is wire-encoded. */
  urlFor(call: Pick<JdcloudCall, 'service' | 'path' | 'regionId' | 'pathParams'>): string {
    const base = resolveEndpoint(call.service, this.endpoint);
    const path = expandPath(call.path, { ...call.pathParams, regionId: call.regionId });
    const url = new URL(base);
    // canonicalUri encodes what expandPath left literal (`:` of custom actions → %3A), exactly as the Go SDK sends it.
    return `${url.protocol}//${url.host}${canonicalUri(`${url.pathname.replace(/\/+$/, '')}/v1${path}`)}`;
  }

  /**
   * Perform a call with retries; resolves with `{requestId, result, httpStatus}`, rejects with a
   * `JdcloudApiError` / `JdcloudNetworkError` (or `JdcloudValidationError` before any request).
   */
  async request<T>(call: JdcloudCall): Promise<JdcloudResponse<T>> {
    const url = this.urlFor(call);
    const hasBody = call.method === 'POST' || call.method === 'PUT' || call.method === 'PATCH';
    const query = hasBody ? '' : buildQueryString(call.query);
    const body = hasBody ? JSON.stringify(call.body ?? {}) : undefined;
    const label = `JD Cloud ${call.service} ${call.action}`;

    for (let attempt = 0; ; attempt++) {
      let error: JdcloudError;
      let serverWaitMs: number | undefined;
      try {
        const response = await this.#attempt(call, url, query, body);
        const outcome = this.#interpret<T>(call, response);
        if (!(outcome instanceof JdcloudApiError)) {
          this.#options.logger.debug?.(`${label}: ${response.status} (requestId ${outcome.requestId ?? '-'})`);
          return outcome;
        }
        error = outcome;
        serverWaitMs = retryAfterMs(response.headers['retry-after'], MAX_RETRY_AFTER_MS);
      } catch (caught) {
        if (!(caught instanceof JdcloudError)) throw caught;
        error = caught;
      }
      if (!error.retryable || attempt >= this.retries) throw error;
      const delay = serverWaitMs ?? this.#backoff(attempt + 1);
      this.#options.logger.warn?.(`${error.message}; retry ${attempt + 1}/${this.retries} in ${delay} ms`);
      await this.#options.sleep(delay);
    }
  }

  /** Like `request` but resolves with the `result` only. */
  async call<T>(call: JdcloudCall): Promise<T> {
    return (await this.request<T>(call)).result;
  }

  /** lib/core/backoff: exponential, full jitter. */
  #backoff(retry: number): number {
    return backoffDelay({ baseMs: this.#options.backoffBaseMs, maxMs: this.#options.backoffMaxMs, random: this.#options.random }, retry);
  }

  async #attempt(call: JdcloudCall, url: string, query: string, body: string | undefined): Promise<TransportResponse> {
    const target = new URL(url);
    // Date and nonce are fresh on every attempt: a retry is a new request, not a replay.
    const { headers } = signRequest(
      {
        method: call.method,
        path: target.pathname,
        query,
        headers: { 'content-type': 'application/json', host: target.host, 'user-agent': this.#options.userAgent },
        body,
        date: this.#options.now(),
        nonce: this.#options.nonce?.(),
        signedHeaders: this.#options.signedHeaders,
      },
      {
        accessKey: this.#accessKey,
        secretKey: this.#secretKey,
        region: call.regionId ?? NO_REGION,
        service: call.service,
        algorithm: this.#options.algorithm,
      },
    );
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new JdcloudNetworkError(call.service, call.action, `no response within ${this.timeoutMs} ms`, { timedOut: true }));
      }, this.timeoutMs);
    });
    this.#options.logger.debug?.(`JD Cloud ${call.service} ${call.action}: ${call.method} ${target.origin}${target.pathname}`);
    try {
      // Racing the timeout also covers a transport that ignores the abort signal.
      return await Promise.race([
        this.#options.transport({ method: call.method, url: query ? `${url}?${query}` : url, headers, body, signal: controller.signal }),
        timeout,
      ]);
    } catch (caught) {
      if (caught instanceof JdcloudError) throw caught;
      throw new JdcloudNetworkError(call.service, call.action, this.#redact(describeNetworkError(caught)), {
        timedOut: false,
        cause: this.#safeCause(caught),
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Envelope → result, or the API error it carries. */
  #interpret<T>(call: JdcloudCall, response: TransportResponse): JdcloudResponse<T> | JdcloudApiError {
    const headerRequestId = response.headers['x-jdcloud-request-id'];
    let envelope: unknown;
    try {
      envelope = response.body.trim() === '' ? {} : JSON.parse(response.body);
    } catch {
      envelope = undefined;
    }
    const object = isObject(envelope) ? envelope : undefined;
    const requestId = typeof object?.requestId === 'string' ? object.requestId : headerRequestId;
    const ok = response.status >= 200 && response.status < 300;

    if (object && isObject(object.error)) {
      const error = object.error;
      const code = typeof error.code === 'number' ? error.code : Number(error.code) || response.status;
      return new JdcloudApiError({
        service: call.service,
        action: call.action,
        code,
        status: typeof error.status === 'string' && error.status ? error.status : defaultStatusFor(code),
        serverMessage: this.#redact(typeof error.message === 'string' ? error.message : ''),
        requestId,
        httpStatus: response.status,
        details: error.details,
        retryAfterSeconds: retryAfterSeconds(response.headers['retry-after']),
      });
    }
    if (!ok || !object) {
      // No JSON error: a proxy page, a truncated body… Keep a short single-line excerpt.
      const excerpt = response.body.replace(/\s+/g, ' ').trim().slice(0, 200);
      return new JdcloudApiError({
        service: call.service,
        action: call.action,
        code: response.status,
        status: ok ? 'INVALID_RESPONSE' : defaultStatusFor(response.status),
        serverMessage: this.#redact(excerpt ? `unexpected response body: ${excerpt}` : `HTTP ${response.status} with an empty body`),
        requestId,
        httpStatus: response.status,
      });
    }
    return { requestId, result: (object.result ?? {}) as T, httpStatus: response.status };
  }

  /** Defence in depth: never echo a credential that a server or socket error happened to include. */
  #redact(text: string): string {
    return this.#redactor.scrub(text);
  }

  /** The original error for debugging, unless printing it would show a credential; then a redacted copy. */
  #safeCause(error: unknown): unknown {
    const text = inspect(error, { depth: 5 });
    if (this.#redact(text) === text) return error;
    const copy = new Error(this.#redact(error instanceof Error ? error.message : String(error)));
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code) (copy as NodeJS.ErrnoException).code = code;
    copy.stack = copy.stack?.split('\n')[0];
    return copy;
  }

  [inspect.custom](): string {
    return `JdcloudClient { endpoint: ${this.endpoint ?? '(per-service default)'}, credentials: ${REDACTED} }`;
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint, timeoutMs: this.timeoutMs, retries: this.retries, credentials: REDACTED };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}

/** Retry-After as delta-seconds (RFC 9110 §10.2.3), uncapped: what the caller may tell a person. */
function retryAfterSeconds(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`JdcloudClient ${name} must be a positive number, got ${value}`);
  return value;
}

function nonNegativeInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`JdcloudClient ${name} must be a non-negative integer, got ${value}`);
  return value;
}
