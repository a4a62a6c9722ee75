/**
 * Registries that accept only Docker schema 2: a fault proxy in front of a real docker-registry
 * answers every OCI manifest PUT with 400 MANIFEST_INVALID (distribution's answer to a type it
 * does not take). `auto` converts to a Docker manifest list over the same blobs and drops the
 * attestation manifest; `keep` fails; `docker` converts up front. What lands is read back with
 * `skopeo inspect --raw`, independent of the code under test.
 */
import { convertImageManifest, convertIndex, isAttestation, isMediaTypeRejection } from '../../lib/registry/convert';
import { RegistryError } from '../../lib/registry/errors';
import { MediaTypes, parseManifest } from '../../lib/registry/manifest';
import { runCli } from '../helpers/cli';
import { startFaultProxy, type FaultProxy } from '../fakes/registry/fault-proxy';
import { buildImage, pushImage, sha256, skopeoInspectRaw, withAttestation, type TestImage } from '../fakes/registry/images';
import { startRegistry, type LocalRegistry } from '../fakes/registry/process';

const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';

let source: LocalRegistry;
let backend: LocalRegistry;
let dockerOnly: FaultProxy;
let image: TestImage;

beforeAll(async () => {
  [source, backend] = await Promise.all([startRegistry(), startRegistry()]);
  dockerOnly = await startFaultProxy(backend);
  dockerOnly.addFault((r) => r.method === 'PUT' && r.path.includes('/manifests/') && !!r.contentType?.startsWith('application/vnd.oci.'), {
    kind: 'status',
    status: 400,
    body: JSON.stringify({ errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid', detail: 'unsupported media type' }] }),
  });
  image = withAttestation(buildImage({ platforms: ['linux/amd64', 'linux/arm64'], layers: 2, format: 'oci' }));
  await pushImage(source.url, 'hub/node', '20-alpine', image);
});
afterAll(async () => Promise.all([source?.stop(), backend?.stop(), dockerOnly?.stop()]));

interface Descriptorish {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string };
}

/** What skopeo sees at the destination: the list, and each manifest it names. */
async function inspectTree(reference: string) {
  const list = JSON.parse((await skopeoInspectRaw(reference)).toString('utf8')) as { mediaType: string; manifests: Descriptorish[] };
  const repo = reference.replace(/:[^:/]+$/, '');
  const children = await Promise.all(
    list.manifests.map(async (m) => {
      const raw = await skopeoInspectRaw(`${repo}@${m.digest}`);
      expect(sha256(raw)).toBe(m.digest);
      return JSON.parse(raw.toString('utf8')) as { mediaType: string; config: Descriptorish; layers: Descriptorish[] };
    }),
  );
  return { list, children };
}

test('auto: an OCI index the destination refuses arrives as a Docker manifest list over the same blobs, attestation dropped, with a warning', async () => {
  const dst = `${dockerOnly.host}/mirror/node:20-alpine`;
  const r = await runCli(['mirror', '--insecure', `${source.host}/hub/node:20-alpine`, dst]);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/^warning: .*refused application\/vnd\.oci\.image\.(index|manifest)\.v1\+json .*converted to Docker schema 2/m);
  expect(r.stderr).toMatch(/^warning: .*dropped 1 attestation manifest/m);

  const { list, children } = await inspectTree(dst);
  expect(list.mediaType).toBe(MediaTypes.DockerManifestList);
  expect(list.manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`)).toEqual(['linux/amd64', 'linux/arm64']);
  expect(list.manifests.every((m) => m.mediaType === MediaTypes.DockerManifest)).toBe(true);
  const sourceManifests = image.manifests.filter((m) => m.platform !== 'unknown/unknown').map((m) => JSON.parse(m.bytes.toString('utf8')) as { config: Descriptorish; layers: Descriptorish[] });
  children.forEach((child, i) => {
    expect(child.mediaType).toBe(MediaTypes.DockerManifest);
    expect(child.config).toEqual({ mediaType: DOCKER_CONFIG, size: sourceManifests[i].config.size, digest: sourceManifests[i].config.digest });
    expect(child.layers.map((l) => l.mediaType)).toEqual(sourceManifests[i].layers.map(() => DOCKER_LAYER));
    expect(child.layers.map((l) => l.digest)).toEqual(sourceManifests[i].layers.map((l) => l.digest)); // same blobs
  });

  // the report says what images.digests should hold: the new digest, with the source's beside it
  const listDigest = sha256(await skopeoInspectRaw(dst));
  expect(r.stdout).toContain(`${dst}: ${listDigest} (source ${image.top.digest})`);
  expect(listDigest).not.toBe(image.top.digest);

  // a second run recognises its own conversion: unchanged, nothing written
  dockerOnly.clearLog();
  const again = await runCli(['mirror', '--insecure', '--output', 'json', `${source.host}/hub/node:20-alpine`, dst]);
  expect(again.code).toBe(0);
  const result = JSON.parse(again.stdout).images[0];
  expect(result).toMatchObject({ status: 'unchanged', digest: listDigest, sourceDigest: image.top.digest, convertedTo: 'docker' });
  expect(dockerOnly.writes()).toEqual([]);
});

test('--format keep: the refusal is the error, nothing tagged', async () => {
  const dst = `${dockerOnly.host}/mirror/keep:v1`;
  const r = await runCli(['mirror', '--insecure', '--format', 'keep', `${source.host}/hub/node:20-alpine`, dst]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^error: mirror of .* failed: .*manifest_invalid: manifest invalid/m);
  await expect(skopeoInspectRaw(dst)).rejects.toThrow(/manifest unknown/);
});

test('--format docker converts up front, even where OCI would be accepted; --format oci converts back', async () => {
  const dockerDst = `${backend.host}/fmt/docker:v1`;
  const r = await runCli(['mirror', '--insecure', '--format', 'docker', '--output', 'json', `${source.host}/hub/node:20-alpine`, dockerDst]);
  expect(r.code).toBe(0);
  const result = JSON.parse(r.stdout).images[0];
  expect(result).toMatchObject({ status: 'copied', convertedTo: 'docker', sourceDigest: image.top.digest });
  expect(result.notes).toEqual([expect.stringMatching(/dropped 1 attestation manifest/)]);
  expect(JSON.parse((await skopeoInspectRaw(dockerDst)).toString('utf8')).mediaType).toBe(MediaTypes.DockerManifestList);

  const ociDst = `${backend.host}/fmt/oci:v1`;
  const back = await runCli(['mirror', '--insecure', '--format', 'oci', '--output', 'json', dockerDst, ociDst]);
  expect(back.code).toBe(0);
  const { list, children } = await inspectTree(ociDst);
  expect(list.mediaType).toBe(MediaTypes.OciIndex);
  expect(children.every((c) => c.mediaType === MediaTypes.OciManifest && c.layers.every((l) => l.mediaType === 'application/vnd.oci.image.layer.v1.tar+gzip'))).toBe(true);
});

describe('conversion rules', () => {
  const manifest = (layers: string[], config = 'application/vnd.oci.image.config.v1+json') =>
    parseManifest(
      Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.OciManifest, config: { mediaType: config, size: 2, digest: `sha256:${'c'.repeat(64)}` }, layers: layers.map((mediaType, i) => ({ mediaType, size: 3, digest: `sha256:${String(i).repeat(64)}`, annotations: { a: 'b' } })) })),
    ) as Extract<ReturnType<typeof parseManifest>, { kind: 'image' }>;

  test('OCI layer and config types map to Docker ones; annotations go; output is deterministic', () => {
    const m = manifest(['application/vnd.oci.image.layer.v1.tar+gzip', 'application/vnd.oci.image.layer.v1.tar']);
    const a = convertImageManifest(m, 'docker', 'm');
    const doc = JSON.parse(a.bytes.toString('utf8'));
    expect(doc).toEqual({
      schemaVersion: 2,
      mediaType: MediaTypes.DockerManifest,
      config: { mediaType: DOCKER_CONFIG, size: 2, digest: `sha256:${'c'.repeat(64)}` },
      layers: [
        { mediaType: DOCKER_LAYER, size: 3, digest: `sha256:${'0'.repeat(64)}` },
        { mediaType: 'application/vnd.docker.image.rootfs.diff.tar', size: 3, digest: `sha256:${'1'.repeat(64)}` },
      ],
    });
    expect(convertImageManifest(m, 'docker', 'm').digest).toBe(a.digest);
  });

  test('zstd layers and artifacts cannot become Docker schema 2, and say why', () => {
    expect(() => convertImageManifest(manifest(['application/vnd.oci.image.layer.v1.tar+zstd']), 'docker', 'manifest x')).toThrow(/layer 0 .*zstd.*no zstd layer type/);
    expect(() => convertImageManifest(manifest([DOCKER_LAYER], 'application/vnd.cncf.helm.config.v1+json'), 'docker', 'manifest x')).toThrow(/is an artifact/);
  });

  test('index: platforms kept, children by their new digests; attestation entries recognised', () => {
    const child = convertImageManifest(manifest(['application/vnd.oci.image.layer.v1.tar+gzip']), 'docker', 'm');
    const list = JSON.parse(convertIndex([{ source: { mediaType: MediaTypes.OciManifest, digest: `sha256:${'d'.repeat(64)}`, size: 1, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }, converted: child }], 'docker').bytes.toString('utf8'));
    expect(list.manifests).toEqual([{ mediaType: MediaTypes.DockerManifest, size: child.bytes.length, digest: child.digest, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } }]);
    expect(isAttestation({ mediaType: '', digest: '', size: 0, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } })).toBe(true);
  });

  test('what counts as "this registry does not take this media type"', () => {
    expect(isMediaTypeRejection(new RegistryError('registry-error', 'x', { status: 400, registryCodes: ['MANIFEST_INVALID'] }))).toBe(true);
    expect(isMediaTypeRejection(new RegistryError('registry-error', 'x', { status: 415 }))).toBe(true);
    expect(isMediaTypeRejection(new RegistryError('registry-error', 'push failed (unsupported media type)', { status: 400 }))).toBe(true);
    expect(isMediaTypeRejection(new RegistryError('registry-error', 'x', { status: 400, registryCodes: ['BLOB_UNKNOWN'] }))).toBe(false);
    expect(isMediaTypeRejection(new RegistryError('access-denied', 'x', { status: 403 }))).toBe(false);
  });
});
