/** `jcrkit credentials apply`, run. */
import { readStdin } from '../../core/stdin';
import { CommandIo, processIo, runCommand, writeJson } from '../../cloud/cli-support';
import { cloudCredentials } from '../../cloud/client';
import { applyCredentialsSecret, parseCredentialsText } from '../../cloud/credentials-secret';
import { CloudInputError } from '../../cloud/errors';
import { kubeClientFromEnvironment } from '../../kube';
import { loadFromArgs } from './args';
import type { CloudArgs } from '../config-options';

export interface CredentialsArgs extends CloudArgs {
  kubeconfig?: string;
  context?: string;
  stdin?: boolean;
  'dry-run'?: boolean;
}

export async function credentialsApplyHandler(args: CredentialsArgs, io: CommandIo = processIo()): Promise<void> {
  await runCommand(io, async () => {
    const { refresher } = loadFromArgs(args, io).config;
    let credentials;
    if (args.stdin) {
      if (io.stdin.isTTY) throw new CloudInputError('--stdin reads two lines (AccessKey, SecretKey) but stdin is a terminal. Fix: pipe them in');
      credentials = parseCredentialsText(await readStdin(io.stdin));
    } else {
      credentials = cloudCredentials(io.env);
    }
    const kube = kubeClientFromEnvironment({ kubeconfig: args.kubeconfig, context: args.context, env: io.env });
    try {
      const result = await applyCredentialsSecret(kube, { namespace: refresher.namespace, name: refresher.credentialsSecret, credentials, dryRun: args['dry-run'] });
      if (args.output === 'json') {
        writeJson(io.stdout, result);
      } else {
        const verb = result.dryRun ? `would be ${result.action === 'unchanged' ? 'left unchanged' : result.action}` : result.action;
        io.stdout.write(`Secret ${result.namespace}/${result.name} (keys JDCLOUD_ACCESS_KEY, JDCLOUD_SECRET_KEY): ${verb}\n`);
      }
    } finally {
      kube.close();
    }
  });
}
