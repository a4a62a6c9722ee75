/** `jcrkit status` (collectStatus / statusHandler) against the fakes: fresh, expiring, missing, ImagePullBackOff. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { statusHandler, type StatusArgs } from '../../lib/cli/handlers/status';
import { collectStatus, formatStatus } from '../../lib/refresher/status';
import { seedServiceAccount, startHarness, testPlan, HOST, type Harness } from './harness';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } };
}

function seedCronJob(h: Harness, status: Record<string, unknown> = {}) {
  h.kubeApi.seed('cronjobs', { metadata: { name: 'jcrkit-token-refresher', namespace: 'default' }, spec: { schedule: '*/15 * * * *', jobTemplate: { spec: {} } }, status });
}

function stuckPod(h: Harness, ns: string, image: string, reason = 'ImagePullBackOff') {
  h.kubeApi.seed('pods', {
    metadata: { name: 'web-7d9f', namespace: ns },
    spec: { containers: [{ name: 'web', image }] },
    status: { phase: 'Pending', containerStatuses: [{ name: 'web', image, ready: false, state: { waiting: { reason, message: 'Back-off pulling image' } } }] },
  });
}

describe('jcrkit status', () => {
  let h: Harness;
  afterEach(async () => h.close());

  test('fresh: every Secret valid beyond the renew window, ServiceAccounts reference it, CronJob succeeded → ok', async () => {
    h = await startHarness();
    for (const ns of ['ns-a', 'ns-b', 'ns-c']) seedServiceAccount(h.kubeApi, ns);
    await h.run(testPlan(), { writer: 'jcrkit refresh' });
    seedCronJob(h, { lastScheduleTime: h.clock.now().toISOString(), lastSuccessfulTime: h.clock.now().toISOString() });
    h.clock.advanceHours(1);
    const r = await collectStatus(testPlan(), h.kube, { now: h.clock.now });
    expect(r.ok).toBe(true);
    expect(r.namespaces.map((n) => [n.namespace, n.secret.state, n.secret.refreshedBy])).toEqual([
      ['ns-a', 'fresh', 'jcrkit refresh'],
      ['ns-b', 'fresh', 'jcrkit refresh'],
      ['ns-c', 'fresh', 'jcrkit refresh'],
    ]);
    expect(r.namespaces[0].secret.timeLeftMs).toBe(h.jd.state.tokens[0].expiresAt.getTime() - h.clock.now().getTime());
    expect(r.namespaces[0].secret.managers).toEqual(['jcrkit-refresher']);
    expect(r.namespaces[0].serviceAccounts).toEqual([{ name: 'default', references: true }]);
    expect(r.cronJob).toMatchObject({ found: true, schedule: '*/15 * * * *', lastSuccessfulTime: expect.any(String), lastEvent: { reason: 'TokenRenewed' } });
    const text = formatStatus(r);
    expect(text).toMatch(/^ns-a\s+fresh\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+5h\s+jcrkit refresh\s+default:yes$/m);
    expect(text).toContain('all fresh: nothing expires within 3h');
  });

  test('expiring: a token inside the renew window is a problem with its fix', async () => {
    h = await startHarness();
    await h.run(testPlan({ serviceAccounts: [] }));
    seedCronJob(h);
    h.clock.advanceHours(4); // 2 h left, renewBefore 3 h
    const r = await collectStatus(testPlan({ serviceAccounts: [] }), h.kube, { now: h.clock.now, configHint: 'my.yaml' });
    expect(r.ok).toBe(false);
    expect(r.namespaces.every((n) => n.secret.state === 'expiring')).toBe(true);
    expect(r.namespaces[0].problems[0].problem).toMatch(/^token expires in 2h \(.*\), within renewBefore 3h/);
    expect(r.namespaces[0].problems[0].fix).toContain('jcrkit refresh --config my.yaml');
    h.clock.advanceHours(3);
    const later = await collectStatus(testPlan({ serviceAccounts: [] }), h.kube, { now: h.clock.now });
    expect(later.namespaces[0].secret.state).toBe('expired');
  });

  test('missing: a namespace without the Secret, a ServiceAccount without the reference, no CronJob', async () => {
    h = await startHarness();
    await h.run(testPlan({ namespaces: ['ns-a'], serviceAccounts: [] }));
    seedServiceAccount(h.kubeApi, 'ns-b');
    const plan = testPlan({ namespaces: ['ns-a', 'ns-b'] });
    const r = await collectStatus(plan, h.kube, { now: h.clock.now });
    expect(r.ok).toBe(false);
    const b = r.namespaces[1];
    expect(b.secret.state).toBe('missing');
    expect(b.problems.map((p) => p.problem)).toEqual(['Secret jcr-pull is missing', 'ServiceAccount default does not reference jcr-pull']);
    expect(r.cronJob).toMatchObject({ found: false, problems: [{ problem: 'CronJob default/jcrkit-token-refresher not found', fix: expect.stringContaining('kubectl apply -f dist/') }] });
  });

  test('ImagePullBackOff on an image from the registry is a problem; other registries are not ours to judge', async () => {
    h = await startHarness();
    await h.run(testPlan({ serviceAccounts: [] }));
    seedCronJob(h);
    stuckPod(h, 'ns-b', `${HOST}/team/web:1.2`);
    h.kubeApi.seed('pods', {
      metadata: { name: 'other', namespace: 'ns-c' },
      spec: { containers: [{ name: 'c', image: 'docker.io/library/nginx:1' }] },
      status: { containerStatuses: [{ name: 'c', image: 'docker.io/library/nginx:1', state: { waiting: { reason: 'ImagePullBackOff' } } }] },
    });
    const r = await collectStatus(testPlan({ serviceAccounts: [] }), h.kube, { now: h.clock.now });
    expect(r.ok).toBe(false);
    expect(r.pullFailures).toEqual([
      expect.objectContaining({ namespace: 'ns-b', pod: 'web-7d9f', container: 'web', reason: 'ImagePullBackOff', image: `${HOST}/team/web:1.2`, fix: expect.stringContaining('kubectl -n ns-b delete pod web-7d9f') }),
    ]);
    expect(formatStatus(r)).toContain(`ns-b: pod web-7d9f (container web) is in ImagePullBackOff for ${HOST}/team/web:1.2. Fix: jcrkit refresh`);
  });

  test('the command: --output json, exit 0 when fresh, 1 with problems, 2 for a bad config', async () => {
    h = await startHarness();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jcrkit-status-'));
    try {
      const config = path.join(tmp, 'c.yaml');
      fs.writeFileSync(config, `registry: {name: myreg, region: cn-north-1}\npullSecret: {name: jcr-pull, namespaces: [ns-a], serviceAccounts: []}\nrefresher: {namespace: default, tokenHours: 6}\ndashboard: {enabled: false}\nadmin: {enabled: false}\n`);
      const args: StatusArgs = { config, output: 'json' };
      const missing = capture();
      expect(await statusHandler(args, { ...missing, env: {}, kube: h.kube, now: h.clock.now })).toBe(1);
      const doc = JSON.parse(missing.out.join(''));
      expect(doc.namespaces.map((n: { namespace: string; secret: { state: string } }) => [n.namespace, n.secret.state])).toEqual([
        ['default', 'missing'],
        ['ns-a', 'missing'],
      ]);
      await h.run(testPlan({ namespaces: ['default', 'ns-a'], serviceAccounts: [] }));
      seedCronJob(h);
      const fresh = capture();
      expect(await statusHandler(args, { ...fresh, env: {}, kube: h.kube, now: h.clock.now })).toBe(0);
      expect(JSON.parse(fresh.out.join('')).ok).toBe(true);
      fs.writeFileSync(config, 'registry: {name: x}\n');
      const bad = capture();
      expect(await statusHandler(args, { ...bad, env: {}, kube: h.kube })).toBe(2);
      expect(bad.err.join('')).toMatch(/^error: invalid config/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
