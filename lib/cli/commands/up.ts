/**
 * `jcrkit up`: the whole runbook, idempotent, in order. `--dry-run` prints every call it would
 * make (JD Cloud APIs with redacted bodies, Kubernetes writes, files, the kubectl command) and
 * makes none.
 */
import type { Argv, CommandModule } from 'yargs';
import type { CommandIo } from '../../cloud/cli-support';
import { UP_STEP_NAMES } from '../../cloud/up-steps';
import { withCloudOptions } from '../config-options';
import type { UpArgs } from '../handlers/up';

export type { UpArgs };

/** `io` is for tests; without it the handler uses the process's stdout, stderr and environment. */
export function makeUpCommand(io?: CommandIo): CommandModule<object, UpArgs> {
  return {
    command: 'up',
    describe: 'The whole runbook: registry, mirror, network, cluster, kubeconfig, render + kubectl apply, credentials Secret, first token refresh',
    builder: (y: Argv) => {
      let b = withCloudOptions(y)
        .option('out', { type: 'string', default: 'dist', describe: 'directory the manifests are rendered into (replaced atomically)' })
        .option('dry-run', { type: 'boolean', describe: 'print every call it would make (JD Cloud APIs with redacted bodies, Kubernetes writes, kubectl) and make none' })
        .option('kubeconfig', { type: 'string', describe: 'kubeconfig file to merge the cluster into and to use (default: first $KUBECONFIG path, else ~/.kube/config)', group: 'Kubernetes:' })
        .option('context', { type: 'string', describe: 'context for the Kubernetes steps when --skip-cluster is given (default current-context)', group: 'Kubernetes:' })
        .option('set-current', { type: 'boolean', default: true, describe: 'make the cluster\'s context current (--no-set-current to keep yours)', group: 'Kubernetes:' })
        .option('kubectl', { type: 'string', default: 'kubectl', describe: 'kubectl binary for the apply step', group: 'Kubernetes:' })
        .option('timeout', { type: 'string', default: '45m', describe: 'how long to wait for the cluster (seconds, or 90s/30m/1h)' })
        .option('interval', { type: 'string', default: '15s', describe: 'time between DescribeCluster calls' });
      for (const step of UP_STEP_NAMES) b = b.option(`skip-${step}`, { type: 'boolean', describe: `skip the ${step} step`, group: 'Steps:' }) as unknown as typeof b;
      return b
        .example('$0 up --config my.yaml --dry-run', 'see every call first')
        .example('$0 up --config my.yaml', 'do it')
        .example('$0 up --skip-network --skip-cluster --skip-kubeconfig --context prod', 'an existing cluster') as never;
    },
    handler: async (args) => (await import('../handlers/up')).upHandler(args, io),
  };
}

export const upCommand = makeUpCommand();
