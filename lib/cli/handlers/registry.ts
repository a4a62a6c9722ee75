/** `jcrkit registry ensure`, run. */
import { CrApi } from '../../jdcloud/cr';
import { CommandIo, processIo, runCommand, writeJson } from '../../cloud/cli-support';
import { cloudClient } from '../../cloud/client';
import { checkRegistryNames, ensureRegistry, repositoriesFromImages } from '../../cloud/registry';
import type { CloudArgs } from '../config-options';
import { loadFromArgs } from './args';

export async function registryEnsureHandler(args: CloudArgs, io: CommandIo = processIo()): Promise<void> {
  await runCommand(io, async () => {
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
  });
}
