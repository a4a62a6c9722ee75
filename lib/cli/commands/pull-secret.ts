/**
 * `jcrkit pull-secret apply`: an alias of `jcrkit refresh` with the plan taken from the config
 * (and --set), exactly the plan the rendered CronJob gets. Same wiring, same decisions: it mints a
 * token only when none recorded is fresh enough (or with --force).
 */
import type { Argv, CommandModule } from 'yargs';
import type { CommandIo } from '../../cloud/cli-support';
import { withCloudOptions } from '../config-options';
import type { PullSecretArgs } from '../handlers/pull-secret';

export type { PullSecretArgs };

/** `io` is for tests; without it the handler uses the process's stdout, stderr and environment. */
export function makePullSecretCommand(io?: CommandIo): CommandModule<object, PullSecretArgs> {
  const apply: CommandModule<object, PullSecretArgs> = {
    command: 'apply',
    describe: 'Alias of `jcrkit refresh` with the config\'s plan: write the pull Secret into every pullSecret namespace (minting a token only when none is fresh)',
    builder: (y) =>
      withCloudOptions(y)
        .option('kubeconfig', { type: 'string', describe: 'kubeconfig file (default $KUBECONFIG, else ~/.kube/config)', group: 'Kubernetes:' })
        .option('context', { type: 'string', describe: 'kubeconfig context (default current-context)', group: 'Kubernetes:' })
        .option('dry-run', { type: 'boolean', describe: 'fetch no token, write nothing; check every write with a server-side dry run' })
        .option('force', { type: 'boolean', describe: 'mint a new token even when the recorded one is fresh' })
        .example('$0 pull-secret apply --config my.yaml', 'the first refresh right after deploying') as never,
    handler: async (args) => (await import('../handlers/pull-secret')).pullSecretApplyHandler(args, io),
  };
  return {
    command: 'pull-secret <command>',
    describe: 'The registry pull Secret in the cluster',
    builder: (y: Argv) => y.command(apply as never).demandCommand(1, 'Name a pull-secret command: apply') as never,
    handler: () => undefined,
  };
}

export const pullSecretCommand = makePullSecretCommand();
