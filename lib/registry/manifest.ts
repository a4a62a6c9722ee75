/**
 * Manifest media types and the little we need to read from manifests: which children an index
 * has, which blobs an image manifest references, and platform selection. Manifests are never
 * re-serialized — the bytes we fetched are the bytes we push, so digests survive the copy.
 */
import { RegistryError } from './errors';
import { isDigest } from './digest';

export const MediaTypes = {
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerManifestSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  DockerManifestSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

const INDEX_TYPES = new Set<string>([MediaTypes.OciIndex, MediaTypes.DockerManifestList]);
const IMAGE_TYPES = new Set<string>([MediaTypes.OciManifest, MediaTypes.DockerManifest]);
const SCHEMA1_TYPES = new Set<string>([MediaTypes.DockerManifestSchema1, MediaTypes.DockerManifestSchema1Signed]);

/**
 * Accept header for manifest requests. Listing every type we can copy matters: a registry that is
 * not told we accept an index may answer with one platform's manifest (or convert to schema1).
 */
export const MANIFEST_ACCEPT = [
  MediaTypes.OciIndex,
  MediaTypes.DockerManifestList,
  MediaTypes.OciManifest,
  MediaTypes.DockerManifest,
].join(', ');

/** Layers that registries don't serve (Windows base layers); they are referenced by URL, not copied. */
const NON_DISTRIBUTABLE_LAYER = /^application\/vnd\.(docker\.image\.rootfs\.foreign\.diff\.tar\.gzip|oci\.image\.layer\.nondistributable\.v1\.tar.*)$/;

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  urls?: string[];
  annotations?: Record<string, string>;
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[] }
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[] };

/** Strip parameters (`; charset=utf-8`) some registries add to Content-Type. */
export function normalizeMediaType(contentType: string | undefined): string | undefined {
  const base = contentType?.split(';')[0]?.trim().toLowerCase();
  return base || undefined;
}

function descriptor(value: unknown, where: string): Descriptor {
  const d = value as Partial<Descriptor> | null;
  if (!d || typeof d !== 'object' || typeof d.digest !== 'string' || !isDigest(d.digest) || typeof d.size !== 'number' || d.size < 0) {
    throw new RegistryError('unsupported', `malformed descriptor in ${where}: needs a digest and a size`);
  }
  return { ...d, mediaType: typeof d.mediaType === 'string' ? d.mediaType : '' } as Descriptor;
}

/**
 * Parse manifest bytes. The media type comes from the response Content-Type when it is a manifest
 * type, else from the document's own `mediaType`, else from its shape (OCI allows omitting it).
 */
export function parseManifest(bytes: Buffer, contentType?: string): ParsedManifest {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new RegistryError('unsupported', 'manifest is not valid JSON');
  }
  const declared = normalizeMediaType(contentType);
  const own = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  let mediaType =
    declared && (INDEX_TYPES.has(declared) || IMAGE_TYPES.has(declared) || SCHEMA1_TYPES.has(declared)) ? declared : own;
  if (!mediaType) {
    if (Array.isArray(doc.manifests)) mediaType = MediaTypes.OciIndex;
    else if (doc.config && Array.isArray(doc.layers)) mediaType = MediaTypes.OciManifest;
    else if (doc.schemaVersion === 1) mediaType = MediaTypes.DockerManifestSchema1Signed;
  }
  if (!mediaType) throw new RegistryError('unsupported', 'cannot tell the manifest type (no mediaType, not an index or image manifest)');
  if (SCHEMA1_TYPES.has(mediaType) || doc.schemaVersion === 1) {
    throw new RegistryError('unsupported', 'Docker schema 1 manifests are not supported (deprecated since 2017); rebuild or re-push the image');
  }
  if (INDEX_TYPES.has(mediaType) || (Array.isArray(doc.manifests) && !doc.config)) {
    if (!Array.isArray(doc.manifests)) throw new RegistryError('unsupported', 'index has no "manifests" list');
    return { kind: 'index', mediaType, manifests: doc.manifests.map((m, i) => descriptor(m, `manifests[${i}]`)) };
  }
  if (!doc.config || !Array.isArray(doc.layers)) {
    throw new RegistryError('unsupported', `manifest of type ${mediaType} has no config and layers`);
  }
  return {
    kind: 'image',
    mediaType,
    config: descriptor(doc.config, 'config'),
    layers: doc.layers.map((l, i) => descriptor(l, `layers[${i}]`)),
  };
}

/** Blobs an image manifest needs at the destination, config first; foreign layers are left out. */
export function blobsOf(manifest: Extract<ParsedManifest, { kind: 'image' }>): Descriptor[] {
  return [manifest.config, ...manifest.layers.filter((l) => !isNonDistributable(l))];
}

export function isNonDistributable(layer: Descriptor): boolean {
  return NON_DISTRIBUTABLE_LAYER.test(layer.mediaType) && (layer.urls?.length ?? 0) > 0;
}

/** Parse `os/arch[/variant]`, e.g. `linux/arm64/v8`. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !p)) {
    throw new RegistryError('platform-not-found', `invalid platform "${text}": expected os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8`);
  }
  const [os, architecture, variant] = parts;
  return variant ? { os, architecture, variant } : { os, architecture };
}

export function formatPlatform(platform: Platform | undefined): string {
  if (!platform) return 'unknown';
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/**
 * Pick the index entry for a platform. Without a variant, `linux/arm64` matches `linux/arm64/v8`
 * (as Docker does), but only when that leaves a single candidate — otherwise we'd silently copy
 * the wrong arm flavour.
 */
export function selectPlatform(manifests: Descriptor[], want: Platform): Descriptor {
  const candidates = manifests.filter(
    (m) =>
      m.platform &&
      m.platform.os === want.os &&
      m.platform.architecture === want.architecture &&
      (!want.variant || m.platform.variant === want.variant),
  );
  const exact = candidates.filter((m) => (m.platform?.variant ?? '') === (want.variant ?? ''));
  const pick = exact.length === 1 ? exact : candidates;
  if (pick.length === 1) return pick[0];
  const available = manifests.map((m) => formatPlatform(m.platform)).filter((p) => p !== 'unknown/unknown');
  if (pick.length === 0) {
    throw new RegistryError('platform-not-found', `platform ${formatPlatform(want)} is not in the image (it has: ${available.join(', ') || 'none'})`);
  }
  throw new RegistryError(
    'platform-not-found',
    `platform ${formatPlatform(want)} is ambiguous (matches ${pick.map((m) => formatPlatform(m.platform)).join(', ')}); add the variant`,
  );
}
