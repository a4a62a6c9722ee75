/** `jcrkit synth`, run: config → renderStack → files or stdout. */
import { renderStack, writeRendered } from '../../render';
import { UsageError } from '../../core/errors';
import { readSecretFromStdin } from '../../core/stdin';
import { reportError } from '../io';
import { loadConfigFromArgs } from './args';
import type { ConfigArgs } from '../config-options';

export interface SynthArgs extends ConfigArgs {
  out: string;
  'password-stdin'?: boolean;
  stdout?: boolean;
  quiet?: boolean;
}

export async function synthHandler(args: SynthArgs): Promise<void> {
  try {
    const loaded = loadConfigFromArgs(args);
    let password = process.env.JCR_PASSWORD || undefined;
    if (args['password-stdin']) {
      if (args.stdout) throw new UsageError('--password-stdin with --stdout would print the password. Fix: write files with --out');
      password = await readSecretFromStdin('--password-stdin');
    }
    const { files, notes } = renderStack(loaded.config, { password });
    for (const w of loaded.warnings) process.stderr.write(`warning: ${w}\n`);
    if (args.stdout) {
      process.stdout.write(files.map((f) => f.yaml).join('---\n'));
    } else {
      const written = writeRendered(args.out, files);
      if (!args.quiet) process.stderr.write(`rendered ${loaded.source} into ${args.out}/: ${written.map((w) => w.slice(args.out.length + 1)).join(', ')}\n`);
    }
    if (!args.quiet) for (const n of notes) process.stderr.write(`${n}\n`);
  } catch (e) {
    reportError(e);
  }
}
