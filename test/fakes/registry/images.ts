/**
 * Build small multi-platform test images in memory (random gzip layers, real config JSON, OCI or
 * Docker schema2 media types), and get them into a registry: as an OCI layout for `skopeo copy`,
 * or pushed with plain HTTP calls that don't depend on the code under test.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ImageBlob {
  digest: string;
  mediaType: string;
  bytes: Buffer;
}

export interface ImageManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  platform?: string;
}

export interface TestImage {
  /** the index (multi-platform) or the single manifest */
  top: ImageManifest;
  /** one per platform */
  manifests: ImageManifest[];
  /** configs and layers, each digest once */
  blobs: ImageBlob[];
}

export interface BuildImageOptions {
  platforms: string[];
  /** layers per platform that are unique to it */
  layers?: number;
  layerSize?: number;
  /** layers shared by every platform (listed first) */
  sharedLayers?: number;
  format?: 'oci' | 'docker';
  /** an index even for one platform (default: only when there are several) */
  index?: boolean;
}

const TYPES = {
  oci: {
    index: 'application/vnd.oci.image.index.v1+json',
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
  docker: {
    index: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
};

export const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function randomLayer(size: number, mediaType: string): { blob: ImageBlob; diffId: string } {
  const raw = randomBytes(size);
  // Real gzip (stored, level 0: fast and as large as the data) so skopeo sees a compressed layer
  // and passes it through instead of compressing it again (which would change digests).
  const bytes = gzipSync(raw, { level: 0 });
  return { blob: { digest: sha256(bytes), mediaType, bytes }, diffId: sha256(raw) };
}

function descriptorOf(item: { digest: string; mediaType: string; bytes: Buffer }) {
  return { mediaType: item.mediaType, digest: item.digest, size: item.bytes.length };
}

export function buildImage(options: BuildImageOptions): TestImage {
  const types = TYPES[options.format ?? 'oci'];
  const layerSize = options.layerSize ?? 4096;
  const shared = Array.from({ length: options.sharedLayers ?? 0 }, () => randomLayer(layerSize, types.layer));
  const blobs = new Map<string, ImageBlob>();
  shared.forEach((l) => blobs.set(l.blob.digest, l.blob));
  const manifests: ImageManifest[] = [];

  for (const platform of options.platforms) {
    const [os, architecture, variant] = platform.split('/');
    const own = Array.from({ length: options.layers ?? 2 }, () => randomLayer(layerSize, types.layer));
    const layers = [...shared, ...own];
    own.forEach((l) => blobs.set(l.blob.digest, l.blob));
    const configBytes = Buffer.from(
      JSON.stringify({
        architecture,
        os,
        ...(variant ? { variant } : {}),
        config: { Env: [`PLATFORM=${platform}`] },
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      }),
    );
    const config: ImageBlob = { digest: sha256(configBytes), mediaType: types.config, bytes: configBytes };
    blobs.set(config.digest, config);
    const manifestBytes = Buffer.from(
      JSON.stringify(
        { schemaVersion: 2, mediaType: types.manifest, config: descriptorOf(config), layers: layers.map((l) => descriptorOf(l.blob)) },
        null,
        3, // unusual indentation: any re-serialization on the way would change the digest
      ),
    );
    manifests.push({ digest: sha256(manifestBytes), mediaType: types.manifest, bytes: manifestBytes, platform });
  }

  const wantIndex = options.index ?? options.platforms.length > 1;
  let top = manifests[0];
  if (wantIndex) {
    const indexBytes = Buffer.from(
      JSON.stringify(
        {
          schemaVersion: 2,
          mediaType: types.index,
          manifests: manifests.map((m) => {
            const [os, architecture, variant] = m.platform!.split('/');
            return { ...descriptorOf(m), platform: { architecture, os, ...(variant ? { variant } : {}) } };
          }),
        },
        null,
        1,
      ),
    );
    top = { digest: sha256(indexBytes), mediaType: types.index, bytes: indexBytes };
  }
  return { top, manifests, blobs: [...blobs.values()] };
}

/** Write an OCI image layout directory holding the image under `tag`. */
export function writeOciLayout(dir: string, image: TestImage, tag: string): void {
  const blobDir = join(dir, 'blobs', 'sha256');
  mkdirSync(blobDir, { recursive: true });
  const put = (item: { digest: string; bytes: Buffer }) => writeFileSync(join(blobDir, item.digest.slice('sha256:'.length)), item.bytes);
  image.blobs.forEach(put);
  image.manifests.forEach(put);
  put(image.top);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ ...descriptorOf(image.top), annotations: { 'org.opencontainers.image.ref.name': tag } }] }),
  );
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A plain HTTP call, independent of lib/registry. */
export function rawRequest(method: string, url: string, headers: Record<string, string> = {}, body?: Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Push blobs (POST + monolithic PUT), platform manifests by digest, then the top manifest under `tag`. */
export async function pushImage(registryUrl: string, repository: string, tag: string, image: TestImage, authorization?: string): Promise<void> {
  const auth: Record<string, string> = authorization ? { authorization } : {};
  for (const blob of image.blobs) {
    const start = await rawRequest('POST', `${registryUrl}/v2/${repository}/blobs/uploads/`, auth);
    if (start.status !== 202) throw new Error(`upload start ${start.status}: ${start.body.toString()}`);
    const location = new URL(String(start.headers.location), registryUrl);
    location.searchParams.set('digest', blob.digest);
    const done = await rawRequest('PUT', location.toString(), { ...auth, 'content-type': 'application/octet-stream' }, blob.bytes);
    if (done.status !== 201) throw new Error(`blob put ${done.status}: ${done.body.toString()}`);
  }
  const putManifest = async (reference: string, m: ImageManifest) => {
    const res = await rawRequest('PUT', `${registryUrl}/v2/${repository}/manifests/${reference}`, { ...auth, 'content-type': m.mediaType }, m.bytes);
    if (res.status !== 201) throw new Error(`manifest put ${res.status}: ${res.body.toString()}`);
  };
  if (image.top !== image.manifests[0] || image.manifests.length > 1) {
    for (const m of image.manifests) await putManifest(m.digest, m);
  }
  await putManifest(tag, image.top);
}

/** GET a manifest's raw bytes (status 404 when absent). */
export function getManifest(registryUrl: string, repository: string, reference: string, authorization?: string): Promise<RawResponse> {
  const accept = [TYPES.oci.index, TYPES.docker.index, TYPES.oci.manifest, TYPES.docker.manifest].join(', ');
  return rawRequest('GET', `${registryUrl}/v2/${repository}/manifests/${reference}`, { accept, ...(authorization ? { authorization } : {}) });
}

export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Run skopeo (no signature policy needed for local test registries). */
export function skopeo(args: string[]): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('skopeo', ['--insecure-policy', ...args], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`skopeo ${args.join(' ')} failed: ${stderr.toString()}`));
      else resolve({ stdout, stderr: stderr.toString() });
    });
  });
}

/** `skopeo inspect --raw`: the manifest bytes exactly as the registry serves them. */
export async function skopeoInspectRaw(reference: string, creds?: string): Promise<Buffer> {
  const { stdout } = await skopeo(['inspect', '--raw', '--tls-verify=false', ...(creds ? ['--creds', creds] : []), `docker://${reference}`]);
  return stdout;
}

/**
 * Add a BuildKit-style attestation manifest to an OCI index (as Docker Hub's official images have):
 * an OCI manifest of one in-toto layer, listed with platform unknown/unknown and the
 * `vnd.docker.reference.type: attestation-manifest` annotation (moby/buildkit
 * docs/attestations/attestation-storage.md).
 */
export function withAttestation(image: TestImage): TestImage {
  if (image.top.mediaType !== TYPES.oci.index) throw new Error('withAttestation needs an OCI index');
  const statement = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', predicateType: 'https://spdx.dev/Document', subject: [] }));
  const layer: ImageBlob = { digest: sha256(statement), mediaType: 'application/vnd.in-toto+json', bytes: statement };
  const configBytes = Buffer.from(JSON.stringify({ architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [layer.digest] } }));
  const config: ImageBlob = { digest: sha256(configBytes), mediaType: TYPES.oci.config, bytes: configBytes };
  const manifestBytes = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: TYPES.oci.manifest, config: descriptorOf(config), layers: [{ ...descriptorOf(layer), annotations: { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' } }] }),
  );
  const attestation: ImageManifest = { digest: sha256(manifestBytes), mediaType: TYPES.oci.manifest, bytes: manifestBytes, platform: 'unknown/unknown' };
  const index = JSON.parse(image.top.bytes.toString('utf8')) as { manifests: unknown[] };
  index.manifests.push({
    ...descriptorOf(attestation),
    platform: { architecture: 'unknown', os: 'unknown' },
    annotations: { 'vnd.docker.reference.digest': image.manifests[0].digest, 'vnd.docker.reference.type': 'attestation-manifest' },
  });
  const indexBytes = Buffer.from(JSON.stringify(index, null, 1));
  return {
    top: { digest: sha256(indexBytes), mediaType: TYPES.oci.index, bytes: indexBytes },
    manifests: [...image.manifests, attestation],
    blobs: [...image.blobs, layer, config],
  };
}
