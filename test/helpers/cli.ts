import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './render';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (bin/jcrkit.js → build/) as a separate process: a black-box test. */
export function jcrkit(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliResult {
  const env = { ...process.env, ...opts.env };
  delete env.JCRKIT_CONFIG;
  delete env.JCR_PASSWORD;
  Object.assign(env, opts.env);
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'jcrkit.js'), ...args], { input: opts.input ?? '', env, cwd: opts.cwd ?? ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
