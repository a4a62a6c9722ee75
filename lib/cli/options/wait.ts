/** The wait options of commands that poll the cloud (cluster ensure/delete, up): --timeout, --interval. */
import type { Argv } from 'yargs';
import { UsageError } from '../../core/errors';

export interface WaitArgs {
  timeout: string;
  interval: string;
}

export function withWaitOptions<T>(y: Argv<T>, timeoutDescribe = 'stop waiting after this long (seconds, or 90s/30m/1h); the cloud keeps working and a rerun resumes the wait'): Argv<T & WaitArgs> {
  return y
    .option('timeout', { type: 'string', default: '45m', describe: timeoutDescribe })
    .option('interval', { type: 'string', default: '15s', describe: 'time between DescribeCluster calls' }) as unknown as Argv<T & WaitArgs>;
}

/** Seconds as `--timeout` takes them (e.g. 1800), or with a unit: 90s, 30m, 1h. */
export function parseDuration(text: string | number, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(text).trim());
  if (!m) throw new UsageError(`${flag} ${String(text)}: expected seconds or a duration such as 90s, 30m, 1h`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

/** Both wait flags in ms, checked before any request. */
export function waitFromArgs(args: WaitArgs): { timeoutMs: number; intervalMs: number } {
  return { timeoutMs: parseDuration(args.timeout, '--timeout'), intervalMs: parseDuration(args.interval, '--interval') };
}
