/**
 * `jcrkit cluster ensure` / `jcrkit cluster delete`: the managed Kubernetes cluster of config
 * `cloud.cluster`, waited for with a live status line on a terminal. The CreateCluster body holds
 * the AK/SK (in-cluster plugins call the OpenAPI with it) and is only ever shown redacted
 * (--dry-run).
 */
import type { Argv, CommandModule } from 'yargs';
import type { CommandIo } from '../../cloud/cli-support';
import { withCloudOptions } from '../config-options';
import type { ClusterArgs } from '../handlers/cluster';

export type { ClusterArgs };

const waitOptions = (y: Argv) =>
  y
    .option('timeout', { type: 'string', default: '45m', describe: 'stop waiting after this long (seconds, or 90s/30m/1h); the cloud keeps working and a rerun resumes the wait' })
    .option('interval', { type: 'string', default: '15s', describe: 'time between DescribeCluster calls' });

/** `io` is for tests; without it the handlers use the process's stdout, stderr and environment. */
export function makeClusterCommand(io?: CommandIo): CommandModule<object, ClusterArgs> {
  const ensure: CommandModule<object, ClusterArgs> = {
    command: 'ensure',
    describe: 'Create cloud.cluster in the VPC of `network ensure` (CreateCluster, current API) unless it exists, then wait until it is running',
    builder: (y) =>
      waitOptions(withCloudOptions(y))
        .option('dry-run', { type: 'boolean', describe: 'print the CreateCluster body (credentials redacted) with placeholder ids; make no request' })
        .example('$0 cluster ensure --config my.yaml', 'create or wait for the cluster')
        .example('$0 cluster ensure --dry-run --output json', 'the body it would send') as never,
    handler: async (args) => (await import('../handlers/cluster')).clusterEnsureHandler(args, io),
  };
  const del: CommandModule<object, ClusterArgs> = {
    command: 'delete',
    describe: 'Delete the cluster (--cluster-id, else cloud.cluster.name) and wait until it is gone',
    builder: (y) =>
      waitOptions(withCloudOptions(y))
        .option('cluster-id', { type: 'string', describe: 'cluster to delete (default: the one named cloud.cluster.name)' })
        .option('yes', { type: 'boolean', describe: 'confirm: deleting a cluster deletes its nodes and workloads' })
        .example('$0 cluster delete --cluster-id c-abc123 --yes', 'delete one cluster') as never,
    handler: async (args) => (await import('../handlers/cluster')).clusterDeleteHandler(args, io),
  };
  return {
    command: 'cluster <command>',
    describe: 'The JD Cloud managed Kubernetes cluster',
    builder: (y: Argv) => y.command(ensure as never).command(del as never).demandCommand(1, 'Name a cluster command: ensure, delete') as never,
    handler: () => undefined,
  };
}

export const clusterCommand = makeClusterCommand();
