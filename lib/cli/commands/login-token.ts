/** `jcrkit login-token`: print a short-lived token for the UI's login account (TokenRequest API). */
import type { Argv, CommandModule } from 'yargs';
import type { LoginTokenArgs } from '../handlers/login-token';
import { withConfigOptions } from '../options/config';
import { withKubeOptions } from '../options/kube';
import { withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo } from '../run-command';

export type { LoginTokenArgs };

export function makeLoginTokenCommand(io: CommandIo = processIo()): CommandModule<object, LoginTokenArgs> {
  return {
    command: 'login-token',
    describe: 'Print a short-lived token for the UI login account (admin.serviceAccount), from the Kubernetes TokenRequest API; no kubectl needed',
    builder: (y: Argv) =>
      // --preset: the login account's default namespace is the UI's
      withOutputOption(withKubeOptions(withConfigOptions(y, ['preset'])), 'text: the token alone on stdout; json: token, account and expiry as one JSON document')
        .option('duration', { type: 'string', default: '1h', describe: 'token lifetime: 1h, 30m, 1h30m or seconds; at least 10m (the API server may shorten it)' })
        .example('$0 login-token --config my.yaml', 'a 1 h token to paste into the login page')
        .example('$0 login-token --duration 30m | xclip -selection clipboard', 'straight to the clipboard')
        .epilogue('The same as `kubectl -n <admin.namespace> create token <admin.serviceAccount> --duration=1h`. The token is printed to stdout only; the expiry goes to stderr.') as never,
    handler: commandHandler(io, async (args, redactor) => (await import('../handlers/login-token')).run(args, io, redactor)),
  };
}

export const loginTokenCommand = makeLoginTokenCommand();
