/**
 * The one way tests run the jcrkit CLI as a subprocess: `node bin/jcrkit.js` — the entry users run,
 * over the build `npm test` / `npm run test:all` make first — with a clean environment, so nothing
 * of the developer's JD Cloud, kube or jcrkit set-up leaks in. Synchronous (`jcrkit`) for tests with
 * no server in the test process, asynchronous (`runCli`, `cloudCli`) so fakes keep answering.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const JCRKIT_BIN = join(ROOT, 'bin', 'jcrkit.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** PATH and HOME only, then the test's own variables. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}, home: string = process.env.HOME ?? tmpdir()): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, ...extra };
}

/** Runs the CLI to completion; for tests with no server in this process. */
export function jcrkit(args: string[], opts: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [JCRKIT_BIN, ...args], { input: opts.input ?? '', env: cleanEnv(opts.env), cwd: opts.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI without blocking this process, so fakes served from it keep answering. */
export function runCli(args: string[], opts: CliOptions & { home?: string } = {}): Promise<CliRun> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [JCRKIT_BIN, ...args], { env: cleanEnv(opts.env, opts.home), cwd: opts.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as unknown as { code: number }).code : 1) : 0;
      done({ code, stdout, stderr });
    });
    child.stdin?.end(opts.input ?? '');
  });
}

export interface CloudCli {
  run(args: string[], opts?: CliOptions): Promise<CliRun>;
  dispose(): void;
}

/** runCli with a HOME of its own (an empty ~/.kube, ~/.docker) for the test file's lifetime. */
export function cloudCli(): CloudCli {
  const home = mkdtempSync(join(tmpdir(), 'jcrkit-cli-home-'));
  return {
    run: (args, opts = {}) => runCli(args, { ...opts, home }),
    dispose: () => rmSync(home, { recursive: true, force: true }),
  };
}
