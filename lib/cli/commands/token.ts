/**
 * `jcrkit token`: a JCR temporary token. stdout carries the password alone (default), a docker
 * config.json fragment, or JSON — and nothing else; the password never goes to stderr.
 */
import type { Argv, CommandModule } from 'yargs';
import type { TokenArgs } from '../handlers/token';
import { withCloudOptions } from '../options/cloud';
import { REGISTRY_FLAGS, withConfigOptions } from '../options/config';
import { withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo } from '../run-command';

export type { TokenArgs };

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
    handler: commandHandler(io, async (args, redactor) => (await import('../handlers/token')).run(args, io, redactor)),
  };
}

export const tokenCommand = makeTokenCommand();
