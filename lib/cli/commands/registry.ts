/** `jcrkit registry ensure`: the JCR registry and the repositories the stack needs, created only where missing. */
import type { Argv, CommandModule } from 'yargs';
import { CrApi } from '../../jdcloud/cr';
import { CLOUD_FLAG_OPTIONS, CLOUD_OPTIONS, CommandIo, cloudFlagOverrides, processIo, runCommand, writeJson } from '../../cloud/cli-support';
import { cloudClient } from '../../cloud/client';
import { loadCloudConfig } from '../../cloud/config';
import { checkRegistryNames, ensureRegistry, repositoriesFromImages } from '../../cloud/registry';
import { ConfigArgs, configOverrides, withConfigOptions } from '../config-options';

export interface CloudArgs extends ConfigArgs {
  endpoint?: string;
  output: 'text' | 'json';
  [flag: string]: unknown;
}

/** The config and cloud flags every cloud command takes. */
export function withCloudOptions<T>(y: Argv<T>): Argv<T & CloudArgs> {
  return withConfigOptions(y).options(CLOUD_FLAG_OPTIONS as never).options(CLOUD_OPTIONS as never) as unknown as Argv<T & CloudArgs>;
}

/** --config/--set/flags → the loaded config with its cloud section. */
export function loadFromArgs(args: CloudArgs, io: CommandIo) {
  return loadCloudConfig({ path: args.config, overrides: { ...configOverrides(args), ...cloudFlagOverrides(args) }, env: io.env });
}

export function makeRegistryCommand(io: CommandIo = processIo()): CommandModule<object, CloudArgs> {
  const ensure: CommandModule<object, CloudArgs> = {
    command: 'ensure',
    describe: 'Create the registry (after CheckRegistryName) and the repositories config.images need, only where missing; print the registry host',
    builder: (y) =>
      withCloudOptions(y)
        .example('$0 registry ensure --config examples/seed.yaml', 'registry pocexam in cn-north-1 and its repositories')
        .example('$0 registry ensure --registry-name myreg --region cn-east-2 --output json', 'as JSON for a script') as never,
    handler: (args) =>
      runCommand(io, async () => {
        const loaded = loadFromArgs(args, io);
        const { registry, images } = loaded.config;
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
      }).then(() => undefined),
  };
  return {
    command: 'registry <command>',
    describe: 'JD Cloud Container Registry: the registry and its repositories',
    builder: (y: Argv) => y.command(ensure as never).demandCommand(1, 'Name a registry command: ensure') as never,
    handler: () => undefined,
  };
}

export const registryCommand = makeRegistryCommand();
