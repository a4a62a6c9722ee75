/**
 * Manifest format conversion between OCI (image-spec v1.1.0 `manifest.md`, `image-index.md`) and
 * Docker Image Manifest V2 Schema 2 (distribution/distribution `docs/spec/manifest-v2-2.md`), for
 * registries that refuse one of them. JD Cloud's JCR documents only Docker schema 1 and 2.
 *
 * Only the manifests change; the blobs are the same bytes, so nothing is re-compressed: an OCI
 * image config is a Docker image config document (same JSON), and the gzip/tar layer types map one
 * to one — the mapping containers/image (skopeo) applies in `convertToManifestSchema2` /
 * `convertToManifestOCI1` (internal/image/oci.go, docker_schema2.go at v5.29.0). zstd layers have
 * no Docker type and can't be converted. The new manifests get new digests, which the caller
 * reports.
 *
 * Attestation manifests that BuildKit adds to an index (platform unknown/unknown, annotation
 * `vnd.docker.reference.type: attestation-manifest`; moby/buildkit
 * `docs/attestations/attestation-storage.md`) are dropped when converting to a Docker manifest
 * list: it has no annotations, so they would pose as an `unknown/unknown` image.
 *
 * Output is deterministic (fixed key order, 3-space indent as docker and distribution write
 * manifest lists), so the same source always converts to the same digest.
 */
import { digestOf } from './digest';
import { RegistryError } from './errors';
import { MediaTypes, type Descriptor, type ParsedManifest, type Platform } from './manifest';

export type ManifestFormat = 'docker' | 'oci';

export interface ConvertedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';

/** OCI layer type → Docker layer type (the reverse is used for `--format oci`). */
const LAYER_TO_DOCKER: Record<string, string> = {
  'application/vnd.oci.image.layer.v1.tar+gzip': 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  'application/vnd.oci.image.layer.v1.tar': 'application/vnd.docker.image.rootfs.diff.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip': 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar': 'application/vnd.docker.image.rootfs.foreign.diff.tar',
};
const LAYER_TO_OCI: Record<string, string> = Object.fromEntries(Object.entries(LAYER_TO_DOCKER).map(([oci, docker]) => [docker, oci]));

export const ATTESTATION_ANNOTATION = 'vnd.docker.reference.type';

/** An index entry BuildKit added for provenance/SBOM, not a runnable image. */
export function isAttestation(d: Descriptor): boolean {
  return d.annotations?.[ATTESTATION_ANNOTATION] === 'attestation-manifest';
}

/** The format a manifest media type belongs to. */
export function formatOf(mediaType: string): ManifestFormat | undefined {
  if (mediaType === MediaTypes.OciIndex || mediaType === MediaTypes.OciManifest) return 'oci';
  if (mediaType === MediaTypes.DockerManifestList || mediaType === MediaTypes.DockerManifest) return 'docker';
  return undefined;
}

function serialize(doc: unknown, mediaType: string): ConvertedManifest {
  const bytes = Buffer.from(JSON.stringify(doc, null, 3));
  return { bytes, mediaType, digest: digestOf(bytes) };
}

function plainDescriptor(d: Descriptor, mediaType: string, keepUrls: boolean) {
  return { mediaType, size: d.size, digest: d.digest, ...(keepUrls && d.urls?.length ? { urls: d.urls } : {}) };
}

function platformOf(p: Platform | undefined): Platform | undefined {
  if (!p) return undefined;
  const out: Platform & { 'os.features'?: string[]; features?: string[] } = { architecture: p.architecture, os: p.os };
  const extra = p as Platform & { 'os.features'?: string[]; features?: string[] };
  if (p['os.version']) out['os.version'] = p['os.version'];
  if (extra['os.features']) out['os.features'] = extra['os.features'];
  if (p.variant) out.variant = p.variant;
  if (extra.features) out.features = extra.features;
  return out;
}

/** Convert an image manifest; `what` names it in errors. */
export function convertImageManifest(manifest: Extract<ParsedManifest, { kind: 'image' }>, to: ManifestFormat, what: string): ConvertedManifest {
  const configType = manifest.config.mediaType;
  if (configType !== OCI_CONFIG && configType !== DOCKER_CONFIG) {
    throw new RegistryError('unsupported', `${what} is an artifact (config ${configType || 'without a media type'}), not a container image; it can't be expressed as a ${to === 'docker' ? 'Docker schema 2' : 'OCI'} image`);
  }
  const table = to === 'docker' ? LAYER_TO_DOCKER : LAYER_TO_OCI;
  const layers = manifest.layers.map((layer, i) => {
    const mapped = table[layer.mediaType] ?? (Object.values(table).includes(layer.mediaType) ? layer.mediaType : undefined);
    if (!mapped) {
      const hint = /zstd/.test(layer.mediaType) ? ' (Docker schema 2 has no zstd layer type; push the image with gzip layers, or keep OCI)' : '';
      throw new RegistryError('unsupported', `${what}: layer ${i} has media type ${layer.mediaType}, which has no ${to === 'docker' ? 'Docker' : 'OCI'} equivalent${hint}`);
    }
    return plainDescriptor(layer, mapped, true);
  });
  const mediaType = to === 'docker' ? MediaTypes.DockerManifest : MediaTypes.OciManifest;
  return serialize(
    { schemaVersion: 2, mediaType, config: plainDescriptor(manifest.config, to === 'docker' ? DOCKER_CONFIG : OCI_CONFIG, false), layers },
    mediaType,
  );
}

export interface IndexChild {
  /** the entry in the source index */
  source: Descriptor;
  /** its converted manifest */
  converted: ConvertedManifest;
}

/** Convert an index over already-converted children (attestations already left out by the caller). */
export function convertIndex(children: IndexChild[], to: ManifestFormat): ConvertedManifest {
  const mediaType = to === 'docker' ? MediaTypes.DockerManifestList : MediaTypes.OciIndex;
  const manifests = children.map(({ source, converted }) => {
    const platform = platformOf(source.platform);
    return { mediaType: converted.mediaType, size: converted.bytes.length, digest: converted.digest, ...(platform ? { platform } : {}) };
  });
  return serialize({ schemaVersion: 2, mediaType, manifests }, mediaType);
}

/**
 * Whether a failed manifest PUT means "this registry does not take this media type": 400
 * MANIFEST_INVALID (distribution's answer to an unknown type), 415, or an error text saying so.
 */
export function isMediaTypeRejection(err: unknown): boolean {
  if (!(err instanceof RegistryError)) return false;
  if (err.status === 415) return true;
  if (err.status !== 400 && err.status !== 422) return false;
  return err.registryCodes.includes('MANIFEST_INVALID') || err.registryCodes.includes('UNSUPPORTED') || /unsupported (manifest )?media ?type|manifest invalid|not supported/i.test(err.message);
}
