/**
 * What every cloud command shares, kept free of yargs so it is plain, testable code: the process
 * I/O a handler uses (injectable), the shared option specs (plain objects yargs accepts), config
 * flag overrides, and the "run, print ONE error line, return an exit code" wrapper.
 */
import { spawn } from 'node:child_process';
import type { JdcloudClientOptions } from '../jdcloud/client';
import { redactorFromEnv } from '../core/redact';
import { CloudInputError, describeCloudError } from './errors';

export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The process as a handler sees it; tests pass their own. */
export interface CommandIo {
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** receives the exit code (default: process.exitCode) */
  exit(code: number): void;
  /** waits between polls (cluster wait); tests make it instant */
  sleep?: (ms: number) => Promise<void>;
  /** clock in ms (cluster wait timeout) */
  now?: () => number;
  homeDir?: string;
  /** extra JdcloudClient options (tests: instant retry sleeps) */
  jdcloud?: Partial<JdcloudClientOptions>;
  /** runs a program (kubectl); resolves with its exit code; its output goes to stderr */
  run?: (command: string, args: string[]) => Promise<number>;
}

export function processIo(): CommandIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stdin: process.stdin,
    exit: (code) => {
      process.exitCode = code;
    },
  };
}

/** Spawn a program, forwarding its stdout and stderr to `stderr` (stdout stays ours, e.g. for JSON). */
export function spawnToStderr(stderr: OutStream): (command: string, args: string[]) => Promise<number> {
  return (command, args) =>
    new Promise((resolve, reject) => {
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (b: Buffer) => stderr.write(b.toString('utf8')));
      child.stderr.on('data', (b: Buffer) => stderr.write(b.toString('utf8')));
      child.on('error', (err: NodeJS.ErrnoException) =>
        reject(new Error(err.code === 'ENOENT' ? `${command} not found. Fix: install kubectl or pass --kubectl PATH` : `cannot run ${command}: ${err.message}`)),
      );
      child.on('close', (code) => resolve(code ?? 1));
    });
}

/** Runs the command body; any failure becomes `error: <one line>` on stderr (scrubbed) and an exit code. */
export async function runCommand(io: CommandIo, body: () => Promise<number | void>): Promise<number> {
  let code: number;
  try {
    code = (await body()) ?? 0;
  } catch (err) {
    const { line, exitCode } = describeCloudError(err);
    io.stderr.write(`error: ${redactorFromEnv(io.env).scrub(line)}\n`);
    code = exitCode;
  }
  io.exit(code);
  return code;
}

/** The shared cloud options, as yargs option specs (`.options(CLOUD_OPTIONS)`). */
export const CLOUD_OPTIONS = {
  endpoint: { type: 'string', describe: 'JD Cloud API base URL for every service (env JDCLOUD_ENDPOINT); default https://{service}.jdcloud-api.com', group: 'JD Cloud:' },
  output: { choices: ['text', 'json'], default: 'text', describe: 'text for people, or json on stdout for scripts (progress stays on stderr)', group: 'Output:' },
} as const;

/** Flags that override `cloud.*` config values, as dotted paths. */
export const CLOUD_FLAG_PATHS: Readonly<Record<string, string>> = {
  'cloud-region': 'cloud.region',
  'vpc-name': 'cloud.vpc.name',
  'vpc-cidr': 'cloud.vpc.cidr',
  'cluster-name': 'cloud.cluster.name',
  'cluster-version': 'cloud.cluster.version',
  'node-count': 'cloud.cluster.nodeGroup.count',
  'instance-type': 'cloud.cluster.nodeGroup.instanceType',
};

export const CLOUD_FLAG_OPTIONS = {
  'cloud-region': { type: 'string', describe: 'cloud.region (VPC and cluster region; default registry.region)', group: 'Config:' },
  'vpc-name': { type: 'string', describe: 'cloud.vpc.name', group: 'Config:' },
  'vpc-cidr': { type: 'string', describe: 'cloud.vpc.cidr', group: 'Config:' },
  'cluster-name': { type: 'string', describe: 'cloud.cluster.name', group: 'Config:' },
  'cluster-version': { type: 'string', describe: 'cloud.cluster.version', group: 'Config:' },
  'node-count': { type: 'number', describe: 'cloud.cluster.nodeGroup.count', group: 'Config:' },
  'instance-type': { type: 'string', describe: 'cloud.cluster.nodeGroup.instanceType', group: 'Config:' },
} as const;

export function cloudFlagOverrides(args: Record<string, unknown>): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  for (const [flag, path] of Object.entries(CLOUD_FLAG_PATHS)) if (args[flag] !== undefined) overrides[path] = args[flag];
  return overrides;
}

/** Seconds as `--timeout` takes them (e.g. 1800), or with a unit: 90s, 30m, 1h. */
export function parseDuration(text: string | number, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(text).trim());
  if (!m) throw new CloudInputError(`${flag} ${String(text)}: expected seconds or a duration such as 90s, 30m, 1h`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

export function writeJson(stream: OutStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
