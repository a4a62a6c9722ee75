/**
 * Source mirrors: pull `docker.io/library/node:20` from `docker.m.daocloud.io/library/node:20`
 * when Docker Hub is out of reach. A mirror is a host with an optional path prefix — the shape of
 * `location` in containers-registries.conf(5) `[[registry.mirror]]` — and the repository path,
 * tag and digest stay the same. What a mirror serves is checked by digest against a pinned one
 * when there is one (mirror.ts), since the mirror is a third party.
 */
import { RegistryError } from './errors';
import { isSameRegistry, parseImageReference, type ImageReference } from './reference';

/** Registry (as in image references) → mirror location `host[:port][/prefix]`. */
export type SourceMirrors = Record<string, string>;

export interface MirrorLocation {
  host: string;
  prefix?: string;
}

/** Check and split a mirror location; throws `RegistryError('invalid-reference')` naming the problem. */
export function parseMirrorLocation(location: string): MirrorLocation {
  const text = location.trim().replace(/\/+$/, '');
  if (/^[a-z]+:\/\//i.test(text)) throw new RegistryError('invalid-reference', `source mirror "${location}": write it without a URL scheme, e.g. docker.m.daocloud.io or mirror.example.com/dockerhub`);
  // Reuse the reference grammar: `host/prefix/x` must parse with `host` as the registry.
  const probe = parseImageReference(`${text}/x`);
  const slash = text.indexOf('/');
  const host = slash < 0 ? text : text.slice(0, slash);
  if (probe.registry.toLowerCase() !== host.toLowerCase()) {
    throw new RegistryError('invalid-reference', `source mirror "${location}" must start with a registry host (with a dot or a port), e.g. docker.m.daocloud.io`);
  }
  return { host, prefix: slash < 0 ? undefined : text.slice(slash + 1) };
}

/** `docker.io=docker.m.daocloud.io` (the `--source-mirror` flag). */
export function parseSourceMirrorArg(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) throw new RegistryError('invalid-reference', `--source-mirror "${text}": expected REGISTRY=MIRROR, e.g. docker.io=docker.m.daocloud.io`);
  const registry = text.slice(0, eq).trim();
  const location = text.slice(eq + 1).trim();
  parseMirrorLocation(location);
  return [registry, location];
}

/** The reference to pull instead of `source`, or undefined when no mirror covers its registry. */
export function applySourceMirror(source: ImageReference, mirrors: SourceMirrors | undefined): ImageReference | undefined {
  if (!mirrors) return undefined;
  const entry = Object.entries(mirrors).find(([registry]) => isSameRegistry(registry, source.registry));
  if (!entry) return undefined;
  const { host, prefix } = parseMirrorLocation(entry[1]);
  return { registry: host, repository: prefix ? `${prefix}/${source.repository}` : source.repository, tag: source.tag, digest: source.digest };
}
