import type { CommandModule } from 'yargs';
import { withConfigOptions } from '../config-options';
import type { SynthArgs } from '../handlers/synth';

export type { SynthArgs };

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
  // the renderer (cdk8s, cdk8s-plus, the config schema) loads only when the command runs
  handler: async (args) => (await import('../handlers/synth')).synthHandler(args),
};
