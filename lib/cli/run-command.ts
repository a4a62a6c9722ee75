/**
 * The one way every `jcrkit` command runs, and so the one exit-code contract (lib/core/errors.ts):
 * the body's return value is the exit code (0 when it returns nothing); anything it throws is
 * printed as `error: …` on stderr — scrubbed of every secret the run knows — and exits 2 for bad
 * input (InputError) or 1 for a failed operation. Usage errors yargs finds itself go through
 * `.fail()` in main.ts with the same shape.
 *
 * The command definitions (lib/cli/commands/) import this at start-up, so it imports nothing heavy:
 * what only an error needs (lib/kube/errors) loads when there is one.
 */
import { spawn } from 'node:child_process';
import { EXIT_OK, errorText, exitCodeFor } from '../core/errors';
import { Redactor, redactorFromEnv } from '../core/redact';
import type { JdcloudClientOptions } from '../jdcloud/client';

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
  exit?(code: number): void;
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

/**
 * The body gets the run's redactor: it knows the secrets in the environment (redactorFromEnv),
 * and the body adds what it mints or reads (a token, credentials from stdin), so an error printed
 * after that cannot show them either.
 */
export type CommandBody = (redactor: Redactor) => Promise<number | void> | number | void;

export async function runCommand(io: Pick<CommandIo, 'stderr' | 'env' | 'exit'>, body: CommandBody): Promise<number> {
  const redactor = redactorFromEnv(io.env);
  let code: number;
  try {
    code = (await body(redactor)) ?? EXIT_OK;
  } catch (err) {
    io.stderr.write(redactor.scrub(errorText(await withContext(err))));
    code = exitCodeFor(err);
  }
  io.exit?.(code);
  return code;
}

/** A yargs handler: `body` with the parsed arguments, run by runCommand (the exit code goes to io.exit). */
export function commandHandler<A>(io: Pick<CommandIo, 'stderr' | 'env' | 'exit'>, body: (args: A, redactor: Redactor) => ReturnType<CommandBody>): (args: A) => Promise<void> {
  return async (args) => {
    await runCommand(io, (redactor) => body(args, redactor));
  };
}

/** Kubernetes errors name the request but not the system; say which one failed. */
async function withContext(err: unknown): Promise<unknown> {
  const { KubeApiError, KubeTransportError } = await import('../kube/errors');
  return err instanceof KubeApiError || err instanceof KubeTransportError ? `Kubernetes ${err.message}` : err;
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

/** One JSON document on stdout (`--output json`). */
export function writeJson(stream: OutStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
