/**
 * `jcrkit up`: the whole runbook, idempotent, in order. `--dry-run` prints every call it would
 * make (JD Cloud APIs with redacted bodies, Kubernetes writes, files, the kubectl command) and
 * makes none.
 */
import type { Argv, CommandModule } from 'yargs';
import type { UpArgs } from '../handlers/up';
import { UP_STEP_NAMES } from '../../cloud/up-steps';
import { withCloudOptions } from '../options/cloud';
import { ALL_FLAGS, withConfigOptions } from '../options/config';
import { withKubeOptions } from '../options/kube';
import { withOutputOption } from '../options/output';
import { withWaitOptions } from '../options/wait';
import { CommandIo, commandHandler, processIo } from '../run-command';

export type { UpArgs };

export function makeUpCommand(io: CommandIo = processIo()): CommandModule<object, UpArgs> {
  return {
    command: 'up',
    describe: 'The whole runbook: registry, mirror, network, cluster, kubeconfig, render + kubectl apply, credentials Secret, first token refresh',
    builder: (y: Argv) => {
      let b = withWaitOptions(
        withOutputOption(
          withKubeOptions(withCloudOptions(withConfigOptions(y, ALL_FLAGS)), {
            kubeconfig: 'kubeconfig file to merge the cluster into and to use (default: first $KUBECONFIG path, else ~/.kube/config)',
            context: 'context for the Kubernetes steps when --skip-cluster is given (default current-context)',
          }),
        ),
        'how long to wait for the cluster (seconds, or 90s/30m/1h)',
      )
        .option('out', { type: 'string', default: 'dist', describe: 'directory the manifests are rendered into (replaced atomically)' })
        .option('dry-run', { type: 'boolean', describe: 'print every call it would make (JD Cloud APIs with redacted bodies, Kubernetes writes, kubectl) and make none' })
        .option('set-current', { type: 'boolean', default: true, describe: 'make the cluster\'s context current (--no-set-current to keep yours)', group: 'Kubernetes:' })
        .option('kubectl', { type: 'string', default: 'kubectl', describe: 'kubectl binary for the apply step', group: 'Kubernetes:' });
      for (const step of UP_STEP_NAMES) b = b.option(`skip-${step}`, { type: 'boolean', describe: `skip the ${step} step`, group: 'Steps:' }) as unknown as typeof b;
      return b
        .example('$0 up --config my.yaml --dry-run', 'see every call first')
        .example('$0 up --config my.yaml', 'do it')
        .example('$0 up --skip-network --skip-cluster --skip-kubeconfig --context prod', 'an existing cluster') as never;
    },
    handler: commandHandler(io, async (args, redactor) => (await import('../handlers/up')).run(args, io, redactor)),
  };
}

export const upCommand = makeUpCommand();
