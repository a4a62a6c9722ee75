/**
 * Mirroring between two real distribution 2.8 registries (plain HTTP), with counting proxies in
 * front, and skopeo as the independent oracle for what landed at the destination.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mirror, mirrorMany, MirrorFailedError } from '../../lib/registry';
import type { MirrorOptions } from '../../lib/registry';
import { startRegistry, type LocalRegistry } from '../fakes/registry/process';
import { startFaultProxy, type FaultProxy } from '../fakes/registry/fault-proxy';
import { buildImage, getManifest, pushImage, rawRequest, sha256, skopeo, skopeoInspectRaw, writeOciLayout, type TestImage } from '../fakes/registry/images';

const options: MirrorOptions = { insecure: true, authFile: false, sleep: async () => undefined };

let registryA: LocalRegistry;
let registryB: LocalRegistry;
let proxyA: FaultProxy;
let proxyB: FaultProxy;
let work: string;
let ociImage: TestImage;
let dockerImage: TestImage;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'jcrkit-mirror-copy-'));
  [registryA, registryB] = await Promise.all([startRegistry(), startRegistry()]);
  [proxyA, proxyB] = await Promise.all([startFaultProxy(registryA), startFaultProxy(registryB)]);

  // The source image is written by skopeo (a real peer), from an OCI layout we generate.
  ociImage = buildImage({ platforms: ['linux/amd64', 'linux/arm64/v8'], sharedLayers: 1, layers: 2, layerSize: 64 * 1024 });
  writeOciLayout(join(work, 'oci'), ociImage, 'v1');
  await skopeo(['copy', '--all', '--preserve-digests', '--dest-tls-verify=false', `oci:${join(work, 'oci')}:v1`, `docker://${registryA.host}/src/app:v1`]);

  dockerImage = buildImage({ platforms: ['linux/amd64', 'linux/arm/v7', 'windows/amd64'], format: 'docker', layers: 1 });
  await pushImage(registryA.url, 'src/docker', 'v2', dockerImage);
});

afterAll(async () => {
  await Promise.all([proxyA?.stop(), proxyB?.stop()]);
  await Promise.all([registryA?.stop(), registryB?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  proxyA.clearLog();
  proxyB.clearLog();
});

test('skopeo stored the generated OCI index unchanged (sanity check of the fixture)', async () => {
  expect(sha256(await skopeoInspectRaw(`${registryA.host}/src/app:v1`))).toBe(ociImage.top.digest);
});

test('copies every platform of an OCI index byte-for-byte, checked with skopeo', async () => {
  const result = await mirror(`${proxyA.host}/src/app:v1`, `${proxyB.host}/mirror/app:v1`, options);

  expect(result.status).toBe('copied');
  expect(result.digest).toBe(ociImage.top.digest);
  expect(result.mediaType).toBe('application/vnd.oci.image.index.v1+json');
  expect(result.platforms.sort()).toEqual(['linux/amd64', 'linux/arm64/v8']);
  expect(result.blobs).toEqual({ copied: ociImage.blobs.length, mounted: 0, skipped: 0 });
  expect(result.manifests).toEqual({ copied: 2, skipped: 0 });
  expect(result.bytes).toBe(ociImage.blobs.reduce((n, b) => n + b.bytes.length, 0));

  expect(sha256(await skopeoInspectRaw(`${registryB.host}/mirror/app:v1`))).toBe(ociImage.top.digest);
  for (const m of ociImage.manifests) {
    expect(sha256(await skopeoInspectRaw(`${registryB.host}/mirror/app@${m.digest}`))).toBe(m.digest);
  }
  // A full pull by skopeo verifies every blob digest at the destination.
  await skopeo(['copy', '--all', '--src-tls-verify=false', `docker://${registryB.host}/mirror/app:v1`, `oci:${join(work, 'pulled')}:v1`]);

  // Each manifest was written only after all its blobs were committed, the index last.
  const writes = proxyB.writes();
  const position = (predicate: (w: (typeof writes)[number]) => boolean) => writes.findIndex(predicate);
  const indexPut = position((w) => w.method === 'PUT' && w.path === '/v2/mirror/app/manifests/v1');
  expect(indexPut).toBe(writes.length - 1);
  for (const m of ociImage.manifests) {
    const manifestPut = position((w) => w.method === 'PUT' && w.path === `/v2/mirror/app/manifests/${m.digest}`);
    expect(manifestPut).toBeGreaterThan(-1);
    expect(manifestPut).toBeLessThan(indexPut);
    const parsed = JSON.parse(m.bytes.toString()) as { config: { digest: string }; layers: Array<{ digest: string }> };
    for (const blob of [parsed.config, ...parsed.layers]) {
      const committed = position((w) => w.method === 'PUT' && w.status === 201 && w.path.includes(`digest=${encodeURIComponent(blob.digest)}`));
      expect(committed).toBeGreaterThan(-1);
      expect(committed).toBeLessThan(manifestPut);
    }
  }
});

test('blob transfers are bounded by --jobs', async () => {
  const result = await mirror(`${proxyA.host}/src/docker:v2`, `${proxyB.host}/bounded/docker:v2`, { ...options, jobs: 2 });

  expect(result.blobs.copied).toBe(dockerImage.blobs.length); // 6 blobs, so 2 at a time is a real limit
  expect(proxyA.peakConcurrency((r) => r.method === 'GET' && r.path.includes('/blobs/'))).toBeLessThanOrEqual(2);
  expect(proxyB.peakConcurrency((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/'))).toBeLessThanOrEqual(2);
});

test('when the source tag moves, only what is missing is written: blobs present are skipped (HEAD)', async () => {
  await mirror(`${proxyA.host}/src/app:v1`, `${proxyB.host}/moved/app:v1`, options);
  const amd = ociImage.manifests.find((m) => m.platform === 'linux/amd64')!;
  const retag = await rawRequest('PUT', `${registryA.url}/v2/src/app/manifests/amd-only`, { 'content-type': amd.mediaType }, amd.bytes);
  expect(retag.status).toBe(201);
  proxyB.clearLog();

  const result = await mirror(`${proxyA.host}/src/app:amd-only`, `${proxyB.host}/moved/app:v1`, options);

  expect(result.status).toBe('copied');
  expect(result.digest).toBe(amd.digest);
  const amdBlobs = (JSON.parse(amd.bytes.toString()) as { layers: unknown[] }).layers.length + 1;
  expect(result.blobs).toEqual({ copied: 0, mounted: 0, skipped: amdBlobs });
  expect(result.bytes).toBe(0);
  expect(proxyB.writes().map((w) => `${w.method} ${w.path}`)).toEqual(['PUT /v2/moved/app/manifests/v1']);
  expect(sha256((await getManifest(registryB.url, 'moved/app', 'v1')).body)).toBe(amd.digest);
});

test('a second run with nothing changed reads two manifests heads and writes nothing', async () => {
  await mirror(`${proxyA.host}/src/app:v1`, `${proxyB.host}/again/app:v1`, options);
  proxyA.clearLog();
  proxyB.clearLog();

  const result = await mirror(`${proxyA.host}/src/app:v1`, `${proxyB.host}/again/app:v1`, options);

  expect(result.status).toBe('unchanged');
  expect(result.digest).toBe(ociImage.top.digest);
  expect(result.blobs).toEqual({ copied: 0, mounted: 0, skipped: 0 });
  expect(proxyB.writes()).toEqual([]);
  expect(proxyA.writes()).toEqual([]);
  const requests = (p: FaultProxy) => p.log.map((e) => `${e.method} ${e.path}`);
  expect(requests(proxyA)).toEqual(['HEAD /v2/src/app/manifests/v1']);
  expect(requests(proxyB)).toEqual(['HEAD /v2/again/app/manifests/v1']);
});

test('copies a Docker schema2 manifest list with its media types and digests intact', async () => {
  const result = await mirror(`${proxyA.host}/src/docker:v2`, `${proxyB.host}/mirror/docker`, options);

  expect(result.destination).toBe(`${proxyB.host}/mirror/docker:v2`); // tag taken from the source
  expect(result.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
  expect(result.platforms.sort()).toEqual(['linux/amd64', 'linux/arm/v7', 'windows/amd64']);
  const top = await getManifest(registryB.url, 'mirror/docker', 'v2');
  expect(top.headers['content-type']).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
  expect(sha256(top.body)).toBe(dockerImage.top.digest);
  for (const m of dockerImage.manifests) {
    const child = await getManifest(registryB.url, 'mirror/docker', m.digest);
    expect(child.headers['content-type']).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(child.body.equals(m.bytes)).toBe(true);
  }
});

test('manifests served as application/json are pushed back with their real media types', async () => {
  proxyA.addFault((r) => r.method === 'GET' && r.path.includes('/manifests/'), { kind: 'headers', set: { 'content-type': 'application/json' } });
  try {
    const result = await mirror(`${proxyA.host}/src/docker:v2`, `${proxyB.host}/json-typed/docker:v2`, options);
    expect(result.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
  } finally {
    proxyA.clearFaults();
  }
  const top = await getManifest(registryB.url, 'json-typed/docker', 'v2');
  expect(top.headers['content-type']).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
  expect(sha256(top.body)).toBe(dockerImage.top.digest);
  const child = await getManifest(registryB.url, 'json-typed/docker', dockerImage.manifests[0].digest);
  expect(child.headers['content-type']).toBe('application/vnd.docker.distribution.manifest.v2+json');
});

test('--platform writes just that platform manifest under the tag', async () => {
  const arm = ociImage.manifests.find((m) => m.platform === 'linux/arm64/v8')!;
  const result = await mirror(`${proxyA.host}/src/app:v1`, `${proxyB.host}/arm/app:v1`, { ...options, platform: 'linux/arm64' });

  expect(result.status).toBe('copied');
  expect(result.digest).toBe(arm.digest);
  expect(result.platforms).toEqual(['linux/arm64/v8']);
  expect(sha256(await skopeoInspectRaw(`${registryB.host}/arm/app:v1`))).toBe(arm.digest);
  const armBlobs = JSON.parse(arm.bytes.toString()) as { config: unknown; layers: unknown[] };
  expect(result.blobs.copied).toBe(1 + armBlobs.layers.length);
  const amd = ociImage.manifests.find((m) => m.platform === 'linux/amd64')!;
  expect((await getManifest(registryB.url, 'arm/app', amd.digest)).status).toBe(404);
});

test('an unknown platform fails with the list of platforms the image has', async () => {
  await expect(mirror(`${proxyA.host}/src/app:v1`, `${proxyB.host}/x/app:v1`, { ...options, platform: 'linux/s390x' })).rejects.toThrow(
    /platform linux\/s390x is not in the image \(it has: linux\/amd64, linux\/arm64\/v8\)/,
  );
});

test('within one registry, blobs are mounted from the source repository instead of uploaded', async () => {
  const result = await mirror(`${proxyA.host}/src/app:v1`, `${proxyA.host}/team/app:v1`, options);

  expect(result.status).toBe('copied');
  expect(result.blobs).toEqual({ copied: 0, mounted: ociImage.blobs.length, skipped: 0 });
  expect(result.bytes).toBe(0);
  const writes = proxyA.writes();
  expect(writes.filter((w) => w.method === 'POST').every((w) => w.path.includes('mount=') && w.path.includes('from=src%2Fapp'))).toBe(true);
  expect(writes.filter((w) => w.method === 'PATCH' || (w.method === 'PUT' && w.path.includes('/blobs/')))).toEqual([]);
  expect(sha256(await skopeoInspectRaw(`${registryA.host}/team/app:v1`))).toBe(ociImage.top.digest);
});

test('mirrorMany mounts blobs it already copied into another repository of the same destination', async () => {
  proxyB.clearLog();
  const report = await mirrorMany(
    [
      { source: `${proxyA.host}/src/app:v1`, destination: `${proxyB.host}/first/app:v1` },
      { source: `${proxyA.host}/src/app:v1`, destination: `${proxyB.host}/second/app:v1` },
    ],
    options,
  );

  expect(report.ok).toBe(true);
  // The two images run at once: each blob is uploaded by whichever asks first, and the other
  // waits for that upload and mounts it — every blob crosses the wire once.
  expect(report.totals.blobs).toEqual({ copied: ociImage.blobs.length, mounted: ociImage.blobs.length, skipped: 0 });
  const uploads = proxyB.writes().filter((w) => w.method === 'PUT' && w.path.includes('/blobs/uploads/'));
  expect(uploads).toHaveLength(ociImage.blobs.length);
});

test('--dry-run reads what it needs, plans every write and writes nothing', async () => {
  const report = await mirrorMany([{ source: `${proxyA.host}/src/app:v1`, destination: `${proxyB.host}/dry/app:v1` }], { ...options, dryRun: true });
  const [image] = report.images;

  expect(report.dryRun).toBe(true);
  expect(image.status).toBe('planned');
  expect(image.plan!.filter((p) => p.kind === 'blob' && p.action === 'copy')).toHaveLength(ociImage.blobs.length);
  const manifests = image.plan!.filter((p) => p.kind === 'manifest');
  expect(manifests.slice(0, -1).map((p) => p.digest).sort()).toEqual(ociImage.manifests.map((m) => m.digest).sort());
  expect(image.plan!.at(-1)).toMatchObject({ kind: 'manifest', digest: ociImage.top.digest, reference: 'v1', action: 'push' });
  expect(proxyB.writes()).toEqual([]);
  expect(proxyA.writes()).toEqual([]);
  expect((await getManifest(registryB.url, 'dry/app', 'v1')).status).toBe(404);
});

test('a source pinned by digest and a destination without tag is pushed by digest', async () => {
  const result = await mirror(`${proxyA.host}/src/app@${ociImage.top.digest}`, `${proxyB.host}/pinned/app`, options);

  expect(result.destination).toBe(`${proxyB.host}/pinned/app@${ociImage.top.digest}`);
  expect(result.status).toBe('copied');
  const stored = await getManifest(registryB.url, 'pinned/app', ociImage.top.digest);
  expect(sha256(stored.body)).toBe(ociImage.top.digest);
});

test('mirrorMany keeps going after a failed image and reports both', async () => {
  const report = await mirrorMany(
    [
      { source: `${proxyA.host}/src/missing:v1`, destination: `${proxyB.host}/missing/app:v1` },
      { source: `${proxyA.host}/src/app:v1`, destination: `${proxyB.host}/after-failure/app:v1` },
    ],
    options,
  );

  expect(report.ok).toBe(false);
  expect(report.totals).toMatchObject({ images: 2, failed: 1, copied: 1 });
  expect(report.images[0]).toMatchObject({ status: 'failed', error: { code: 'not-found', side: 'source', registry: proxyA.host } });
  expect(report.images[0].error!.message).toMatch(/manifest src\/missing:v1 not found on 127\.0\.0\.1:\d+/);
  expect(report.images[1].status).toBe('copied');
});

test('mirror() rejects with MirrorFailedError carrying the result', async () => {
  const failure = await mirror(`${proxyA.host}/src/missing:v1`, `${proxyB.host}/m/app:v1`, options).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(MirrorFailedError);
  expect((failure as MirrorFailedError).result.status).toBe('failed');
  expect((failure as Error).message).toMatch(/^mirror of 127\.0\.0\.1:\d+\/src\/missing:v1 to 127\.0\.0\.1:\d+\/m\/app:v1 failed: /);
});
