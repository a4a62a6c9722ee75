/**
 * Run TypeScript that uses lib/registry in a separate node process: esbuild bundles a small entry
 * (npm packages stay external and resolve from the repository's node_modules). Used where a test
 * needs a process of its own — real yargs parsing (ESM), or measuring peak RSS of a copy.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Bundle `source` (a TS module body; import lib code via `@repo/...`) into `dir`, returning the .js path. */
export function bundleScript(dir: string, name: string, source: string): string {
  const entry = join(dir, `${name}.ts`);
  const outfile = join(dir, `${name}.js`);
  writeFileSync(entry, source.replaceAll('@repo/', `${REPO_ROOT}/`));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  esbuild.buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'silent' });
  return outfile;
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runNode(script: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; nodeOptions?: string[] } = {}): Promise<ChildResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [...(options.nodeOptions ?? []), script, ...args], {
      env: { ...process.env, NODE_PATH: join(REPO_ROOT, 'node_modules'), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
