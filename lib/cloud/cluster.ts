/**
 * `cluster ensure` / `cluster delete`: the runbook's "创建Kubernetes集群" with the CURRENT
 * CreateCluster body (API ≥ 1.2.0: network in autoClusterNetworkSpec or
 * customizedClusterNetworkSpec, not the pre-2022 top-level masterCidr), then polling
 * DescribeCluster until `running` (the states are pending, running, reconciling, deleting, deleted
 * and error). A cluster is found by exact name, so a second run waits for or reports the existing
 * one instead of creating a twin.
 */
import type { CloudConfig } from '../config/cloud-schema';
import { DEFAULT_SERVICE_CIDR } from '../config/cloud-schema';
import type { JdcloudCredentials } from '../jdcloud/credentials';
import { Cluster, CreateClusterRequest, KubernetesApi, NodeConfigSpec } from '../jdcloud/kubernetes';
import { CloudInputError, CloudStateError, isNotFound } from './errors';
import type { Log, StatusLine } from './log';

export interface ClusterNetworkIds {
  vpcId: string;
  /** subnet name → id (customized mode) */
  subnetIds: Readonly<Record<string, string>>;
  /** the VPC CIDR: the default auto-mode node network */
  vpcCidr: string;
}

/** The CreateCluster request for the config's cluster. Holds the AK/SK: print only via redactBody. */
export function buildCreateClusterRequest(cloud: CloudConfig, regionId: string, network: ClusterNetworkIds, credentials: JdcloudCredentials): CreateClusterRequest {
  const c = cloud.cluster;
  const azs = c.azs.length ? [...c.azs] : [`${regionId}a`];
  const nodeConfig: NodeConfigSpec = { instanceType: c.nodeGroup.instanceType };
  if (c.nodeGroup.keyNames.length) nodeConfig.keyNames = [...c.nodeGroup.keyNames];
  if (c.nodeGroup.systemDiskSize !== undefined || c.nodeGroup.systemDiskType !== undefined) {
    nodeConfig.systemDisk = { systemDiskCategory: 'cloud', systemDiskSize: c.nodeGroup.systemDiskSize, systemDiskType: c.nodeGroup.systemDiskType };
  }
  const request: CreateClusterRequest = {
    regionId,
    name: c.name,
    description: c.description,
    version: c.version,
    azs,
    nodeGroup: { name: c.nodeGroup.name, nodeConfig, azs, initialNodeCount: c.nodeGroup.count },
    accessKey: credentials.accessKey,
    secretKey: credentials.secretKey,
    clusterNetworkType: c.network,
  };
  if (c.network === 'auto') {
    request.autoClusterNetworkSpec = {
      publicApiServer: c.publicApiServer,
      masterCidr: c.masterCidr,
      nodeNetworkCidr: c.nodeNetworkCidr ?? network.vpcCidr,
      vpcId: network.vpcId,
    };
  } else {
    const id = (role: 'node' | 'pod' | 'lb'): string => {
      const name = c.subnets?.[role];
      const subnetId = name ? network.subnetIds[name] : undefined;
      if (!subnetId) throw new CloudInputError(`cloud.cluster.subnets.${role}: subnet "${name ?? ''}" was not created or found. Fix: list it in cloud.subnets and run \`jcrkit network ensure\``);
      return subnetId;
    };
    request.customizedClusterNetworkSpec = {
      publicApiServer: c.publicApiServer,
      masterCidr: c.masterCidr,
      serviceCidr: c.serviceCidr ?? DEFAULT_SERVICE_CIDR,
      vpcId: network.vpcId,
      nodeSubnetId: id('node'),
      podSubnetId: id('pod'),
      lbSubnetId: id('lb'),
    };
  }
  return request;
}

export interface WaitOptions {
  /** give up after this long (the cluster keeps building; a later run resumes waiting) */
  timeoutMs: number;
  /** between DescribeCluster calls; default 15 s */
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** clock in ms; injected by tests */
  now?: () => number;
  status?: StatusLine;
}

const DEFAULT_INTERVAL_MS = 15_000;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Poll until the cluster is `running`; `error`/`deleting`/`deleted` or the timeout → CloudStateError. */
export async function waitForClusterRunning(api: KubernetesApi, regionId: string, clusterId: string, opts: WaitOptions): Promise<Cluster> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  const interval = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
  const start = now();
  try {
    for (;;) {
      const { cluster } = await api.describeCluster({ regionId, clusterId });
      const elapsed = Math.round((now() - start) / 1000);
      opts.status?.update(`cluster ${cluster.name} (${clusterId}): ${cluster.clusterState}`);
      if (cluster.clusterState === 'running') return cluster;
      if (cluster.clusterState === 'error' || cluster.clusterState === 'deleting' || cluster.clusterState === 'deleted') {
        throw new CloudStateError(`cluster ${cluster.name} (${clusterId}) is in state ${cluster.clusterState}: ${cluster.stateMessage || 'no stateMessage given'}. Fix: see the cluster in the JD Cloud console, delete it (jcrkit cluster delete --cluster-id ${clusterId}) and run again`);
      }
      if (now() - start + interval > opts.timeoutMs) {
        throw new CloudStateError(`cluster ${cluster.name} (${clusterId}) is still ${cluster.clusterState} after ${elapsed} s (--timeout ${Math.round(opts.timeoutMs / 1000)} s). It keeps building; run the same command again to keep waiting`);
      }
      await sleep(interval);
    }
  } finally {
    opts.status?.done();
  }
}

/** The live (not deleted) cluster with exactly this name; DescribeClusters' `name` filter is fuzzy. */
export async function findClusterByName(api: KubernetesApi, regionId: string, name: string): Promise<Cluster | undefined> {
  const matches: Cluster[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const page = await api.describeClusters({ regionId, pageNumber, pageSize: 100, filters: [{ name: 'name', values: [name] }] });
    const items = page.clusters ?? [];
    matches.push(...items.filter((c) => c.name === name && c.clusterState !== 'deleted'));
    if (items.length < 100 || pageNumber * 100 >= (page.totalCount ?? 0)) break;
  }
  if (matches.length > 1) {
    throw new CloudStateError(`${matches.length} clusters are named "${name}" in ${regionId} (${matches.map((c) => c.clusterId).join(', ')}). Fix: choose another cloud.cluster.name or delete the extra ones`);
  }
  return matches[0];
}

export interface EnsureClusterResult {
  cluster: Cluster;
  created: boolean;
}

export async function ensureCluster(api: KubernetesApi, request: CreateClusterRequest, opts: WaitOptions & { log?: Log }): Promise<EnsureClusterResult> {
  const log = opts.log ?? (() => undefined);
  const existing = await findClusterByName(api, request.regionId, request.name);
  if (existing) {
    if (existing.clusterState === 'deleting') {
      throw new CloudStateError(`cluster ${existing.name} (${existing.clusterId}) is being deleted. Fix: wait until it is gone (jcrkit cluster delete --cluster-id ${existing.clusterId}) or choose another cloud.cluster.name`);
    }
    log(`cluster ${existing.name} exists (${existing.clusterId}, ${existing.clusterState})`);
    const cluster = existing.clusterState === 'running' ? existing : await waitForClusterRunning(api, request.regionId, existing.clusterId, opts);
    return { cluster, created: false };
  }
  const { clusterId } = await api.createCluster(request);
  log(`creating cluster ${request.name} (${clusterId}); this takes several minutes`);
  const cluster = await waitForClusterRunning(api, request.regionId, clusterId, opts);
  return { cluster, created: true };
}

/** DeleteCluster, then poll until `deleted` or 404. A cluster already gone is not an error. */
export async function deleteClusterAndWait(api: KubernetesApi, regionId: string, clusterId: string, opts: WaitOptions): Promise<{ deleted: boolean }> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  const interval = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
  try {
    await api.deleteCluster({ regionId, clusterId });
  } catch (err) {
    if (isNotFound(err)) return { deleted: false };
    throw err;
  }
  const start = now();
  try {
    for (;;) {
      let cluster: Cluster;
      try {
        ({ cluster } = await api.describeCluster({ regionId, clusterId }));
      } catch (err) {
        if (isNotFound(err)) return { deleted: true };
        throw err;
      }
      const elapsed = Math.round((now() - start) / 1000);
      opts.status?.update(`cluster ${cluster.name} (${clusterId}): ${cluster.clusterState}`);
      if (cluster.clusterState === 'deleted') return { deleted: true };
      if (cluster.clusterState === 'error') {
        throw new CloudStateError(`cluster ${cluster.name} (${clusterId}) went to state error while deleting: ${cluster.stateMessage || 'no stateMessage given'}. Fix: check the JD Cloud console`);
      }
      if (now() - start + interval > opts.timeoutMs) {
        throw new CloudStateError(`cluster ${clusterId} is still ${cluster.clusterState} after ${elapsed} s (--timeout ${Math.round(opts.timeoutMs / 1000)} s); the deletion goes on. Run the command again to keep waiting`);
      }
      await sleep(interval);
    }
  } finally {
    opts.status?.done();
  }
}
