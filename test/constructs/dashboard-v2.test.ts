import { find, renderDefault, renderYaml } from '../helpers/render';

describe('Dashboard preset v2.7.0 (default)', () => {
  const r = renderDefault();
  const dash = r.files.find((f) => f.path === '0000-dashboard.k8s.yaml')!;

  test('the 14 upstream objects in upstream order, then the exposing Service', () => {
    expect(dash.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/kubernetes-dashboard',
      'ServiceAccount/kubernetes-dashboard',
      'Service/kubernetes-dashboard',
      'Secret/kubernetes-dashboard-certs',
      'Secret/kubernetes-dashboard-csrf',
      'Secret/kubernetes-dashboard-key-holder',
      'ConfigMap/kubernetes-dashboard-settings',
      'Role/kubernetes-dashboard',
      'ClusterRole/kubernetes-dashboard',
      'RoleBinding/kubernetes-dashboard',
      'ClusterRoleBinding/kubernetes-dashboard',
      'Deployment/kubernetes-dashboard',
      'Service/dashboard-metrics-scraper',
      'Deployment/dashboard-metrics-scraper',
      'Service/dashboard-lb',
    ]);
  });

  test('cluster-scoped objects have no namespace; all others are in kubernetes-dashboard', () => {
    for (const o of dash.objects) {
      if (['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind)) expect(o.metadata.namespace).toBeUndefined();
      else expect(o.metadata.namespace).toBe('kubernetes-dashboard');
    }
  });

  test('both Deployments pull from the registry with the pull Secret and tolerate master and control-plane', () => {
    const host = 'pocexam-cn-north-1.jcr.service.jdcloud.com';
    for (const [name, image] of [
      ['kubernetes-dashboard', `${host}/kubernetesui/dashboard:v2.7.0`],
      ['dashboard-metrics-scraper', `${host}/kubernetesui/metrics-scraper:v1.0.8`],
    ]) {
      const pod = (find(r, 'Deployment', name) as any).spec.template.spec;
      expect(pod.containers[0].image).toBe(image);
      expect(pod.imagePullSecrets).toEqual([{ name: 'my-secret' }]);
      expect(pod.tolerations).toEqual([
        { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' },
        { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
      ]);
      expect(pod.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
      expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsUser: 1001, runAsGroup: 2001 });
      expect(pod.serviceAccountName).toBe('kubernetes-dashboard');
    }
    const c = (find(r, 'Deployment', 'kubernetes-dashboard') as any).spec.template.spec.containers[0];
    expect(c.args).toEqual(['--auto-generate-certificates', '--namespace=kubernetes-dashboard']);
    expect(c.imagePullPolicy).toBe('Always');
  });

  test('Role and ClusterRole rules are upstream\'s', () => {
    expect((find(r, 'Role', 'kubernetes-dashboard') as any).rules[0].resourceNames).toEqual(['kubernetes-dashboard-key-holder', 'kubernetes-dashboard-certs', 'kubernetes-dashboard-csrf']);
    expect((find(r, 'ClusterRole', 'kubernetes-dashboard') as any).rules).toEqual([{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }]);
    expect(find(r, 'Secret', 'kubernetes-dashboard-csrf').data).toEqual({ csrf: '' });
  });

  test('LoadBalancer options: source ranges, node port and the JD Cloud annotation from typed options', () => {
    const out = renderYaml(
      'registry: {name: pocexam, region: cn-north-1}\ndashboard:\n  service:\n    port: 8443\n    nodePort: 31000\n    loadBalancerSourceRanges: [203.0.113.0/24, 198.51.100.7/32]\n    jdcloudLoadBalancer: {bandwidthMbps: 10}\n',
    );
    const s = find(out, 'Service', 'dashboard-lb') as any;
    expect(s.spec.ports).toEqual([{ protocol: 'TCP', port: 8443, targetPort: 8443, nodePort: 31000 }]);
    expect(s.spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24', '198.51.100.7/32']);
    expect(s.metadata.annotations['service.beta.kubernetes.io/jdcloud-load-balancer-spec']).toBe(
      'version: v1\nloadBalancerType: alb\ninternal: false\nelasticIp:\n  bandwidthMbps: 10\n  provider: bgp\n  reclaimPolicy: delete\nlisteners:\n  - protocol: Tcp\n',
    );
  });

  test('an internal load balancer gets no public IP section', () => {
    const out = renderYaml('registry: {name: pocexam, region: cn-north-1}\ndashboard: {service: {jdcloudLoadBalancer: {internal: true, type: nlb}}}\n');
    const spec = (find(out, 'Service', 'dashboard-lb') as any).metadata.annotations['service.beta.kubernetes.io/jdcloud-load-balancer-spec'];
    expect(spec).toBe('version: v1\nloadBalancerType: nlb\ninternal: true\nlisteners:\n  - protocol: Tcp\n');
  });

  test('NodePort and ClusterIP types', () => {
    const np = find(renderYaml('registry: {name: pocexam, region: cn-north-1}\ndashboard: {service: {type: NodePort, nodePort: 30443}}'), 'Service', 'dashboard-lb') as any;
    expect(np.spec.type).toBe('NodePort');
    expect(np.spec.ports[0].nodePort).toBe(30443);
    const cip = find(renderYaml('registry: {name: pocexam, region: cn-north-1}\ndashboard: {service: {type: ClusterIP}}'), 'Service', 'dashboard-lb') as any;
    expect(cip.spec.type).toBe('ClusterIP');
    expect(cip.spec.ports[0].nodePort).toBeUndefined();
  });

  test('snapshot', () => {
    expect(dash.yaml).toMatchSnapshot();
  });
});
