/** `jcrkit kubeconfig`: merge a cluster's credentials into the kubeconfig, like `aws eks update-kubeconfig`. */
import { KubernetesApi } from '../../jdcloud/kubernetes';
import { cloudClient } from '../../cloud/client';
import { findClusterByName } from '../../cloud/cluster';
import { CloudStateError } from '../../cloud/errors';
import { kubeconfigEntryFromCluster, targetKubeconfigPath, updateKubeconfigFile } from '../../cloud/kubeconfig';
import type { Redactor } from '../../core/redact';
import type { CloudArgs } from '../options/cloud';
import type { ConfigArgs } from '../options/config';
import type { OutputArgs } from '../options/output';
import { CommandIo, writeJson } from '../run-command';
import { loadCloudConfigFromArgs } from './args';

export interface KubeconfigArgs extends ConfigArgs, CloudArgs, OutputArgs {
  'cluster-id'?: string;
  out?: string;
  'set-current': boolean;
  'private-endpoint'?: boolean;
  alias?: string;
}

export async function run(args: KubeconfigArgs, io: CommandIo, _redactor: Redactor): Promise<number | void> {
  const { cloud, cloudRegion } = loadCloudConfigFromArgs(args, io.env);
  const { client } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud, proxy: args.proxy });
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
}
