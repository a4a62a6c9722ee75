/** Reading stdin, for `--password-stdin`, `--stdin` and the KRM function. */
import { UsageError } from './errors';

/** Reads all of stdin as UTF-8. */
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
