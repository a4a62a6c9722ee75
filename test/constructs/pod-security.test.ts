/**
 * Pod Security Standards: every pod template jcrkit renders meets "restricted", except the
 * v1.10.1 Dashboard, which stays as the runbook applied it (it meets "baseline"). And every
 * namespace jcrkit creates enforces the level its pods meet.
 */
import { DEFAULT_CONFIG_YAML } from '../../lib/config';
import { renderStack } from '../../lib/render';
import { podSecurityViolations, podSpecOf, WORKLOAD_KINDS } from '../helpers/pod-security';
import { allObjects, EXAMPLES, resolveExample, resolveYaml, TEST_BUNDLE } from '../helpers/render';

const base = 'registry: {name: pocexam, region: cn-north-1}\n';

const CONFIGS: [string, ReturnType<typeof resolveYaml>][] = [
  ['embedded default', resolveYaml(DEFAULT_CONFIG_YAML)],
  ...EXAMPLES.map((e) => [e, resolveExample(e)] as [string, ReturnType<typeof resolveYaml>]),
  ['v2.7.0, NetworkPolicies, refresher in the Dashboard namespace', resolveYaml(`${base}dashboard: {networkPolicy: true}\nrefresher: {namespace: kubernetes-dashboard}`)],
  ['v2.7.0, custom refresher image', resolveYaml(`${base}refresher: {image: "pocexam-cn-north-1.jcr.service.jdcloud.com/ops/refresher:1"}`)],
  ['headlamp, plain HTTP', resolveYaml(`${base}dashboard: {preset: headlamp}`)],
  ['headlamp, TLS Secret, OIDC, NetworkPolicy', resolveYaml(`${base}dashboard: {preset: headlamp, networkPolicy: true, headlamp: {tlsSecret: headlamp-tls, oidcSecret: headlamp-oidc}}`)],
  ['headlamp, HTTPS at the load balancer', resolveYaml(`${base}dashboard: {preset: headlamp, service: {jdcloudLoadBalancer: {certificateId: cert-abc123}}}`)],
  ['v1.10.1 (the runbook)', resolveYaml(`${base}dashboard: {preset: v1.10.1}`)],
];

/** The runbook's Dashboard is kept as the runbook had it; its level is baseline. */
const isRunbookDashboard = (o: { kind: string; metadata: { name: string } }, preset: string) => preset === 'v1.10.1' && o.kind === 'Deployment' && o.metadata.name === 'kubernetes-dashboard';

describe('every rendered pod template meets Pod Security "restricted" (the v1.10.1 Dashboard: "baseline")', () => {
  test.each(CONFIGS)('%s', (_name, resolved) => {
    const objects = allObjects(renderStack(resolved.config, { refresherBundle: TEST_BUNDLE }));
    const workloads = objects.filter((o) => WORKLOAD_KINDS.includes(o.kind));
    expect(workloads.length).toBeGreaterThan(0);
    for (const w of workloads) expect(podSpecOf(w)).toBeDefined();
    const violations = workloads.flatMap((w) => podSecurityViolations(w, isRunbookDashboard(w, resolved.config.dashboard.preset) ? 'baseline' : 'restricted'));
    expect(violations).toEqual([]);
  });

  test('the v1.10.1 Dashboard is baseline, not restricted: it is the runbook\'s manifest, unchanged', () => {
    const objects = allObjects(renderStack(resolveYaml(`${base}dashboard: {preset: v1.10.1}`).config, { refresherBundle: TEST_BUNDLE }));
    const dash = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'kubernetes-dashboard')!;
    expect(podSecurityViolations(dash, 'baseline')).toEqual([]);
    expect(podSecurityViolations(dash, 'restricted').length).toBeGreaterThan(0);
  });

  test.each(CONFIGS)('%s: each namespace jcrkit creates enforces the level all its pods meet', (_name, resolved) => {
    const objects = allObjects(renderStack(resolved.config, { refresherBundle: TEST_BUNDLE }));
    for (const ns of objects.filter((o) => o.kind === 'Namespace')) {
      const labels = (ns.metadata.labels ?? {}) as Record<string, string>;
      expect(labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
      expect(labels['pod-security.kubernetes.io/warn']).toBe('restricted');
      const pods = objects.filter((o) => WORKLOAD_KINDS.includes(o.kind) && o.metadata.namespace === ns.metadata.name);
      expect(pods.flatMap((p) => podSecurityViolations(p, 'restricted'))).toEqual([]);
    }
  });
});

describe('the checker itself', () => {
  const deployment = (pod: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'n' }, spec: { template: { spec: pod } } });
  const good = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }], volumes: [{ name: 'v', emptyDir: {} }] };

  test('a compliant pod passes both levels', () => {
    expect(podSecurityViolations(deployment(good), 'restricted')).toEqual([]);
    expect(podSecurityViolations(deployment(good), 'baseline')).toEqual([]);
  });

  test.each([
    ['hostPath', { ...good, volumes: [{ name: 'h', hostPath: { path: '/' } }] }, 'baseline', /hostPath volumes are forbidden/],
    ['hostNetwork', { ...good, hostNetwork: true }, 'baseline', /hostNetwork must not be true/],
    ['hostPID', { ...good, hostPID: true }, 'baseline', /hostPID must not be true/],
    ['hostIPC', { ...good, hostIPC: true }, 'baseline', /hostIPC must not be true/],
    ['privileged', { ...good, containers: [{ name: 'c', securityContext: { privileged: true } }] }, 'baseline', /privileged must not be true/],
    ['hostPort', { ...good, containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 80 }] }] }, 'baseline', /hostPort 80/],
    ['SYS_ADMIN', { ...good, containers: [{ name: 'c', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }] }, 'baseline', /SYS_ADMIN may not be added/],
    ['unsafe sysctl', { ...good, securityContext: { ...good.securityContext, sysctls: [{ name: 'kernel.msgmax', value: '1' }] } }, 'baseline', /kernel\.msgmax/],
    ['Unconfined seccomp', { ...good, securityContext: { seccompProfile: { type: 'Unconfined' } } }, 'baseline', /must not be Unconfined/],
    ['procMount', { ...good, containers: [{ name: 'c', securityContext: { procMount: 'Unmasked' } }] }, 'baseline', /procMount Unmasked/],
    ['an emptyDir-free volume type', { ...good, volumes: [{ name: 'n', nfs: { server: 's', path: '/' } }] }, 'restricted', /volume type nfs is not allowed/],
    ['privilege escalation', { ...good, containers: [{ name: 'c', securityContext: { capabilities: { drop: ['ALL'] } } }] }, 'restricted', /allowPrivilegeEscalation must be false/],
    ['root allowed', { ...good, securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, 'restricted', /runAsNonRoot must be true/],
    ['uid 0', { ...good, containers: [{ name: 'c', securityContext: { ...good.containers[0].securityContext, runAsUser: 0 } }] }, 'restricted', /runAsUser must not be 0/],
    ['no seccomp', { ...good, securityContext: { runAsNonRoot: true } }, 'restricted', /seccompProfile\.type must be RuntimeDefault or Localhost/],
    ['capabilities not dropped', { ...good, containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false } }] }, 'restricted', /capabilities\.drop must include ALL/],
    ['CHOWN added', { ...good, containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['CHOWN'] } } }] }, 'restricted', /CHOWN may not be added; only NET_BIND_SERVICE/],
  ] as const)('finds %s', (_name, pod, level, message) => {
    expect(podSecurityViolations(deployment(pod as never), level).join('\n')).toMatch(message);
  });

  test('reads the pod templates of CronJobs, Jobs and Pods', () => {
    const bad = { containers: [{ name: 'c' }] };
    expect(podSecurityViolations({ kind: 'CronJob', metadata: { name: 'x' }, spec: { jobTemplate: { spec: { template: { spec: bad } } } } }, 'restricted').length).toBeGreaterThan(0);
    expect(podSecurityViolations({ kind: 'Job', metadata: { name: 'x' }, spec: { template: { spec: bad } } }, 'restricted').length).toBeGreaterThan(0);
    expect(podSecurityViolations({ kind: 'Pod', metadata: { name: 'x' }, spec: bad }, 'restricted').length).toBeGreaterThan(0);
    expect(podSecurityViolations({ kind: 'ConfigMap', metadata: { name: 'x' } }, 'restricted')).toEqual([]);
  });
});
