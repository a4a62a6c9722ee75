/** Small I/O helpers shared by commands: stdin, output format, error exit. */
import { ConfigError } from '../config';

export type OutputFormat = 'text' | 'json';

/** Reads all of stdin (for --password-stdin and `jcrkit fn`). */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** A secret read from stdin: the first line, without its line ending (as `docker login --password-stdin`). */
export async function readSecretFromStdin(what: string): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError(`${what} is read from stdin but stdin is a terminal. Fix: pipe it, e.g. \`jcrkit token | jcrkit synth --password-stdin\``);
  const text = await readStdin();
  const value = text.split(/\r?\n/)[0];
  if (!value) throw new UsageError(`${what}: stdin was empty. Fix: pipe the value into the command`);
  return value;
}

/** An error caused by how the command was called; printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Prints an error as one clear message (several lines only for config issue lists) and sets the exit code. */
export function reportError(e: unknown): void {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  } else if (e instanceof UsageError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`error: ${e instanceof Error ? String(e.message) : String(e)}\n`);
    process.exitCode = 1;
  }
}
