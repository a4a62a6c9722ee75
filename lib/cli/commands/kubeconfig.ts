/** `jcrkit kubeconfig`: merge a cluster's credentials into the kubeconfig, like `aws eks update-kubeconfig`. */
import type { Argv, CommandModule } from 'yargs';
import { KubernetesApi } from '../../jdcloud/kubernetes';
import { cloudClient } from '../../cloud/client';
import { findClusterByName } from '../../cloud/cluster';
import { CloudStateError } from '../../cloud/errors';
import { kubeconfigEntryFromCluster, targetKubeconfigPath, updateKubeconfigFile } from '../../cloud/kubeconfig';
import { CloudArgs, withCloudOptions } from '../options/cloud';
import { CLUSTER_LOOKUP_FLAGS, ConfigArgs, loadCloudConfigFromArgs, withConfigOptions } from '../options/config';
import { OutputArgs, withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo, writeJson } from '../run-command';

interface KubeconfigArgs extends ConfigArgs, CloudArgs, OutputArgs {
  'cluster-id'?: string;
  out?: string;
  'set-current': boolean;
  'private-endpoint'?: boolean;
  alias?: string;
}

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
    handler: commandHandler(io, async (args) => {
        const { cloud, cloudRegion } = loadCloudConfigFromArgs(args, io.env);
        const { client } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud });
        const api = new KubernetesApi(client);
        let clusterId = args['cluster-id'];
        if (!clusterId) {
          const found = await findClusterByName(api, cloudRegion, cloud.cluster.name);
          if (!found) throw new CloudStateError(`no cluster named ${cloud.cluster.name} in ${cloudRegion}. Fix: pass --cluster-id, or create it with \`jcrkit cluster ensure\``);
          clusterId = found.clusterId;
        }
        const { cluster } = await api.describeCluster({ regionId: cloudRegion, clusterId });
        const entry = kubeconfigEntryFromCluster(cluster, cloudRegion, { usePrivateEndpoint: args['private-endpoint'], name: args.alias });
        const path = targetKubeconfigPath({ out: args.out, env: io.env, homeDir: io.homeDir });
        updateKubeconfigFile(path, entry, { setCurrent: args['set-current'] });
        if (args.output === 'json') writeJson(io.stdout, { path, context: entry.name, server: entry.server, currentContext: args['set-current'] });
        else io.stdout.write(`${args['set-current'] ? 'switched to' : 'added'} context ${entry.name} (${entry.server}) in ${path}\n`);
      }),
  };
}

export const kubeconfigCommand = makeKubeconfigCommand();
