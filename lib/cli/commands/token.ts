/**
 * `jcrkit token`: a JCR temporary token. stdout carries the password alone (default), a docker
 * config.json fragment, or JSON — and nothing else; the password never goes to stderr.
 */
import type { Argv, CommandModule } from 'yargs';
import type { CommandIo } from '../../cloud/cli-support';
import { withCloudOptions } from '../config-options';
import type { TokenArgs } from '../handlers/token';

export type { TokenArgs };

/** `io` is for tests; without it the handler uses the process's stdout, stderr and environment. */
export function makeTokenCommand(io?: CommandIo): CommandModule<object, TokenArgs> {
  return {
    command: 'token',
    describe: 'Get a JCR temporary token (GetAuthorizationToken) and print the password, a docker config fragment, or JSON',
    builder: (y: Argv) =>
      withCloudOptions(y)
        .option('hours', { type: 'number', describe: 'token validity, 1-24 hours (default refresher.tokenHours)' })
        .option('format', { choices: ['password', 'docker-config'] as const, default: 'password' as const, describe: 'password alone + newline, or {"auths":{host:{"auth":…}}}' })
        .example('$0 token | docker login -u jdcloud --password-stdin pocexam-cn-north-1.jcr.service.jdcloud.com', 'log docker in')
        .example('$0 token | $0 synth --password-stdin', 'render the bootstrap pull Secret')
        .example('$0 token --output json | jq -r .expiresAt', 'for scripts') as never,
    handler: async (args) => (await import('../handlers/token')).tokenHandler(args, io),
  };
}

export const tokenCommand = makeTokenCommand();
