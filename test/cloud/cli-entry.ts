/**
 * The cloud commands behind a real yargs root, configured like lib/cli/main.ts. Until the lead
 * registers them in lib/cli/commands/index.ts, black-box tests run this (bundled by esbuild from
 * the sources, see cli-harness.ts) as a child process instead of bin/jcrkit.js.
 */
import yargs from 'yargs/yargs';
import { clusterCommand } from '../../lib/cli/commands/cluster';
import { credentialsCommand } from '../../lib/cli/commands/credentials';
import { kubeconfigCommand } from '../../lib/cli/commands/kubeconfig';
import { networkCommand } from '../../lib/cli/commands/network';
import { pullSecretCommand } from '../../lib/cli/commands/pull-secret';
import { registryCommand } from '../../lib/cli/commands/registry';
import { tokenCommand } from '../../lib/cli/commands/token';
import { upCommand } from '../../lib/cli/commands/up';

const COMMANDS = [registryCommand, tokenCommand, credentialsCommand, pullSecretCommand, networkCommand, clusterCommand, kubeconfigCommand, upCommand];

async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName('jcrkit')
    .strict()
    .demandCommand(1, 'Name a command; see --help.')
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`error: ${msg}\n`);
      process.exit(2);
    });
  for (const c of COMMANDS) cli = cli.command(c as never);
  await cli.help().parseAsync();
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`error: ${e && e.message ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
