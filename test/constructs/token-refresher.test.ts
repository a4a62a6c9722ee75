import { find, renderDefault, renderYaml, resolveExample, TEST_BUNDLE } from '../helpers/render';
import { renderStack } from '../../lib/render';
import { createHash } from 'node:crypto';

describe('TokenRefresher manifests', () => {
  const r = renderDefault();
  const cron = find(r, 'CronJob', 'jcrkit-token-refresher', 'kube-system') as any;
  const pod = cron.spec.jobTemplate.spec.template.spec;
  const container = pod.containers[0];

  test('CronJob batch/v1: hourly, history 2/2, backoffLimit 4, Never, Forbid, no hostNetwork', () => {
    expect(cron.apiVersion).toBe('batch/v1');
    expect(cron.spec.schedule).toBe('0 * * * *');
    expect(cron.spec.successfulJobsHistoryLimit).toBe(2);
    expect(cron.spec.failedJobsHistoryLimit).toBe(2);
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    expect(cron.spec.jobTemplate.spec.backoffLimit).toBe(4);
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
      tokenHours: 12,
      crService: 'cr',
      releaseSupersededTokens: false,
      verifyRegistry: true,
    });
  });

  test('the bundled program runs on the stock runtime image from a ConfigMap, its hash in the pod template', () => {
    expect(container.image).toBe('pocexam-cn-north-1.jcr.service.jdcloud.com/library/node:20.18.1-alpine');
    expect(container.command).toEqual(['node', '/opt/jcrkit/jcrkit-refresher.js']);
    const cm = find(r, 'ConfigMap', 'jcrkit-token-refresher', 'kube-system') as any;
    expect(cm.data['jcrkit-refresher.js']).toBe(TEST_BUNDLE);
    expect(cron.spec.jobTemplate.spec.template.metadata.annotations['jcrkit.io/program-sha256']).toBe(createHash('sha256').update(TEST_BUNDLE).digest('hex'));
  });

  test('a Role + RoleBinding in every target namespace, scoped by resourceNames', () => {
    for (const ns of ['kube-system', 'kubernetes-dashboard']) {
      const role = find(r, 'Role', 'jcrkit-token-refresher', ns) as any;
      expect(role.rules).toEqual([
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['my-secret'], verbs: ['get', 'update'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        { apiGroups: [''], resources: ['serviceaccounts'], resourceNames: ['default'], verbs: ['get', 'patch'] },
      ]);
      const rb = find(r, 'RoleBinding', 'jcrkit-token-refresher', ns) as any;
      expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'jcrkit-token-refresher', namespace: 'kube-system' }]);
    }
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
    expect((find(out, 'Role', 'jcrkit-token-refresher', 'shop') as any).rules[2].resourceNames).toEqual(['default', 'builder']);
  });

  test('snapshot', () => {
    expect(r.files.find((f) => f.path === '0001-token-refresher.k8s.yaml')!.yaml).toMatchSnapshot();
  });
});
