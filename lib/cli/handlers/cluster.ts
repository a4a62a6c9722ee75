/**
 * `jcrkit cluster ensure` / `jcrkit cluster delete`: the managed Kubernetes cluster of config
 * `cloud.cluster`, waited for with the state and the time waited on stderr (status-line.ts). The
 * CreateCluster body holds the AK/SK (JD Cloud needs them for in-cluster plugins) and is only
 * ever shown redacted (--dry-run).
 */
import { redactBody } from '../../core/redact';
import { UsageError } from '../../core/errors';
import { KubernetesApi } from '../../jdcloud/kubernetes';
import { VpcApi } from '../../jdcloud/vpc';
import { cloudClient } from '../../cloud/client';
import { buildCreateClusterRequest, deleteClusterAndWait, ensureCluster, findClusterByName } from '../../cloud/cluster';
import { checkNetworkSpec, ensureNetwork } from '../../cloud/network';
import { statusLine } from '../status-line';
import type { Redactor } from '../../core/redact';
import type { CloudArgs } from '../options/cloud';
import type { ConfigArgs } from '../options/config';
import type { OutputArgs } from '../options/output';
import type { WaitArgs } from '../options/wait';
import { CommandIo, writeJson } from '../run-command';
import { waitFromArgs } from '../options/wait';
import { loadCloudConfigFromArgs } from './args';

export interface ClusterArgs extends ConfigArgs, CloudArgs, OutputArgs, WaitArgs {
  'dry-run'?: boolean;
  'cluster-id'?: string;
  yes?: boolean;
}

const log = (io: CommandIo) => (line: string) => io.stderr.write(`${line}\n`);
const status = (io: CommandIo) => statusLine(io.stderr, { now: io.now });

export async function ensure(args: ClusterArgs, io: CommandIo, _redactor: Redactor): Promise<number | void> {
  const { cloud, cloudRegion } = loadCloudConfigFromArgs(args, io.env);
  checkNetworkSpec(cloud);
  const { timeoutMs, intervalMs } = waitFromArgs(args);
  if (args['dry-run']) {
    const subnetIds = Object.fromEntries(cloud.subnets.map((s) => [s.name, `<subnetId of ${s.name}>`]));
    const request = buildCreateClusterRequest(cloud, cloudRegion, { vpcId: `<vpcId of ${cloud.vpc.name}>`, vpcCidr: cloud.vpc.cidr, subnetIds }, { accessKey: 'AK', secretKey: 'SK' });
    const { regionId: _regionId, ...body } = redactBody(request);
    if (args.output === 'json') writeJson(io.stdout, { action: 'CreateCluster', regionId: cloudRegion, body });
    else io.stdout.write(`dry run: would send JD Cloud kubernetes CreateCluster (POST /v1/regions/${cloudRegion}/clusters) unless a cluster named ${cloud.cluster.name} exists:\n${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  const { client, credentials } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud, proxy: args.proxy });
  const network = await ensureNetwork(new VpcApi(client), { regionId: cloudRegion, spec: cloud, log: log(io), createMissing: false });
  const request = buildCreateClusterRequest(cloud, cloudRegion, { vpcId: network.vpc.vpcId, vpcCidr: network.vpc.cidr, subnetIds: Object.fromEntries(network.subnets.map((s) => [s.name, s.subnetId])) }, credentials);
  const { cluster, created } = await ensureCluster(new KubernetesApi(client), request, { timeoutMs, intervalMs, sleep: io.sleep, now: io.now, status: status(io), log: log(io) });
  const summary = { clusterId: cluster.clusterId, name: cluster.name, regionId: cloudRegion, state: cluster.clusterState, version: cluster.version, endpoint: cluster.endpoint, created };
  if (args.output === 'json') {
    writeJson(io.stdout, summary);
  } else {
    io.stdout.write(`${cluster.clusterId}\n`);
    log(io)(`cluster ${cluster.name} (${cluster.clusterId}) is running. Next: jcrkit kubeconfig --cluster-id ${cluster.clusterId}`);
  }
}

export async function remove(args: ClusterArgs, io: CommandIo, _redactor: Redactor): Promise<number | void> {
  const { cloud, cloudRegion } = loadCloudConfigFromArgs(args, io.env);
  const { timeoutMs, intervalMs } = waitFromArgs(args);
  if (!args.yes) throw new UsageError(`deleting cluster ${args['cluster-id'] ?? cloud.cluster.name} removes its nodes and everything running on it. Fix: add --yes to confirm`);
  const { client } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud, proxy: args.proxy });
  const api = new KubernetesApi(client);
  let clusterId = args['cluster-id'];
  if (!clusterId) {
    const found = await findClusterByName(api, cloudRegion, cloud.cluster.name);
    if (!found) {
      log(io)(`no cluster named ${cloud.cluster.name} in ${cloudRegion}; nothing to delete`);
      if (args.output === 'json') writeJson(io.stdout, { clusterId: null, deleted: false });
      return;
    }
    clusterId = found.clusterId;
  }
  log(io)(`deleting cluster ${clusterId} in ${cloudRegion}; waiting until it is gone`);
  const { deleted } = await deleteClusterAndWait(api, cloudRegion, clusterId, { timeoutMs, intervalMs, sleep: io.sleep, now: io.now, status: status(io) });
  if (args.output === 'json') writeJson(io.stdout, { clusterId, deleted });
  else io.stdout.write(`${clusterId}\t${deleted ? 'deleted' : 'not found'}\n`);
}
