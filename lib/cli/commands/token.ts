/**
 * `jcrkit token`: a JCR temporary token. stdout carries the password alone (default), a docker
 * config.json fragment, or JSON — and nothing else; the password never goes to stderr.
 */
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../core/errors';
import { CrApi } from '../../jdcloud/cr';
import { cloudClient } from '../../cloud/client';
import { checkRegistryNames } from '../../cloud/registry';
import { formatToken, issueRegistryToken, type TokenFormat } from '../../cloud/token';
import { CloudArgs, withCloudOptions } from '../options/cloud';
import { ConfigArgs, REGISTRY_FLAGS, loadConfigFromArgs, withConfigOptions } from '../options/config';
import { OutputArgs, withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo } from '../run-command';

interface TokenArgs extends ConfigArgs, CloudArgs, OutputArgs {
  hours?: number;
  format: 'password' | 'docker-config';
}

export function makeTokenCommand(io: CommandIo = processIo()): CommandModule<object, TokenArgs> {
  return {
    command: 'token',
    describe: 'Get a JCR temporary token (GetAuthorizationToken) and print the password, a docker config fragment, or JSON',
    builder: (y: Argv) =>
      withOutputOption(withCloudOptions(withConfigOptions(y, REGISTRY_FLAGS)), 'text: as --format says; json: registry, host, username, password, expiresAt as one JSON document')
        .option('hours', { type: 'number', describe: 'token validity, 1-24 hours (default refresher.tokenHours)' })
        .option('format', { choices: ['password', 'docker-config'] as const, default: 'password' as const, describe: 'password alone + newline, or {"auths":{host:{"auth":…}}}' })
        .example('$0 token | docker login -u jdcloud --password-stdin pocexam-cn-north-1.jcr.service.jdcloud.com', 'log docker in')
        .example('$0 token | $0 synth --password-stdin', 'render the bootstrap pull Secret')
        .example('$0 token -o json | jq -r .expiresAt', 'for scripts') as never,
    handler: commandHandler(io, async (args, redactor) => {
        const { registry, refresher } = loadConfigFromArgs(args, io.env).config;
        const hours = args.hours ?? refresher.tokenHours;
        if (!Number.isInteger(hours) || hours < 1 || hours > 24) throw new UsageError(`--hours ${hours}: a token lives 1 to 24 whole hours. Fix: pass e.g. --hours 12`);
        checkRegistryNames(registry.name, []);
        const { client } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud });
        const token = await issueRegistryToken(new CrApi(client, { service: registry.crService }), { regionId: registry.region, registryName: registry.name, host: registry.host, hours });
        redactor.addCredentials(token.username, token.password);
        const format: TokenFormat = args.output === 'json' ? 'json' : args.format;
        io.stdout.write(formatToken(token, format));
      }),
  };
}

export const tokenCommand = makeTokenCommand();
