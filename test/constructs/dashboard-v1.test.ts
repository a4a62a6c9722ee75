import { allObjects, find, renderYaml, resolveExample, TEST_BUNDLE } from '../helpers/render';
import { renderStack } from '../../lib/render';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/render';

const seedYaml = readFileSync(join(ROOT, 'examples', 'seed.yaml'), 'utf8');

describe('Dashboard preset v1.10.1 (the runbook, examples/seed.yaml)', () => {
  const r = renderYaml(seedYaml);
  const dash = r.files.find((f) => f.path === '0000-dashboard.k8s.yaml')!;

  test('renders the runbook\'s six objects in its order, all in kube-system', () => {
    expect(dash.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Secret/kubernetes-dashboard-certs',
      'ServiceAccount/kubernetes-dashboard',
      'Role/kubernetes-dashboard-minimal',
      'RoleBinding/kubernetes-dashboard-minimal',
      'Deployment/kubernetes-dashboard',
      'Service/dashboard-lb',
    ]);
    expect(new Set(dash.objects.map((o) => o.metadata.namespace))).toEqual(new Set(['kube-system']));
  });

  test('Role has the six upstream rules', () => {
    const role = find(r, 'Role', 'kubernetes-dashboard-minimal');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['kubernetes-dashboard-key-holder', 'kubernetes-dashboard-certs'], verbs: ['get', 'update', 'delete'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['kubernetes-dashboard-settings'], verbs: ['get', 'update'] },
      { apiGroups: [''], resources: ['services'], resourceNames: ['heapster'], verbs: ['proxy'] },
      { apiGroups: [''], resources: ['services/proxy'], resourceNames: ['heapster', 'http:heapster:', 'https:heapster:'], verbs: ['get'] },
    ]);
  });

  test('Deployment matches the runbook: image from the registry, args, probe, volumes, toleration, imagePullSecrets', () => {
    const d = find(r, 'Deployment', 'kubernetes-dashboard') as any;
    const pod = d.spec.template.spec;
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.selector).toEqual({ matchLabels: { 'k8s-app': 'kubernetes-dashboard' } });
    expect(pod.containers).toEqual([
      {
        name: 'kubernetes-dashboard',
        image: 'pocexam-cn-north-1.jcr.service.jdcloud.com/kubernetes-dashboard-amd64:v1.10.1',
        ports: [{ containerPort: 8443, protocol: 'TCP' }],
        args: ['--auto-generate-certificates'],
        volumeMounts: [{ name: 'kubernetes-dashboard-certs', mountPath: '/certs' }, { mountPath: '/tmp', name: 'tmp-volume' }],
        livenessProbe: { httpGet: { scheme: 'HTTPS', path: '/', port: 8443 }, initialDelaySeconds: 30, timeoutSeconds: 30 },
      },
    ]);
    expect(pod.volumes).toEqual([{ name: 'kubernetes-dashboard-certs', secret: { secretName: 'kubernetes-dashboard-certs' } }, { name: 'tmp-volume', emptyDir: {} }]);
    expect(pod.serviceAccountName).toBe('kubernetes-dashboard');
    expect(pod.imagePullSecrets).toEqual([{ name: 'my-secret' }]);
    expect(pod.tolerations).toEqual([{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }]);
    // Nothing cdk8s-plus would have added.
    expect(Object.keys(pod).sort()).toEqual(['containers', 'imagePullSecrets', 'serviceAccountName', 'tolerations', 'volumes']);
  });

  test('Service dashboard-lb: LoadBalancer 9443 -> 8443, nodePort 30063', () => {
    const s = find(r, 'Service', 'dashboard-lb') as any;
    expect(s.spec).toEqual({ ports: [{ protocol: 'TCP', port: 9443, targetPort: 8443, nodePort: 30063 }], type: 'LoadBalancer', selector: { 'k8s-app': 'kubernetes-dashboard' } });
    expect(s.metadata.annotations).toBeUndefined();
  });

  test('admin account: dashboard-admin in kube-system bound to cluster-admin as dashboard-cluster-admin', () => {
    const crb = find(r, 'ClusterRoleBinding', 'dashboard-cluster-admin') as any;
    expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' });
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'dashboard-admin', namespace: 'kube-system' }]);
  });

  test('warns that v1.10.1 does not work on Kubernetes >= 1.16', () => {
    expect(resolveExample('seed.yaml').warnings.join('\n')).toMatch(/v1\.10\.1 does not work on Kubernetes >= 1\.16/);
  });

  test('the pull Secret and the refresher target kube-system only (where the Dashboard pulls)', () => {
    const { config } = resolveExample('seed.yaml');
    expect(config.pullSecret.namespaces).toEqual(['kube-system']);
    const out = renderStack(config, { refresherBundle: TEST_BUNDLE });
    expect(allObjects(out).filter((o) => o.kind === 'Role' && o.metadata.name === 'jcrkit-token-refresher').map((o) => o.metadata.namespace)).toEqual(['kube-system']);
  });

  test('snapshot', () => {
    expect(dash.yaml).toMatchSnapshot();
  });
});
