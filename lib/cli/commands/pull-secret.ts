/**
 * `jcrkit pull-secret apply`: an alias of `jcrkit refresh` with the plan taken from the config
 * (and --set), exactly the plan the rendered CronJob gets. Same wiring, same decisions: it mints a
 * token only when none recorded is fresh enough (or with --force).
 */
import type { Argv, CommandModule } from 'yargs';
import type { PullSecretArgs } from '../handlers/pull-secret';
import { withCloudOptions } from '../options/cloud';
import { PULL_SECRET_FLAGS, withConfigOptions } from '../options/config';
import { withKubeOptions } from '../options/kube';
import { withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo } from '../run-command';

export type { PullSecretArgs };

export function makePullSecretCommand(io: CommandIo = processIo()): CommandModule<object, PullSecretArgs> {
  const apply: CommandModule<object, PullSecretArgs> = {
    command: 'apply',
    describe: 'Alias of `jcrkit refresh` with the config\'s plan: write the pull Secret into every pullSecret namespace (minting a token only when none is fresh)',
    builder: (y) =>
      withOutputOption(withKubeOptions(withCloudOptions(withConfigOptions(y, PULL_SECRET_FLAGS))), 'text: one line per namespace; json: the run\'s report as one JSON document (progress lines on stderr)')
        .option('dry-run', { type: 'boolean', describe: 'fetch no token, write nothing; check every write with a server-side dry run' })
        .option('force', { type: 'boolean', describe: 'mint a new token even when the recorded one is fresh' })
        .example('$0 pull-secret apply --config my.yaml', 'the first refresh right after deploying') as never,
    handler: commandHandler(io, async (args, redactor) => (await import('../handlers/pull-secret')).apply(args, io, redactor)),
  };
  return {
    command: 'pull-secret <command>',
    describe: 'The registry pull Secret in the cluster',
    builder: (y: Argv) => y.command(apply as never).demandCommand(1, 'Name a pull-secret command: apply') as never,
    handler: () => undefined,
  };
}

export const pullSecretCommand = makePullSecretCommand();
