/** `jcrkit token`, run. */
import { CrApi } from '../../jdcloud/cr';
import { CommandIo, processIo, runCommand } from '../../cloud/cli-support';
import { cloudClient } from '../../cloud/client';
import { CloudInputError } from '../../cloud/errors';
import { checkRegistryNames } from '../../cloud/registry';
import { formatToken, issueRegistryToken, type TokenFormat } from '../../cloud/token';
import { loadFromArgs } from './args';
import type { CloudArgs } from '../config-options';

export interface TokenArgs extends CloudArgs {
  hours?: number;
  format: 'password' | 'docker-config';
}

export async function tokenHandler(args: TokenArgs, io: CommandIo = processIo()): Promise<void> {
  await runCommand(io, async () => {
    const loaded = loadFromArgs(args, io);
    const { registry, refresher } = loaded.config;
    const hours = args.hours ?? refresher.tokenHours;
    if (!Number.isInteger(hours) || hours < 1 || hours > 24) throw new CloudInputError(`--hours ${hours}: a token lives 1 to 24 whole hours. Fix: pass e.g. --hours 12`);
    checkRegistryNames(registry.name, []);
    const { client } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud });
    const token = await issueRegistryToken(new CrApi(client, { service: registry.crService }), { regionId: registry.region, registryName: registry.name, host: registry.host, hours });
    const format: TokenFormat = args.output === 'json' ? 'json' : args.format;
    io.stdout.write(formatToken(token, format));
  });
}
