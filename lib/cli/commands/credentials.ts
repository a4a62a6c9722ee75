/** `jcrkit credentials apply`: the AK/SK Secret the refresher reads, created or updated in place. */
import type { Argv, CommandModule } from 'yargs';
import type { CommandIo } from '../../cloud/cli-support';
import { withCloudOptions } from '../config-options';
import type { CredentialsArgs } from '../handlers/credentials';

export type { CredentialsArgs };

/** `io` is for tests; without it the handler uses the process's stdout, stderr and environment. */
export function makeCredentialsCommand(io?: CommandIo): CommandModule<object, CredentialsArgs> {
  const apply: CommandModule<object, CredentialsArgs> = {
    command: 'apply',
    describe: 'Create or update (in place) the Secret refresher.credentialsSecret in refresher.namespace with JDCLOUD_ACCESS_KEY/JDCLOUD_SECRET_KEY',
    builder: (y) =>
      withCloudOptions(y)
        .option('kubeconfig', { type: 'string', describe: 'kubeconfig file (default $KUBECONFIG, else ~/.kube/config)', group: 'Kubernetes:' })
        .option('context', { type: 'string', describe: 'kubeconfig context (default current-context)', group: 'Kubernetes:' })
        .option('stdin', { type: 'boolean', describe: 'read the AccessKey and SecretKey from stdin (two lines) instead of the environment' })
        .option('dry-run', { type: 'boolean', describe: 'read the Secret and say whether it would be created, updated or left alone; write nothing' })
        .example('JDCLOUD_ACCESS_KEY=… JDCLOUD_SECRET_KEY=… $0 credentials apply', 'from the environment')
        .example("printf '%s\\n%s\\n' \"$AK\" \"$SK\" | $0 credentials apply --stdin", 'from stdin') as never,
    handler: async (args) => (await import('../handlers/credentials')).credentialsApplyHandler(args, io),
  };
  return {
    command: 'credentials <command>',
    describe: 'The JD Cloud AccessKey Secret the token refresher uses',
    builder: (y: Argv) => y.command(apply as never).demandCommand(1, 'Name a credentials command: apply') as never,
    handler: () => undefined,
  };
}

export const credentialsCommand = makeCredentialsCommand();
