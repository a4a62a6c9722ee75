/**
 * `registry ensure`: the runbook's "创建注册表" and "创建镜像仓库" made idempotent.
 * Names are checked locally before any request; CheckRegistryName tells "free" from "taken"
 * (codes 0 OK, 1 empty, 2 invalid, 3 duplicate); a taken name is ours when
 * DescribeRegistry finds it in our account, otherwise someone else holds it (names are global).
 * Repositories are listed once and only the missing ones are created.
 */
import { CrApi, NAME_CHECK, Repository } from '../jdcloud/cr';
import { registryHost, validateRegistryName, validateRepositoryName } from '../jdcloud/names';
import { CloudInputError, CloudStateError, isNotFound } from './errors';
import type { Log } from './log';

export interface EnsureRegistryOptions {
  regionId: string;
  registryName: string;
  /** repository paths the stack needs, e.g. kubernetesui/dashboard */
  repositories: readonly string[];
  /** the host to report (config registry.host); default `{name}-{region}.jcr.service.jdcloud.com` */
  host?: string;
  log?: Log;
}

export interface EnsureRegistryResult {
  registry: string;
  regionId: string;
  host: string;
  registryCreated: boolean;
  repositoriesCreated: string[];
  repositoriesExisting: string[];
}

/** The paging maximum of DescribeRepositories (pageSize 10–100). */
const PAGE_SIZE = 100;

/** Throws a CloudInputError naming the first bad name; makes no request. */
export function checkRegistryNames(registryName: string, repositories: readonly string[]): void {
  const problem = validateRegistryName(registryName);
  if (problem) throw new CloudInputError(`registry name "${registryName}": ${problem}. Fix: set registry.name (or --registry-name) to 1-32 lower-case letters, digits and '-'`);
  for (const repo of repositories) {
    const why = validateRepositoryName(repo);
    if (why) throw new CloudInputError(`repository name "${repo}": ${why}. Fix: use lower-case path segments such as kubernetesui/dashboard`);
  }
}

export async function ensureRegistry(cr: CrApi, opts: EnsureRegistryOptions): Promise<EnsureRegistryResult> {
  const { regionId, registryName } = opts;
  const repositories = [...new Set(opts.repositories)];
  checkRegistryNames(registryName, repositories);
  const log = opts.log ?? (() => undefined);

  let registryCreated = false;
  const check = await cr.checkRegistryName({ regionId, registryName });
  if (check.code === NAME_CHECK.OK) {
    await cr.createRegistry({ regionId, registryName, description: 'created by jcrkit' });
    registryCreated = true;
    log(`created registry ${registryName} in ${regionId}`);
  } else if (check.code === NAME_CHECK.DUPLICATE) {
    try {
      await cr.describeRegistry({ regionId, registryName });
      log(`registry ${registryName} exists in ${regionId}`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      throw new CloudStateError(
        `registry name "${registryName}" is taken, but not by a registry of this account in ${regionId} (registry names are global). Fix: choose another registry.name, or use the --region it lives in`,
      );
    }
  } else {
    throw new CloudInputError(`JD Cloud refused the registry name "${registryName}" (CheckRegistryName code ${check.code}: ${check.reason ?? 'no reason given'}). Fix: choose another registry.name`);
  }

  const existing = registryCreated ? new Set<string>() : new Set((await listRepositories(cr, regionId, registryName)).map((r) => r.repositoryName));
  const repositoriesCreated: string[] = [];
  const repositoriesExisting: string[] = [];
  for (const repositoryName of repositories) {
    if (existing.has(repositoryName)) {
      repositoriesExisting.push(repositoryName);
      continue;
    }
    await cr.createRepository({ regionId, registryName, repositoryName, description: 'created by jcrkit' });
    repositoriesCreated.push(repositoryName);
    log(`created repository ${registryName}/${repositoryName}`);
  }
  if (repositoriesExisting.length) log(`repositories already present: ${repositoriesExisting.join(', ')}`);
  return {
    registry: registryName,
    regionId,
    host: opts.host ?? registryHost(registryName, regionId),
    registryCreated,
    repositoriesCreated,
    repositoriesExisting,
  };
}

/**
 * Every repository of one registry. `registryName` is sent (containerregistry documents it) and the
 * answer is filtered again here, because `cr` documents only a fuzzy `name` filter and may list
 * the whole region.
 */
export async function listRepositories(cr: CrApi, regionId: string, registryName: string): Promise<Repository[]> {
  const all: Repository[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const page = await cr.describeRepositories({ regionId, registryName, pageNumber, pageSize: PAGE_SIZE });
    const items = page.repositories ?? [];
    all.push(...items);
    if (items.length < PAGE_SIZE || all.length >= (page.totalCount ?? 0)) break;
  }
  return all.filter((r) => r.registryName === undefined || r.registryName === registryName);
}

/** The repositories the stack's images need in the registry (config.images[].repository). */
export function repositoriesFromImages(images: ReadonlyArray<{ repository?: string }>): string[] {
  return [...new Set(images.map((i) => i.repository).filter((r): r is string => !!r))];
}
