/** `jcrkit credentials apply`: the AK/SK Secret the refresher reads, created or updated in place. */
import { UsageError } from '../../core/errors';
import { readStdin } from '../../core/stdin';
import { cloudCredentials } from '../../cloud/client';
import { applyCredentialsSecret, parseCredentialsText } from '../../cloud/credentials-secret';
import { kubeClientFromEnvironment } from '../../kube';
import type { Redactor } from '../../core/redact';
import type { ConfigArgs } from '../options/config';
import type { KubeArgs } from '../options/kube';
import type { OutputArgs } from '../options/output';
import { CommandIo, writeJson } from '../run-command';
import { loadConfigFromArgs } from './args';

export interface CredentialsArgs extends ConfigArgs, KubeArgs, OutputArgs {
  stdin?: boolean;
  'dry-run'?: boolean;
}

export async function apply(args: CredentialsArgs, io: CommandIo, redactor: Redactor): Promise<number | void> {
  const { refresher } = loadConfigFromArgs(args, io.env).config;
  let credentials;
  if (args.stdin) {
    if (io.stdin.isTTY) throw new UsageError('--stdin reads two lines (AccessKey, SecretKey) but stdin is a terminal. Fix: pipe them in');
    credentials = parseCredentialsText(await readStdin(io.stdin));
    redactor.add(credentials.accessKey).add(credentials.secretKey);
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
}
