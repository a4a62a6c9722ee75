import { allObjects, find, renderDefault, renderYaml, resolveExample, TEST_BUNDLE } from '../helpers/render';
import { renderStack } from '../../lib/render';
import { createHash } from 'node:crypto';

describe('TokenRefresher manifests', () => {
  const r = renderDefault();
  const cron = find(r, 'CronJob', 'jcrkit-token-refresher', 'kube-system') as any;
  const pod = cron.spec.jobTemplate.spec.template.spec;
  const container = pod.containers[0];

  test('CronJob batch/v1: every 15 min, history 2/2, never retried in its Job, a 5-minute deadline, Never, Forbid, no hostNetwork', () => {
    expect(cron.apiVersion).toBe('batch/v1');
    expect(cron.spec.schedule).toBe('*/15 * * * *');
    expect(cron.spec.successfulJobsHistoryLimit).toBe(2);
    expect(cron.spec.failedJobsHistoryLimit).toBe(2);
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    // a failed run may have minted a token: the next scheduled run is the retry, and it mints none while a token is fresh
    expect(cron.spec.jobTemplate.spec.backoffLimit).toBe(0);
    // a pod stuck in ImagePullBackOff (pending pods never count toward backoffLimit) ends before the next schedule
    expect(cron.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(300);
    expect(cron.spec.jobTemplate.spec.activeDeadlineSeconds).toBeLessThan(15 * 60);
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.hostNetwork).toBe(false);
  });

  test('cdk8s-plus defaults are decided, not inherited', () => {
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.resources).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '50m', memory: '64Mi' } });
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(pod.imagePullSecrets).toEqual([{ name: 'my-secret' }]);
    expect(cron.spec.startingDeadlineSeconds).toBe(300);
    // no construct-path hash anywhere in the pod template
    expect(JSON.stringify(cron)).not.toMatch(/cdk8s\.io\/metadata\.addr/);
  });

  test('AK/SK come from the credentials Secret by reference, never inline', () => {
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e]));
    expect(env.JDCLOUD_ACCESS_KEY).toEqual({ name: 'JDCLOUD_ACCESS_KEY', valueFrom: { secretKeyRef: { key: 'JDCLOUD_ACCESS_KEY', name: 'jdcloud-credentials' } } });
    expect(env.JDCLOUD_SECRET_KEY).toEqual({ name: 'JDCLOUD_SECRET_KEY', valueFrom: { secretKeyRef: { key: 'JDCLOUD_SECRET_KEY', name: 'jdcloud-credentials' } } });
    const plan = JSON.parse(env.JCRKIT_REFRESH_PLAN.value);
    expect(plan).toEqual({
      registry: { name: 'pocexam', region: 'cn-north-1', host: 'pocexam-cn-north-1.jcr.service.jdcloud.com' },
      secretName: 'my-secret',
      namespaces: ['kube-system', 'kubernetes-dashboard'],
      serviceAccounts: ['default'],
      // derived namespaces only (the Dashboard's and the refresher's): their pods name the Secret themselves
      serviceAccountNamespaces: [],
      tokenHours: 12,
      renewBeforeMinutes: 360,
      refresherNamespace: 'kube-system',
      crService: 'cr',
      releaseSupersededTokens: false,
      verifyRegistry: true,
    });
  });

  test('the bundled program runs on the stock runtime image from a ConfigMap, its hash in the pod template', () => {
    expect(container.image).toBe('pocexam-cn-north-1.jcr.service.jdcloud.com/library/node:24.21.0-alpine');
    expect(container.command).toEqual(['node', '/opt/jcrkit/jcrkit-refresher.js']);
    const cm = find(r, 'ConfigMap', 'jcrkit-token-refresher', 'kube-system') as any;
    expect(cm.data['jcrkit-refresher.js']).toBe(TEST_BUNDLE);
    expect(cron.spec.jobTemplate.spec.template.metadata.annotations['jcrkit.io/program-sha256']).toBe(createHash('sha256').update(TEST_BUNDLE).digest('hex'));
  });

  test('a Role + RoleBinding in every target namespace, scoped by resourceNames; ServiceAccounts only where listed; events in its own namespace', () => {
    for (const ns of ['kube-system', 'kubernetes-dashboard']) {
      const role = find(r, 'Role', 'jcrkit-token-refresher', ns) as any;
      // derived namespaces: no ServiceAccount rights (the rendered pods name the Secret)
      expect(role.rules).toEqual([
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['my-secret'], verbs: ['get', 'update'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      ]);
      const rb = find(r, 'RoleBinding', 'jcrkit-token-refresher', ns) as any;
      expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'jcrkit-token-refresher', namespace: 'kube-system' }]);
    }
    expect((find(r, 'Role', 'jcrkit-token-refresher-events', 'kube-system') as any).rules).toEqual([{ apiGroups: [''], resources: ['events'], verbs: ['create'] }]);
    expect((find(r, 'RoleBinding', 'jcrkit-token-refresher-events', 'kube-system') as any).roleRef.name).toBe('jcrkit-token-refresher-events');
    const listed = renderYaml('registry: {name: pocexam, region: cn-north-1}\npullSecret: {namespaces: [apps]}');
    expect((find(listed, 'Role', 'jcrkit-token-refresher', 'apps') as any).rules[2]).toEqual({ apiGroups: [''], resources: ['serviceaccounts'], resourceNames: ['default'], verbs: ['get', 'patch'] });
    expect((find(listed, 'Role', 'jcrkit-token-refresher', 'kubernetes-dashboard') as any).rules).toHaveLength(2);
    // no cluster-wide permission for the refresher
    expect(r.files.flatMap((f) => f.objects).filter((o) => o.kind.startsWith('Cluster') && JSON.stringify(o).includes('jcrkit-token-refresher'))).toEqual([]);
  });

  test('a custom image replaces the bundle and the ConfigMap; outside the registry it needs no pull Secret', () => {
    const out = renderYaml('registry: {name: pocexam, region: cn-north-1}\nrefresher: {image: "ghcr.io/acme/jcrkit-refresher:1.2.3"}');
    const c = find(out, 'CronJob', 'jcrkit-token-refresher') as any;
    const p = c.spec.jobTemplate.spec.template.spec;
    expect(p.containers[0].image).toBe('ghcr.io/acme/jcrkit-refresher:1.2.3');
    expect(p.containers[0].command).toBeUndefined();
    expect(p.imagePullSecrets).toBeUndefined();
    expect(out.files.flatMap((f) => f.objects).filter((o) => o.kind === 'ConfigMap' && o.metadata.name === 'jcrkit-token-refresher')).toEqual([]);
  });

  test('schedule, token lifetime and service accounts come from the config', () => {
    const { config } = resolveExample('multi-namespace.yaml');
    const out = renderStack(config, { refresherBundle: TEST_BUNDLE });
    const c = find(out, 'CronJob', 'jcrkit-token-refresher') as any;
    expect(c.spec.schedule).toBe('*/30 * * * *');
    const plan = JSON.parse(c.spec.jobTemplate.spec.template.spec.containers[0].env[0].value);
    expect(plan.tokenHours).toBe(2);
    expect(plan.crService).toBe('containerregistry');
    expect(plan.namespaces).toEqual(['billing', 'default', 'kube-system', 'kubernetes-dashboard', 'shop']);
    expect(plan.serviceAccountNamespaces).toEqual(['billing', 'default', 'shop']);
    expect((find(out, 'Role', 'jcrkit-token-refresher', 'shop') as any).rules[2].resourceNames).toEqual(['default', 'builder']);
  });

  test('a custom refresher namespace is rendered first; the ones every cluster has are not', () => {
    const custom = renderYaml('registry: {name: pocexam, region: cn-north-1}\nrefresher: {namespace: jcrkit-system}');
    const objects = custom.files.find((f) => f.path === '0001-token-refresher.k8s.yaml')!.objects;
    expect(objects[0]).toMatchObject({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'jcrkit-system', labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' } },
    });
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      const out = renderYaml(`registry: {name: pocexam, region: cn-north-1}\nrefresher: {namespace: ${ns}}`);
      expect(out.files.flatMap((f) => f.objects).filter((o) => o.kind === 'Namespace' && o.metadata.name === ns)).toEqual([]);
    }
    // the Dashboard chart already renders its own namespace: not twice
    const shared = renderYaml('registry: {name: pocexam, region: cn-north-1}\nrefresher: {namespace: kubernetes-dashboard}');
    expect(shared.files.flatMap((f) => f.objects).filter((o) => o.kind === 'Namespace')).toHaveLength(1);
  });

  test('admissionPolicy: a ValidatingAdmissionPolicy + binding that only the refresher is subject to', () => {
    expect(allObjects(r).filter((o) => o.kind.startsWith('ValidatingAdmissionPolicy'))).toEqual([]);
    const out = renderYaml('registry: {name: pocexam, region: cn-north-1}\nrefresher: {admissionPolicy: true}');
    const policy = find(out, 'ValidatingAdmissionPolicy', 'jcrkit-token-refresher-secrets.jcrkit.io') as any;
    expect(policy.apiVersion).toBe('admissionregistration.k8s.io/v1');
    expect(policy.metadata.namespace).toBeUndefined();
    expect(policy.spec.matchConstraints.resourceRules).toEqual([{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['secrets'] }]);
    expect(policy.spec.matchConditions[0].expression).toBe("request.userInfo.username == 'system:serviceaccount:kube-system:jcrkit-token-refresher'");
    expect(policy.spec.validations[0].expression).toBe("object.type == 'kubernetes.io/dockerconfigjson' && object.metadata.name == 'my-secret'");
    const binding = find(out, 'ValidatingAdmissionPolicyBinding', 'jcrkit-token-refresher-secrets.jcrkit.io') as any;
    expect(binding.spec).toEqual({ policyName: 'jcrkit-token-refresher-secrets.jcrkit.io', validationActions: ['Deny'] });
  });

  test('snapshot', () => {
    expect(r.files.find((f) => f.path === '0001-token-refresher.k8s.yaml')!.yaml).toMatchSnapshot();
  });
});
