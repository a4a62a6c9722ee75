import { mirrorPairsFromConfig } from '../../lib/cloud/mirror-from-config';
import { find, renderYaml, resolveYaml } from '../helpers/render';

const base = 'registry: {name: pocexam, region: cn-north-1}\n';
const HOST = 'pocexam-cn-north-1.jcr.service.jdcloud.com';

describe('Headlamp preset (v0.45.0)', () => {
  const r = renderYaml(`${base}dashboard: {preset: headlamp}\n`);
  const ui = r.files.find((f) => f.path === '0000-dashboard.k8s.yaml')!;
  const admin = r.files.find((f) => f.path === '0002-dashboard-admin.k8s.yaml')!;
  const pod = (x = r) => (find(x, 'Deployment', 'headlamp', 'headlamp') as any).spec.template.spec;

  test('Namespace, the pod\'s ServiceAccount, Deployment and Service; a separate login account bound to view', () => {
    expect(ui.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/headlamp', 'ServiceAccount/headlamp', 'Deployment/headlamp', 'Service/headlamp']);
    expect(admin.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/headlamp-login', 'ClusterRoleBinding/headlamp-login']);
    expect((find(r, 'ClusterRoleBinding', 'headlamp-login') as any).roleRef.name).toBe('view');
  });

  test('the pod\'s ServiceAccount is bound to nothing (the chart binds cluster-admin to it, headlamp#4435)', () => {
    const subjects = r.files.flatMap((f) => f.objects).filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding').flatMap((o) => (o as any).subjects);
    expect(subjects.filter((s: any) => s.namespace === 'headlamp')).toEqual([{ kind: 'ServiceAccount', name: 'headlamp-login', namespace: 'headlamp' }]);
    expect(pod().serviceAccountName).toBe('headlamp');
  });

  test('the Deployment: in-cluster args, port 4466, probes, uid 100 / gid 101, read-only root with /tmp, pull Secret', () => {
    const p = pod();
    const c = p.containers[0];
    expect(c.image).toBe(`${HOST}/headlamp-k8s/headlamp:v0.45.0`);
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.args).toEqual(['-in-cluster', '-in-cluster-context-name=main', '-plugins-dir=/headlamp/plugins', '-session-ttl=86400']);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 4466, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/', port: 'http', scheme: 'HTTP' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/', port: 'http', scheme: 'HTTP' });
    expect(c.securityContext).toEqual({ privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsGroup: 101, runAsNonRoot: true, runAsUser: 100 });
    expect(c.volumeMounts).toEqual([{ name: 'headlamp-tmp', mountPath: '/tmp' }]);
    expect(p.volumes).toEqual([{ name: 'headlamp-tmp', emptyDir: {} }]);
    expect(p.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(p.imagePullSecrets).toEqual([{ name: 'my-secret' }]);
    expect(p.automountServiceAccountToken).toBe(true);
    expect(c.env).toBeUndefined();
  });

  test('the Service: an internal JD Cloud load balancer, port 80 to the named port http', () => {
    const s = find(r, 'Service', 'headlamp') as any;
    expect(s.spec.type).toBe('LoadBalancer');
    expect(s.spec.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }]);
    expect(s.metadata.annotations['service.beta.kubernetes.io/jdcloud-load-balancer-spec']).toBe('version: v1\nloadBalancerType: alb\ninternal: true\nlisteners:\n  - protocol: Tcp\n');
    const cip = find(renderYaml(`${base}dashboard: {preset: headlamp, service: {type: ClusterIP}}`), 'Service', 'headlamp') as any;
    expect(cip.spec.type).toBe('ClusterIP');
    expect(cip.metadata.annotations).toBeUndefined();
  });

  test('TLS from a user-provided Secret: HTTPS on 4466, probes over HTTPS, Service port 443, TCP pass-through', () => {
    const t = renderYaml(`${base}dashboard: {preset: headlamp, headlamp: {tlsSecret: headlamp-tls}}`);
    const p = pod(t);
    expect(p.containers[0].args.slice(-2)).toEqual(['-tls-cert-path=/headlamp-cert/tls.crt', '-tls-key-path=/headlamp-cert/tls.key']);
    expect(p.containers[0].volumeMounts).toContainEqual({ name: 'headlamp-cert', mountPath: '/headlamp-cert', readOnly: true });
    expect(p.volumes).toContainEqual({ name: 'headlamp-cert', secret: { secretName: 'headlamp-tls' } });
    expect(p.containers[0].livenessProbe.httpGet.scheme).toBe('HTTPS');
    const s = find(t, 'Service', 'headlamp') as any;
    expect(s.spec.ports[0].port).toBe(443);
    expect(s.metadata.annotations['service.beta.kubernetes.io/jdcloud-load-balancer-spec']).toContain('protocol: Tcp');
    expect(t.files.flatMap((f) => f.objects).some((o) => o.kind === 'Secret' && o.metadata.name === 'headlamp-tls')).toBe(false); // the key never goes into Git
  });

  test('HTTPS at the load balancer: an Https listener with the certificate, plain HTTP behind it', () => {
    const t = renderYaml(`${base}dashboard: {preset: headlamp, service: {jdcloudLoadBalancer: {certificateId: cert-abc123}}}`);
    const s = find(t, 'Service', 'headlamp') as any;
    expect(s.spec.ports[0].port).toBe(443);
    expect(s.metadata.annotations['service.beta.kubernetes.io/jdcloud-load-balancer-spec']).toBe('version: v1\nloadBalancerType: alb\ninternal: true\nlisteners:\n  - protocol: Https\n    certificateId: cert-abc123\n');
    expect(pod(t).containers[0].livenessProbe.httpGet.scheme).toBe('HTTP');
  });

  test('OIDC from a user-provided Secret (the chart\'s externalSecret keys; scopes optional)', () => {
    const o = renderYaml(`${base}dashboard: {preset: headlamp, headlamp: {oidcSecret: headlamp-oidc}}`);
    expect(pod(o).containers[0].env).toEqual([
      { name: 'HEADLAMP_CONFIG_OIDC_CLIENT_ID', valueFrom: { secretKeyRef: { name: 'headlamp-oidc', key: 'OIDC_CLIENT_ID' } } },
      { name: 'HEADLAMP_CONFIG_OIDC_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: 'headlamp-oidc', key: 'OIDC_CLIENT_SECRET' } } },
      { name: 'HEADLAMP_CONFIG_OIDC_IDP_ISSUER_URL', valueFrom: { secretKeyRef: { name: 'headlamp-oidc', key: 'OIDC_ISSUER_URL' } } },
      { name: 'HEADLAMP_CONFIG_OIDC_SCOPES', valueFrom: { secretKeyRef: { name: 'headlamp-oidc', key: 'OIDC_SCOPES', optional: true } } },
    ]);
    expect(o.notes.join('\n')).toMatch(/kubectl -n headlamp create secret generic headlamp-oidc --from-literal=OIDC_CLIENT_ID=/);
  });

  test('an optional NetworkPolicy admitting only 4466', () => {
    const np = find(renderYaml(`${base}dashboard: {preset: headlamp, networkPolicy: true}`), 'NetworkPolicy', 'headlamp', 'headlamp') as any;
    expect(np.spec).toEqual({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'headlamp', 'app.kubernetes.io/instance': 'headlamp' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'TCP', port: 4466 }] }] });
  });

  test('the notes say Headlamp serves plain HTTP here, and how to log in', () => {
    const n = r.notes.join('\n');
    expect(n).toMatch(/Headlamp serves plain HTTP on port 4466/);
    expect(n).toMatch(/kubectl -n headlamp create token headlamp-login --duration=1h/);
  });

  test('jcrkit mirror --from-config copies ghcr.io/headlamp-k8s/headlamp:v0.45.0 into the registry', () => {
    const { config } = resolveYaml(`${base}dashboard: {preset: headlamp}`);
    expect(mirrorPairsFromConfig(config)).toEqual([
      { source: 'ghcr.io/headlamp-k8s/headlamp:v0.45.0', destination: `${HOST}/headlamp-k8s/headlamp:v0.45.0` },
      { source: 'docker.io/library/node:24.21.0-alpine', destination: `${HOST}/library/node:24.21.0-alpine` },
    ]);
    expect(config.pullSecret.namespaces).toEqual(['headlamp', 'kube-system']);
  });

  test('snapshots: the default and the TLS + OIDC + NetworkPolicy variant', () => {
    expect(ui.yaml).toMatchSnapshot('default');
    expect(admin.yaml).toMatchSnapshot('login account');
    const full = renderYaml(`${base}dashboard: {preset: headlamp, networkPolicy: true, headlamp: {tlsSecret: headlamp-tls, oidcSecret: headlamp-oidc}}`);
    expect(full.files.find((f) => f.path === '0000-dashboard.k8s.yaml')!.yaml).toMatchSnapshot('tls, oidc, network policy');
  });
});
