/** `jcrkit kubeconfig`: merge a cluster's credentials into the kubeconfig, like `aws eks update-kubeconfig`. */
import type { Argv, CommandModule } from 'yargs';
import type { KubeconfigArgs } from '../handlers/kubeconfig';
import { withCloudOptions } from '../options/cloud';
import { CLUSTER_LOOKUP_FLAGS, withConfigOptions } from '../options/config';
import { withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo } from '../run-command';

export type { KubeconfigArgs };

export function makeKubeconfigCommand(io: CommandIo = processIo()): CommandModule<object, KubeconfigArgs> {
  return {
    command: 'kubeconfig',
    describe: 'Build the kubeconfig of a cluster from DescribeCluster and merge it into ~/.kube/config (or --out, or the first $KUBECONFIG path)',
    builder: (y: Argv) =>
      withOutputOption(withCloudOptions(withConfigOptions(y, CLUSTER_LOOKUP_FLAGS)))
        .option('cluster-id', { type: 'string', describe: 'cluster id (default: the cluster named cloud.cluster.name)' })
        .option('out', { type: 'string', describe: 'kubeconfig file to merge into (default: first $KUBECONFIG path, else ~/.kube/config)' })
        .option('set-current', { type: 'boolean', default: true, describe: 'make the new context current (--no-set-current to keep the current one)' })
        .option('private-endpoint', { type: 'boolean', describe: 'use the private API endpoint (for access from inside the VPC)' })
        .option('alias', { type: 'string', describe: 'name of the cluster/user/context entries (default jdcloud-<region>-<clusterName>)' })
        .example('$0 kubeconfig --cluster-id c-abc123', 'merge into ~/.kube/config and switch to it')
        .example('$0 kubeconfig --out ./kubeconfig --no-set-current', 'write a separate file') as never,
    handler: commandHandler(io, async (args, redactor) => (await import('../handlers/kubeconfig')).run(args, io, redactor)),
  };
}

export const kubeconfigCommand = makeKubeconfigCommand();
