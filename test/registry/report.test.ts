import type { ImageResult } from '../../lib/registry';
import { summarize } from '../../lib/registry/report';
import { backoffDelay, defaultRetryPolicy, isRetryableNetworkError, isRetryableStatus } from '../../lib/registry/retry';
import { ConcurrencyLimiter, allOrAbort } from '../../lib/registry/limiter';

const D = `sha256:${'ab'.repeat(32)}`;

function result(extra: Partial<ImageResult>): ImageResult {
  return {
    source: 'docker.io/library/nginx:1.25',
    destination: 'reg.example/lib/nginx:1.25',
    status: 'copied',
    digest: D,
    platforms: ['linux/amd64', 'linux/arm64'],
    manifests: { copied: 2, skipped: 0 },
    blobs: { copied: 7, mounted: 1, skipped: 2 },
    bytes: 73_400_320,
    durationMs: 4200,
    ...extra,
  };
}

test('summary: ok only when no image failed, totals over all images', () => {
  const report = summarize([result({}), result({ source: 'docker.io/library/redis:7', status: 'failed', digest: undefined, platforms: [], blobs: { copied: 0, mounted: 0, skipped: 0 }, bytes: 0, durationMs: 80 })], false, 4300);
  expect(report.ok).toBe(false);
  expect(report.totals).toEqual({ images: 2, copied: 1, unchanged: 0, planned: 0, failed: 1, cancelled: 0, blobs: { copied: 7, mounted: 1, skipped: 2 }, bytes: 73_400_320, durationMs: 4300 });
});

test('retry policy: what is retried, exponential jittered backoff, Retry-After honoured and capped', () => {
  const policy = defaultRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, retries: undefined });
  expect(policy.retries).toBe(4);
  expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
  expect([400, 401, 403, 404].some(isRetryableStatus)).toBe(false);
  expect(isRetryableNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
  expect(isRetryableNetworkError(Object.assign(new Error('x'), { code: 'ENOTFOUND' }))).toBe(false);
  expect(backoffDelay(policy, 1, undefined, () => 1)).toBe(100);
  expect(backoffDelay(policy, 3, undefined, () => 0)).toBe(0);
  expect(backoffDelay(policy, 3, undefined, () => 0.5)).toBe(200);
  expect(backoffDelay(policy, 10, undefined, () => 1)).toBe(1000);
  expect(backoffDelay(policy, 1, '0.5')).toBe(500);
  expect(backoffDelay(policy, 1, '120')).toBe(1000);
  expect(() => defaultRetryPolicy({ retries: -1 })).toThrow('retries must be a whole number');
});

test('limiter bounds concurrency; allOrAbort reports the cause, not the cancellations', async () => {
  const limiter = new ConcurrencyLimiter(2);
  let active = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: 6 }, () =>
      limiter.run(async () => {
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
      }),
    ),
  );
  expect(peak).toBe(2);

  const controller = new AbortController();
  const cancelled = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => setTimeout(() => reject(new Error('aborted')), 0)));
  const cause = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the cause')), 5));
  await expect(allOrAbort(controller, [cancelled, cause], (e) => (e as Error).message === 'aborted')).rejects.toThrow('the cause');
});
