/**
 * What the fake JD Cloud remembers between requests. Tests may read it, seed it, or change the
 * behaviour settings after start.
 */
import type { MasterAuth, MasterVersion } from '../../../lib/jdcloud/kubernetes';

export interface FakeRegistry {
  regionId: string;
  name: string;
  description?: string;
  createTime: string;
}

export interface FakeRepository {
  regionId: string;
  registryName: string;
  repositoryName: string;
  description?: string;
  createdAt: string;
}

export interface FakeToken {
  regionId: string;
  registryName: string;
  /** base64 of `user:password`. */
  authorizationToken: string;
  username: string;
  password: string;
  issuedAt: Date;
  expiresAt: Date;
  expiredAfterHours: number;
  released: boolean;
}

export interface FakeVpc {
  regionId: string;
  vpcId: string;
  vpcName: string;
  addressPrefix?: string;
  description?: string;
  createdTime: string;
}

export interface FakeSubnet {
  regionId: string;
  subnetId: string;
  subnetName: string;
  vpcId: string;
  addressPrefix: string;
  description?: string;
  routeTableId?: string;
  createdTime: string;
}

export interface FakeCluster {
  regionId: string;
  clusterId: string;
  name: string;
  description?: string;
  version: string;
  azs: string[];
  state: 'pending' | 'running' | 'error' | 'deleting';
  stateMessage?: string;
  /** DescribeCluster calls seen so far. */
  describes: number;
  /** Settings captured at creation, so changing them later affects only new clusters. */
  readyAfterDescribes: number;
  failWith?: string;
  /** The CreateCluster body minus the secret key. */
  spec: Record<string, unknown>;
  createTime: string;
}

/** Behaviour knobs; see `FakeJdcloudOptions` for their meaning. */
export interface FakeSettings {
  /** JCR's documented cap on temporary tokens per registry per hour (5) */
  tokenQuotaPerHour: number;
  /** answer a quota 429 with Retry-After (seconds until the oldest token of the hour ages out) */
  quotaRetryAfter?: boolean;
  /**
   * Overrides the expiry of issued tokens (ms from now; negative = already expired), to model a
   * server that answers 200 with an unusable token. undefined = expiredAfterHours.
   */
  tokenExpiresInMs?: number;
  tokenUser: string;
  tokenPassword: () => string;
  expiresAtFormat: 'epoch-ms' | 'epoch-seconds' | 'iso';
  registriesPerRegion: number;
  clusterReadyAfterDescribes: number;
  /** When set, new clusters go `pending` → `error` with this `stateMessage` instead of `running`. */
  clusterFailWith?: string;
  clusterEndpoint: string;
  clusterEndpointPort: string;
  masterAuth: MasterAuth;
  versions: MasterVersion[];
}

export class FakeJdcloudState {
  readonly registries: FakeRegistry[] = [];
  readonly repositories: FakeRepository[] = [];
  readonly tokens: FakeToken[] = [];
  readonly vpcs: FakeVpc[] = [];
  readonly subnets: FakeSubnet[] = [];
  readonly clusters: FakeCluster[] = [];

  constructor(readonly settings: FakeSettings) {}

  findRegistry(regionId: string, name: string): FakeRegistry | undefined {
    return this.registries.find((r) => r.regionId === regionId && r.name === name);
  }

  /** Add a registry directly (no request), e.g. to set up a refresher test. */
  addRegistry(regionId: string, name: string, description?: string): FakeRegistry {
    const registry = { regionId, name, description, createTime: new Date(0).toISOString() };
    this.registries.push(registry);
    return registry;
  }

  /** Tokens of a registry that are neither released nor expired at `now`. */
  liveTokens(regionId: string, registryName: string, now: Date): FakeToken[] {
    return this.tokens.filter(
      (t) => t.regionId === regionId && t.registryName === registryName && !t.released && t.expiresAt.getTime() > now.getTime(),
    );
  }
}
