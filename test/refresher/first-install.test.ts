/**
 * The first install in the GitOps flow, end to end, and why it cannot deadlock:
 *
 *  1. the rendered dist/ (no pull Secret in it) is synced into an empty cluster (the fake API server,
 *     TLS, RBAC from the rendered Roles, the admission policy in force);
 *  2. the CronJob fires before anyone ran a refresh: its pod needs its image from the registry,
 *     pulled with the pull Secret that does not exist yet → ImagePullBackOff. Pending pods never
 *     count toward backoffLimit, so only activeDeadlineSeconds ends the Job; with concurrencyPolicy
 *     Forbid, the next schedule is skipped while it is active, and runs once the deadline passed.
 *     (The Job controller and the kubelet's pull are simulated here from their documented rules,
 *     https://kubernetes.io/docs/concepts/workloads/controllers/job/ and
 *     https://kubernetes.io/docs/concepts/containers/images/#imagepullbackoff.)
 *  3. `jcrkit status` (the real CLI) reports the missing Secret and the stuck pod, exit 1;
 *  4. `jcrkit refresh` (the real CLI) from the workstation mints the first token;
 *  5. the next scheduled pod can pull and runs the real bundle as the refresher's ServiceAccount:
 *     it mints nothing (the token is fresh) and succeeds;
 *  6. `jcrkit status` is all fresh, exit 0.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from '../../lib/config';
import { readRefresherBundle } from '../../lib/render/refresher-bundle';
import { renderStack, type KubeObject } from '../../lib/render';
import { imageHost } from '../../lib/refresher/status';
import { TestClock } from '../fakes/clock';
import { startFakeJdcloud, type FakeJdcloud } from '../fakes/jdcloud/server';
import { ADMIN_USER, startFakeKubeApi, type FakeKubeApi } from '../fakes/kube/api-server';
import { makeTestPki, type TestPki } from '../fakes/kube/tls';
import { cloudCli, type CloudCli } from '../helpers/cli';
import { AK, expectNoSecrets, SK } from './harness';

const ADMIN_TOKEN = 'workstation-admin-token-0123456789';
const SA_TOKEN = 'refresher-sa-token-abcdef0123456789';
const HOST = 'acme-prod-cn-east-2.jcr.service.jdcloud.com';

type Obj = Record<string, any>;

describe('first install, GitOps flow', () => {
  let dir: string;
  let pki: TestPki;
  let kube: FakeKubeApi;
  let jd: FakeJdcloud;
  let cli: CloudCli;
  let rendered: KubeObject[];
  let configFile: string;
  let kubeconfig: string;
  let saDir: string;
  const clock = new TestClock();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jcrkit-first-install-'));
    pki = makeTestPki();
    cli = cloudCli();
    // examples/gitops.yaml as committed, but the registry host is unreachable from a test
    configFile = path.join(dir, 'gitops.yaml');
    fs.writeFileSync(configFile, fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'gitops.yaml'), 'utf8').replace('refresher:\n', 'refresher:\n  verifyRegistry: false\n'));
    const { config } = loadConfig({ path: configFile, env: {} });
    rendered = renderStack(config, { refresherBundle: readRefresherBundle() }).files.flatMap((f) => f.objects);
    expect(rendered.some((o) => o.kind === 'Secret' && o.type === 'kubernetes.io/dockerconfigjson')).toBe(false); // GitOps: no token in Git

    kube = await startFakeKubeApi({ tls: { cert: pki.serverCert, key: pki.serverKey }, tokens: { [ADMIN_TOKEN]: ADMIN_USER }, rbac: [], namespaces: ['default', 'kube-system', 'kube-public'] });
    jd = await startFakeJdcloud({ accounts: { [AK]: SK }, registries: [{ regionId: 'cn-east-2', name: 'acme-prod' }], now: clock.now });
    kube.addServiceAccountToken('kube-system', 'jcrkit-token-refresher', SA_TOKEN);
    kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(path.join(dir, 'ca.crt'), pki.caCert);
    fs.writeFileSync(
      kubeconfig,
      `current-context: c\ncontexts: [{name: c, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "${kube.url}", certificate-authority: "${path.join(dir, 'ca.crt')}"}}]\nusers: [{name: u, user: {token: ${ADMIN_TOKEN}}}]\n`,
    );
    saDir = path.join(dir, 'serviceaccount');
    fs.mkdirSync(saDir);
    fs.writeFileSync(path.join(saDir, 'token'), SA_TOKEN);
    fs.writeFileSync(path.join(saDir, 'ca.crt'), pki.caCert);
    fs.writeFileSync(path.join(saDir, 'namespace'), 'kube-system');
  });
  afterAll(async () => {
    cli.dispose();
    await Promise.all([kube.close(), jd.close()]);
    pki.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const secrets = () => [AK, SK, ADMIN_TOKEN, SA_TOKEN, ...jd.state.tokens.flatMap((t) => [t.authorizationToken, t.password, Buffer.from(`${t.username}:${t.password}`).toString('base64')])];
  const env = () => ({ JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK, JDCLOUD_ENDPOINT: jd.url });

  // --- the simulated control plane and kubelet ---------------------------------------------
  const cronJob = () => kube.get('cronjobs', 'kube-system', 'jcrkit-token-refresher')!;
  let jobs = 0;

  /** The CronJob controller's run at a schedule time: skipped while a Job is active (Forbid). */
  function schedule(): Obj | undefined {
    const cj = cronJob();
    if (cj.spec.concurrencyPolicy === 'Forbid' && (cj.status?.active ?? []).length > 0) return undefined;
    const name = `jcrkit-token-refresher-${++jobs}`;
    const job = kube.seed('jobs', { metadata: { name, namespace: 'kube-system' }, spec: cj.spec.jobTemplate.spec, status: { active: 1, startTime: clock.now().toISOString() } });
    const podSpec = cj.spec.jobTemplate.spec.template.spec;
    const pod = kube.seed('pods', { metadata: { name: `${name}-x7k2p`, namespace: 'kube-system', labels: { 'job-name': name } }, spec: podSpec, status: { phase: 'Pending' } });
    kube.mutate('cronjobs', 'kube-system', 'jcrkit-token-refresher', (o) => (o.status = { ...(o.status ?? {}), active: [{ kind: 'Job', name }], lastScheduleTime: clock.now().toISOString() }));
    return { job, pod };
  }

  /** The kubelet's pull: an image from the registry needs a pod imagePullSecret with a live token for its host. */
  function canPull(pod: Obj): boolean {
    const image: string = pod.spec.containers[0].image;
    if (imageHost(image) !== HOST) return true;
    return (pod.spec.imagePullSecrets ?? []).some((ref: { name: string }) => {
      const s = kube.get('secrets', pod.metadata.namespace, ref.name);
      if (!s) return false;
      const auths = JSON.parse(Buffer.from(s.data['.dockerconfigjson'], 'base64').toString()).auths ?? {};
      const live = jd.state.liveTokens('cn-east-2', 'acme-prod', clock.now()).some((t) => t.password === auths[HOST]?.password);
      return live;
    });
  }

  function setPodWaiting(pod: Obj, reason: string) {
    kube.mutate('pods', 'kube-system', pod.metadata.name, (p) => {
      p.status = { phase: 'Pending', containerStatuses: [{ name: 'refresher', image: p.spec.containers[0].image, ready: false, state: { waiting: { reason, message: `Back-off pulling image "${p.spec.containers[0].image}"` } } }] };
    });
  }

  /** The Job controller: activeDeadlineSeconds counts from the Job's start, pending time included. */
  function enforceDeadline(job: Obj) {
    const deadline = cronJob().spec.jobTemplate.spec.activeDeadlineSeconds as number;
    const started = Date.parse(kube.get('jobs', 'kube-system', job.metadata.name)!.status.startTime);
    if (clock.now().getTime() - started < deadline * 1000) return false;
    kube.mutate('jobs', 'kube-system', job.metadata.name, (j) => (j.status = { failed: 1, conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded' }] }));
    kube.mutate('pods', 'kube-system', `${job.metadata.name}-x7k2p`, (p) => (p.status = { phase: 'Failed', reason: 'DeadlineExceeded' }));
    kube.mutate('cronjobs', 'kube-system', 'jcrkit-token-refresher', (o) => (o.status = { ...o.status, active: [] }));
    return true;
  }

  /** The pod runs: the rendered container's command and env, as the refresher's ServiceAccount. */
  function runPod(pod: Obj): Promise<{ code: number; stdout: string; stderr: string }> {
    const c = pod.spec.containers[0];
    expect(c.command).toEqual(['node', '/opt/jcrkit/jcrkit-refresher.js']);
    const bundle = path.join(dir, 'jcrkit-refresher.js');
    const cm = kube.get('configmaps', 'kube-system', 'jcrkit-token-refresher')!;
    fs.writeFileSync(bundle, cm.data['jcrkit-refresher.js']);
    const plan = c.env.find((e: Obj) => e.name === 'JCRKIT_REFRESH_PLAN').value;
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [bundle],
        {
          env: {
            PATH: process.env.PATH,
            HOSTNAME: pod.metadata.name,
            KUBERNETES_SERVICE_HOST: '127.0.0.1',
            KUBERNETES_SERVICE_PORT: String(kube.port),
            JCRKIT_SERVICE_ACCOUNT_DIR: saDir,
            JCRKIT_REFRESH_PLAN: plan,
            // secretKeyRef from the credentials Secret, resolved by the kubelet
            JDCLOUD_ACCESS_KEY: AK,
            JDCLOUD_SECRET_KEY: SK,
            JDCLOUD_ENDPOINT: jd.url,
          },
          timeout: 60_000,
        },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  test('no deadlock: a stuck first pull ends at the deadline; the workstation refresh breaks the cycle; the CronJob then mints nothing', async () => {
    // 1. the GitOps sync
    kube.applyManifests(rendered);
    expect(cronJob().spec.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 300 });
    // AK/SK Secret (jcrkit credentials apply), so the only thing missing is the pull Secret
    kube.seed('secrets', { metadata: { name: 'jdcloud-openapi', namespace: 'kube-system' }, stringData: { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK } });

    // 2. the CronJob fires before the first refresh
    const first = schedule()!;
    expect(canPull(first.pod)).toBe(false);
    setPodWaiting(first.pod, 'ImagePullBackOff');
    clock.advanceMinutes(2);
    expect(enforceDeadline(first.job)).toBe(false);
    expect(schedule()).toBeUndefined(); // Forbid: the stuck Job blocks a run...

    // 3. status sees both problems
    const before = await cli.run(['status', '--config', configFile, '--kubeconfig', kubeconfig, '--output', 'json'], { env: env() });
    expect(before.code).toBe(1);
    const report = JSON.parse(before.stdout);
    expect(report.namespaces.map((n: Obj) => [n.namespace, n.secret.state])).toEqual([
      ['kube-system', 'missing'],
      ['kubernetes-dashboard', 'missing'],
    ]);
    expect(report.pullFailures).toEqual([expect.objectContaining({ namespace: 'kube-system', pod: first.pod.metadata.name, reason: 'ImagePullBackOff' })]);

    clock.advanceMinutes(4);
    expect(enforceDeadline(first.job)).toBe(true); // ...but only until activeDeadlineSeconds: the deadlock is bounded

    // 4. the first refresh, from the workstation
    const refresh = await cli.run(['refresh', '--config', configFile, '--kubeconfig', kubeconfig], { env: env() });
    expect(refresh.stderr).toBe('');
    expect(refresh.code).toBe(0);
    expect(jd.state.tokens).toHaveLength(1);

    // 5. the next schedule pulls and runs the bundle as the refresher
    clock.advanceMinutes(9);
    const second = schedule()!;
    expect(second).toBeDefined();
    expect(canPull(second.pod)).toBe(true);
    const run = await runPod(second.pod);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ level: 'info', minted: false });
    expect(jd.state.tokens).toHaveLength(1); // the CronJob minted nothing
    expect(kube.requests.filter((r) => r.user === 'system:serviceaccount:kube-system:jcrkit-token-refresher' && r.status === 403)).toEqual([]);
    kube.mutate('cronjobs', 'kube-system', 'jcrkit-token-refresher', (o) => (o.status = { ...o.status, active: [], lastSuccessfulTime: clock.now().toISOString() }));
    kube.mutate('pods', 'kube-system', second.pod.metadata.name, (p) => (p.status = { phase: 'Succeeded' }));
    kube.mutate('pods', 'kube-system', first.pod.metadata.name, (p) => (p.status = { phase: 'Failed', reason: 'DeadlineExceeded' }));

    // 6. all fresh
    const after = await cli.run(['status', '--config', configFile, '--kubeconfig', kubeconfig], { env: env() });
    expect(after.stdout).toContain('all fresh');
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/last run: TokenFresh at .*reused the token recorded in kube-system \(no mint\)/);
    expectNoSecrets([before.stdout, before.stderr, refresh.stdout, refresh.stderr, run.stdout, run.stderr, after.stdout, after.stderr], secrets());
  });
});
