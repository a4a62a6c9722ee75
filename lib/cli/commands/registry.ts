/** `jcrkit registry ensure`: the JCR registry and the repositories the stack needs, created only where missing. */
import type { Argv, CommandModule } from 'yargs';
import { CrApi } from '../../jdcloud/cr';
import { cloudClient } from '../../cloud/client';
import { checkRegistryNames, ensureRegistry, repositoriesFromImages } from '../../cloud/registry';
import { CloudArgs, withCloudOptions } from '../options/cloud';
import { ConfigArgs, IMAGE_FLAGS, loadConfigFromArgs, withConfigOptions } from '../options/config';
import { OutputArgs, withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo, writeJson } from '../run-command';

type RegistryArgs = ConfigArgs & CloudArgs & OutputArgs;

export function makeRegistryCommand(io: CommandIo = processIo()): CommandModule<object, RegistryArgs> {
  const ensure: CommandModule<object, RegistryArgs> = {
    command: 'ensure',
    describe: 'Create the registry (after CheckRegistryName) and the repositories config.images need, only where missing; print the registry host',
    builder: (y) =>
      withOutputOption(withCloudOptions(withConfigOptions(y, IMAGE_FLAGS)))
        .example('$0 registry ensure --config examples/seed.yaml', 'registry pocexam in cn-north-1 and its repositories')
        .example('$0 registry ensure --registry-name myreg --region cn-east-2 -o json', 'as JSON for a script') as never,
    handler: commandHandler(io, async (args) => {
        const { registry, images } = loadConfigFromArgs(args, io.env).config;
        const repositories = repositoriesFromImages(images);
        // Names first: a bad name fails before the credentials are even looked at.
        checkRegistryNames(registry.name, repositories);
        const { client } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud });
        const result = await ensureRegistry(new CrApi(client, { service: registry.crService }), {
          regionId: registry.region,
          registryName: registry.name,
          repositories,
          host: registry.host,
          log: (line) => io.stderr.write(`${line}\n`),
        });
        if (args.output === 'json') writeJson(io.stdout, result);
        else io.stdout.write(`${result.host}\n`);
      }),
  };
  return {
    command: 'registry <command>',
    describe: 'JD Cloud Container Registry: the registry and its repositories',
    builder: (y: Argv) => y.command(ensure as never).demandCommand(1, 'Name a registry command: ensure') as never,
    handler: () => undefined,
  };
}

export const registryCommand = makeRegistryCommand();
