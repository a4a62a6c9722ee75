/**
 * Black-box runs of the cloud commands: cli-entry.ts bundled by esbuild from the current sources
 * (dependencies stay external and load from node_modules, yargs as the real ESM package) and run
 * with `node` as a child process. Asynchronous, so fakes in the test process keep answering.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CloudCli {
  run(args: string[], opts?: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string }): Promise<CliRun>;
  dispose(): void;
}

export function buildCloudCli(): CloudCli {
  // Inside the repository (node_modules/.cache, ignored by git) so the bundle's __dirname finds the
  // package root, as the built CLI does (the renderer reads build/refresher/ from there).
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'jcrkit-cloud-cli-'));
  const home = mkdtempSync(join(tmpdir(), 'jcrkit-cloud-home-'));
  const outfile = join(dir, 'cli.js');
  const esbuild = require(require.resolve('esbuild', { paths: [ROOT] })) as typeof import('esbuild');
  esbuild.buildSync({
    entryPoints: [join(ROOT, 'test', 'cloud', 'cli-entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    absWorkingDir: ROOT,
    logLevel: 'silent',
  });
  return {
    run: (args, opts = {}) =>
      new Promise((done) => {
        // A clean environment: nothing of the developer's JD Cloud or kube setup leaks in.
        const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_PATH: join(ROOT, 'node_modules'), HOME: home, ...opts.env };
        const child = execFile(process.execPath, [outfile, ...args], { env, cwd: opts.cwd ?? ROOT, encoding: 'utf8' }, (error, stdout, stderr) => {
          const code = error ? (typeof (error as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? ((error as unknown as { code: number }).code) : 1) : 0;
          done({ code, stdout, stderr });
        });
        child.stdin?.end(opts.input ?? '');
      }),
    dispose: () => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}
