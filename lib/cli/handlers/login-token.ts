/** `jcrkit login-token`: print a short-lived token for the UI's login account (TokenRequest API). */
import { issueLoginToken, loginAccount, parseTokenDuration } from '../../cloud/login-token';
import { kubeClientFromEnvironment } from '../../kube';
import type { Redactor } from '../../core/redact';
import type { ConfigArgs } from '../options/config';
import type { KubeArgs } from '../options/kube';
import type { OutputArgs } from '../options/output';
import { CommandIo, writeJson } from '../run-command';
import { loadConfigFromArgs } from './args';

export interface LoginTokenArgs extends ConfigArgs, KubeArgs, OutputArgs {
  duration: string;
}

export async function run(args: LoginTokenArgs, io: CommandIo, redactor: Redactor): Promise<number | void> {
  const { config } = loadConfigFromArgs(args, io.env);
  const expirationSeconds = parseTokenDuration(args.duration);
  loginAccount(config); // bad input before any connection
  const kube = kubeClientFromEnvironment({ kubeconfig: args.kubeconfig, context: args.context, env: io.env });
  try {
    const r = await issueLoginToken(config, kube, { expirationSeconds });
    redactor.add(r.token); // stdout is the token's only way out
    if (args.output === 'json') {
      writeJson(io.stdout, r);
    } else {
      io.stdout.write(`${r.token}\n`);
      io.stderr.write(`token for ${r.namespace}/${r.serviceAccount} (bound to ${r.clusterRole}), expires ${r.expirationTimestamp || 'when the server decides'}\n`);
    }
  } finally {
    kube.close();
  }
}
