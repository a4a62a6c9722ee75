import { renderStack } from '../../lib/render';
import { KUBERNETES_VERSIONS, schemaProblems } from '../helpers/k8s-schema';
import { EXAMPLES, resolveExample, resolveYaml, TEST_BUNDLE } from '../helpers/render';
import { DEFAULT_CONFIG_YAML } from '../../lib/config';

const base = 'registry: {name: pocexam, region: cn-north-1}\n';

describe.each(KUBERNETES_VERSIONS)('every rendered object passes the Kubernetes %s schema with unknown fields rejected', (version) => {
  const configs: [string, ReturnType<typeof resolveExample>][] = [
    ['embedded default', resolveYaml(DEFAULT_CONFIG_YAML)],
    ...EXAMPLES.map((e) => [e, resolveExample(e)] as [string, ReturnType<typeof resolveExample>]),
    ['v2.7.0 with NetworkPolicies and a public load balancer', resolveYaml(`${base}admin: {clusterRole: view}\ndashboard: {networkPolicy: true, service: {jdcloudLoadBalancer: {internal: false, securityGroupIds: [sg-a1]}}}`)],
    ['v1.10.1 with a NetworkPolicy', resolveYaml(`${base}dashboard: {preset: v1.10.1, networkPolicy: true}`)],
    ['headlamp', resolveYaml(`${base}dashboard: {preset: headlamp}`)],
    ['headlamp with TLS, OIDC, NetworkPolicy and a token Secret', resolveYaml(`${base}dashboard: {preset: headlamp, networkPolicy: true, headlamp: {tlsSecret: t, oidcSecret: o}}\nadmin: {tokenSecret: true}`)],
    ['headlamp with HTTPS at the load balancer, ClusterIP-free', resolveYaml(`${base}dashboard: {preset: headlamp, service: {jdcloudLoadBalancer: {certificateId: cert-a1}}}`)],
    ['headlamp as ClusterIP', resolveYaml(`${base}dashboard: {preset: headlamp, service: {type: ClusterIP}}`)],
  ];
  test.each(configs)('%s (with and without a password)', (_name, resolved) => {
    for (const password of [undefined, 'secret-token']) {
      const r = renderStack(resolved.config, { refresherBundle: TEST_BUNDLE, password });
      const objects = [...r.files, ...(r.bootstrap ? [r.bootstrap] : [])].flatMap((f) => f.objects);
      expect(objects.length).toBeGreaterThan(0);
      expect(objects.flatMap((o) => schemaProblems(o, version))).toEqual([]);
    }
  });
});

describe('the checker itself', () => {
  test('rejects an unknown field, a wrong type and a missing required field', () => {
    expect(schemaProblems({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'n' }, spec: { ports: [{ port: 1, targetPort: 2, nodePrt: 3 }] } } as never)).toEqual([
      { object: 'Service/n/x', problem: 'unknown field /spec/ports/0/nodePrt (Kubernetes 1.27)' },
    ]);
    expect(schemaProblems({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'n' }, spec: { ports: [{ port: '80' }] } } as never)[0].problem).toMatch(/must be integer/);
    expect(schemaProblems({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'x', namespace: 'n' }, subjects: [] } as never)[0].problem).toMatch(/roleRef/);
  });

  test('knows which version has a field: Service.spec.trafficDistribution exists in 1.32, not in 1.27', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'n' }, spec: { ports: [{ port: 1 }], trafficDistribution: 'PreferClose' } };
    expect(schemaProblems(svc as never, '1.27')).toEqual([{ object: 'Service/n/x', problem: 'unknown field /spec/trafficDistribution (Kubernetes 1.27)' }]);
    expect(schemaProblems(svc as never, '1.32')).toEqual([]);
  });
});
