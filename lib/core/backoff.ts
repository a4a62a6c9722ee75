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
