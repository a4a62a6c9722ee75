/** `jcrkit registry ensure`: the JCR registry and the repositories the stack needs, created only where missing. */
import type { Argv, CommandModule } from 'yargs';
import type { CommandIo } from '../../cloud/cli-support';
import { CloudArgs, withCloudOptions } from '../config-options';

export type { CloudArgs } from '../config-options';

/** `io` is for tests; without it the handler uses the process's stdout, stderr and environment. */
export function makeRegistryCommand(io?: CommandIo): CommandModule<object, CloudArgs> {
  const ensure: CommandModule<object, CloudArgs> = {
    command: 'ensure',
    describe: 'Create the registry (after CheckRegistryName) and the repositories config.images need, only where missing; print the registry host',
    builder: (y) =>
      withCloudOptions(y)
        .example('$0 registry ensure --config examples/seed.yaml', 'registry pocexam in cn-north-1 and its repositories')
        .example('$0 registry ensure --registry-name myreg --region cn-east-2 --output json', 'as JSON for a script') as never,
    handler: async (args) => (await import('../handlers/registry')).registryEnsureHandler(args, io),
  };
  return {
    command: 'registry <command>',
    describe: 'JD Cloud Container Registry: the registry and its repositories',
    builder: (y: Argv) => y.command(ensure as never).demandCommand(1, 'Name a registry command: ensure') as never,
    handler: () => undefined,
  };
}

export const registryCommand = makeRegistryCommand();
