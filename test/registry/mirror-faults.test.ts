/**
 * Faults injected by a proxy between jcrkit and real registries: transient errors are retried with
 * backoff (through an injected sleep), bad content fails the image and leaves no tag behind.
 */
import { mirror, mirrorMany, MirrorFailedError } from '../../lib/registry';
import type { MirrorEvent, MirrorOptions } from '../../lib/registry';
import { startRegistry, type LocalRegistry } from '../fakes/registry/process';
import { startFaultProxy, type FaultProxy, type ProxiedRequest } from '../fakes/registry/fault-proxy';
import { buildImage, getManifest, pushImage, rawRequest, sha256, type TestImage } from '../fakes/registry/images';

let source: LocalRegistry;
let destination: LocalRegistry;
let proxyA: FaultProxy;
let proxyB: FaultProxy;
let image: TestImage;
let sleeps: number[];
let events: MirrorEvent[];
let repoCounter = 0;

function options(extra: MirrorOptions = {}): MirrorOptions {
  return {
    insecure: true,
    authFile: false,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onEvent: (e) => events.push(e),
    ...extra,
  };
}

/** A fresh destination repository per test so nothing is skipped by accident. */
const nextDestination = () => `${proxyB.host}/faults/app${++repoCounter}:v1`;
const blobUpload = (r: ProxiedRequest) => r.method === 'PUT' && r.path.includes('/blobs/uploads/');
const blobGet = (digest: string) => (r: ProxiedRequest) => r.method === 'GET' && r.path === `/v2/src/app/blobs/${digest}`;
/** A layer unique to the first platform. */
const victim = () => JSON.parse(image.manifests[0].bytes.toString()).layers.at(-1).digest as string;

async function blobExists(repo: string, digest: string): Promise<boolean> {
  return (await rawRequest('HEAD', `${destination.url}/v2/${repo}/blobs/${digest}`)).status === 200;
}

beforeAll(async () => {
  [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
  [proxyA, proxyB] = await Promise.all([startFaultProxy(source), startFaultProxy(destination)]);
  image = buildImage({ platforms: ['linux/amd64', 'linux/arm64'], layers: 2, layerSize: 256 * 1024 });
  await pushImage(source.url, 'src/app', 'v1', image);
});

afterAll(async () => {
  await Promise.all([proxyA?.stop(), proxyB?.stop()]);
  await Promise.all([source?.stop(), destination?.stop()]);
});

beforeEach(() => {
  sleeps = [];
  events = [];
  proxyA.clearFaults();
  proxyB.clearFaults();
  proxyA.clearLog();
  proxyB.clearLog();
});

test('a 500 on one blob upload is retried with backoff and the copy completes', async () => {
  const rule = proxyB.addFault(blobUpload, { kind: 'status', status: 500 }, 1);
  const dst = nextDestination();

  const result = await mirror(`${proxyA.host}/src/app:v1`, dst, options());

  expect(rule.hits).toBe(1);
  expect(result.status).toBe('copied');
  expect(result.blobs.copied).toBe(image.blobs.length);
  expect(sleeps.length).toBeGreaterThanOrEqual(1);
  expect(events.some((e) => e.type === 'blob' && e.progress.phase === 'retry')).toBe(true);
  const top = await getManifest(destination.url, dst.split('/').slice(1).join('/').replace(':v1', ''), 'v1');
  expect(sha256(top.body)).toBe(image.top.digest);
});

test('429 with Retry-After on a manifest read waits as told, then succeeds', async () => {
  proxyA.addFault((r) => r.method === 'GET' && r.path.includes('/manifests/'), { kind: 'status', status: 429, headers: { 'retry-after': '2' } }, 1);

  const result = await mirror(`${proxyA.host}/src/app:v1`, nextDestination(), options());

  expect(result.status).toBe('copied');
  expect(sleeps).toContain(2000);
  expect(events.some((e) => e.type === 'retry' && e.notice.reason === 'HTTP 429')).toBe(true);
});

test('a connection reset on a blob download is retried', async () => {
  const rule = proxyA.addFault(blobGet(victim()), { kind: 'reset' }, 1);

  const result = await mirror(`${proxyA.host}/src/app:v1`, nextDestination(), options());

  expect(rule.hits).toBe(1);
  expect(result.status).toBe('copied');
});

test('a blob cut off mid-stream once is fetched again', async () => {
  const rule = proxyA.addFault(blobGet(victim()), { kind: 'truncate', mode: 'close' }, 1);

  const result = await mirror(`${proxyA.host}/src/app:v1`, nextDestination(), options());

  expect(rule.hits).toBe(1);
  expect(result.status).toBe('copied');
});

test('a source serving corrupt bytes fails the image at once; nothing is stored or tagged', async () => {
  const digest = victim();
  const rule = proxyA.addFault(blobGet(digest), { kind: 'corrupt' });
  const dst = nextDestination();
  const repo = dst.slice(proxyB.host.length + 1, -':v1'.length);

  const failure = (await mirror(`${proxyA.host}/src/app:v1`, dst, options()).catch((e: unknown) => e)) as MirrorFailedError;

  expect(failure).toBeInstanceOf(MirrorFailedError);
  expect(failure.result.error).toMatchObject({ code: 'digest-mismatch', side: 'source', registry: proxyA.host });
  expect(failure.result.error!.message).toContain(`blob from ${proxyA.host}/src/app does not match its digest ${digest}`);
  expect(rule.hits).toBe(1); // corrupt content is not retried (it would only be corrupt again)
  expect(await blobExists(repo, digest)).toBe(false);
  expect((await getManifest(destination.url, repo, 'v1')).status).toBe(404);
  expect((await getManifest(destination.url, repo, image.manifests[0].digest)).status).toBe(404);
  // the upload of the bad blob never completed
  expect(proxyB.log.filter((e) => blobUpload(e) && e.path.includes(digest.slice(7)) && e.status === 201)).toEqual([]);
});

test('a blob that always ends early fails after the retries with a clear size message', async () => {
  const digest = victim();
  const rule = proxyA.addFault(blobGet(digest), { kind: 'truncate', mode: 'end' });
  const dst = nextDestination();
  const repo = dst.slice(proxyB.host.length + 1, -':v1'.length);

  const report = await mirrorMany([{ source: `${proxyA.host}/src/app:v1`, destination: dst }], options({ retries: 2 }));

  expect(report.ok).toBe(false);
  expect(report.images[0].error).toMatchObject({ code: 'size-mismatch', side: 'source' });
  expect(report.images[0].error!.message).toMatch(new RegExp(`${digest} delivered \\d+ of ${image.blobs.find((b) => b.digest === digest)!.bytes.length} bytes \\(truncated\\)`));
  expect(rule.hits).toBe(3);
  expect(await blobExists(repo, digest)).toBe(false);
  expect((await getManifest(destination.url, repo, 'v1')).status).toBe(404);
});

test('uploads that keep failing give up after the retries and name the destination', async () => {
  proxyB.addFault(blobUpload, { kind: 'status', status: 503 });

  const report = await mirrorMany([{ source: `${proxyA.host}/src/app:v1`, destination: nextDestination() }], options({ retries: 1 }));

  expect(report.images[0].error).toMatchObject({ code: 'registry-error', side: 'destination' });
  expect(report.images[0].error!.message).toMatch(/^upload of sha256:[0-9a-f]{64} to faults\/app\d+ failed on 127\.0\.0\.1:\d+ \(unknown: injected fault\)$/);
});
