/** `jcrkit login-token`: print a short-lived token for the UI's login account (TokenRequest API). */
import type { Argv, CommandModule } from 'yargs';
import type { CommandIo } from '../../cloud/cli-support';
import { withConfigOptions } from '../config-options';
import type { LoginTokenArgs } from '../handlers/login-token';

export type { LoginTokenArgs };

/** `io` is for tests; without it the handler uses the process's stdout, stderr and environment. */
export function makeLoginTokenCommand(io?: CommandIo): CommandModule<object, LoginTokenArgs> {
  return {
    command: 'login-token',
    describe: 'Print a short-lived token for the UI login account (admin.serviceAccount), from the Kubernetes TokenRequest API; no kubectl needed',
    builder: (y: Argv) =>
      withConfigOptions(y)
        .option('duration', { type: 'string', default: '1h', describe: 'token lifetime: 1h, 30m, 1h30m or seconds; at least 10m (the API server may shorten it)' })
        .option('kubeconfig', { type: 'string', describe: 'kubeconfig file (default $KUBECONFIG, else ~/.kube/config)', group: 'Kubernetes:' })
        .option('context', { type: 'string', describe: 'kubeconfig context (default current-context)', group: 'Kubernetes:' })
        .option('output', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'text: the token alone on stdout; json: token, account and expiry', group: 'Output:' })
        .example('$0 login-token --config my.yaml', 'a 1 h token to paste into the login page')
        .example('$0 login-token --duration 30m | xclip -selection clipboard', 'straight to the clipboard')
        .epilogue('The same as `kubectl -n <admin.namespace> create token <admin.serviceAccount> --duration=1h`. The token is printed to stdout only; the expiry goes to stderr.') as never,
    handler: async (args) => (await import('../handlers/login-token')).loginTokenHandler(args, io),
  };
}

export const loginTokenCommand = makeLoginTokenCommand();
