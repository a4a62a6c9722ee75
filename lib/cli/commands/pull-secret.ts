/** `jcrkit pull-secret apply`: one refresh run from the workstation, with the CronJob's plan. */
import type { Argv, CommandModule } from 'yargs';
import { redactorFromEnv } from '../../core/redact';
import { CommandIo, processIo, runCommand } from '../../cloud/cli-support';
import { cloudCredentials } from '../../cloud/client';
import { applyPullSecret } from '../../cloud/pull-secret';
import { endpointOverrideFrom } from '../../jdcloud/endpoints';
import { kubeClientFromEnvironment } from '../../kube';
import { CloudArgs, loadFromArgs, withCloudOptions } from './registry';

interface PullSecretArgs extends CloudArgs {
  kubeconfig?: string;
  context?: string;
}

export function makePullSecretCommand(io: CommandIo = processIo()): CommandModule<object, PullSecretArgs> {
  const apply: CommandModule<object, PullSecretArgs> = {
    command: 'apply',
    describe: 'Fetch a JCR token now and write the pull Secret into every pullSecret namespace (the refresher CronJob\'s run, from this machine)',
    builder: (y) =>
      withCloudOptions(y)
        .option('kubeconfig', { type: 'string', describe: 'kubeconfig file (default $KUBECONFIG, else ~/.kube/config)', group: 'Kubernetes:' })
        .option('context', { type: 'string', describe: 'kubeconfig context (default current-context)', group: 'Kubernetes:' })
        .example('$0 pull-secret apply --config my.yaml', 'the first refresh right after deploying') as never,
    handler: (args) =>
      runCommand(io, async () => {
        const { config } = loadFromArgs(args, io);
        const credentials = cloudCredentials(io.env);
        const kube = kubeClientFromEnvironment({ kubeconfig: args.kubeconfig, context: args.context, env: io.env });
        try {
          const redactor = redactorFromEnv(io.env);
          const report = await applyPullSecret(config, {
            kube,
            credentials,
            endpoint: endpointOverrideFrom(args.endpoint, io.env),
            sink: { write: (s: string) => io.stdout.write(redactor.scrub(s)) },
            output: args.output,
            redactor,
            client: io.jdcloud,
          });
          return report.exitCode;
        } finally {
          kube.close();
        }
      }).then(() => undefined),
  };
  return {
    command: 'pull-secret <command>',
    describe: 'The registry pull Secret in the cluster',
    builder: (y: Argv) => y.command(apply as never).demandCommand(1, 'Name a pull-secret command: apply') as never,
    handler: () => undefined,
  };
}

export const pullSecretCommand = makePullSecretCommand();
