/**
 * Many images at once and the things a long run meets: `--file` lists (one image failing doesn't
 * stop the others), source mirrors checked against pinned digests, one line per image in a pipe,
 * a stray 401 mid-run, a registry that answers HEAD on manifests with 405. Real docker-registry
 * instances, the real CLI as a subprocess.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageListError, parseImageList } from '../../lib/registry/image-list';
import { applySourceMirror, parseSourceMirrorArg } from '../../lib/registry/source-mirrors';
import { parseImageReference } from '../../lib/registry/reference';
import { runCli } from '../helpers/cli';
import { startFaultProxy, type FaultProxy } from '../fakes/registry/fault-proxy';
import { basicAuthorization, buildImage, getManifest, pushImage, sha256, type TestImage } from '../fakes/registry/images';
import { startRegistry, type LocalRegistry } from '../fakes/registry/process';

const USER = 'dora';
const PASSWORD = 'many-images-pw';

let work: string;
let source: LocalRegistry;
let destination: LocalRegistry;
let proxy: FaultProxy;
let images: TestImage[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'jcrkit-mirror-many-'));
  [source, destination] = await Promise.all([startRegistry(), startRegistry({ kind: 'htpasswd', users: { [USER]: PASSWORD } })]);
  proxy = await startFaultProxy(destination);
  images = [0, 1, 2].map(() => buildImage({ platforms: ['linux/amd64', 'linux/arm64'], layers: 1, sharedLayers: 1 }));
  await Promise.all(images.map((image, i) => pushImage(source.url, `apps/app${i}`, 'v1', image)));
  // a "mirror" of Docker Hub: the same repository paths under a prefix
  await pushImage(source.url, 'hub/library/node', '20-alpine', images[0]);
});
afterAll(async () => {
  await Promise.all([source?.stop(), destination?.stop(), proxy?.stop()]);
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  proxy.clearFaults();
  proxy.clearLog();
});

const creds = ['--dest-creds', `${USER}:${PASSWORD}`];
const auth = basicAuthorization(USER, PASSWORD);
const file = (name: string, text: string) => {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
};

test('--file: every image concurrently, one table, the failing one named; exit 1', async () => {
  const list = file(
    'list.txt',
    [
      '# SRC DST',
      `${source.host}/apps/app0:v1 ${proxy.host}/many/app0:v1`,
      '',
      `${source.host}/apps/missing:v1 ${proxy.host}/many/missing:v1   # not there`,
      `${source.host}/apps/app1:v1 ${proxy.host}/many/app1:v1`,
      `${source.host}/apps/app2:v1 ${proxy.host}/many/app2:v1`,
    ].join('\n'),
  );
  const r = await runCli(['mirror', '--insecure', '--file', list, ...creds]);
  expect(r.code).toBe(1);
  const table = r.stdout.trimEnd().split('\n');
  expect(table[0]).toMatch(/^IMAGE\s+DESTINATION/);
  expect(table).toHaveLength(1 + 4 + 1); // header, four images, total
  expect(table[5]).toMatch(/^4 images .* 1 failed$/);
  expect(r.stderr).toMatch(/^error: mirror of .*apps\/missing:v1 .* failed: manifest apps\/missing:v1 not found/m);
  expect(r.stderr.trimEnd().split('\n').pop()).toBe(`error: 1 of 4 images failed: ${source.host}/apps/missing:v1`);
  for (const i of [0, 1, 2]) {
    expect(sha256((await getManifest(destination.url, `many/app${i}`, 'v1', auth)).body)).toBe(images[i].top.digest);
  }
  // in a pipe: a line when each image starts and one when it ends
  expect(r.stderr).toContain(`… ${source.host}/apps/app1:v1 -> ${proxy.host}/many/app1:v1\n`);
  expect(r.stderr).toMatch(new RegExp(`^✓ ${source.host}/apps/app1:v1 -> ${proxy.host}/many/app1:v1 \\(copied: `, 'm'));
  expect(r.stderr).toMatch(/^✗ .*apps\/missing:v1 .*\(failed\)$/m);
});

test('--file in YAML, with a pinned digest; a bad entry is exit 2 naming it, before any copy', async () => {
  const good = file('list.yaml', `- from: ${source.host}/apps/app2:v1\n  to: ${proxy.host}/yaml/app2:v1\n  digest: ${images[2].top.digest}\n`);
  const ok = await runCli(['mirror', '--insecure', '--file', good, '--output', 'json', ...creds]);
  expect(ok.code).toBe(0);
  expect(JSON.parse(ok.stdout).images[0]).toMatchObject({ status: 'copied', verified: true });

  proxy.clearLog();
  const bad = file('bad.yaml', `- from: ${source.host}/apps/app2:v1\n  to: ${proxy.host}/yaml/x:v1\n  tag: v2\n`);
  const r = await runCli(['mirror', '--insecure', '--file', bad, ...creds]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(`error: ${bad}: entry 1: unknown key "tag". Fix: use from, to, platform, digest\n`);
  expect(proxy.log).toEqual([]);
});

test('source mirror: pulled from the mirror by the upstream name, checked against the pinned digest', async () => {
  const list = file('hub.yaml', `- from: docker.io/library/node:20-alpine\n  to: ${proxy.host}/library/node:20-alpine\n  digest: ${images[0].top.digest}\n`);
  const r = await runCli(['mirror', '--insecure', '--file', list, '--source-mirror', `docker.io=${source.host}/hub`, '--output', 'json', ...creds]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).images[0]).toMatchObject({
    source: 'docker.io/library/node:20-alpine',
    pulledFrom: `${source.host}/hub/library/node:20-alpine`,
    status: 'copied',
    verified: true,
    digest: images[0].top.digest,
  });

  // the mirror serving something else than what is pinned: nothing is copied
  const pinnedElsewhere = file('hub-wrong.yaml', `- from: docker.io/library/node:20-alpine\n  to: ${proxy.host}/library/wrong:1\n  digest: ${images[1].top.digest}\n`);
  const wrong = await runCli(['mirror', '--insecure', '--file', pinnedElsewhere, '--source-mirror', `docker.io=${source.host}/hub`, ...creds]);
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toContain(`source mirror ${source.host} serves ${images[0].top.digest} for docker.io/library/node:20-alpine, not the pinned ${images[1].top.digest}; nothing was copied`);
  expect(proxy.writes().filter((w) => w.path.includes('/library/wrong/'))).toEqual([]);
});

test('a single stray 401 mid-run (static credentials): authenticated once more, the copy completes', async () => {
  let stray = 0;
  proxy.addFault(
    (req) => req.method === 'PUT' && req.path.includes('/manifests/') && stray++ === 0,
    { kind: 'status', status: 401, headers: { 'www-authenticate': 'Basic realm="basic-realm"' }, body: JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }) },
    1,
  );
  proxy.addFault((req) => req.method === 'PUT' && req.path.includes('/blobs/uploads/'), { kind: 'status', status: 401, headers: { 'www-authenticate': 'Basic realm="basic-realm"' } }, 1);
  const r = await runCli(['mirror', '--insecure', `${source.host}/apps/app1:v1`, `${proxy.host}/stray/app1:v1`, ...creds, '--output', 'json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(proxy.log.filter((e) => e.fault === 'status')).toHaveLength(2);
  expect(sha256((await getManifest(destination.url, 'stray/app1', 'v1', auth)).body)).toBe(images[1].top.digest);
});

test('HEAD on manifests answered 405: GET instead, and a re-run is still a no-op', async () => {
  proxy.addFault((req) => req.method === 'HEAD' && req.path.includes('/manifests/'), { kind: 'status', status: 405 });
  const dst = `${proxy.host}/nohead/app2:v1`;
  const first = await runCli(['mirror', '--insecure', `${source.host}/apps/app2:v1`, dst, ...creds, '--output', 'json']);
  expect(first.code).toBe(0);
  const again = await runCli(['mirror', '--insecure', `${source.host}/apps/app2:v1`, dst, ...creds, '--output', 'json']);
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout).images[0].status).toBe('unchanged');
  // one refused HEAD per run, then GETs
  expect(proxy.log.filter((e) => e.method === 'HEAD' && e.path.includes('/manifests/'))).toHaveLength(2);
});

test('retries show up in a pipe, as they happen', async () => {
  proxy.addFault((req) => req.method === 'HEAD' && req.path.includes('/manifests/'), { kind: 'status', status: 503 }, 1);
  const r = await runCli(['mirror', '--insecure', `${source.host}/apps/app0:v1`, `${proxy.host}/retry/app0:v1`, ...creds]);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/^warning: manifest retry\/app0:v1 on 127\.0\.0\.1:\d+: HTTP 503; retry 1 in \d+\.\ds$/m);
});

describe('list and mirror parsing', () => {
  test('line form: comments, blank lines, exactly two fields', () => {
    expect(parseImageList('# x\n\na:1 b:1 # c\n  c:2\td:2\n', 'l')).toEqual([
      { source: 'a:1', destination: 'b:1' },
      { source: 'c:2', destination: 'd:2' },
    ]);
    expect(() => parseImageList('a:1\n', 'l')).toThrow(new ImageListError('l:1: expected "SRC DST", got 1 field'));
    expect(() => parseImageList('a:1 b/Bad\n', 'l')).toThrow(/^l:1: invalid image reference "b\/Bad"/);
    expect(() => parseImageList('# nothing\n', 'l')).toThrow(/lists no images/);
  });

  test('--source-mirror REGISTRY=MIRROR[/prefix]; Docker Hub aliases match; other registries untouched', () => {
    expect(parseSourceMirrorArg('docker.io=docker.m.daocloud.io')).toEqual(['docker.io', 'docker.m.daocloud.io']);
    expect(() => parseSourceMirrorArg('docker.io')).toThrow(/expected REGISTRY=MIRROR/);
    expect(() => parseSourceMirrorArg('docker.io=https://m.example')).toThrow(/without a URL scheme/);
    const mirrors = { 'docker.io': 'm.example/hub', 'ghcr.io': 'ghcr.m.example' };
    expect(applySourceMirror(parseImageReference('nginx:1.25'), mirrors)).toEqual({ registry: 'm.example', repository: 'hub/library/nginx', tag: '1.25', digest: undefined });
    expect(applySourceMirror(parseImageReference('ghcr.io/me/app@sha256:' + 'a'.repeat(64)), mirrors)?.registry).toBe('ghcr.m.example');
    expect(applySourceMirror(parseImageReference('registry.k8s.io/pause:3.9'), mirrors)).toBeUndefined();
  });
});
