import type { CommandModule } from 'yargs';
import type { SynthArgs } from '../handlers/synth';
import { RENDER_FLAGS, withConfigOptions } from '../options/config';
import { withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo } from '../run-command';

export type { SynthArgs };

/** `jcrkit synth`: the same render as `cdk8s synth`, with a config file, flags and an --out dir. */
export function makeSynthCommand(io: CommandIo = processIo()): CommandModule<object, SynthArgs> {
  return {
    command: 'synth',
    describe: 'Render the manifests (pull Secret refresher, Dashboard, admin) into a directory',
    builder: (y) =>
      withOutputOption(withConfigOptions(y, RENDER_FLAGS), 'text: notes on stderr; json: a summary of the files written, as one JSON document on stdout')
        // no -o alias: -o is --output everywhere (as in kubectl)
        .option('out', { type: 'string', default: 'dist', describe: 'Output directory (replaced atomically; must hold only rendered *.k8s.yaml files). With --fleet: one subdirectory per cluster' })
        .option('fleet', { type: 'string', describe: 'Fleet file (defaults: + clusters:); renders OUT/<cluster>/ for every cluster. Not with --config' })
        .option('password-stdin', { type: 'boolean', describe: 'Read the JCR password from stdin and render the bootstrap pull Secret (env JCR_PASSWORD does the same) into --bootstrap-out' })
        .option('bootstrap-out', { type: 'string', describe: 'File for the bootstrap pull Secret (mode 0600; never inside --out). Default: a new private directory under the temp dir' })
        .option('stdout', { type: 'boolean', describe: 'Print all manifests as one multi-document YAML stream instead of writing files (never with a password)' })
        .option('quiet', { alias: 'q', type: 'boolean', describe: 'Do not print notes (warnings are still printed)' })
        .example('$0 synth', 'render the embedded default config into dist/')
        .example('$0 synth --config examples/seed.yaml --out out/seed', 'render the runbook exactly')
        .example('$0 synth --fleet examples/fleet/fleet.yaml --out examples/fleet/rendered', 'render every cluster of a fleet')
        .example('$0 synth -o json | jq -r .files[]', 'the files written, for a script')
        .example('jcrkit token | $0 synth --password-stdin --bootstrap-out /tmp/jcr-pull-secret.yaml', 'direct-apply mode: also render the pull Secret, outside dist/') as never,
    handler: commandHandler(io, async (args, redactor) => (await import('../handlers/synth')).run(args, io, redactor)),
  };
}

export const synthCommand = makeSynthCommand();
