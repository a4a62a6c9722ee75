/**
 * JCS for Kubernetes API (https://github.com/jdcloud-api/jdcloud-sdk-go/tree/v1.66.0/services/kubernetes):
 * create/describe/delete managed clusters. There is no kubeconfig API; a kubeconfig is built from
 * DescribeCluster's `masterAuth`, as `jdc kubernetes get-credential` does.
 */
import { JdcloudClient, JdcloudCall } from './client';
import { JdcloudValidationError } from './errors';
import { Filter } from './params';

export interface KeyValue {
  key: string;
  value: string;
}

export interface NodeConfigSpec {
  /** Only "Generation II" instance types (JD Cloud's create-cluster guide). */
  instanceType: string;
  password?: string;
  keyNames?: string[];
  systemDisk?: { systemDiskCategory?: 'cloud' | 'local'; systemDiskSize?: number; systemDiskType?: string; systemDiskIops?: number };
  labels?: KeyValue[];
  userScripts?: unknown[];
  dataDiskSpec?: Array<Record<string, unknown>>;
  securityGroup?: string;
}

export interface NodeGroupSpec {
  name: string;
  description?: string;
  nodeConfig: NodeConfigSpec;
  azs?: string[];
  /** ≥ 1. */
  initialNodeCount: number;
  caConfig?: { enable?: boolean; maxNode?: number; minNode?: number };
}

export interface NatGatewaySpec {
  natType: 'nat_vm' | 'nat_gw' | 'nat_none';
  natId?: string;
  elasticIpSpec?: Record<string, unknown>;
}

export interface NodeElasticIpSpec {
  /** 1–200. */
  bandWidthMbps: number;
  provider: string;
  chargeMode?: 'flow' | 'bandwith';
}

/** `clusterNetworkType: auto`: the service splits `nodeNetworkCidr` itself. */
export interface AutoClusterNetworkSpec {
  publicApiServer: boolean;
  /** Mask /24–/27, must not overlap the VPC (console create-cluster guide). */
  masterCidr: string;
  nodeNetworkCidr: string;
  vpcId: string;
  dualStack?: boolean;
  masterNatEnabled?: boolean;
  /** Mutually exclusive with nodeElasticIpSpec; with neither a NAT VM is created. */
  natGateway?: NatGatewaySpec;
  nodeElasticIpSpec?: NodeElasticIpSpec;
}

export interface CustomizedClusterNetworkSpec {
  publicApiServer: boolean;
  masterCidr: string;
  serviceCidr: string;
  vpcId: string;
  podSubnetId: string;
  lbSubnetId: string;
  nodeSubnetId: string;
  dualStack?: boolean;
  masterNatEnabled?: boolean;
  natGateway?: NatGatewaySpec;
  nodeElasticIpSpec?: NodeElasticIpSpec;
}

export interface AddonConfigSpec {
  name: string;
  version?: string;
  enabled?: boolean;
  parameters?: KeyValue[];
}

/** Current body shape (API ≥ 1.2.0, April 2022), not the older one with top-level masterCidr. */
export interface CreateClusterRequest {
  regionId: string;
  name: string;
  description?: string;
  /** Kubernetes version, e.g. from DescribeVersions. */
  version?: string;
  azs: string[];
  nodeGroup: NodeGroupSpec;
  /** The AK/SK in-cluster plugins use to call the OpenAPI — sent in the body, never logged. */
  accessKey: string;
  secretKey: string;
  isEdge?: boolean;
  addonsConfig?: AddonConfigSpec[];
  clusterNetworkType?: 'auto' | 'customized';
  autoClusterNetworkSpec?: AutoClusterNetworkSpec;
  customizedClusterNetworkSpec?: CustomizedClusterNetworkSpec;
  clusterEnvironments?: KeyValue[];
}

/** All base64, per the SDK's MasterAuth model. */
export interface MasterAuth {
  clusterCaCertificate?: string;
  clientCertificate?: string;
  clientKey?: string;
  user?: string;
  password?: string;
}

export type ClusterState = 'pending' | 'running' | 'reconciling' | 'deleting' | 'deleted' | 'error';

export interface NodeGroup {
  nodeGroupId: string;
  name: string;
  state?: string;
  currentCount?: number;
  expectCount?: number;
  version?: string;
  [field: string]: unknown;
}

export interface Cluster {
  clusterId: string;
  name: string;
  description?: string;
  version?: string;
  azs?: string[];
  nodeGroups?: NodeGroup[];
  clusterCidr?: string;
  masterAuth?: MasterAuth;
  clusterState: ClusterState | string;
  stateMessage?: string;
  updateTime?: string;
  createTime?: string;
  basicAuth?: boolean;
  clientCertificate?: boolean;
  privateEndpoint?: string;
  endpoint?: string;
  /** A string, e.g. "6443" (the SDK model types it so). */
  endpointPort?: string;
  dashboardPort?: string;
  clusterNetwork?: Record<string, unknown>;
  networkMode?: 'auto' | 'customized';
  [field: string]: unknown;
}

export interface MasterVersion {
  version: string;
  isDefault?: boolean;
  defaultNodeVersion?: string;
  versionStatus?: string;
  nodeOsTypes?: string;
  clusterAddons?: unknown[];
}

export interface DescribeClustersRequest {
  regionId: string;
  pageNumber?: number;
  pageSize?: number;
  /** `name` (fuzzy, single value) or `id` (multiple). */
  filters?: Filter[];
}

export interface WaitForClusterOptions {
  /** Delay between DescribeCluster calls; default 15 000 ms. */
  intervalMs?: number;
  /** Give up after this many DescribeCluster calls; default 120 (30 min at the default interval). */
  maxPolls?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called with each state seen, for progress output. */
  onState?: (cluster: Cluster) => void;
}

/** Each method resolves with the API's `result` object (or nothing for empty results). */
export class KubernetesApi {
  readonly service: string;
  readonly #client: JdcloudClient;

  constructor(client: JdcloudClient, options: { service?: string } = {}) {
    this.#client = client;
    this.service = options.service ?? 'kubernetes';
  }

  /** POST `/regions/{regionId}/clusters`. */
  async createCluster(request: CreateClusterRequest): Promise<{ clusterId: string }> {
    if (!Number.isInteger(request.nodeGroup?.initialNodeCount) || request.nodeGroup.initialNodeCount < 1) {
      throw new JdcloudValidationError('nodeGroup.initialNodeCount', `must be a whole number ≥ 1 (got ${request.nodeGroup?.initialNodeCount})`);
    }
    if (!request.azs?.length) throw new JdcloudValidationError('azs', 'give at least one availability zone, e.g. cn-north-1a');
    const { regionId, ...body } = request;
    return this.#call({ action: 'CreateCluster', method: 'POST', path: '/regions/{regionId}/clusters', regionId, body: { ...body } });
  }

  /** GET `/regions/{regionId}/clusters/{clusterId}`. */
  describeCluster(request: { regionId: string; clusterId: string }): Promise<{ cluster: Cluster }> {
    return this.#call({ action: 'DescribeCluster', method: 'GET', path: '/regions/{regionId}/clusters/{clusterId}', regionId: request.regionId, pathParams: { clusterId: request.clusterId } });
  }

  /** GET `/regions/{regionId}/clusters`. */
  describeClusters(request: DescribeClustersRequest): Promise<{ clusters: Cluster[]; totalCount: number }> {
    const { regionId, ...query } = request;
    return this.#call({ action: 'DescribeClusters', method: 'GET', path: '/regions/{regionId}/clusters', regionId, query });
  }

  /** DELETE `/regions/{regionId}/clusters/{clusterId}` (optional `routeTableId` query). */
  async deleteCluster(request: { regionId: string; clusterId: string; routeTableId?: string }): Promise<void> {
    await this.#call({
      action: 'DeleteCluster',
      method: 'DELETE',
      path: '/regions/{regionId}/clusters/{clusterId}',
      regionId: request.regionId,
      pathParams: { clusterId: request.clusterId },
      query: { routeTableId: request.routeTableId },
    });
  }

  /** GET `/regions/{regionId}/versions` (optional `masterVersion`). */
  describeVersions(request: { regionId: string; masterVersion?: string }): Promise<{ masterVersions: MasterVersion[] }> {
    return this.#call({ action: 'DescribeVersions', method: 'GET', path: '/regions/{regionId}/versions', regionId: request.regionId, query: { masterVersion: request.masterVersion } });
  }

  /**
   * Poll DescribeCluster until the cluster is `running` (resolves with it) or `error`/`deleted`
   * (rejects naming the state and `stateMessage`), or `maxPolls` is reached (rejects).
   */
  async waitForClusterRunning(request: { regionId: string; clusterId: string }, options: WaitForClusterOptions = {}): Promise<Cluster> {
    const intervalMs = options.intervalMs ?? 15_000;
    const maxPolls = options.maxPolls ?? 120;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (let poll = 1; ; poll++) {
      const { cluster } = await this.describeCluster(request);
      options.onState?.(cluster);
      if (cluster.clusterState === 'running') return cluster;
      if (cluster.clusterState === 'error' || cluster.clusterState === 'deleted' || cluster.clusterState === 'deleting') {
        const why = cluster.stateMessage ? `: ${cluster.stateMessage}` : '';
        throw new Error(`cluster ${request.clusterId} is ${cluster.clusterState}${why}`);
      }
      if (poll >= maxPolls) {
        throw new Error(`cluster ${request.clusterId} still ${cluster.clusterState} after ${poll} checks (${Math.round((poll * intervalMs) / 1000)} s)`);
      }
      await sleep(intervalMs);
    }
  }

  #call<T>(call: Omit<JdcloudCall, 'service'>): Promise<T> {
    return this.#client.call<T>({ ...call, service: this.service });
  }
}
