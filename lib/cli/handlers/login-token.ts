/** `jcrkit login-token`, run. */
import { CommandIo, processIo, runCommand, writeJson } from '../../cloud/cli-support';
import { issueLoginToken, loginAccount, parseTokenDuration } from '../../cloud/login-token';
import { kubeClientFromEnvironment } from '../../kube';
import { loadConfig } from '../../config';
import type { ConfigArgs } from '../config-options';
import { configOverrides } from './args';

export interface LoginTokenArgs extends ConfigArgs {
  duration: string;
  kubeconfig?: string;
  context?: string;
  output: 'text' | 'json';
}

export async function loginTokenHandler(args: LoginTokenArgs, io: CommandIo = processIo()): Promise<void> {
  await runCommand(io, async () => {
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
  });
}
