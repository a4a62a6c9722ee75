import { find, renderDefault, renderYaml } from '../helpers/render';

const base = 'registry: {name: pocexam, region: cn-north-1}\n';

describe('DashboardAdmin', () => {
  const r = renderDefault();
  const adminFile = (x: typeof r) => x.files.find((f) => f.path === '0002-dashboard-admin.k8s.yaml')!;

  test('by default a ServiceAccount and its ClusterRoleBinding, and no non-expiring token Secret', () => {
    expect(adminFile(r).objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/dashboard-admin', 'ClusterRoleBinding/dashboard-admin']);
    const binding = find(r, 'ClusterRoleBinding', 'dashboard-admin') as any;
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'dashboard-admin', namespace: 'kubernetes-dashboard' }]);
  });

  test('admin.tokenSecret: true renders the service-account-token Secret, as the runbook used', () => {
    const t = renderYaml(`${base}admin: {tokenSecret: true}`);
    const token = find(t, 'Secret', 'dashboard-admin-token') as any;
    expect(token.type).toBe('kubernetes.io/service-account-token');
    expect(token.metadata.annotations).toEqual({ 'kubernetes.io/service-account.name': 'dashboard-admin' });
    expect(token.metadata.namespace).toBe('kubernetes-dashboard');
    expect(token.data).toBeUndefined();
    expect(t.notes.join('\n')).toContain("kubectl -n kubernetes-dashboard get secret dashboard-admin-token -o jsonpath='{.data.token}' | base64 -d");
  });

  test('the login note shows short-lived tokens: jcrkit login-token and kubectl create token', () => {
    const hint = r.notes.join('\n');
    expect(hint).toContain('jcrkit login-token --duration 1h');
    expect(hint).toContain('kubectl -n kubernetes-dashboard create token dashboard-admin --duration=1h');
    expect(hint).not.toContain('get secret');
  });

  test('the binding keeps its name when the role changes, so kubectl apply cannot leave the old role bound', () => {
    for (const role of ['cluster-admin', 'view', 'edit']) {
      const v = renderYaml(`${base}admin: {clusterRole: ${role}}`);
      expect(adminFile(v).objects.filter((o) => o.kind === 'ClusterRoleBinding').map((o) => o.metadata.name)).toEqual(['dashboard-admin']);
      expect((find(v, 'ClusterRoleBinding', 'dashboard-admin') as any).roleRef.name).toBe(role);
    }
    expect((find(renderYaml(`${base}admin: {serviceAccount: viewer, clusterRole: view}`), 'ClusterRoleBinding', 'viewer') as any).subjects[0].name).toBe('viewer');
    expect(find(renderYaml(`${base}admin: {bindingName: dashboard-cluster-admin}`), 'ClusterRoleBinding', 'dashboard-cluster-admin')).toBeDefined();
  });

  test('disabling the account', () => {
    const none = renderYaml(`${base}admin: {enabled: false}`);
    expect(none.files.map((f) => f.path)).not.toContain('0002-dashboard-admin.k8s.yaml');
    expect(none.notes.join('\n')).toMatch(/admin\.enabled is false/);
  });

  test('snapshot', () => {
    expect(adminFile(r).yaml).toMatchSnapshot();
  });
});
