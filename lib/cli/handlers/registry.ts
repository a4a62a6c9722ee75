/** `jcrkit registry ensure`: the JCR registry and the repositories the stack needs, created only where missing. */
import { CrApi } from '../../jdcloud/cr';
import { cloudClient } from '../../cloud/client';
import { checkRegistryNames, ensureRegistry, repositoriesFromImages } from '../../cloud/registry';
import type { Redactor } from '../../core/redact';
import type { CloudArgs } from '../options/cloud';
import type { ConfigArgs } from '../options/config';
import type { OutputArgs } from '../options/output';
import { CommandIo, writeJson } from '../run-command';
import { loadConfigFromArgs } from './args';

export type RegistryArgs = ConfigArgs & CloudArgs & OutputArgs;

export async function ensure(args: RegistryArgs, io: CommandIo, _redactor: Redactor): Promise<number | void> {
  const { registry, images } = loadConfigFromArgs(args, io.env).config;
  const repositories = repositoriesFromImages(images);
  // Names first: a bad name fails before the credentials are even looked at.
  checkRegistryNames(registry.name, repositories);
  const { client } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud, proxy: args.proxy });
  const result = await ensureRegistry(new CrApi(client, { service: registry.crService }), {
    regionId: registry.region,
    registryName: registry.name,
    repositories,
    host: registry.host,
    log: (line) => io.stderr.write(`${line}\n`),
  });
  if (args.output === 'json') writeJson(io.stdout, result);
  else io.stdout.write(`${result.host}\n`);
}
