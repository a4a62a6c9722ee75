/** What every benchmark shares: a row of the `npm run bench` table, timing a process, the median. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../lib/core/package-root';

export interface BenchRow {
  name: string;
  /** jcrkit's time (median), ms. */
  jcrkitMs?: number;
  /** The peer's time in the same run, ms. */
  peerMs?: number;
  /** jcrkitMs / peerMs. */
  ratio?: number;
  /** The goal, e.g. '<= 1.8x' (ratio) or '<= 150 MB'; empty for rows that only inform. */
  target?: string;
  /** Whether the row meets its target; undefined when it has none (or did not run). */
  met?: boolean;
  note?: string;
}

/** The front doors, as users run them. */
export const ROOT = packageRoot();
export const JCRKIT = join(ROOT, 'bin', 'jcrkit.js');

/**
 * The environment a timed process gets: this one without NODE_OPTIONS, which `npm run bench` sets
 * from the repository's .npmrc (a preload for `npx cdk8s synth`); jcrkit on a PATH, in a pipeline or
 * an Argo CD plugin runs without it, and so does the peer.
 */
export function benchEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

/** Wall time of one process run, ms; a failing run throws (a benchmark of a failure means nothing). */
export function timeMs(cmd: string, args: string[], opts: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { input: opts.input ?? '', cwd: opts.cwd, env: opts.env ?? benchEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Times jcrkit and its peer `runs` times each, interleaved (so a slow patch of the machine hits
 * both), after one untimed run of each (file cache); the row holds the medians and their ratio.
 */
export function compare(name: string, ours: () => number, peer: () => number, opts: { runs: number; maxRatio: number; note?: string }): BenchRow {
  ours();
  peer();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    a.push(ours());
    b.push(peer());
  }
  return ratioRow(name, median(a), median(b), opts.maxRatio, `median of ${opts.runs}${opts.note ? `; ${opts.note}` : ''}`);
}

export function ratioRow(name: string, jcrkitMs: number, peerMs: number, maxRatio: number, note?: string): BenchRow {
  const ratio = jcrkitMs / peerMs;
  return { name, jcrkitMs, peerMs, ratio, target: `<= ${maxRatio.toFixed(1)}x`, met: ratio <= maxRatio, note };
}
