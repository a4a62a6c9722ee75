/**
 * The `jcrkit` command line (yargs). Each command lives in lib/cli/commands/ and keeps its logic in
 * the library modules, so the cdk8s app, the KRM function and the refresher share one codebase.
 * Every command runs through run-command.ts; usage errors yargs finds (unknown flags, bad
 * choices, missing commands) end here in `.fail()`, with the same `error:` line and exit code 2.
 */
import yargs from 'yargs/yargs';
import { EXIT_BAD_INPUT, errorText, exitCodeFor } from '../core/errors';
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
      // a handler's own errors never get here (runCommand catches them); this is a crash or yargs' usage text
      process.stderr.write(err && !msg ? errorText(err) : `${errorText(msg ?? err)}Run \`jcrkit --help\` or \`jcrkit <command> --help\`.\n`);
      process.exit(err && !msg ? exitCodeFor(err) : EXIT_BAD_INPUT);
    });
  for (const c of COMMANDS) cli = cli.command(c as never);
  await cli
    .completion('completion', 'Print a shell completion script: `jcrkit completion >> ~/.bashrc` (bash), or `>> ~/.zshrc` (zsh)')
    .help()
    .alias('h', 'help')
    .version(packageVersion())
    .parseAsync();
}
