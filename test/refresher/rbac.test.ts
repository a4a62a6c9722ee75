/**
 * The refresher authenticates to the fake API server as its own ServiceAccount, and the fake
 * authorizes every request with RBAC — proving the Role's verbs are enough (and that the
 * refresher needs nothing more).
 */
import { createKubeClient } from '../../lib/kube/client';
import { isKubeApiError } from '../../lib/kube/errors';
import { parseRefreshPlan } from '../../lib/model/refresh-plan';
import { EXIT_NAMESPACES_FAILED, EXIT_OK } from '../../lib/refresher/run';
import { allObjects, renderYaml } from '../helpers/render';
import { expectNoSecrets, seedServiceAccount, startHarness, testPlan, type Harness } from './harness';

const REFRESHER = { namespace: 'kube-system', name: 'jcrkit-token-refresher' };

/** The Role/RoleBinding the refresher needs in one target namespace, written by hand from the brief. */
function handWrittenRbac(ns: string, secretName: string, serviceAccounts: string[], secretVerbs = ['get', 'update', 'patch']) {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'jcrkit-token-refresher', namespace: ns },
      rules: [
        { apiGroups: [''], resources: ['secrets'], resourceNames: [secretName], verbs: secretVerbs },
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        { apiGroups: [''], resources: ['serviceaccounts'], resourceNames: serviceAccounts, verbs: ['get', 'patch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'jcrkit-token-refresher', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'jcrkit-token-refresher' },
      subjects: [{ kind: 'ServiceAccount', name: REFRESHER.name, namespace: REFRESHER.namespace }],
    },
  ];
}

/** The refresher's own namespace: Events, create only. */
function eventsRbac() {
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'events', namespace: REFRESHER.namespace }, rules: [{ apiGroups: [''], resources: ['events'], verbs: ['create'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'events', namespace: REFRESHER.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'events' },
      subjects: [{ kind: 'ServiceAccount', name: REFRESHER.name, namespace: REFRESHER.namespace }],
    },
  ];
}

async function harnessAsRefresher(rbac: unknown[], namespaces: string[]): Promise<Harness> {
  const token = 'refresher-sa-token-0123456789';
  const h = await startHarness({ kube: { rbac, tokens: {} }, kubeToken: token, namespaces: ['default', 'kube-system', ...namespaces] });
  h.kubeApi.addServiceAccountToken(REFRESHER.namespace, REFRESHER.name, token);
  return h;
}

describe('RBAC: the refresher as its ServiceAccount', () => {
  let h: Harness;
  afterEach(async () => {
    expectNoSecrets(h.output, h.secrets());
    await h.close();
  });

  test('hand-written Role (secrets get/update by name + create; serviceaccounts get/patch by name; events create at home) is enough: create, then update', async () => {
    const plan = testPlan({ serviceAccounts: ['default', 'builder'], refresherNamespace: REFRESHER.namespace });
    h = await harnessAsRefresher([...plan.namespaces.flatMap((ns) => handWrittenRbac(ns, plan.secretName, plan.serviceAccounts, ['get', 'update'])), ...eventsRbac()], plan.namespaces);
    for (const ns of plan.namespaces) {
      seedServiceAccount(h.kubeApi, ns, 'default', [{ name: 'keep-me' }]);
      seedServiceAccount(h.kubeApi, ns, 'builder');
    }
    const first = await h.run(plan);
    expect(first.exitCode).toBe(EXIT_OK);
    expect(h.kubeApi.requests.filter((r) => r.status === 403)).toEqual([]);
    expect(new Set(h.kubeApi.requests.map((r) => r.user))).toEqual(new Set(['system:serviceaccount:kube-system:jcrkit-token-refresher']));
    // a second, forced run with a new token takes the update path
    const second = await h.run(plan, {}, { force: true });
    expect(second.exitCode).toBe(EXIT_OK);
    expect(second.namespaces.map((n) => n.action)).toEqual(['updated', 'updated', 'updated']);
    expect(h.kubeApi.requests.filter((r) => r.status === 403)).toEqual([]);
    // the verbs actually used: exactly these, nothing else
    expect([...new Set(h.kubeApi.requests.map((r) => `${r.resource}:${r.verb}`))].sort()).toEqual([
      'events:create',
      'secrets:create',
      'secrets:get',
      'secrets:update',
      'serviceaccounts:get',
      'serviceaccounts:patch',
    ]);
  });

  test('without create, a namespace where the Secret is missing fails with the real Forbidden message; the others succeed', async () => {
    const plan = testPlan({ serviceAccounts: [], refresherNamespace: REFRESHER.namespace });
    const rbac = [
      ...eventsRbac(),
      ...handWrittenRbac('ns-a', plan.secretName, ['default']),
      ...handWrittenRbac('ns-b', plan.secretName, ['default']).map((o) =>
        o.kind === 'Role' ? { ...o, rules: (o.rules ?? []).filter((r) => !(r.resources[0] === 'secrets' && r.verbs.includes('create'))) } : o,
      ),
      ...handWrittenRbac('ns-c', plan.secretName, ['default']),
    ];
    h = await harnessAsRefresher(rbac, plan.namespaces);
    const report = await h.run(plan);
    expect(report.exitCode).toBe(EXIT_NAMESPACES_FAILED);
    expect(report.failedNamespaces).toEqual(['ns-b']);
    expect(report.namespaces[1].error).toContain(
      'secrets is forbidden: User "system:serviceaccount:kube-system:jcrkit-token-refresher" cannot create resource "secrets" in API group "" in the namespace "ns-b"',
    );
  });

  test('the Role does not let the refresher read other Secrets', async () => {
    const plan = testPlan();
    h = await harnessAsRefresher(handWrittenRbac('ns-a', plan.secretName, ['default']), ['ns-a']);
    h.kubeApi.seed('secrets', { metadata: { name: 'db-password', namespace: 'ns-a' }, data: { p: 'eA==' } });
    const err = await h.kube.get('secrets', 'ns-a', 'db-password').catch((e: unknown) => e);
    expect(isKubeApiError(err, 'Forbidden')).toBe(true);
    expect((err as Error).message).toContain('secrets "db-password" is forbidden: User "system:serviceaccount:kube-system:jcrkit-token-refresher" cannot get resource "secrets"');
  });

  test('the RBAC and plan rendered by renderStack are enough for a full run', async () => {
    const rendered = allObjects(
      renderYaml(`registry: {name: myreg, region: cn-north-1}
pullSecret: {name: jcr-pull, namespaces: [default, shop, billing], serviceAccounts: [default, builder]}
refresher: {tokenHours: 2}
`),
    );
    const cronJob = rendered.find((o) => o.kind === 'CronJob' && o.metadata.name === REFRESHER.name) as unknown as {
      metadata: { namespace: string };
      spec: { jobTemplate: { spec: { template: { spec: { serviceAccountName: string; containers: { env: { name: string; value?: string }[] }[] } } } } };
    };
    expect(cronJob).toBeDefined();
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    const planJson = pod.containers[0].env.find((e) => e.name === 'JCRKIT_REFRESH_PLAN')?.value;
    expect(planJson).toBeDefined();
    const plan = { ...parseRefreshPlan(planJson!), verifyRegistry: false }; // the registry host is not reachable from the test
    expect(plan.namespaces).toEqual(expect.arrayContaining(['default', 'shop', 'billing']));
    expect(pod.serviceAccountName).toBe(REFRESHER.name);

    const token = 'rendered-refresher-token-0123456789';
    h = await startHarness({ kube: { rbac: rendered, tokens: {} }, kubeToken: token, namespaces: plan.namespaces });
    h.kubeApi.addServiceAccountToken(cronJob.metadata.namespace, pod.serviceAccountName, token);
    for (const ns of plan.namespaces) for (const sa of plan.serviceAccounts) seedServiceAccount(h.kubeApi, ns, sa);

    const first = await h.run(plan);
    expect(first.failedNamespaces).toEqual([]);
    expect(first.exitCode).toBe(EXIT_OK);
    const second = await h.run(plan);
    expect(second.exitCode).toBe(EXIT_OK);
    expect(h.kubeApi.requests.filter((r) => r.status === 403)).toEqual([]);
    // listed namespaces: the ServiceAccounts point at the Secret; derived ones (the Dashboard's, the
    // refresher's) are left alone — their rendered pods name the Secret, and the Role has no SA rule there
    expect(plan.serviceAccountNamespaces).toEqual(['billing', 'default', 'shop']);
    for (const ns of plan.namespaces) {
      expect(h.kubeApi.get('serviceaccounts', ns, 'builder')!.imagePullSecrets).toEqual(plan.serviceAccountNamespaces.includes(ns) ? [{ name: 'jcr-pull' }] : undefined);
    }
    expect(h.kubeApi.list('events', 'kube-system').map((e) => e.reason)).toEqual(['TokenRenewed', 'TokenFresh']);
  });
});

test('an unauthenticated client gets 401 Unauthorized as a Status', async () => {
  const h = await startHarness({ kube: { tokens: {} } });
  const anon = createKubeClient({ server: h.kubeApi.url, namespace: 'default', source: 'test' });
  try {
    const err = await anon.get('secrets', 'default', 'x').catch((e: unknown) => e);
    expect(isKubeApiError(err, 'Unauthorized')).toBe(true);
    expect((err as { code: number }).code).toBe(401);
  } finally {
    anon.close();
    await h.close();
  }
});
