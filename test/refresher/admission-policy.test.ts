/**
 * refresher.admissionPolicy: the rendered ValidatingAdmissionPolicy's CEL, evaluated by a real CEL
 * implementation (@bufbuild/cel) with the variables the API server binds, on documented cases;
 * then the whole policy in force in the fake API server while the refresher runs with the
 * rendered RBAC.
 */
import { createKubeClient } from '../../lib/kube/client';
import { isKubeApiError } from '../../lib/kube/errors';
import { parseRefreshPlan } from '../../lib/model/refresh-plan';
import { EXIT_OK } from '../../lib/refresher/run';
import { admit, evalCel, type AdmissionRequest } from '../fakes/kube/admission';
import { schemaProblems } from '../helpers/k8s-schema';
import { allObjects, renderYaml } from '../helpers/render';
import { expectNoSecrets, startHarness, type Harness } from './harness';

const CONFIG = `registry: {name: myreg, region: cn-north-1}
pullSecret: {name: jcr-pull, namespaces: [apps], serviceAccounts: [default]}
refresher: {admissionPolicy: true, verifyRegistry: false}
dashboard: {enabled: false}
admin: {enabled: false}
`;
const rendered = allObjects(renderYaml(CONFIG));
const policy = rendered.find((o) => o.kind === 'ValidatingAdmissionPolicy')! as any;
const binding = rendered.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding')! as any;
const REFRESHER_USER = 'system:serviceaccount:kube-system:jcrkit-token-refresher';

function request(over: Partial<AdmissionRequest> & { object?: any }): AdmissionRequest {
  return {
    operation: 'CREATE',
    group: '',
    version: 'v1',
    resource: 'secrets',
    namespace: 'apps',
    name: over.object?.metadata?.name ?? 'jcr-pull',
    userInfo: { username: REFRESHER_USER, groups: ['system:serviceaccounts', 'system:authenticated'] },
    dryRun: false,
    oldObject: null,
    object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'jcr-pull', namespace: 'apps' }, type: 'kubernetes.io/dockerconfigjson', data: {} },
    ...over,
  };
}

describe('the rendered ValidatingAdmissionPolicy', () => {
  test('passes the Kubernetes schema (v1; 1.27 and 1.32 field sets) with unknown fields rejected', () => {
    expect([policy, binding].flatMap((o) => [...schemaProblems(o, '1.27'), ...schemaProblems(o, '1.32')])).toEqual([]);
  });

  test.each([
    ['the refresher creating the pull Secret', true, request({})],
    ['the refresher creating it as a dry run', true, request({ dryRun: true })],
    [
      'the refresher creating a service-account-token Secret (the escalation it exists for)',
      false,
      request({ object: { metadata: { name: 'steal', annotations: { 'kubernetes.io/service-account.name': 'dashboard-admin' } }, type: 'kubernetes.io/service-account-token' }, name: 'steal' }),
    ],
    ['the refresher creating an Opaque Secret under the pull Secret name', false, request({ object: { metadata: { name: 'jcr-pull' }, type: 'Opaque' } })],
    ['the refresher creating a dockerconfigjson Secret with another name', false, request({ object: { metadata: { name: 'other' }, type: 'kubernetes.io/dockerconfigjson' }, name: 'other' })],
  ] as [string, boolean, AdmissionRequest][])('%s → allowed: %s', (_name, allowed, req) => {
    // the match condition selects the refresher; the validation decides
    expect(evalCel(policy.spec.matchConditions[0].expression, req)).toBe(true);
    expect(evalCel(policy.spec.validations[0].expression, req) === true).toBe(allowed);
    const denial = admit([policy], [binding], req);
    if (allowed) expect(denial).toBeUndefined();
    else
      expect(denial).toEqual({
        code: 403,
        reason: 'Forbidden',
        message: `ValidatingAdmissionPolicy 'jcrkit-token-refresher-secrets.jcrkit.io' with binding 'jcrkit-token-refresher-secrets.jcrkit.io' denied request: the jcrkit refresher may create only the kubernetes.io/dockerconfigjson Secret jcr-pull`,
      });
  });

  test.each([
    ['another ServiceAccount', 'system:serviceaccount:kube-system:other'],
    ['a ServiceAccount of the same name elsewhere', 'system:serviceaccount:apps:jcrkit-token-refresher'],
    ['a person', 'kubernetes-admin'],
  ])('%s is not in its scope', (_name, username) => {
    const req = request({ userInfo: { username, groups: ['system:authenticated'] }, object: { metadata: { name: 'anything' }, type: 'kubernetes.io/service-account-token' } });
    expect(evalCel(policy.spec.matchConditions[0].expression, req)).toBe(false);
    expect(admit([policy], [binding], req)).toBeUndefined();
  });

  test('updates are out of its scope (RBAC already limits update to the pull Secret by name)', () => {
    expect(admit([policy], [binding], request({ operation: 'UPDATE', object: { metadata: { name: 'x' }, type: 'Opaque' } }))).toBeUndefined();
  });
});

describe('in force in the API server, with the rendered RBAC', () => {
  let h: Harness;
  afterEach(async () => {
    expectNoSecrets(h.output, h.secrets());
    await h.close();
  });

  test('the refresher still refreshes; it can no longer create a service-account-token Secret', async () => {
    const token = 'refresher-token-for-the-policy-test';
    h = await startHarness({ kube: { rbac: [], tokens: {} }, kubeToken: token, namespaces: ['default', 'kube-system', 'apps'] });
    h.kubeApi.applyManifests(rendered);
    h.kubeApi.addServiceAccountToken('kube-system', 'jcrkit-token-refresher', token);
    h.kubeApi.seed('serviceaccounts', { metadata: { name: 'default', namespace: 'apps' } });
    const cron = rendered.find((o) => o.kind === 'CronJob') as any;
    const plan = parseRefreshPlan(cron.spec.jobTemplate.spec.template.spec.containers[0].env.find((e: any) => e.name === 'JCRKIT_REFRESH_PLAN').value);

    const report = await h.run(plan);
    expect(report.exitCode).toBe(EXIT_OK);
    // the preflight dry run went through the policy too
    expect(h.kubeApi.requests.filter((r) => r.dryRun && r.status === 201).length).toBeGreaterThan(0);

    const asRefresher = createKubeClient({ server: h.kubeApi.url, namespace: 'apps', source: 'test', bearerToken: () => token });
    try {
      const err = await asRefresher
        .create('secrets', 'apps', { metadata: { name: 'steal', annotations: { 'kubernetes.io/service-account.name': 'default' } }, type: 'kubernetes.io/service-account-token' })
        .catch((e: unknown) => e);
      expect(isKubeApiError(err, 'Forbidden')).toBe(true);
      expect((err as Error).message).toContain("ValidatingAdmissionPolicy 'jcrkit-token-refresher-secrets.jcrkit.io'");
      expect(h.kubeApi.get('secrets', 'apps', 'steal')).toBeUndefined();
    } finally {
      asRefresher.close();
    }
  });
});
