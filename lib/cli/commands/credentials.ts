/** `jcrkit credentials apply`: the AK/SK Secret the refresher reads, created or updated in place. */
import type { Argv, CommandModule } from 'yargs';
import type { CredentialsArgs } from '../handlers/credentials';
import { withConfigOptions } from '../options/config';
import { withKubeOptions } from '../options/kube';
import { withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo } from '../run-command';

export type { CredentialsArgs };

export function makeCredentialsCommand(io: CommandIo = processIo()): CommandModule<object, CredentialsArgs> {
  const apply: CommandModule<object, CredentialsArgs> = {
    command: 'apply',
    describe: 'Create or update (in place) the Secret refresher.credentialsSecret in refresher.namespace with JDCLOUD_ACCESS_KEY/JDCLOUD_SECRET_KEY',
    builder: (y) =>
      withOutputOption(withKubeOptions(withConfigOptions(y, [])))
        .option('stdin', { type: 'boolean', describe: 'read the AccessKey and SecretKey from stdin (two lines) instead of the environment' })
        .option('dry-run', { type: 'boolean', describe: 'read the Secret and say whether it would be created, updated or left alone; write nothing' })
        .example('JDCLOUD_ACCESS_KEY=… JDCLOUD_SECRET_KEY=… $0 credentials apply', 'from the environment')
        .example("printf '%s\\n%s\\n' \"$AK\" \"$SK\" | $0 credentials apply --stdin", 'from stdin') as never,
    handler: commandHandler(io, async (args, redactor) => (await import('../handlers/credentials')).apply(args, io, redactor)),
  };
  return {
    command: 'credentials <command>',
    describe: 'The JD Cloud AccessKey Secret the token refresher uses',
    builder: (y: Argv) => y.command(apply as never).demandCommand(1, 'Name a credentials command: apply') as never,
    handler: () => undefined,
  };
}

export const credentialsCommand = makeCredentialsCommand();
