/**
 * Retrying an operation that may fail for a moment: exponential backoff with full jitter
 * (uniform in [0, min(max, base·2^(n-1)))), as the AWS Architecture Blog's "Exponential Backoff
 * And Jitter" recommends so that many clients retrying at once do not stay in step. The caller
 * decides what is worth retrying and may name a server-given delay (Retry-After) instead.
 */

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

/** Delay before retry `n` (1-based): full jitter under min(max, base·2^(n-1)). */
export function backoffDelay(n: number, opts: Pick<BackoffOptions, 'baseMs' | 'maxMs' | 'random'> = {}): number {
  const cap = Math.min(opts.maxMs ?? 5_000, (opts.baseMs ?? 200) * 2 ** (n - 1));
  return Math.floor((opts.random ?? Math.random)() * cap);
}

/** Runs `fn` until it succeeds, `retryable` says no, or the attempts are used up (then its last error is thrown). */
export async function withBackoff<T>(fn: (attempt: number) => Promise<T>, retryable: (err: unknown) => RetryDecision, opts: BackoffOptions = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 4);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const decision = attempt >= attempts ? false : retryable(err);
      if (decision === false) throw err;
      if (typeof decision === 'number' && decision > (opts.maxRetryAfterMs ?? 30_000)) throw err;
      const delay = typeof decision === 'number' ? decision : backoffDelay(attempt, opts);
      opts.onRetry?.(err, attempt, delay);
      await (opts.sleep ?? defaultSleep)(delay);
    }
  }
}
