/**
 * Prune-safe identity: every rendered object carries managed-by / part-of / instance, so
 * `-l app.kubernetes.io/part-of=jcrkit,app.kubernetes.io/instance=X` selects exactly one instance's
 * rendered objects; what the refresher writes in the cluster never matches it; two instances in one
 * cluster never render the same object.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_NAMESPACES } from '../../lib/constructs';
import type { KubeObject } from '../../lib/render';
import { exampleConfigs } from '../helpers/examples';
import { allObjects, renderYaml, resolveYaml, ROOT } from '../helpers/render';
import { parseRefreshPlan, refresherNameOf } from '../../lib/model/refresh-plan';
import { refreshEvent } from '../../lib/refresher/events';
import { seedServiceAccount, startHarness, testPlan } from '../refresher/harness';

const IDENTITY = (instance: string) => ({
  'app.kubernetes.io/managed-by': 'jcrkit',
  'app.kubernetes.io/part-of': 'jcrkit',
  'app.kubernetes.io/instance': instance,
});

/** `kubectl -l a=b,c=d` semantics: every pair present with that value. */
function selects(selector: string, labels: Record<string, string> | undefined): boolean {
  return selector.split(',').every((pair) => {
    const [k, v] = pair.split('=');
    return labels?.[k] === v;
  });
}
const selector = (instance: string) => `app.kubernetes.io/part-of=jcrkit,app.kubernetes.io/instance=${instance}`;

/** group/kind/namespace/name: what makes two objects the same object for the API server. */
const objectKey = (o: KubeObject) => [o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '', o.kind, o.metadata.namespace ?? '', o.metadata.name].join('/');

type Pod = { metadata?: { labels?: Record<string, string> } };
function podTemplates(o: Record<string, any>): Pod[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (o.kind === 'Deployment') return [o.spec.template];
  if (o.kind === 'CronJob') return [o.spec.jobTemplate, o.spec.jobTemplate.spec.template];
  return [];
}

describe.each(exampleConfigs())('%s', (_name, text) => {
  const objects = allObjects(renderYaml(text));

  test('every rendered object carries the identity labels in its metadata (a system Namespace is never claimed)', () => {
    expect(objects.length).toBeGreaterThan(0);
    const claimed = objects.filter((o) => !(o.kind === 'Namespace' && SYSTEM_NAMESPACES.has(o.metadata.name)));
    for (const o of claimed) expect(o.metadata.labels).toEqual(expect.objectContaining(IDENTITY(resolveYaml(text).config.instance)));
    expect(claimed.every((o) => selects(selector(resolveYaml(text).config.instance), o.metadata.labels as Record<string, string>))).toBe(true);
    for (const o of objects.filter((x) => !claimed.includes(x))) expect((o.metadata.labels as Record<string, string> | undefined)?.['app.kubernetes.io/part-of']).toBeUndefined();
  });

  test('selectors and pod templates keep their labels (selectors are immutable; Pods, Jobs, ReplicaSets must never match the prune selector)', () => {
    const instance = resolveYaml(text).config.instance;
    for (const o of objects) {
      for (const t of podTemplates(o)) {
        expect(t.metadata?.labels?.['app.kubernetes.io/part-of']).toBeUndefined();
        expect(selects(selector(instance), t.metadata?.labels)).toBe(false);
      }
    }
    // Selectors and templates do not depend on the instance: changing it never touches an immutable selector.
    const other = allObjects(renderYaml(`${text.replace(/^instance:.*$/m, '')}\ninstance: second\n`));
    const shape = (list: typeof objects) =>
      list.filter((o) => o.kind === 'Deployment' || o.kind === 'CronJob').map((o) => JSON.stringify([o.kind, (o as Record<string, any>).spec.selector ?? null, podTemplates(o).map((t) => t.metadata?.labels ?? null)])); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(shape(other)).toEqual(shape(objects));
  });

  test('a second instance in the same cluster shares no object with it', () => {
    const other = allObjects(renderYaml(`${text.replace(/^instance:.*$/m, '')}\ninstance: second\n`));
    const mine = new Set(objects.map(objectKey));
    expect(other.map(objectKey).filter((k) => mine.has(k) && !explicitlyNamed(text, k))).toEqual([]);
    expect(other.every((o) => (o.metadata.labels as Record<string, string>)['app.kubernetes.io/instance'] === 'second')).toBe(true);
  });
});

/** Objects the config names itself (their name, or the namespace they are in) are the user's choice, not jcrkit's (documented). */
function explicitlyNamed(text: string, key: string): boolean {
  const [, , ns, name] = key.split('/');
  return (ns !== '' && new RegExp(`namespace: ${ns}\\b`).test(text)) || new RegExp(`: ${name}(\\s|$)`).test(text);
}

test('a Dashboard rendered into kube-system does not claim the Namespace', () => {
  const ns = allObjects(renderYaml('registry: {name: pocexam, region: cn-north-1}\ndashboard: {namespace: kube-system}\n')).find((o) => o.kind === 'Namespace')!;
  expect(ns.metadata.name).toBe('kube-system');
  expect(ns.metadata.labels).toBeUndefined();
});

describe('instance', () => {
  test('default jcrkit keeps the historical names; another instance derives them', () => {
    const names = (t: string) => allObjects(renderYaml(t)).filter((o) => !o.metadata.namespace || o.metadata.namespace === 'kube-system').map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names('registry: {name: pocexam, region: cn-north-1}\n')).toEqual(
      expect.arrayContaining(['Namespace/kubernetes-dashboard', 'ClusterRole/kubernetes-dashboard', 'ClusterRoleBinding/kubernetes-dashboard', 'CronJob/jcrkit-token-refresher', 'ClusterRoleBinding/dashboard-admin']),
    );
    expect(names('instance: south\nregistry: {name: pocexam, region: cn-north-1}\n')).toEqual(
      expect.arrayContaining(['Namespace/kubernetes-dashboard-south', 'ClusterRole/kubernetes-dashboard-south', 'ClusterRoleBinding/kubernetes-dashboard-south', 'CronJob/jcrkit-token-refresher-south', 'ClusterRoleBinding/dashboard-admin-south']),
    );
  });

  test('the refresher knows its CronJob by the derived name (Events, jcrkit status), and the admission policy is its own', () => {
    const planOf = (t: string) => {
      const cj = allObjects(renderYaml(t)).find((o) => o.kind === 'CronJob') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      return JSON.parse(cj.spec.jobTemplate.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'JCRKIT_REFRESH_PLAN').value);
    };
    expect(planOf('registry: {name: pocexam, region: cn-north-1}\n').refresherName).toBeUndefined();
    const plan = parseRefreshPlan(JSON.stringify(planOf('instance: south\nregistry: {name: pocexam, region: cn-north-1}\n')));
    expect(refresherNameOf(plan)).toBe('jcrkit-token-refresher-south');
    expect(refreshEvent({ namespace: 'kube-system', reason: 'TokenRenewed', message: 'm', now: new Date(0), cronJob: refresherNameOf(plan) }).involvedObject).toMatchObject({ kind: 'CronJob', name: 'jcrkit-token-refresher-south' });
    const policies = (t: string) => allObjects(renderYaml(t)).filter((o) => o.kind.startsWith('ValidatingAdmissionPolicy')).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(policies('instance: south\nregistry: {name: pocexam, region: cn-north-1}\nrefresher: {admissionPolicy: true}\n')).toEqual([
      'ValidatingAdmissionPolicy/jcrkit-token-refresher-south-secrets.jcrkit.io',
      'ValidatingAdmissionPolicyBinding/jcrkit-token-refresher-south-secrets.jcrkit.io',
    ]);
  });

  test.each([
    ['instance: South_1', /instance: "South_1" is not a valid instance name/],
    [`instance: ${'a'.repeat(30)}`, /instance: "a{30}" is 30 characters; the refresher CronJob is named jcrkit-token-refresher-<instance> and CronJob names are at most 52 characters\. Fix: use at most 29 characters/],
    ['instance: b\ndashboard: {preset: v1.10.1}', /dashboard\.namespace: the v1\.10\.1 preset puts the Dashboard into kube-system under the runbook's fixed names, which instance "b" would share/],
  ])('%s is rejected with the field and the fix', (extra, message) => {
    expect(() => resolveYaml(`registry: {name: pocexam, region: cn-north-1}\n${extra}\n`)).toThrow(message);
  });

  test('the longest allowed instance renders a valid CronJob name', () => {
    const r = allObjects(renderYaml(`instance: ${'a'.repeat(29)}\nregistry: {name: pocexam, region: cn-north-1}\n`));
    expect(r.find((o) => o.kind === 'CronJob')!.metadata.name).toHaveLength(52);
  });
});

test("README's kubectl apply --prune command allows every kind jcrkit renders (--prune-allowlist replaces kubectl's list)", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const allowed = new Set([...readme.matchAll(/--prune-allowlist=(\S+?)(?=\s|\\)/g)].map((m) => m[1]));
  const variants = ['dashboard: {networkPolicy: true}\nrefresher: {admissionPolicy: true}\n', 'dashboard: {preset: headlamp, networkPolicy: true}\n', 'refresher: {namespace: jcrkit-system}\n'];
  const texts = [...exampleConfigs().map(([, t]) => t), ...variants.map((v) => `registry: {name: pocexam, region: cn-north-1}\n${v}`)];
  const kinds = new Set(texts.flatMap((t) => allObjects(renderYaml(t)).map((o) => `${o.apiVersion.includes('/') ? o.apiVersion : `core/${o.apiVersion}`}/${o.kind}`)));
  expect([...kinds].filter((k) => !allowed.has(k)).sort()).toEqual([]);
});

describe('what the refresher writes never matches the prune selector', () => {
  test('created and updated pull Secrets carry managed-by only; ServiceAccounts keep their labels', async () => {
    const h = await startHarness();
    try {
      seedServiceAccount(h.kubeApi, 'ns-a', 'default');
      const plan = testPlan();
      await h.run(plan); // creates
      await h.run(plan); // updates in place
      for (const ns of plan.namespaces) {
        const labels = h.kubeApi.get('secrets', ns, plan.secretName)!.metadata.labels as Record<string, string>;
        expect(labels).toEqual({ 'app.kubernetes.io/managed-by': 'jcrkit' });
        expect(selects(selector('jcrkit'), labels)).toBe(false);
      }
      expect(h.kubeApi.get('serviceaccounts', 'ns-a', 'default')!.metadata.labels?.['app.kubernetes.io/part-of']).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
