/**
 * How long to wait before retrying a request, for every client jcrkit has (OCI registries, the
 * JD Cloud OpenAPI): exponential backoff with full jitter, unless the server said how long with
 * Retry-After.
 *
 * Full jitter (a uniform wait in [0, cap)) spreads parallel clients best: see "Exponential Backoff
 * And Jitter", AWS Architecture Blog, https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */

export interface Backoff {
  /** cap of the first retry's wait; doubles per retry */
  baseMs: number;
  /** no backoff wait is longer */
  maxMs: number;
  /** cap for a server's Retry-After; default maxMs */
  retryAfterMaxMs?: number;
  /** [0,1) source; default Math.random (tests pass a fixed one) */
  random?: () => number;
}

/** The wait before retry number `retry` (1-based): uniform in [0, min(maxMs, baseMs·2^(retry-1))). */
export function backoffDelay(backoff: Backoff, retry: number): number {
  const cap = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor((backoff.random ?? Math.random)() * cap);
}

/**
 * A Retry-After header in ms (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), capped at `maxMs`;
 * undefined when absent or unreadable, so the caller falls back to its own backoff.
 */
export function retryAfterMs(header: string | undefined, maxMs: number, now: () => number = Date.now): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  const seconds = Number(text);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(text) - now();
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), maxMs);
}

/** The wait before retry `retry`: the server's Retry-After if it gave one, else backoffDelay. */
export function retryDelay(backoff: Backoff, retry: number, retryAfter?: string): number {
  return retryAfterMs(retryAfter, backoff.retryAfterMaxMs ?? backoff.maxMs) ?? backoffDelay(backoff, retry);
}

/** Options for withBackoff (the refresher's retry of transient Kubernetes errors). */
export interface BackoffOptions {
  /** attempts in all, the first included (default 4) */
  attempts?: number;
  /** cap of the first retry's delay (default 200 ms) */
  baseMs?: number;
  /** cap of any computed delay (default 5 000 ms) */
  maxMs?: number;
  /** longest server-requested delay honoured (default 30 000 ms); longer ones give up at once */
  maxRetryAfterMs?: number;
  /** [0,1) source for the jitter (default Math.random) */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** called before each wait, e.g. to log "retry 2/3 in 150 ms" */
  onRetry?: (err: unknown, retry: number, delayMs: number) => void;
}

/** What `retryable` answers: false = give up now; true = back off; a number = wait that many ms. */
export type RetryDecision = boolean | number;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `fn` until it succeeds, `retryable` says no, or the attempts are used up (then its last error is thrown). */
export async function withBackoff<T>(fn: (attempt: number) => Promise<T>, retryable: (err: unknown) => RetryDecision, opts: BackoffOptions = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 4);
  const backoff: Backoff = { baseMs: opts.baseMs ?? 200, maxMs: opts.maxMs ?? 5_000, random: opts.random };
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const decision = attempt >= attempts ? false : retryable(err);
      if (decision === false) throw err;
      if (typeof decision === 'number' && decision > (opts.maxRetryAfterMs ?? 30_000)) throw err;
      const delay = typeof decision === 'number' ? decision : backoffDelay(backoff, attempt);
      opts.onRetry?.(err, attempt, delay);
      await (opts.sleep ?? defaultSleep)(delay);
    }
  }
}
