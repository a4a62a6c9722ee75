/** `jcrkit cluster ensure` / `jcrkit cluster delete`, run. */
import { KubernetesApi } from '../../jdcloud/kubernetes';
import { VpcApi } from '../../jdcloud/vpc';
import { CommandIo, parseDuration, processIo, runCommand, writeJson } from '../../cloud/cli-support';
import { cloudClient } from '../../cloud/client';
import { buildCreateClusterRequest, deleteClusterAndWait, ensureCluster, findClusterByName } from '../../cloud/cluster';
import { CloudInputError } from '../../cloud/errors';
import { statusLine } from '../../cloud/log';
import { checkNetworkSpec, ensureNetwork } from '../../cloud/network';
import { redactBody } from '../../cloud/redact';
import { loadFromArgs } from './args';
import type { CloudArgs } from '../config-options';

export interface ClusterArgs extends CloudArgs {
  timeout: string;
  interval: string;
  'dry-run'?: boolean;
  'cluster-id'?: string;
  yes?: boolean;
}

export async function clusterEnsureHandler(args: ClusterArgs, io: CommandIo = processIo()): Promise<void> {
  const log = (line: string) => io.stderr.write(`${line}\n`);
  await runCommand(io, async () => {
    const { cloud, cloudRegion } = loadFromArgs(args, io);
    checkNetworkSpec(cloud);
    const timeoutMs = parseDuration(args.timeout, '--timeout');
    const intervalMs = parseDuration(args.interval, '--interval');
    if (args['dry-run']) {
      const subnetIds = Object.fromEntries(cloud.subnets.map((s) => [s.name, `<subnetId of ${s.name}>`]));
      const request = buildCreateClusterRequest(cloud, cloudRegion, { vpcId: `<vpcId of ${cloud.vpc.name}>`, vpcCidr: cloud.vpc.cidr, subnetIds }, { accessKey: 'AK', secretKey: 'SK' });
      const { regionId: _regionId, ...body } = redactBody(request);
      if (args.output === 'json') writeJson(io.stdout, { action: 'CreateCluster', regionId: cloudRegion, body });
      else io.stdout.write(`dry run: would send JD Cloud kubernetes CreateCluster (POST /v1/regions/${cloudRegion}/clusters) unless a cluster named ${cloud.cluster.name} exists:\n${JSON.stringify(body, null, 2)}\n`);
      return;
    }
    const { client, credentials } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud });
    const network = await ensureNetwork(new VpcApi(client), { regionId: cloudRegion, spec: cloud, log, createMissing: false });
    const request = buildCreateClusterRequest(cloud, cloudRegion, { vpcId: network.vpc.vpcId, vpcCidr: network.vpc.cidr, subnetIds: Object.fromEntries(network.subnets.map((s) => [s.name, s.subnetId])) }, credentials);
    const { cluster, created } = await ensureCluster(new KubernetesApi(client), request, {
      timeoutMs,
      intervalMs,
      sleep: io.sleep,
      now: io.now,
      status: statusLine(io.stderr),
      log,
    });
    const summary = { clusterId: cluster.clusterId, name: cluster.name, regionId: cloudRegion, state: cluster.clusterState, version: cluster.version, endpoint: cluster.endpoint, created };
    if (args.output === 'json') writeJson(io.stdout, summary);
    else io.stdout.write(`${cluster.clusterId}\n`);
    if (args.output !== 'json') log(`cluster ${cluster.name} (${cluster.clusterId}) is running. Next: jcrkit kubeconfig --cluster-id ${cluster.clusterId}`);
  });
}

export async function clusterDeleteHandler(args: ClusterArgs, io: CommandIo = processIo()): Promise<void> {
  const log = (line: string) => io.stderr.write(`${line}\n`);
  await runCommand(io, async () => {
    const { cloud, cloudRegion } = loadFromArgs(args, io);
    const timeoutMs = parseDuration(args.timeout, '--timeout');
    const intervalMs = parseDuration(args.interval, '--interval');
    if (!args.yes) throw new CloudInputError(`deleting cluster ${args['cluster-id'] ?? cloud.cluster.name} removes its nodes and everything running on it. Fix: add --yes to confirm`);
    const { client } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud });
    const api = new KubernetesApi(client);
    let clusterId = args['cluster-id'];
    if (!clusterId) {
      const found = await findClusterByName(api, cloudRegion, cloud.cluster.name);
      if (!found) {
        log(`no cluster named ${cloud.cluster.name} in ${cloudRegion}; nothing to delete`);
        if (args.output === 'json') writeJson(io.stdout, { clusterId: null, deleted: false });
        return;
      }
      clusterId = found.clusterId;
    }
    const { deleted } = await deleteClusterAndWait(api, cloudRegion, clusterId, { timeoutMs, intervalMs, sleep: io.sleep, now: io.now, status: statusLine(io.stderr) });
    if (args.output === 'json') writeJson(io.stdout, { clusterId, deleted });
    else io.stdout.write(`${clusterId}\t${deleted ? 'deleted' : 'not found'}\n`);
  });
}
