/** `jcrkit registry ensure`: the JCR registry and the repositories the stack needs, created only where missing. */
import type { Argv, CommandModule } from 'yargs';
import type { RegistryArgs } from '../handlers/registry';
import type { ProbeArgs } from '../handlers/registry-probe';
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
  const probe: CommandModule<object, ProbeArgs> = {
    command: 'probe [registry]',
    describe: 'Find out which manifest media types the registry accepts (Docker schema 2, OCI image/index, OCI artifact): pushes a tiny image in each format into a probe repository, then deletes it',
    builder: (y) =>
      withOutputOption(withCloudOptions(withConfigOptions(y, IMAGE_FLAGS)))
        .positional('registry', { type: 'string', describe: 'any registry host (default: the configured JCR registry, logged in with a JCR token)' })
        .option('repository', { type: 'string', default: 'jcrkit-probe', describe: 'repository to push the probe into (created in JCR when missing, and left there)' })
        .option('insecure', { type: 'boolean', describe: 'plain HTTP or unverified HTTPS (e.g. 127.0.0.1:5000)', group: 'Registries:' })
        .option('creds', { type: 'string', describe: 'USER:PASSWORD for the registry (default: JCR token, else ~/.docker/config.json)', group: 'Registries:' })
        .option('authfile', { type: 'string', describe: 'Docker config with "auths" (default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json)', group: 'Registries:' })
        .example('$0 registry probe --config my.yaml', 'what JCR takes, once')
        .example('$0 registry probe 127.0.0.1:5000 --insecure --output json', 'any registry') as never,
    handler: commandHandler(io, async (args) => (await import('../handlers/registry-probe')).probe(args, io)),
  };
  return {
    command: 'registry <command>',
    describe: 'JD Cloud Container Registry: the registry and its repositories, and which media types a registry accepts',
    builder: (y: Argv) => y.command(ensure as never).command(probe as never).demandCommand(1, 'Name a registry command: ensure, probe') as never,
    handler: () => undefined,
  };
}

export const registryCommand = makeRegistryCommand();
