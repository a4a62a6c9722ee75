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
 * settled (no request is left running behind our back) and rethrow that first failure.
 */
export async function allOrAbort<T>(controller: AbortController, tasks: Array<Promise<T>>): Promise<T[]> {
  let first: { error: unknown } | undefined;
  const guarded = tasks.map((task) =>
    task.catch((error: unknown) => {
      if (!first) {
        first = { error };
        controller.abort();
      }
      throw error;
    }),
  );
  const settled = await Promise.allSettled(guarded);
  if (first) throw first.error;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
