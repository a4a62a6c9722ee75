/** `jcrkit login-token`: print a short-lived token for the UI's login account (TokenRequest API). */
import type { Argv, CommandModule } from 'yargs';
import { CommandIo, processIo, runCommand, writeJson } from '../../cloud/cli-support';
import { issueLoginToken, loginAccount, parseTokenDuration } from '../../cloud/login-token';
import { kubeClientFromEnvironment } from '../../kube';
import { loadConfig } from '../../config';
import { configOverrides, withConfigOptions, type ConfigArgs } from '../config-options';

interface LoginTokenArgs extends ConfigArgs {
  duration: string;
  kubeconfig?: string;
  context?: string;
  output: 'text' | 'json';
}

export function makeLoginTokenCommand(io: CommandIo = processIo()): CommandModule<object, LoginTokenArgs> {
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
    handler: (args) =>
      runCommand(io, async () => {
        const loaded = loadConfig({ path: args.config, overrides: configOverrides(args), env: io.env });
        const expirationSeconds = parseTokenDuration(args.duration);
        loginAccount(loaded.config); // bad input before any connection
        const kube = kubeClientFromEnvironment({ kubeconfig: args.kubeconfig, context: args.context, env: io.env });
        try {
          const r = await issueLoginToken(loaded.config, kube, { expirationSeconds });
          if (args.output === 'json') {
            writeJson(io.stdout, r);
          } else {
            io.stdout.write(`${r.token}\n`);
            io.stderr.write(`token for ${r.namespace}/${r.serviceAccount} (bound to ${r.clusterRole}), expires ${r.expirationTimestamp || 'when the server decides'}\n`);
          }
        } finally {
          kube.close();
        }
      }).then(() => undefined),
  };
}

export const loginTokenCommand = makeLoginTokenCommand();
