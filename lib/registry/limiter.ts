/**
 * A counting semaphore: at most `limit` tasks run at once, the rest wait in FIFO order. Shared by
 * every image of a run so `--jobs` bounds the total number of blob transfers, not per image.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency must be a positive integer, got ${limit}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Run tasks together; on the first failure, signal the others to stop, wait until every task has
 * settled (no request is left running behind our back) and rethrow the failure that caused it —
 * not one of the "cancelled" errors the abort itself produced elsewhere in the tree.
 */
export async function allOrAbort<T>(controller: AbortController, tasks: Array<Promise<T>>, isAbort: (err: unknown) => boolean): Promise<T[]> {
  const guarded = tasks.map((task) =>
    task.catch((error: unknown) => {
      controller.abort();
      throw error;
    }),
  );
  const settled = await Promise.allSettled(guarded);
  const errors = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
  if (errors.length > 0) throw errors.find((e) => !isAbort(e)) ?? errors[0];
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
