import { renderStack } from '../../lib/render';
import { schemaProblems } from '../helpers/k8s-schema';
import { EXAMPLES, resolveExample, resolveYaml, TEST_BUNDLE } from '../helpers/render';
import { DEFAULT_CONFIG_YAML } from '../../lib/config';

describe('every rendered object passes the Kubernetes schema with unknown fields rejected', () => {
  const configs: [string, ReturnType<typeof resolveExample>][] = [
    ['embedded default', resolveYaml(DEFAULT_CONFIG_YAML)],
    ...EXAMPLES.map((e) => [e, resolveExample(e)] as [string, ReturnType<typeof resolveExample>]),
  ];
  test.each(configs)('%s (with and without a password)', (_name, resolved) => {
    for (const password of [undefined, 'secret-token']) {
      const r = renderStack(resolved.config, { refresherBundle: TEST_BUNDLE, password });
      const objects = r.files.flatMap((f) => f.objects);
      expect(objects.length).toBeGreaterThan(0);
      expect(objects.flatMap(schemaProblems)).toEqual([]);
    }
  });

  test('the checker itself rejects an unknown field, a wrong type and a missing required field', () => {
    expect(schemaProblems({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'n' }, spec: { ports: [{ port: 1, targetPort: 2, nodePrt: 3 }] } } as never)).toEqual([
      { object: 'Service/n/x', problem: 'unknown field /spec/ports/0/nodePrt' },
    ]);
    expect(schemaProblems({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'n' }, spec: { ports: [{ port: '80' }] } } as never)[0].problem).toMatch(/must be integer/);
    expect(schemaProblems({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'x', namespace: 'n' }, subjects: [] } as never)[0].problem).toMatch(/roleRef/);
  });
});
