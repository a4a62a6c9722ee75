/**
 * `jcrkit cluster ensure` / `jcrkit cluster delete`: the managed Kubernetes cluster of config
 * `cloud.cluster`, waited for with the state and the time waited on stderr (status-line.ts). The
 * CreateCluster body holds the AK/SK (JD Cloud needs them for in-cluster plugins) and is only
 * ever shown redacted (--dry-run).
 */
import type { Argv, CommandModule } from 'yargs';
import { redactBody } from '../../core/redact';
import { UsageError } from '../../core/errors';
import { KubernetesApi } from '../../jdcloud/kubernetes';
import { VpcApi } from '../../jdcloud/vpc';
import { cloudClient } from '../../cloud/client';
import { buildCreateClusterRequest, deleteClusterAndWait, ensureCluster, findClusterByName } from '../../cloud/cluster';
import { checkNetworkSpec, ensureNetwork } from '../../cloud/network';
import { CloudArgs, withCloudOptions } from '../options/cloud';
import { CLUSTER_FLAGS, CLUSTER_LOOKUP_FLAGS, ConfigArgs, loadCloudConfigFromArgs, withConfigOptions } from '../options/config';
import { OutputArgs, withOutputOption } from '../options/output';
import { WaitArgs, waitFromArgs, withWaitOptions } from '../options/wait';
import { CommandIo, commandHandler, processIo, writeJson } from '../run-command';
import { statusLine } from '../status-line';

interface ClusterArgs extends ConfigArgs, CloudArgs, OutputArgs, WaitArgs {
  'dry-run'?: boolean;
  'cluster-id'?: string;
  yes?: boolean;
}

export function makeClusterCommand(io: CommandIo = processIo()): CommandModule<object, ClusterArgs> {
  const log = (line: string) => io.stderr.write(`${line}\n`);
  const status = () => statusLine(io.stderr, { now: io.now });
  const ensure: CommandModule<object, ClusterArgs> = {
    command: 'ensure',
    describe: 'Create cloud.cluster in the VPC of `network ensure` (CreateCluster, current API) unless it exists, then wait until it is running',
    builder: (y) =>
      withWaitOptions(withOutputOption(withCloudOptions(withConfigOptions(y, CLUSTER_FLAGS))))
        .option('dry-run', { type: 'boolean', describe: 'print the CreateCluster body (credentials redacted) with placeholder ids; make no request' })
        .example('$0 cluster ensure --config my.yaml', 'create or wait for the cluster')
        .example('$0 cluster ensure --dry-run -o json', 'the body it would send') as never,
    handler: commandHandler(io, async (args) => {
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
        const { client, credentials } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud });
        const network = await ensureNetwork(new VpcApi(client), { regionId: cloudRegion, spec: cloud, log, createMissing: false });
        const request = buildCreateClusterRequest(cloud, cloudRegion, { vpcId: network.vpc.vpcId, vpcCidr: network.vpc.cidr, subnetIds: Object.fromEntries(network.subnets.map((s) => [s.name, s.subnetId])) }, credentials);
        const { cluster, created } = await ensureCluster(new KubernetesApi(client), request, { timeoutMs, intervalMs, sleep: io.sleep, now: io.now, status: status(), log });
        const summary = { clusterId: cluster.clusterId, name: cluster.name, regionId: cloudRegion, state: cluster.clusterState, version: cluster.version, endpoint: cluster.endpoint, created };
        if (args.output === 'json') {
          writeJson(io.stdout, summary);
        } else {
          io.stdout.write(`${cluster.clusterId}\n`);
          log(`cluster ${cluster.name} (${cluster.clusterId}) is running. Next: jcrkit kubeconfig --cluster-id ${cluster.clusterId}`);
        }
      }),
  };
  const del: CommandModule<object, ClusterArgs> = {
    command: 'delete',
    describe: 'Delete the cluster (--cluster-id, else cloud.cluster.name) and wait until it is gone',
    builder: (y) =>
      withWaitOptions(withOutputOption(withCloudOptions(withConfigOptions(y, CLUSTER_LOOKUP_FLAGS))))
        .option('cluster-id', { type: 'string', describe: 'cluster to delete (default: the one named cloud.cluster.name)' })
        .option('yes', { type: 'boolean', describe: 'confirm: deleting a cluster deletes its nodes and workloads' })
        .example('$0 cluster delete --cluster-id c-abc123 --yes', 'delete one cluster') as never,
    handler: commandHandler(io, async (args) => {
        const { cloud, cloudRegion } = loadCloudConfigFromArgs(args, io.env);
        const { timeoutMs, intervalMs } = waitFromArgs(args);
        if (!args.yes) throw new UsageError(`deleting cluster ${args['cluster-id'] ?? cloud.cluster.name} removes its nodes and everything running on it. Fix: add --yes to confirm`);
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
        log(`deleting cluster ${clusterId} in ${cloudRegion}; waiting until it is gone`);
        const { deleted } = await deleteClusterAndWait(api, cloudRegion, clusterId, { timeoutMs, intervalMs, sleep: io.sleep, now: io.now, status: status() });
        if (args.output === 'json') writeJson(io.stdout, { clusterId, deleted });
        else io.stdout.write(`${clusterId}\t${deleted ? 'deleted' : 'not found'}\n`);
      }),
  };
  return {
    command: 'cluster <command>',
    describe: 'The JD Cloud managed Kubernetes cluster',
    builder: (y: Argv) => y.command(ensure as never).command(del as never).demandCommand(1, 'Name a cluster command: ensure, delete') as never,
    handler: () => undefined,
  };
}

export const clusterCommand = makeClusterCommand();
