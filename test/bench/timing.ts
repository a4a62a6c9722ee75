/** What every benchmark shares: a row of the `npm run bench` table, timing a process, the median. */
import { spawnSync } from 'node:child_process';

export interface BenchRow {
  name: string;
  /** jcrkit's time (median), ms. */
  jcrkitMs: number;
  /** The peer's time in the same run, ms. */
  peerMs: number;
  /** jcrkitMs / peerMs. */
  ratio: number;
  note?: string;
}

/** Wall time of one process run, ms; a failing run throws (a benchmark of a failure means nothing). */
export function timeMs(cmd: string, args: string[], opts: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { input: opts.input ?? '', cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
