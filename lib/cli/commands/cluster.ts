/**
 * `jcrkit cluster ensure` / `jcrkit cluster delete`: the managed Kubernetes cluster of config
 * `cloud.cluster`, waited for with the state and the time waited on stderr (status-line.ts). The
 * CreateCluster body holds the AK/SK (JD Cloud needs them for in-cluster plugins) and is only
 * ever shown redacted (--dry-run).
 */
import type { Argv, CommandModule } from 'yargs';
import type { ClusterArgs } from '../handlers/cluster';
import { withCloudOptions } from '../options/cloud';
import { CLUSTER_FLAGS, CLUSTER_LOOKUP_FLAGS, withConfigOptions } from '../options/config';
import { withOutputOption } from '../options/output';
import { withWaitOptions } from '../options/wait';
import { CommandIo, commandHandler, processIo } from '../run-command';

export type { ClusterArgs };

export function makeClusterCommand(io: CommandIo = processIo()): CommandModule<object, ClusterArgs> {
  const ensure: CommandModule<object, ClusterArgs> = {
    command: 'ensure',
    describe: 'Create cloud.cluster in the VPC of `network ensure` (CreateCluster, current API) unless it exists, then wait until it is running',
    builder: (y) =>
      withWaitOptions(withOutputOption(withCloudOptions(withConfigOptions(y, CLUSTER_FLAGS))))
        .option('dry-run', { type: 'boolean', describe: 'print the CreateCluster body (credentials redacted) with placeholder ids; make no request' })
        .example('$0 cluster ensure --config my.yaml', 'create or wait for the cluster')
        .example('$0 cluster ensure --dry-run -o json', 'the body it would send') as never,
    handler: commandHandler(io, async (args, redactor) => (await import('../handlers/cluster')).ensure(args, io, redactor)),
  };
  const del: CommandModule<object, ClusterArgs> = {
    command: 'delete',
    describe: 'Delete the cluster (--cluster-id, else cloud.cluster.name) and wait until it is gone',
    builder: (y) =>
      withWaitOptions(withOutputOption(withCloudOptions(withConfigOptions(y, CLUSTER_LOOKUP_FLAGS))))
        .option('cluster-id', { type: 'string', describe: 'cluster to delete (default: the one named cloud.cluster.name)' })
        .option('yes', { type: 'boolean', describe: 'confirm: deleting a cluster deletes its nodes and workloads' })
        .example('$0 cluster delete --cluster-id c-abc123 --yes', 'delete one cluster') as never,
    handler: commandHandler(io, async (args, redactor) => (await import('../handlers/cluster')).remove(args, io, redactor)),
  };
  return {
    command: 'cluster <command>',
    describe: 'The JD Cloud managed Kubernetes cluster',
    builder: (y: Argv) => y.command(ensure as never).command(del as never).demandCommand(1, 'Name a cluster command: ensure, delete') as never,
    handler: () => undefined,
  };
}

export const clusterCommand = makeClusterCommand();
