/**
 * The `jcrkit` command line (yargs). Each command lives in lib/cli/commands/ and keeps its logic in
 * the library modules, so the cdk8s app, the KRM function and the refresher share one codebase.
 */
import yargs from 'yargs/yargs';
import { packageVersion } from '../core/package-root';
import { COMMANDS } from './commands';

export async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName('jcrkit')
    .usage('$0 <command> [options]\n\nJD Cloud Container Registry + Kubernetes Dashboard, as code.')
    .strict()
    .demandCommand(1, 'Name a command; see --help.')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`error: ${msg}\nRun \`jcrkit --help\` or \`jcrkit <command> --help\`.\n`);
      process.exit(2);
    });
  for (const c of COMMANDS) cli = cli.command(c as never);
  await cli.help().alias('h', 'help').version(packageVersion()).parseAsync();
}
