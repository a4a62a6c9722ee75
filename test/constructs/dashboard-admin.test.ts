import { find, renderDefault, renderYaml } from '../helpers/render';

describe('DashboardAdmin', () => {
  const r = renderDefault();

  test('ServiceAccount, ClusterRoleBinding to cluster-admin and a service-account-token Secret', () => {
    const file = r.files.find((f) => f.path === '0002-dashboard-admin.k8s.yaml')!;
    expect(file.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/dashboard-admin', 'ClusterRoleBinding/dashboard-cluster-admin', 'Secret/dashboard-admin-token']);
    const token = find(r, 'Secret', 'dashboard-admin-token') as any;
    expect(token.type).toBe('kubernetes.io/service-account-token');
    expect(token.metadata.annotations).toEqual({ 'kubernetes.io/service-account.name': 'dashboard-admin' });
    expect(token.metadata.namespace).toBe('kubernetes-dashboard');
    expect(token.data).toBeUndefined();
  });

  test('the login hint explains both token routes', () => {
    const hint = r.notes.join('\n');
    expect(hint).toContain("kubectl -n kubernetes-dashboard get secret dashboard-admin-token -o jsonpath='{.data.token}' | base64 -d");
    expect(hint).toContain('kubectl -n kubernetes-dashboard create token dashboard-admin');
  });

  test('a safer view binding, and disabling the account', () => {
    const v = renderYaml('registry: {name: pocexam, region: cn-north-1}\nadmin: {clusterRole: view, serviceAccount: viewer}');
    expect((find(v, 'ClusterRoleBinding', 'dashboard-view') as any).roleRef.name).toBe('view');
    const none = renderYaml('registry: {name: pocexam, region: cn-north-1}\nadmin: {enabled: false}');
    expect(none.files.map((f) => f.path)).not.toContain('0002-dashboard-admin.k8s.yaml');
  });

  test('snapshot', () => {
    expect(r.files.find((f) => f.path === '0002-dashboard-admin.k8s.yaml')!.yaml).toMatchSnapshot();
  });
});
