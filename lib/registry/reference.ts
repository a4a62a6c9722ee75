/**
 * Image references (`[registry/]repository[:tag][@digest]`), parsed the way the Docker CLI and
 * distribution/reference do it, so `nginx`, `docker.io/nginx` and `index.docker.io/library/nginx`
 * all name the same repository and a JCR host is never mistaken for a Docker Hub namespace.
 */
import { RegistryError } from './errors';
import { isDigest } from './digest';

export interface ImageReference {
  /** Registry host as the user names it (`docker.io`, `127.0.0.1:5000`, `x-cn-north-1.jcr.service.jdcloud.com`). */
  registry: string;
  /** Repository path inside the registry (`library/nginx`). */
  repository: string;
  tag?: string;
  digest?: string;
}

/** The name Docker Hub goes by in references and in `~/.docker/config.json` lookups. */
export const DOCKER_HUB = 'docker.io';
/** Docker Hub's Registry API is not served on `docker.io` itself. */
const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

// distribution/reference grammar: lowercase path components joined by `.`, `_`, `__` or dashes.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DOMAIN = /^(?:\[[0-9a-fA-F:]+\]|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*)(?::\d+)?$/;
const MAX_NAME_LENGTH = 255;

function invalid(input: string, why: string): RegistryError {
  return new RegistryError('invalid-reference', `invalid image reference "${input}": ${why}`);
}

/** Parse an image reference; throws `RegistryError` (code `invalid-reference`) naming what is wrong. */
export function parseImageReference(input: string): ImageReference {
  const text = input.trim();
  if (!text) throw invalid(input, 'it is empty');
  if (/^[a-z]+:\/\//i.test(text)) throw invalid(input, 'write it without a URL scheme (e.g. "registry.example.com/repo:tag")');

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) throw invalid(input, `"${digest}" is not a digest (expected sha256:<64 hex>)`);
  }

  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) throw invalid(input, `"${tag}" is not a valid tag`);
  }

  // Same rule as the Docker CLI: the first component is a registry host only if it looks like one,
  // otherwise `user/app` would be read as host "user".
  let registry = DOCKER_HUB;
  let repository = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      registry = first;
      repository = rest.slice(slash + 1);
      if (!DOMAIN.test(registry)) throw invalid(input, `"${registry}" is not a valid registry host`);
    }
  }
  if (DOCKER_HUB_ALIASES.has(registry.toLowerCase())) {
    registry = DOCKER_HUB;
    if (!repository.includes('/')) repository = `library/${repository}`;
  }

  if (!repository) throw invalid(input, 'the repository name is missing');
  for (const component of repository.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      throw invalid(input, `repository "${repository}" must be lowercase letters, digits and separators (. _ -)`);
    }
  }
  if (repository.length > MAX_NAME_LENGTH) throw invalid(input, `repository name is longer than ${MAX_NAME_LENGTH} characters`);
  return { registry, repository, tag, digest };
}

/** Canonical text form; `docker.io/library/` is kept so logs are unambiguous. */
export function formatImageReference(ref: ImageReference): string {
  let out = `${ref.registry}/${ref.repository}`;
  if (ref.tag) out += `:${ref.tag}`;
  if (ref.digest) out += `@${ref.digest}`;
  return out;
}

/** Host that serves the Registry HTTP API for a registry name. */
export function registryApiHost(registry: string): string {
  return DOCKER_HUB_ALIASES.has(registry.toLowerCase()) ? DOCKER_HUB_API_HOST : registry;
}

/** Whether two registry names are the same server (so cross-repository mounts can work). */
export function isSameRegistry(a: string, b: string): boolean {
  return registryApiHost(a).toLowerCase() === registryApiHost(b).toLowerCase();
}
