/** lib/core/backoff: exponential with full jitter, Retry-After (seconds or HTTP-date) capped. */
import { backoffDelay, retryAfterMs, retryDelay } from '../../lib/core/backoff';

test('full jitter: uniform in [0, min(max, base·2^(n-1)))', () => {
  const b = { baseMs: 100, maxMs: 1000 };
  expect([1, 2, 3, 4, 5].map((n) => backoffDelay({ ...b, random: () => 0.5 }, n))).toEqual([50, 100, 200, 400, 500]);
  expect(backoffDelay({ ...b, random: () => 0 }, 3)).toBe(0);
  expect(backoffDelay({ ...b, random: () => 0.999999 }, 30)).toBe(999);
});

test('Retry-After: delay-seconds or an HTTP-date, capped; unreadable values fall back to the backoff', () => {
  const now = () => Date.parse('2025-01-01T00:00:00Z');
  expect(retryAfterMs('2', 60_000)).toBe(2000);
  expect(retryAfterMs('0.5', 60_000)).toBe(500);
  expect(retryAfterMs('120', 60_000)).toBe(60_000);
  expect(retryAfterMs('Wed, 01 Jan 2025 00:00:07 GMT', 60_000, now)).toBe(7000);
  expect(retryAfterMs('Tue, 31 Dec 2024 23:00:00 GMT', 60_000, now)).toBe(0);
  for (const bad of [undefined, '', 'soon']) expect(retryAfterMs(bad, 60_000)).toBeUndefined();
  expect(retryDelay({ baseMs: 100, maxMs: 1000, random: () => 0.5 }, 1, 'soon')).toBe(50);
  expect(retryDelay({ baseMs: 100, maxMs: 1000, retryAfterMaxMs: 5000 }, 1, '3')).toBe(3000);
});
