/**
 * Local checks of JCR names, so bad input fails with one message naming the broken rule before
 * any request is made. The sources disagree: the SDK
 * (https://github.com/jdcloud-api/jdcloud-sdk-python/tree/v1.6.180/jdcloud_sdk/services/cr/apis,
 * CreateRegistryRequest.py and CreateRepositoryRequest.py) says a registry name starts and ends
 * with a letter and a repository name is ≤ 256 chars; the console guide
 * (https://docs.jdcloud.com/en/container-registry/create-image) says letters or digits,
 * "more than 3" and 3–255. We enforce what every source agrees on and leave the
 * disputed margins to the server, so a name the service accepts is never refused here.
 */

const REGISTRY_MAX = 32;
const REPOSITORY_MAX = 256;
const REPOSITORY_MAX_LEVELS = 2;

/** Undefined when `name` is a plausible registry name, else a message naming the broken rule. */
export function validateRegistryName(name: string): string | undefined {
  if (name === '') return 'registry name is empty';
  if (name.length > REGISTRY_MAX) return `registry name must be at most ${REGISTRY_MAX} characters (got ${name.length})`;
  if (!/^[a-z0-9-]+$/.test(name)) return "registry name may contain only lower-case letters, digits and '-'";
  if (!/^[a-z0-9].*[a-z0-9]$|^[a-z0-9]$/.test(name)) return "registry name must start and end with a lower-case letter or digit, not '-'";
  return undefined;
}

/** Undefined when `name` is a plausible repository name, else a message naming the broken rule. */
export function validateRepositoryName(name: string): string | undefined {
  if (name === '') return 'repository name is empty';
  if (name.length > REPOSITORY_MAX) return `repository name must be at most ${REPOSITORY_MAX} characters (got ${name.length})`;
  if (name.includes('.')) return "repository name must not contain '.'";
  const segments = name.split('/');
  if (segments.length > REPOSITORY_MAX_LEVELS) return "repository name may have at most two levels (one '/')";
  for (const segment of segments) {
    if (segment === '') return "repository name must not start or end with '/' or contain '//'";
    if (!/^[a-z0-9_-]+$/.test(segment)) return "repository name may contain only lower-case letters, digits, '-', '_' and one '/'";
    if (!/^[a-z0-9](?:.*[a-z0-9])?$/.test(segment)) return "each level of a repository name must start and end with a lower-case letter or digit";
  }
  return undefined;
}

/** Registry hostname `{name}-{region}.jcr.service.jdcloud.com`, as the console generates it. */
export function registryHost(registryName: string, regionId: string): string {
  return `${registryName}-${regionId}.jcr.service.jdcloud.com`;
}
