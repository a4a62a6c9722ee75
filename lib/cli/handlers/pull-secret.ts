/** `jcrkit pull-secret apply`, run. */
import { CommandIo, credentialRedactor, processIo, runCommand } from '../../cloud/cli-support';
import { cloudCredentials } from '../../cloud/client';
import { applyPullSecret } from '../../cloud/pull-secret';
import { endpointOverrideFrom } from '../../jdcloud/endpoints';
import { kubeClientFromEnvironment } from '../../kube';
import { loadFromArgs } from './args';
import type { CloudArgs } from '../config-options';

export interface PullSecretArgs extends CloudArgs {
  kubeconfig?: string;
  context?: string;
}

export async function pullSecretApplyHandler(args: PullSecretArgs, io: CommandIo = processIo()): Promise<void> {
  await runCommand(io, async () => {
    const { config } = loadFromArgs(args, io);
    const credentials = cloudCredentials(io.env);
    const kube = kubeClientFromEnvironment({ kubeconfig: args.kubeconfig, context: args.context, env: io.env });
    try {
      const redactor = credentialRedactor(io.env);
      const report = await applyPullSecret(config, {
        kube,
        credentials,
        endpoint: endpointOverrideFrom(args.endpoint, io.env),
        sink: { write: (s: string) => io.stdout.write(redactor.scrub(s)) },
        output: args.output,
        client: io.jdcloud,
      });
      return report.exitCode;
    } finally {
      kube.close();
    }
  });
}
