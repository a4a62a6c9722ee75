/** `jcrkit pull-secret apply`: one refresh run from the workstation, with the CronJob's plan. */
import { cloudCredentials } from '../../cloud/client';
import { applyPullSecret } from '../../cloud/pull-secret';
import { endpointOverrideFrom } from '../../jdcloud/endpoints';
import { kubeClientFromEnvironment } from '../../kube';
import type { Redactor } from '../../core/redact';
import type { CloudArgs } from '../options/cloud';
import type { ConfigArgs } from '../options/config';
import type { KubeArgs } from '../options/kube';
import type { OutputArgs } from '../options/output';
import { CommandIo, writeJson } from '../run-command';
import { loadConfigFromArgs } from './args';

export type PullSecretArgs = ConfigArgs & CloudArgs & KubeArgs & OutputArgs;

export async function apply(args: PullSecretArgs, io: CommandIo, redactor: Redactor): Promise<number | void> {
  const { config } = loadConfigFromArgs(args, io.env);
  const credentials = cloudCredentials(io.env);
  const kube = kubeClientFromEnvironment({ kubeconfig: args.kubeconfig, context: args.context, env: io.env });
  const json = args.output === 'json';
  try {
    const report = await applyPullSecret(config, {
      kube,
      credentials,
      endpoint: endpointOverrideFrom(args.endpoint, io.env),
      // with --output json stdout gets the report alone; the lines are progress then
      sink: { write: (s: string) => (json ? io.stderr : io.stdout).write(s) },
      output: 'text',
      redactor,
      client: io.jdcloud,
    });
    if (json) writeJson(io.stdout, report);
    return report.exitCode;
  } finally {
    kube.close();
  }
}
