/** `jcrkit pull-secret apply`: one refresh run from the workstation, with the CronJob's plan. */
import type { Argv, CommandModule } from 'yargs';
import { cloudCredentials } from '../../cloud/client';
import { applyPullSecret } from '../../cloud/pull-secret';
import { endpointOverrideFrom } from '../../jdcloud/endpoints';
import { kubeClientFromEnvironment } from '../../kube';
import { CloudArgs, withCloudOptions } from '../options/cloud';
import { ConfigArgs, PULL_SECRET_FLAGS, loadConfigFromArgs, withConfigOptions } from '../options/config';
import { KubeArgs, withKubeOptions } from '../options/kube';
import { OutputArgs, withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo, writeJson } from '../run-command';

type PullSecretArgs = ConfigArgs & CloudArgs & KubeArgs & OutputArgs;

export function makePullSecretCommand(io: CommandIo = processIo()): CommandModule<object, PullSecretArgs> {
  const apply: CommandModule<object, PullSecretArgs> = {
    command: 'apply',
    describe: 'Fetch a JCR token now and write the pull Secret into every pullSecret namespace (the refresher CronJob\'s run, from this machine)',
    builder: (y) =>
      withOutputOption(withKubeOptions(withCloudOptions(withConfigOptions(y, PULL_SECRET_FLAGS))), 'text: one line per namespace; json: the run\'s report as one JSON document (progress lines on stderr)')
        .example('$0 pull-secret apply --config my.yaml', 'the first refresh right after deploying') as never,
    handler: commandHandler(io, async (args, redactor) => {
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
      }),
  };
  return {
    command: 'pull-secret <command>',
    describe: 'The registry pull Secret in the cluster',
    builder: (y: Argv) => y.command(apply as never).demandCommand(1, 'Name a pull-secret command: apply') as never,
    handler: () => undefined,
  };
}

export const pullSecretCommand = makePullSecretCommand();
