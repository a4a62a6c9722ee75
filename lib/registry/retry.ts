/**
 * When and how long to wait before trying a registry request again. Registries shed load with
 * 429/503, proxies in front of them drop connections; both are worth a few patient retries.
 */

import { retryDelay } from '../core/backoff';

export interface RetryPolicy {
  /** extra attempts after the first (0 = no retries) */
  retries: number;
  /** first backoff; doubles each attempt */
  baseDelayMs: number;
  /** cap for one wait, including a server's Retry-After */
  maxDelayMs: number;
  /** injectable so tests don't actually wait */
  sleep: (ms: number) => Promise<void>;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Defaults with the given fields applied; `undefined` fields keep the default (options pass them through unset). */
export function defaultRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy: RetryPolicy = { retries: 4, baseDelayMs: 250, maxDelayMs: 10_000, sleep: realSleep };
  for (const [key, value] of Object.entries(overrides) as Array<[keyof RetryPolicy, never]>) {
    if (value !== undefined) policy[key] = value;
  }
  if (!Number.isInteger(policy.retries) || policy.retries < 0) throw new Error(`retries must be a whole number >= 0, got ${policy.retries}`);
  return policy;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

export function isRetryableNetworkError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return !!code && RETRYABLE_NETWORK_CODES.has(code);
}

/**
 * Delay before attempt `attempt` (1-based retry number): lib/core/backoff's exponential backoff
 * with full jitter, so parallel blob copies don't retry in lockstep, or the server's
 * `Retry-After` (seconds or HTTP date), both capped at maxDelayMs.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfter?: string, random: () => number = Math.random): number {
  return retryDelay({ baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs, random }, attempt, retryAfter);
}
