import { renderStack, writeRendered } from '../../render';
import { UsageError } from '../../core/errors';
import { readSecretFromStdin } from '../../core/stdin';
import type { Redactor } from '../../core/redact';
import type { ConfigArgs } from '../options/config';
import type { OutputArgs } from '../options/output';
import { CommandIo, writeJson } from '../run-command';
import { loadConfigFromArgs } from './args';

export interface SynthArgs extends ConfigArgs, OutputArgs {
  out: string;
  'password-stdin'?: boolean;
  stdout?: boolean;
  quiet?: boolean;
}

export async function run(args: SynthArgs, io: CommandIo, redactor: Redactor): Promise<number | void> {
  if (args.stdout && args.output === 'json') throw new UsageError('--stdout prints YAML and --output json prints a JSON summary; pick one');
  const loaded = loadConfigFromArgs(args, io.env);
  let password = io.env.JCR_PASSWORD || undefined;
  if (args['password-stdin']) {
    if (args.stdout) throw new UsageError('--password-stdin with --stdout would print the password. Fix: write files with --out');
    password = await readSecretFromStdin('--password-stdin');
    redactor.add(password);
  }
  const { files, notes } = renderStack(loaded.config, { password });
  for (const w of loaded.warnings) io.stderr.write(`warning: ${w}\n`);
  if (args.stdout) {
    io.stdout.write(files.map((f) => f.yaml).join('---\n'));
  } else {
    const written = writeRendered(args.out, files);
    if (args.output === 'json') writeJson(io.stdout, { source: loaded.source, out: args.out, files: written, warnings: loaded.warnings, notes });
    else if (!args.quiet) io.stderr.write(`rendered ${loaded.source} into ${args.out}/: ${written.map((w) => w.slice(args.out.length + 1)).join(', ')}\n`);
  }
  if (!args.quiet) for (const n of notes) io.stderr.write(`${n}\n`);
}
