/**
 * JD Cloud Container Registry (JCR) API, as the SDKs define it
 * (https://github.com/jdcloud-api/jdcloud-sdk-go/tree/v1.66.0/services/cr). The same paths and
 * models are served under two service names: `cr` (older, what the article's `jdc cr` used) and
 * `containerregistry` (the only one jdc ≥ 1.2.7 ships).
 */
import { JdcloudClient, JdcloudCall } from './client';
import { JdcloudValidationError } from './errors';
import { validateRegistryName, validateRepositoryName } from './names';
import { Filter } from './params';

export type CrServiceName = 'cr' | 'containerregistry';
export const CR_SERVICE_NAMES: readonly CrServiceName[] = ['cr', 'containerregistry'];

export type { Filter };

export interface Registry {
  name: string;
  registryUri?: string;
  description?: string;
  totalSpaceUsedMB?: number;
  createTime?: string;
}

export interface Repository {
  createdAt?: string;
  updatedAt?: string;
  registryName: string;
  repositoryName: string;
  repositoryUri?: string;
  totalSpaceUsedMB?: number;
  description?: string;
}

export interface RepositoryShort {
  createdAt?: string;
  repositoryName: string;
  repositoryUri?: string;
}

/** `authorizationToken` is base64 of `user:password` (decode with `decodeAuthorizationToken`). */
export interface AuthorizationData {
  authorizationToken: string;
  loginCmdLine: string;
  /** "Unix clock" per the SDK, which does not say seconds, milliseconds or text — parse with `parseExpiresAt`. */
  expiresAt: string;
}

/** CheckRegistryName / CheckRepositoryName `code` values, as the SDK documents them. */
export const NAME_CHECK = Object.freeze({ OK: 0, EMPTY: 1, INVALID: 2, DUPLICATE: 3 });

export interface NameCheckResult {
  code: number;
  reason?: string;
}

export interface RegionRequest {
  regionId: string;
}
export interface RegistryRequest extends RegionRequest {
  registryName: string;
}
export interface PageRequest {
  pageNumber?: number;
  pageSize?: number;
}

export interface GetAuthorizationTokenRequest extends RegistryRequest {
  /** Token validity in whole hours, 1–24; the service defaults to 12. */
  expiredAfterHours?: number;
}
export interface DescribeAuthorizationTokensRequest extends RegistryRequest, PageRequest {
  filters?: Filter[];
}
export interface DescribeAuthorizationTokensResult {
  authorizationTokens: AuthorizationData[];
  totalCount: number;
}
export interface ReleaseAuthorizationTokenRequest extends RegistryRequest {
  authorizationToken?: string;
  forceAll?: boolean;
}
export interface CreateRegistryRequest extends RegistryRequest {
  description?: string;
}
export interface CreateRepositoryRequest extends RegistryRequest {
  repositoryName: string;
  description?: string;
}
export interface DescribeRepositoriesRequest extends RegionRequest, PageRequest {
  /** Only `containerregistry` documents this field; `cr` filters by `filters`. */
  registryName?: string;
  filters?: Filter[];
}
export interface DescribeRepositoriesResult {
  repositories: Repository[];
  totalCount: number;
}
export interface CheckRepositoryNameRequest extends RegistryRequest {
  repositoryName: string;
}

const TOKEN_HOURS_MIN = 1;
const TOKEN_HOURS_MAX = 24;

/** Each method resolves with the API's `result` object (or nothing for empty results). */
export class CrApi {
  readonly service: CrServiceName;
  readonly #client: JdcloudClient;

  constructor(client: JdcloudClient, options: { service?: CrServiceName } = {}) {
    const service = options.service ?? 'cr';
    if (!CR_SERVICE_NAMES.includes(service)) {
      throw new JdcloudValidationError('service', `must be one of ${CR_SERVICE_NAMES.join(', ')} (got ${String(service)})`);
    }
    this.#client = client;
    this.service = service;
  }

  /** POST `/regions/{regionId}/registries/{registryName}:getAuthorizationToken`. */
  async getAuthorizationToken(request: GetAuthorizationTokenRequest): Promise<AuthorizationData> {
    const hours = request.expiredAfterHours;
    if (hours !== undefined && (!Number.isInteger(hours) || hours < TOKEN_HOURS_MIN || hours > TOKEN_HOURS_MAX)) {
      throw new JdcloudValidationError('expiredAfterHours', `must be a whole number of hours from ${TOKEN_HOURS_MIN} to ${TOKEN_HOURS_MAX} (got ${hours})`);
    }
    return this.#call('GetAuthorizationToken', 'POST', '/regions/{regionId}/registries/{registryName}:getAuthorizationToken', request, {
      body: { expiredAfterHours: hours },
    });
  }

  /** GET `/regions/{regionId}/registries/{registryName}/tokens`. */
  describeAuthorizationTokens(request: DescribeAuthorizationTokensRequest): Promise<DescribeAuthorizationTokensResult> {
    return this.#call('DescribeAuthorizationTokens', 'GET', '/regions/{regionId}/registries/{registryName}/tokens', request, {
      query: { filters: request.filters, pageNumber: request.pageNumber, pageSize: request.pageSize },
    });
  }

  /** POST `/regions/{regionId}/registries/{registryName}:releaseAuthorizationToken`. */
  async releaseAuthorizationToken(request: ReleaseAuthorizationTokenRequest): Promise<void> {
    if (request.authorizationToken === undefined && !request.forceAll) {
      throw new JdcloudValidationError('authorizationToken', 'give the token to release, or forceAll: true');
    }
    await this.#call('ReleaseAuthorizationToken', 'POST', '/regions/{regionId}/registries/{registryName}:releaseAuthorizationToken', request, {
      body: { authorizationToken: request.authorizationToken, forceAll: request.forceAll },
    });
  }

  /** POST `/regions/{regionId}/registries:checkRegistryName`; `code` 0 OK, 1 empty, 2 invalid, 3 taken. */
  checkRegistryName(request: RegistryRequest): Promise<NameCheckResult> {
    return this.#call('CheckRegistryName', 'POST', '/regions/{regionId}/registries:checkRegistryName', request, {
      body: { registryName: request.registryName },
    });
  }

  /** POST `/regions/{regionId}/registries`; the name is checked locally first. */
  async createRegistry(request: CreateRegistryRequest): Promise<{ registry: Registry }> {
    const problem = validateRegistryName(request.registryName);
    if (problem) throw new JdcloudValidationError('registryName', problem);
    return this.#call('CreateRegistry', 'POST', '/regions/{regionId}/registries', request, {
      body: { registryName: request.registryName, description: request.description },
    });
  }

  /** GET `/regions/{regionId}/registries/{registryName}`. */
  describeRegistry(request: RegistryRequest): Promise<{ registry: Registry }> {
    return this.#call('DescribeRegistry', 'GET', '/regions/{regionId}/registries/{registryName}', request, {});
  }

  /** GET `/regions/{regionId}/registries` (no filters, no paging). */
  describeRegistries(request: RegionRequest): Promise<{ registries: Registry[] }> {
    return this.#call('DescribeRegistries', 'GET', '/regions/{regionId}/registries', request, {});
  }

  /** POST `/regions/{regionId}/registries/{registryName}/repositories`; the name is checked locally first. */
  async createRepository(request: CreateRepositoryRequest): Promise<{ repository: RepositoryShort }> {
    const problem = validateRepositoryName(request.repositoryName);
    if (problem) throw new JdcloudValidationError('repositoryName', problem);
    return this.#call('CreateRepository', 'POST', '/regions/{regionId}/registries/{registryName}/repositories', request, {
      body: { repositoryName: request.repositoryName, description: request.description },
    });
  }

  /** POST (sic) `/regions/{regionId}/listRepositories`. */
  describeRepositories(request: DescribeRepositoriesRequest): Promise<DescribeRepositoriesResult> {
    return this.#call('DescribeRepositories', 'POST', '/regions/{regionId}/listRepositories', request, {
      body: { registryName: request.registryName, filters: request.filters, pageNumber: request.pageNumber, pageSize: request.pageSize },
    });
  }

  /** POST `/regions/{regionId}/repositories:checkRepositoryName`. */
  checkRepositoryName(request: CheckRepositoryNameRequest): Promise<NameCheckResult> {
    return this.#call('CheckRepositoryName', 'POST', '/regions/{regionId}/repositories:checkRepositoryName', request, {
      body: { registryName: request.registryName, repositoryName: request.repositoryName },
    });
  }

  #call<T>(
    action: string,
    method: JdcloudCall['method'],
    path: string,
    request: RegionRequest & { registryName?: string },
    params: Pick<JdcloudCall, 'query' | 'body'>,
  ): Promise<T> {
    return this.#client.call<T>({
      service: this.service,
      action,
      method,
      path,
      regionId: request.regionId,
      pathParams: { registryName: request.registryName },
      // JSON.stringify leaves out undefined fields, so the body carries only what the caller set.
      body: params.body,
      query: params.query,
    });
  }
}
