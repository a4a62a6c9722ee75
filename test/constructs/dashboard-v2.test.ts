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
      // upstream's context plus the two settings Pod Security "restricted" also requires
      expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsUser: 1001, runAsGroup: 2001, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      // from the user's registry: a restart with a lapsed pull Secret still starts from the cache
      expect(pod.containers[0].imagePullPolicy).toBe('IfNotPresent');
      expect(pod.serviceAccountName).toBe('kubernetes-dashboard');
    }
    const c = (find(r, 'Deployment', 'kubernetes-dashboard') as any).spec.template.spec.containers[0];
    expect(c.args).toEqual(['--auto-generate-certificates', '--namespace=kubernetes-dashboard']);
  });

  test('an image from outside the registry keeps upstream\'s pull policy (Always for the Dashboard, unset for the scraper)', () => {
    const own = renderYaml('registry: {name: pocexam, region: cn-north-1}\ndashboard: {image: "docker.io/kubernetesui/dashboard:v2.7.0", metricsScraperImage: "docker.io/kubernetesui/metrics-scraper:v1.0.8"}\n');
    expect((find(own, 'Deployment', 'kubernetes-dashboard') as any).spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
    expect((find(own, 'Deployment', 'dashboard-metrics-scraper') as any).spec.template.spec.containers[0].imagePullPolicy).toBeUndefined();
  });

  test('the namespace enforces Pod Security "restricted", which every pod of the preset meets', () => {
    expect(find(r, 'Namespace', 'kubernetes-dashboard').metadata.labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'app.kubernetes.io/instance': 'jcrkit',
      'app.kubernetes.io/managed-by': 'jcrkit',
      'app.kubernetes.io/part-of': 'jcrkit',
    });
    // a system namespace is never labelled: its other pods (kube-proxy, CNI) need privileges
    const ks = renderYaml('registry: {name: pocexam, region: cn-north-1}\ndashboard: {namespace: kube-system}\n');
    expect(find(ks, 'Namespace', 'kube-system').metadata.labels).toBeUndefined();
  });

  test('the csrf Secret has no data: the Dashboard writes its key at start-up and GitOps must not revert it', () => {
    const csrf = find(r, 'Secret', 'kubernetes-dashboard-csrf') as any;
    expect(csrf.type).toBe('Opaque');
    expect(csrf.data).toBeUndefined();
    expect((find(r, 'Role', 'kubernetes-dashboard') as any).rules[0].verbs).toEqual(['get', 'update', 'delete']); // it may update the Secret
  });

  test('NetworkPolicies on request: the Dashboard admits only 8443, the scraper only the Dashboard on 8000', () => {
    expect(dash.objects.some((o) => o.kind === 'NetworkPolicy')).toBe(false);
    const np = renderYaml('registry: {name: pocexam, region: cn-north-1}\ndashboard: {networkPolicy: true}\n');
    expect((find(np, 'NetworkPolicy', 'kubernetes-dashboard', 'kubernetes-dashboard') as any).spec).toEqual({
      podSelector: { matchLabels: { 'k8s-app': 'kubernetes-dashboard' } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: 8443 }] }],
    });
    expect((find(np, 'NetworkPolicy', 'dashboard-metrics-scraper') as any).spec).toEqual({
      podSelector: { matchLabels: { 'k8s-app': 'dashboard-metrics-scraper' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'k8s-app': 'kubernetes-dashboard' } } }], ports: [{ protocol: 'TCP', port: 8000 }] }],
    });
  });

  test('Role and ClusterRole rules are upstream\'s', () => {
    expect((find(r, 'Role', 'kubernetes-dashboard') as any).rules[0].resourceNames).toEqual(['kubernetes-dashboard-key-holder', 'kubernetes-dashboard-certs', 'kubernetes-dashboard-csrf']);
    expect((find(r, 'ClusterRole', 'kubernetes-dashboard') as any).rules).toEqual([{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }]);
  });

  test('by default the load balancer is internal: the annotation says so, since JD Cloud\'s own default is public', () => {
    const s = find(r, 'Service', 'dashboard-lb') as any;
    expect(s.spec.type).toBe('LoadBalancer');
    expect(s.metadata.annotations['service.beta.kubernetes.io/jdcloud-load-balancer-spec']).toBe('version: v1\nloadBalancerType: alb\ninternal: true\nlisteners:\n  - protocol: Tcp\n');
  });

  test('LoadBalancer options: source ranges, node port, security groups and the JD Cloud annotation from typed options', () => {
    const out = renderYaml(
      'registry: {name: pocexam, region: cn-north-1}\nadmin: {clusterRole: view}\ndashboard:\n  service:\n    port: 8443\n    nodePort: 31000\n    loadBalancerSourceRanges: [203.0.113.0/24, 198.51.100.7/32]\n    jdcloudLoadBalancer: {internal: false, bandwidthMbps: 10, securityGroupIds: [sg-abc123, sg-def456]}\n',
    );
    const s = find(out, 'Service', 'dashboard-lb') as any;
    expect(s.spec.ports).toEqual([{ protocol: 'TCP', port: 8443, targetPort: 8443, nodePort: 31000 }]);
    expect(s.spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24', '198.51.100.7/32']);
    expect(s.metadata.annotations['service.beta.kubernetes.io/jdcloud-load-balancer-spec']).toBe(
      'version: v1\nloadBalancerType: alb\ninternal: false\nsecurityGroupIds:\n  - sg-abc123\n  - sg-def456\nelasticIp:\n  bandwidthMbps: 10\n  provider: bgp\n  reclaimPolicy: delete\nlisteners:\n  - protocol: Tcp\n',
    );
  });

  test('annotate: false renders no annotation (JD Cloud\'s default public ALB, the runbook\'s Service)', () => {
    const out = renderYaml('registry: {name: pocexam, region: cn-north-1}\nadmin: {clusterRole: view}\ndashboard: {service: {jdcloudLoadBalancer: {internal: false, annotate: false}}}\n');
    expect((find(out, 'Service', 'dashboard-lb') as any).metadata.annotations).toBeUndefined();
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
