/** Fake JCR APIs, served for both `cr` and `containerregistry`. */
import { registryHost, validateRegistryName, validateRepositoryName } from '../../../lib/jdcloud/names';
import {
  FakeApiError,
  FakeRoute,
  RouteInput,
  alreadyExists,
  filterValues,
  filtersFromBody,
  filtersFromQuery,
  invalid,
  notFound,
  optionalString,
  paginate,
  queryValue,
  quotaExceeded,
  requireString,
} from './core';
import { FakeJdcloudState, FakeRegistry, FakeRepository, FakeToken } from './state';

const HOUR_MS = 3_600_000;

function registryModel(r: FakeRegistry) {
  return {
    name: r.name,
    registryUri: registryHost(r.name, r.regionId),
    description: r.description ?? '',
    totalSpaceUsedMB: 0,
    createTime: r.createTime,
  };
}

function repositoryModel(r: FakeRepository) {
  return {
    createdAt: r.createdAt,
    updatedAt: r.createdAt,
    registryName: r.registryName,
    repositoryName: r.repositoryName,
    repositoryUri: `${registryHost(r.registryName, r.regionId)}/${r.repositoryName}`,
    totalSpaceUsedMB: 0,
    description: r.description ?? '',
  };
}

function formatExpiresAt(date: Date, format: FakeJdcloudState['settings']['expiresAtFormat']): string {
  if (format === 'iso') return date.toISOString();
  return String(format === 'epoch-seconds' ? Math.floor(date.getTime() / 1000) : date.getTime());
}

function tokenModel(t: FakeToken, state: FakeJdcloudState) {
  return {
    authorizationToken: t.authorizationToken,
    loginCmdLine: `docker login -u ${t.username} -p ${t.password} ${registryHost(t.registryName, t.regionId)}`,
    expiresAt: formatExpiresAt(t.expiresAt, state.settings.expiresAtFormat),
  };
}

function existingRegistry(state: FakeJdcloudState, input: RouteInput, name = input.params.registryName): FakeRegistry {
  const registry = state.findRegistry(input.regionId, name);
  if (!registry) throw notFound(`registry ${name} not found in ${input.regionId}`);
  return registry;
}

/** CheckRegistryName/CheckRepositoryName codes: 0 OK, 1 empty, 2 invalid, 3 duplicate. */
function nameCheck(name: unknown, problem: (n: string) => string | undefined, taken: (n: string) => boolean) {
  if (typeof name !== 'string' || name === '') return { code: 1, reason: 'name is empty' };
  const why = problem(name);
  if (why) return { code: 2, reason: why };
  if (taken(name)) return { code: 3, reason: 'name already exists' };
  return { code: 0 };
}

export function crRoutes(): FakeRoute<FakeJdcloudState>[] {
  return [
    {
      family: 'cr',
      action: 'GetAuthorizationToken',
      method: 'POST',
      path: '/regions/{regionId}/registries/{registryName}:getAuthorizationToken',
      handle(input, state) {
        const registry = existingRegistry(state, input);
        const raw = input.body.expiredAfterHours;
        const hours = raw === undefined || raw === null ? 12 : raw;
        if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 1 || hours > 24) {
          throw new FakeApiError(400, 'OUT_OF_RANGE', 'expiredAfterHours must be an integer from 1 to 24');
        }
        const { tokenQuotaPerHour, tokenUser, tokenPassword } = state.settings;
        const lastHour = state.tokens.filter(
          (t) => t.regionId === registry.regionId && t.registryName === registry.name && input.now.getTime() - t.issuedAt.getTime() < HOUR_MS,
        );
        if (lastHour.length >= tokenQuotaPerHour) {
          // Whether JCR says when the quota frees up is unconfirmed; the fake can (quotaRetryAfter).
          const oldest = Math.min(...lastHour.map((t) => t.issuedAt.getTime()));
          const wait = Math.max(1, Math.ceil((oldest + HOUR_MS - input.now.getTime()) / 1000));
          throw quotaExceeded(`at most ${tokenQuotaPerHour} tokens per hour per registry`, state.settings.quotaRetryAfter ? { 'retry-after': String(wait) } : undefined);
        }
        const password = tokenPassword();
        const token: FakeToken = {
          regionId: registry.regionId,
          registryName: registry.name,
          authorizationToken: Buffer.from(`${tokenUser}:${password}`, 'utf8').toString('base64'),
          username: tokenUser,
          password,
          issuedAt: input.now,
          expiresAt: new Date(input.now.getTime() + (state.settings.tokenExpiresInMs ?? hours * HOUR_MS)),
          expiredAfterHours: hours,
          released: false,
        };
        state.tokens.push(token);
        return tokenModel(token, state);
      },
    },
    {
      family: 'cr',
      action: 'DescribeAuthorizationTokens',
      method: 'GET',
      path: '/regions/{regionId}/registries/{registryName}/tokens',
      handle(input, state) {
        const registry = existingRegistry(state, input);
        const wanted = filterValues(filtersFromQuery(input.query), 'token', 'authorizationToken');
        const tokens = state
          .liveTokens(registry.regionId, registry.name, input.now)
          .filter((t) => !wanted || wanted.includes(t.authorizationToken));
        return {
          authorizationTokens: paginate(tokens, queryValue(input.query, 'pageNumber'), queryValue(input.query, 'pageSize')).map((t) =>
            tokenModel(t, state),
          ),
          totalCount: tokens.length,
        };
      },
    },
    {
      family: 'cr',
      action: 'ReleaseAuthorizationToken',
      method: 'POST',
      path: '/regions/{regionId}/registries/{registryName}:releaseAuthorizationToken',
      handle(input, state) {
        const registry = existingRegistry(state, input);
        const live = state.liveTokens(registry.regionId, registry.name, input.now);
        if (input.body.forceAll === true) {
          live.forEach((t) => (t.released = true));
          return {};
        }
        const value = optionalString(input.body, 'authorizationToken');
        if (!value) throw invalid('authorizationToken or forceAll is required');
        const token = live.find((t) => t.authorizationToken === value);
        if (!token) throw notFound('authorization token not found');
        token.released = true;
        return {};
      },
    },
    {
      family: 'cr',
      action: 'CheckRegistryName',
      method: 'POST',
      path: '/regions/{regionId}/registries:checkRegistryName',
      handle(input, state) {
        // Registry names are globally unique, so a name taken in any region is a duplicate.
        return nameCheck(input.body.registryName, validateRegistryName, (n) => state.registries.some((r) => r.name === n));
      },
    },
    {
      family: 'cr',
      action: 'CreateRegistry',
      method: 'POST',
      path: '/regions/{regionId}/registries',
      handle(input, state) {
        const name = requireString(input.body, 'registryName');
        const problem = validateRegistryName(name);
        if (problem) throw invalid(problem);
        if (state.registries.some((r) => r.name === name)) throw alreadyExists(`registry ${name} already exists`);
        if (state.registries.filter((r) => r.regionId === input.regionId).length >= state.settings.registriesPerRegion) {
          throw quotaExceeded(`at most ${state.settings.registriesPerRegion} registries per region`);
        }
        const registry: FakeRegistry = {
          regionId: input.regionId,
          name,
          description: optionalString(input.body, 'description'),
          createTime: input.now.toISOString(),
        };
        state.registries.push(registry);
        return { registry: registryModel(registry) };
      },
    },
    {
      family: 'cr',
      action: 'DescribeRegistry',
      method: 'GET',
      path: '/regions/{regionId}/registries/{registryName}',
      handle: (input, state) => ({ registry: registryModel(existingRegistry(state, input)) }),
    },
    {
      family: 'cr',
      action: 'DescribeRegistries',
      method: 'GET',
      path: '/regions/{regionId}/registries',
      handle: (input, state) => ({
        registries: state.registries.filter((r) => r.regionId === input.regionId).map(registryModel),
      }),
    },
    {
      family: 'cr',
      action: 'CreateRepository',
      method: 'POST',
      path: '/regions/{regionId}/registries/{registryName}/repositories',
      handle(input, state) {
        const registry = existingRegistry(state, input);
        const name = requireString(input.body, 'repositoryName');
        const problem = validateRepositoryName(name);
        if (problem) throw invalid(problem);
        if (state.repositories.some((r) => r.regionId === registry.regionId && r.registryName === registry.name && r.repositoryName === name)) {
          throw alreadyExists(`repository ${name} already exists in ${registry.name}`);
        }
        const repository: FakeRepository = {
          regionId: registry.regionId,
          registryName: registry.name,
          repositoryName: name,
          description: optionalString(input.body, 'description'),
          createdAt: input.now.toISOString(),
        };
        state.repositories.push(repository);
        const full = repositoryModel(repository);
        return { repository: { createdAt: full.createdAt, repositoryName: full.repositoryName, repositoryUri: full.repositoryUri } };
      },
    },
    {
      family: 'cr',
      action: 'DescribeRepositories',
      method: 'POST',
      path: '/regions/{regionId}/listRepositories',
      handle(input, state) {
        const filters = filtersFromBody(input.body);
        const names = filterValues(filters, 'name', 'repositoryName');
        const registries = [
          ...(filterValues(filters, 'registryName') ?? []),
          ...(typeof input.body.registryName === 'string' ? [input.body.registryName] : []),
        ];
        const repositories = state.repositories.filter(
          (r) =>
            r.regionId === input.regionId &&
            (registries.length === 0 || registries.includes(r.registryName)) &&
            // `name` is a fuzzy filter.
            (!names || names.some((n) => r.repositoryName.includes(n))),
        );
        return {
          repositories: paginate(repositories, input.body.pageNumber, input.body.pageSize, { min: 10, max: 100 }).map(repositoryModel),
          totalCount: repositories.length,
        };
      },
    },
    {
      family: 'cr',
      action: 'CheckRepositoryName',
      method: 'POST',
      path: '/regions/{regionId}/repositories:checkRepositoryName',
      handle(input, state) {
        const registry = existingRegistry(state, input, requireString(input.body, 'registryName'));
        return nameCheck(input.body.repositoryName, validateRepositoryName, (n) =>
          state.repositories.some((r) => r.regionId === registry.regionId && r.registryName === registry.name && r.repositoryName === n),
        );
      },
    },
  ];
}
