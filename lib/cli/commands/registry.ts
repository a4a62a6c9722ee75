/** `jcrkit registry ensure`: the JCR registry and the repositories the stack needs, created only where missing. */
import type { Argv, CommandModule } from 'yargs';
import type { RegistryArgs } from '../handlers/registry';
import { withCloudOptions } from '../options/cloud';
import { IMAGE_FLAGS, withConfigOptions } from '../options/config';
import { withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo } from '../run-command';

export type { RegistryArgs };

export function makeRegistryCommand(io: CommandIo = processIo()): CommandModule<object, RegistryArgs> {
  const ensure: CommandModule<object, RegistryArgs> = {
    command: 'ensure',
    describe: 'Create the registry (after CheckRegistryName) and the repositories config.images need, only where missing; print the registry host',
    builder: (y) =>
      withOutputOption(withCloudOptions(withConfigOptions(y, IMAGE_FLAGS)))
        .example('$0 registry ensure --config examples/seed.yaml', 'registry pocexam in cn-north-1 and its repositories')
        .example('$0 registry ensure --registry-name myreg --region cn-east-2 -o json', 'as JSON for a script') as never,
    handler: commandHandler(io, async (args, redactor) => (await import('../handlers/registry')).ensure(args, io, redactor)),
  };
  return {
    command: 'registry <command>',
    describe: 'JD Cloud Container Registry: the registry and its repositories',
    builder: (y: Argv) => y.command(ensure as never).demandCommand(1, 'Name a registry command: ensure') as never,
    handler: () => undefined,
  };
}

export const registryCommand = makeRegistryCommand();
