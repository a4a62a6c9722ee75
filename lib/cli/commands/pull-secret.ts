/** `jcrkit pull-secret apply`: one refresh run from the workstation, with the CronJob's plan. */
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
    describe: 'Fetch a JCR token now and write the pull Secret into every pullSecret namespace (the refresher CronJob\'s run, from this machine)',
    builder: (y) =>
      withOutputOption(withKubeOptions(withCloudOptions(withConfigOptions(y, PULL_SECRET_FLAGS))), 'text: one line per namespace; json: the run\'s report as one JSON document (progress lines on stderr)')
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
