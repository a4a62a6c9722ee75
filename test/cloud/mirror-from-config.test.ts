/**
 * mirrorFromConfig with real parts: Debian `docker-registry` as the source and as the "JCR"
 * (htpasswd with user jdcloud, whose password is the one the fake JD Cloud's
 * GetAuthorizationToken hands out), the fake JD Cloud for repositories and tokens.
 */
import { loadConfig, type ResolvedConfig } from '../../lib/config';
import { REFRESHER_RUNTIME } from '../../lib/config/images';
import { CrApi } from '../../lib/jdcloud/cr';
import { mirrorFromConfig, mirrorPairsFromConfig } from '../../lib/cloud/mirror-from-config';
import type { MirrorOptions, MirrorPair, MirrorReport } from '../../lib/registry';
import { startHarness, type Harness } from '../fakes/jdcloud/harness';
import { buildImage, getManifest, basicAuthorization, pushImage, sha256, type TestImage } from '../fakes/registry/images';
import { startRegistry, type LocalRegistry } from '../fakes/registry/process';

const PASSWORD = 'jcr-token-password-1';
let source: LocalRegistry;
let jcr: LocalRegistry;
let image: TestImage;

beforeAll(async () => {
  [source, jcr] = await Promise.all([startRegistry(), startRegistry({ kind: 'htpasswd', users: { jdcloud: PASSWORD } })]);
  image = buildImage({ platforms: ['linux/amd64', 'linux/arm64'], layers: 1 });
  await pushImage(source.url, 'upstream/app', 'v1', image);
});
afterAll(async () => Promise.all([source?.stop(), jcr?.stop()]));

let h: Harness;
let passwords: string[];
beforeEach(async () => {
  passwords = [];
  h = await startHarness({ registries: [{ regionId: 'cn-north-1', name: 'myreg' }], settings: { tokenPassword: () => passwords.shift() ?? PASSWORD } });
});
afterEach(async () => h.jd.close());

/** The stack's config with the JCR host pointed at the local registry and every upstream at the source registry. */
function localConfig(): ResolvedConfig {
  const { config } = loadConfig({ env: {}, overrides: { 'registry.name': 'myreg', 'registry.host': jcr.host } });
  return { ...config, images: config.images.map((i) => (i.source ? { ...i, source: `${source.host}/upstream/app:v1` } : i)) };
}
const mirror: MirrorOptions = { insecure: true, authFile: false, sleep: async () => undefined };

test('ensures the repositories, copies every image with a source, prints digests for images.digests', async () => {
  h.jd.state.repositories.push({ regionId: 'cn-north-1', registryName: 'myreg', repositoryName: 'library/node', createdAt: '' });
  const config = localConfig();
  const lines: string[] = [];
  const secrets: string[] = [];
  const result = await mirrorFromConfig(config, { cr: new CrApi(h.client), mirror, log: (l) => lines.push(l), onSecret: (s) => secrets.push(s) });

  expect(result.repositoriesCreated).toEqual(['kubernetesui/dashboard', 'kubernetesui/metrics-scraper']);
  expect(result.report.ok).toBe(true);
  expect(result.pairs.map((p) => p.destination)).toEqual([
    `${jcr.host}/kubernetesui/dashboard:v2.7.0`,
    `${jcr.host}/kubernetesui/metrics-scraper:v1.0.8`,
    `${jcr.host}/library/node:24.21.0-alpine`,
  ]);
  for (const p of result.pairs) {
    const repo = p.destination.slice(jcr.host.length + 1).split(':')[0];
    const tag = p.destination.split(':').pop()!;
    const stored = await getManifest(jcr.url, repo, tag, basicAuthorization('jdcloud', PASSWORD));
    expect(sha256(stored.body)).toBe(image.top.digest);
  }
  // one token for the whole run (JCR: 5 per hour per registry)
  expect(h.jd.requests.filter((r) => r.action === 'GetAuthorizationToken')).toHaveLength(1);
  expect(secrets).toEqual([PASSWORD]);
  expect(result.digests).toEqual(Object.fromEntries(result.pairs.map((p) => [p.destination, image.top.digest])));
  expect(result.digestsYaml).toBe(`images:\n  digests:\n${result.pairs.map((p) => `    ${p.destination}: ${image.top.digest}\n`).join('')}`);
  expect(lines.join('\n')).not.toContain(PASSWORD);

  // the snippet is valid config: pinning renders digests
  const pinned = loadConfig({ env: {}, overrides: { 'registry.name': 'myreg', 'registry.host': jcr.host, 'images.pinDigests': true, 'images.digests': result.digests } });
  expect(pinned.config.dashboard.image).toBe(`${jcr.host}/kubernetesui/dashboard@${image.top.digest}`);

  // a second run copies nothing and still reports the digests
  const again = await mirrorFromConfig(config, { cr: new CrApi(h.client), mirror });
  expect(again.repositoriesCreated).toEqual([]);
  expect(again.report.images.map((i) => i.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  expect(again.digests).toEqual(result.digests);
});

test('a token the registry rejects is replaced once (the hook asked again after 401)', async () => {
  passwords = ['expired-or-wrong'];
  const result = await mirrorFromConfig(localConfig(), { cr: new CrApi(h.client), mirror, skipRepositories: true });
  expect(result.report.ok).toBe(true);
  expect(h.jd.requests.filter((r) => r.action === 'GetAuthorizationToken')).toHaveLength(2);
});

test('the copy function is injectable; images without a source are not mirrored', async () => {
  const { config } = loadConfig({ env: {}, overrides: { 'registry.name': 'myreg', 'dashboard.image': 'registry.example.com/own/dashboard:1' } });
  const seen: { pairs: MirrorPair[]; options: MirrorOptions }[] = [];
  const copy = async (pairs: MirrorPair[], options: MirrorOptions): Promise<MirrorReport> => {
    seen.push({ pairs, options });
    const creds = await options.credentialsFor!('myreg-cn-north-1.jcr.service.jdcloud.com', { reason: 'initial' });
    expect(creds).toEqual({ username: 'jdcloud', password: PASSWORD });
    expect(await options.credentialsFor!('registry.example.com', { reason: 'initial' })).toBeUndefined();
    return { ok: true, dryRun: true, images: [], totals: { images: 0, copied: 0, unchanged: 0, planned: 0, failed: 0, cancelled: 0, blobs: { copied: 0, mounted: 0, skipped: 0 }, bytes: 0, durationMs: 0 } };
  };
  await mirrorFromConfig(config, { cr: new CrApi(h.client), copy, mirror: { dryRun: true } });
  expect(seen[0].pairs).toEqual(mirrorPairsFromConfig(config));
  expect(seen[0].pairs.map((p) => p.source)).toEqual(['docker.io/kubernetesui/metrics-scraper:v1.0.8', 'docker.io/library/node:24.21.0-alpine']);
  // dry run: no repository was created
  expect(h.jd.requests.map((r) => r.action)).toEqual(['GetAuthorizationToken']);
});

test('images.sourceMirrors and images.extra: the stack and the extras pulled through a mirror, pinned digests checked', async () => {
  // the "mirror" of Docker Hub: the stack's upstream paths under a prefix on the source registry
  const runtime = `${REFRESHER_RUNTIME.repository}:${REFRESHER_RUNTIME.tag}`;
  for (const path of ['kubernetesui/dashboard:v2.7.0', 'kubernetesui/metrics-scraper:v1.0.8', runtime, 'me/app:1.0']) {
    const [repo, tag] = path.split(':');
    await pushImage(source.url, `hub/${repo}`, tag, image);
  }
  const wrong = `sha256:${'0'.repeat(64)}`;
  const { config } = loadConfig({
    env: {},
    overrides: {
      'registry.name': 'myreg',
      'registry.host': jcr.host,
      'images.sourceMirrors': { 'docker.io': `${source.host}/hub` },
      'images.extra': [{ from: 'docker.io/me/app:1.0' }],
      'images.digests': { [`${jcr.host}/kubernetesui/dashboard:v2.7.0`]: image.top.digest, [`${jcr.host}/${runtime}`]: wrong },
    },
  });
  const result = await mirrorFromConfig(config, { cr: new CrApi(h.client), mirror });
  expect(result.repositoriesCreated).toContain('me/app');
  const byTarget = Object.fromEntries(result.report.images.map((i) => [i.destination, i]));
  expect(byTarget[`${jcr.host}/kubernetesui/dashboard:v2.7.0`]).toMatchObject({ status: expect.stringMatching(/^(copied|unchanged)$/), verified: true, pulledFrom: `${source.host}/hub/kubernetesui/dashboard:v2.7.0` });
  expect(byTarget[`${jcr.host}/me/app:1.0`]).toMatchObject({ status: 'copied', source: 'docker.io/me/app:1.0' });
  expect(byTarget[`${jcr.host}/${runtime}`]).toMatchObject({ status: 'failed', error: { code: 'digest-mismatch' } });
  expect(byTarget[`${jcr.host}/${runtime}`].error?.message).toContain(`not the pinned ${wrong}`);
});
