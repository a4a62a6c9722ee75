/**
 * `jcrkit registry probe`: which manifest media types a registry accepts, learnt once instead of
 * by a failed mirror. It pushes a tiny image (a 32-byte gzip layer of an empty tar, a config) into
 * a dedicated repository in each format — Docker schema 2 manifest and manifest list, OCI manifest
 * and index, an OCI 1.1 artifact (`artifactType`, empty config) — then deletes what it pushed by
 * digest. JD Cloud documents only Docker schema 1 and 2 for JCR; OCI support is what this finds out.
 *
 * Nothing else is touched: the tags are `jcrkit-probe-*` in the probe repository, and a registry
 * that does not allow deletes is reported as such (the tags then stay behind, named).
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { RegistryClient } from './client';
import { digestOf } from './digest';
import { RegistryError } from './errors';
import { MediaTypes } from './manifest';

export interface ProbeCase {
  /** what the user recognises: `Docker manifest list` */
  name: string;
  mediaType: string;
  tag: string;
  accepted: boolean;
  /** the registry's answer when refused, e.g. `manifest_invalid: manifest invalid` */
  refusal?: string;
  digest: string;
  /** after the probe: removed again, refused by the registry, or (not accepted) nothing to remove */
  cleanup: 'deleted' | 'delete-not-allowed' | 'delete-failed' | 'none';
  cleanupError?: string;
}

export interface ProbeReport {
  registry: string;
  repository: string;
  cases: ProbeCase[];
  /** media types the registry took */
  accepted: string[];
  /** whether OCI images (manifest and index) can be mirrored as they are */
  ociImages: boolean;
  deleteAllowed: boolean;
}

const EMPTY_TAR = Buffer.alloc(1024); // two zero blocks: an empty tar archive (POSIX ustar end marker)
const EMPTY_JSON = Buffer.from('{}');
const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';

interface Blob {
  bytes: Buffer;
  digest: string;
}

const blob = (bytes: Buffer): Blob => ({ bytes, digest: digestOf(bytes) });
const descriptor = (mediaType: string, b: Blob) => ({ mediaType, size: b.bytes.length, digest: b.digest });
const json = (doc: unknown) => Buffer.from(JSON.stringify(doc, null, 3));

async function pushBlob(client: RegistryClient, repository: string, b: Blob): Promise<void> {
  if (await client.hasBlob(repository, b.digest)) return;
  const started = await client.startUpload(repository);
  if (started.mounted) return;
  await client.completeUpload(repository, started.location, b.digest, b.bytes.length, Readable.from([b.bytes]));
}

export async function probeRegistry(client: RegistryClient, repository: string, log: (line: string) => void = () => undefined): Promise<ProbeReport> {
  const layer = blob(gzipSync(EMPTY_TAR, { level: 9 }));
  const config = blob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [digestOf(EMPTY_TAR)] } })));
  const empty = blob(EMPTY_JSON);
  for (const b of [layer, config, empty]) await pushBlob(client, repository, b);

  const dockerManifest = json({ schemaVersion: 2, mediaType: MediaTypes.DockerManifest, config: descriptor('application/vnd.docker.container.image.v1+json', config), layers: [descriptor('application/vnd.docker.image.rootfs.diff.tar.gzip', layer)] });
  const ociManifest = json({ schemaVersion: 2, mediaType: MediaTypes.OciManifest, config: descriptor('application/vnd.oci.image.config.v1+json', config), layers: [descriptor('application/vnd.oci.image.layer.v1.tar+gzip', layer)] });
  const platform = { architecture: 'amd64', os: 'linux' };
  const dockerList = json({ schemaVersion: 2, mediaType: MediaTypes.DockerManifestList, manifests: [{ mediaType: MediaTypes.DockerManifest, size: dockerManifest.length, digest: digestOf(dockerManifest), platform }] });
  const ociIndex = json({ schemaVersion: 2, mediaType: MediaTypes.OciIndex, manifests: [{ mediaType: MediaTypes.OciManifest, size: ociManifest.length, digest: digestOf(ociManifest), platform }] });
  // image-spec v1.1.0 manifest.md "Guidelines for Artifact Usage": artifactType with the empty config
  const artifact = json({ schemaVersion: 2, mediaType: MediaTypes.OciManifest, artifactType: 'application/vnd.jcrkit.probe.v1', config: descriptor(OCI_EMPTY, empty), layers: [descriptor(OCI_EMPTY, empty)] });

  // children before the lists that name them
  const plan: Array<{ name: string; mediaType: string; tag: string; bytes: Buffer; needs?: string }> = [
    { name: 'Docker manifest (schema 2)', mediaType: MediaTypes.DockerManifest, tag: 'jcrkit-probe-docker-manifest', bytes: dockerManifest },
    { name: 'Docker manifest list', mediaType: MediaTypes.DockerManifestList, tag: 'jcrkit-probe-docker-list', bytes: dockerList, needs: MediaTypes.DockerManifest },
    { name: 'OCI image manifest', mediaType: MediaTypes.OciManifest, tag: 'jcrkit-probe-oci-manifest', bytes: ociManifest },
    { name: 'OCI image index', mediaType: MediaTypes.OciIndex, tag: 'jcrkit-probe-oci-index', bytes: ociIndex, needs: 'oci-manifest' },
    { name: 'OCI artifact (artifactType)', mediaType: MediaTypes.OciManifest, tag: 'jcrkit-probe-oci-artifact', bytes: artifact },
  ];
  const cases: ProbeCase[] = [];
  for (const step of plan) {
    const c: ProbeCase = { name: step.name, mediaType: step.mediaType, tag: step.tag, accepted: false, digest: digestOf(step.bytes), cleanup: 'none' };
    const prerequisite = step.needs === MediaTypes.DockerManifest ? cases[0] : step.needs === 'oci-manifest' ? cases[2] : undefined;
    if (prerequisite && !prerequisite.accepted) {
      c.refusal = `not tried: needs the ${prerequisite.name}, which was refused`;
    } else {
      try {
        await client.putManifest(repository, step.tag, step.bytes, step.mediaType);
        c.accepted = true;
      } catch (err) {
        if (!(err instanceof RegistryError) || err.status === undefined || err.status === 401 || err.status === 403) throw err;
        c.refusal = err.message.replace(/^.*? failed on [^ ]+ \((.*)\)$/, '$1');
      }
    }
    log(`${c.accepted ? 'accepted' : 'refused '} ${step.name} (${step.mediaType})${c.refusal ? `: ${c.refusal}` : ''}`);
    cases.push(c);
  }

  // clean up, lists first (a registry may refuse to delete a manifest a list still names)
  for (const c of [...cases].reverse()) {
    if (!c.accepted) continue;
    try {
      const outcome = await client.deleteManifest(repository, c.digest);
      c.cleanup = outcome === 'deleted' ? 'deleted' : 'delete-not-allowed';
    } catch (err) {
      c.cleanup = 'delete-failed';
      c.cleanupError = err instanceof RegistryError ? err.message : String(err);
    }
  }
  const accepted = [...new Set(cases.filter((c) => c.accepted).map((c) => c.mediaType))];
  return {
    registry: client.registry,
    repository,
    cases,
    accepted,
    ociImages: cases[2].accepted && cases[3].accepted,
    deleteAllowed: cases.some((c) => c.cleanup === 'deleted'),
  };
}
