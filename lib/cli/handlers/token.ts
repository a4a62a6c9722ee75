/**
 * `jcrkit token`: a JCR temporary token. stdout carries the password alone (default), a docker
 * config.json fragment, or JSON — and nothing else; the password never goes to stderr.
 */
import { UsageError } from '../../core/errors';
import { CrApi } from '../../jdcloud/cr';
import { cloudClient } from '../../cloud/client';
import { checkRegistryNames } from '../../cloud/registry';
import { formatToken, issueRegistryToken, type TokenFormat } from '../../cloud/token';
import type { Redactor } from '../../core/redact';
import type { CloudArgs } from '../options/cloud';
import type { ConfigArgs } from '../options/config';
import type { OutputArgs } from '../options/output';
import type { CommandIo } from '../run-command';
import { loadConfigFromArgs } from './args';

export interface TokenArgs extends ConfigArgs, CloudArgs, OutputArgs {
  hours?: number;
  format: 'password' | 'docker-config';
}

export async function run(args: TokenArgs, io: CommandIo, redactor: Redactor): Promise<number | void> {
  const { registry, refresher } = loadConfigFromArgs(args, io.env).config;
  const hours = args.hours ?? refresher.tokenHours;
  if (!Number.isInteger(hours) || hours < 1 || hours > 24) throw new UsageError(`--hours ${hours}: a token lives 1 to 24 whole hours. Fix: pass e.g. --hours 12`);
  checkRegistryNames(registry.name, []);
  const { client } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud, proxy: args.proxy });
  const token = await issueRegistryToken(new CrApi(client, { service: registry.crService }), { regionId: registry.region, registryName: registry.name, host: registry.host, hours });
  redactor.addCredentials(token.username, token.password);
  const format: TokenFormat = args.output === 'json' ? 'json' : args.format;
  io.stdout.write(formatToken(token, format));
}
