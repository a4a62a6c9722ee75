import type { CommandModule } from 'yargs';
import { renderStack, writeRendered } from '../../render';
import { ConfigArgs, loadConfigFromArgs, withConfigOptions } from '../config-options';
import { UsageError } from '../../core/errors';
import { readSecretFromStdin } from '../../core/stdin';
import { reportError } from '../io';

interface SynthArgs extends ConfigArgs {
  out: string;
  'password-stdin'?: boolean;
  stdout?: boolean;
  quiet?: boolean;
}

/** `jcrkit synth`: the same render as `cdk8s synth`, with a config file, flags and an --out dir. */
export const synthCommand: CommandModule<object, SynthArgs> = {
  command: 'synth',
  describe: 'Render the manifests (pull Secret, refresher, Dashboard, admin) into a directory',
  builder: (y) =>
    withConfigOptions(y)
      .option('out', { alias: 'o', type: 'string', default: 'dist', describe: 'Output directory (replaced atomically; must hold only rendered *.k8s.yaml files)' })
      .option('password-stdin', { type: 'boolean', describe: 'Read the JCR password from stdin and render the bootstrap pull Secret (env JCR_PASSWORD does the same)' })
      .option('stdout', { type: 'boolean', describe: 'Print all manifests as one multi-document YAML stream instead of writing files' })
      .option('quiet', { alias: 'q', type: 'boolean', describe: 'Do not print notes (warnings are still printed)' })
      .example('$0 synth', 'render the embedded default config into dist/')
      .example('$0 synth --config examples/seed.yaml --out out/seed', 'render the runbook exactly')
      .example('jcrkit token | $0 synth --password-stdin --out /tmp/jcr', 'direct-apply mode: include the pull Secret') as never,
  handler: async (args) => {
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
  },
};
