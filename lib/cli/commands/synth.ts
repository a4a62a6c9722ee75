import type { CommandModule } from 'yargs';
import { renderStack, writeRendered } from '../../render';
import { UsageError } from '../../core/errors';
import { readSecretFromStdin } from '../../core/stdin';
import { ConfigArgs, RENDER_FLAGS, loadConfigFromArgs, withConfigOptions } from '../options/config';
import { OutputArgs, withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo, writeJson } from '../run-command';

interface SynthArgs extends ConfigArgs, OutputArgs {
  out: string;
  'password-stdin'?: boolean;
  stdout?: boolean;
  quiet?: boolean;
}

/** `jcrkit synth`: the same render as `cdk8s synth`, with a config file, flags and an --out dir. */
export function makeSynthCommand(io: CommandIo = processIo()): CommandModule<object, SynthArgs> {
  return {
    command: 'synth',
    describe: 'Render the manifests (pull Secret, refresher, Dashboard, admin) into a directory',
    builder: (y) =>
      withOutputOption(withConfigOptions(y, RENDER_FLAGS), 'text: notes on stderr; json: a summary of the files written, as one JSON document on stdout')
        // no -o alias: -o is --output everywhere (as in kubectl)
        .option('out', { type: 'string', default: 'dist', describe: 'Output directory (replaced atomically; must hold only rendered *.k8s.yaml files)' })
        .option('password-stdin', { type: 'boolean', describe: 'Read the JCR password from stdin and render the bootstrap pull Secret (env JCR_PASSWORD does the same)' })
        .option('stdout', { type: 'boolean', describe: 'Print all manifests as one multi-document YAML stream instead of writing files' })
        .option('quiet', { alias: 'q', type: 'boolean', describe: 'Do not print notes (warnings are still printed)' })
        .example('$0 synth', 'render the embedded default config into dist/')
        .example('$0 synth --config examples/seed.yaml --out out/seed', 'render the runbook exactly')
        .example('$0 synth -o json | jq -r .files[]', 'the files written, for a script')
        .example('jcrkit token | $0 synth --password-stdin --out /tmp/jcr', 'direct-apply mode: include the pull Secret') as never,
    handler: commandHandler(io, async (args, redactor) => {
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
      }),
  };
}

export const synthCommand = makeSynthCommand();
