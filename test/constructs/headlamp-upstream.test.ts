/**
 * The headlamp preset, field by field against upstream Headlamp 0.45.0:
 *  - `chart`: the chart's default render, charts/headlamp/tests/expected_templates/default.yaml
 *    (https://github.com/kubernetes-sigs/headlamp/tree/v0.45.0/charts/headlamp/tests/expected_templates);
 *  - `manifest`: the plain install file, kubernetes-headlamp.yaml
 *    (https://github.com/kubernetes-sigs/headlamp/blob/v0.45.0/kubernetes-headlamp.yaml).
 * Both are encoded below by hand, field for field, as read from those files (not copied in). Every
 * field where jcrkit's render differs must be listed in DIFFERENCES, and every entry there must
 * still be a difference and have its row in docs/headlamp-upstream.md, which says why.
 *
 * The chart is compared both ways (each upstream field, each jcrkit field); the plain manifest,
 * an older and unmaintained-looking sample (`:latest`, OTel env), one way: each of its fields.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderYaml, ROOT } from '../helpers/render';

type Obj = Record<string, unknown>;

const CHART_LABELS = {
  'helm.sh/chart': 'headlamp-0.45.0',
  'app.kubernetes.io/name': 'headlamp',
  'app.kubernetes.io/instance': 'headlamp',
  'app.kubernetes.io/version': '0.45.0',
  'app.kubernetes.io/managed-by': 'Helm',
};
const SELECTOR = { 'app.kubernetes.io/name': 'headlamp', 'app.kubernetes.io/instance': 'headlamp' };
const chartProbe = () => ({ httpGet: { path: '/', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });

/** charts/headlamp/tests/expected_templates/default.yaml (chart 0.45.0, release "headlamp" in "default"). */
const CHART: Record<string, Obj> = {
  'ServiceAccount/headlamp': { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'headlamp', namespace: 'default', labels: CHART_LABELS } },
  'Secret/oidc': { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'oidc', namespace: 'default' }, type: 'Opaque', data: null },
  'ClusterRoleBinding/headlamp-admin': {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'headlamp-admin', labels: CHART_LABELS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'ServiceAccount', name: 'headlamp', namespace: 'default' }],
  },
  'Service/headlamp': {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'headlamp', namespace: 'default', labels: CHART_LABELS },
    spec: { type: 'ClusterIP', ports: [{ port: 80, targetPort: 'http', protocol: 'TCP', name: 'http' }], selector: SELECTOR },
  },
  'Deployment/headlamp': {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'headlamp', namespace: 'default', labels: CHART_LABELS },
    spec: {
      replicas: 1,
      selector: { matchLabels: SELECTOR },
      template: {
        metadata: { labels: SELECTOR },
        spec: {
          serviceAccountName: 'headlamp',
          automountServiceAccountToken: true,
          hostUsers: true,
          securityContext: {},
          containers: [
            {
              name: 'headlamp',
              securityContext: { privileged: false, runAsGroup: 101, runAsNonRoot: true, runAsUser: 100 },
              image: 'ghcr.io/headlamp-k8s/headlamp:v0.45.0',
              imagePullPolicy: 'IfNotPresent',
              env: null,
              args: ['-in-cluster', '-in-cluster-context-name=main', '-plugins-dir=/headlamp/plugins', '-session-ttl=86400'],
              ports: [{ name: 'http', containerPort: 4466, protocol: 'TCP' }],
              livenessProbe: chartProbe(),
              readinessProbe: chartProbe(),
              resources: {},
            },
          ],
        },
      },
    },
  },
};

const manifestProbe = () => ({ httpGet: { scheme: 'HTTP', path: '/', port: 4466 }, initialDelaySeconds: 30, timeoutSeconds: 30 });

/** kubernetes-headlamp.yaml at v0.45.0. */
const MANIFEST: Record<string, Obj> = {
  'Service/headlamp': {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: { name: 'headlamp', namespace: 'kube-system' },
    spec: { ports: [{ port: 80, targetPort: 4466 }], selector: { 'k8s-app': 'headlamp' } },
  },
  'Deployment/headlamp': {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: { name: 'headlamp', namespace: 'kube-system' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { 'k8s-app': 'headlamp' } },
      template: {
        metadata: { labels: { 'k8s-app': 'headlamp' } },
        spec: {
          containers: [
            {
              name: 'headlamp',
              image: 'ghcr.io/headlamp-k8s/headlamp:latest',
              args: ['-in-cluster', '-plugins-dir=/headlamp/plugins'],
              env: [
                { name: 'HEADLAMP_CONFIG_TRACING_ENABLED', value: 'true' },
                { name: 'HEADLAMP_CONFIG_METRICS_ENABLED', value: 'true' },
                { name: 'HEADLAMP_CONFIG_OTLP_ENDPOINT', value: 'otel-collector:4317' },
                { name: 'HEADLAMP_CONFIG_SERVICE_NAME', value: 'headlamp' },
                { name: 'HEADLAMP_CONFIG_SERVICE_VERSION', value: 'latest' },
              ],
              ports: [
                { containerPort: 4466, name: 'http' },
                { containerPort: 9090, name: 'metrics' },
              ],
              readinessProbe: manifestProbe(),
              livenessProbe: manifestProbe(),
            },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
        },
      },
    },
  },
  'Secret/headlamp-admin': {
    kind: 'Secret',
    apiVersion: 'v1',
    metadata: { name: 'headlamp-admin', namespace: 'kube-system', annotations: { 'kubernetes.io/service-account.name': 'headlamp-admin' } },
    type: 'kubernetes.io/service-account-token',
  },
};

/**
 * Every deliberate difference: `<source> <Kind/name or *> <field path or (object)>`. A path also
 * covers the fields below it. `jcrkit` entries are objects jcrkit adds.
 */
const DIFFERENCES = [
  'chart * metadata.namespace',
  'chart * metadata.labels.helm.sh/chart',
  'chart * metadata.labels.app.kubernetes.io/managed-by',
  'chart * metadata.labels.app.kubernetes.io/instance',
  'chart * metadata.labels.app.kubernetes.io/part-of',
  'chart Secret/oidc (object)',
  'chart ClusterRoleBinding/headlamp-admin (object)',
  'chart Service/headlamp spec.type',
  'chart Service/headlamp metadata.annotations',
  'chart Deployment/headlamp spec.template.spec.hostUsers',
  'chart Deployment/headlamp spec.template.spec.securityContext',
  'chart Deployment/headlamp spec.template.spec.imagePullSecrets',
  'chart Deployment/headlamp spec.template.spec.nodeSelector',
  'chart Deployment/headlamp spec.template.spec.volumes',
  'chart Deployment/headlamp spec.template.spec.containers[0].image',
  'chart Deployment/headlamp spec.template.spec.containers[0].env',
  'chart Deployment/headlamp spec.template.spec.containers[0].resources',
  'chart Deployment/headlamp spec.template.spec.containers[0].volumeMounts',
  'chart Deployment/headlamp spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
  'chart Deployment/headlamp spec.template.spec.containers[0].securityContext.capabilities',
  'chart Deployment/headlamp spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
  'manifest * metadata.namespace',
  'manifest Service/headlamp spec.ports[0].targetPort',
  'manifest Service/headlamp spec.selector',
  'manifest Deployment/headlamp spec.selector.matchLabels',
  'manifest Deployment/headlamp spec.template.metadata.labels',
  'manifest Deployment/headlamp spec.template.spec.containers[0].image',
  'manifest Deployment/headlamp spec.template.spec.containers[0].args',
  'manifest Deployment/headlamp spec.template.spec.containers[0].env',
  'manifest Deployment/headlamp spec.template.spec.containers[0].ports[1]',
  'manifest Deployment/headlamp spec.template.spec.containers[0].livenessProbe',
  'manifest Deployment/headlamp spec.template.spec.containers[0].readinessProbe',
  'manifest Secret/headlamp-admin (object)',
  'jcrkit Namespace/headlamp (object)',
  'jcrkit ServiceAccount/headlamp-login (object)',
  'jcrkit ClusterRoleBinding/headlamp-login (object)',
];

interface Difference {
  source: string;
  object: string;
  path: string;
}
const parsed: Difference[] = DIFFERENCES.map((d) => {
  const [source, object, ...rest] = d.split(' ');
  return { source, object, path: rest.join(' ') };
});

/** Leaves of an object as dotted paths; arrays of scalars are one leaf, other arrays are indexed. */
function leaves(v: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (x: unknown, p: string) => {
    if (Array.isArray(x) && x.some((e) => e !== null && typeof e === 'object')) x.forEach((e, i) => walk(e, `${p}[${i}]`));
    else if (x !== null && typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length > 0) for (const [k, e] of Object.entries(x)) walk(e, p ? `${p}.${k}` : k);
    else out.set(p, JSON.stringify(x));
  };
  walk(v, path);
  return out;
}

const covers = (d: Difference, source: string, object: string, path: string) =>
  d.source === source && (d.object === '*' || d.object === object) && (d.path === '(object)' || path === d.path || path.startsWith(`${d.path}.`) || path.startsWith(`${d.path}[`));

// The UI and its login account; the pull-Secret refresher is jcrkit's own and has no Headlamp counterpart.
const ours = renderYaml('registry: {name: pocexam, region: cn-north-1}\ndashboard: {preset: headlamp}\n').files.filter((f) => f.path !== '0001-token-refresher.k8s.yaml').flatMap((f) => f.objects);
const oursById = new Map(ours.map((o) => [`${o.kind}/${o.metadata.name}`, o as unknown as Obj]));

/** Every field where `upstream` and jcrkit differ, as [object, path]; both ways or upstream's only. */
function differingFields(upstream: Record<string, Obj>, bothWays: boolean): [string, string][] {
  const out: [string, string][] = [];
  for (const [id, up] of Object.entries(upstream)) {
    const mine = oursById.get(id);
    if (!mine) {
      out.push([id, '(object)']);
      continue;
    }
    const a = leaves(up);
    const b = leaves(mine);
    const paths = new Set([...a.keys(), ...(bothWays ? b.keys() : [])]);
    for (const p of paths) if (a.get(p) !== b.get(p)) out.push([id, p]);
  }
  return out;
}

describe('headlamp preset vs upstream Headlamp 0.45.0, field by field', () => {
  const chartDiffs = differingFields(CHART, true);
  const manifestDiffs = differingFields(MANIFEST, false);
  const added = [...oursById.keys()].filter((id) => !CHART[id]).map((id): [string, string] => [id, '(object)']);

  test('every field that differs from the chart\'s default render is a listed, deliberate difference', () => {
    expect(chartDiffs.filter(([o, p]) => !parsed.some((d) => covers(d, 'chart', o, p))).map(([o, p]) => `${o} ${p}`)).toEqual([]);
  });

  test('every field of kubernetes-headlamp.yaml is rendered the same or is a listed difference', () => {
    expect(manifestDiffs.filter(([o, p]) => !parsed.some((d) => covers(d, 'manifest', o, p))).map(([o, p]) => `${o} ${p}`)).toEqual([]);
  });

  test('every object jcrkit adds is listed', () => {
    expect(added.filter(([o]) => !parsed.some((d) => covers(d, 'jcrkit', o, '(object)'))).map(([o]) => o)).toEqual([]);
  });

  test('no listed difference is stale: each still differs', () => {
    const all: [string, string, string][] = [...chartDiffs.map(([o, p]) => ['chart', o, p] as [string, string, string]), ...manifestDiffs.map(([o, p]) => ['manifest', o, p] as [string, string, string]), ...added.map(([o, p]) => ['jcrkit', o, p] as [string, string, string])];
    expect(parsed.filter((d) => !all.some(([s, o, p]) => covers(d, s, o, p))).map((d) => `${d.source} ${d.object} ${d.path}`)).toEqual([]);
  });

  test('docs/headlamp-upstream.md has a row, with the reason, for every difference', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'headlamp-upstream.md'), 'utf8');
    const missing = parsed.filter((d) => !doc.includes(`| ${d.source} | ${d.object} | \`${d.path}\` |`)).map((d) => `${d.source} ${d.object} ${d.path}`);
    expect(missing).toEqual([]);
  });

  test('what stays exactly as upstream: the pod identity, args, port, probes, uid/gid, selector', () => {
    const dep = oursById.get('Deployment/headlamp') as any;
    const c = dep.spec.template.spec.containers[0];
    const up = (CHART['Deployment/headlamp'] as any).spec.template.spec.containers[0];
    expect(c.args).toEqual(up.args);
    expect(c.ports).toEqual(up.ports);
    expect(c.livenessProbe).toEqual(up.livenessProbe);
    expect(c.readinessProbe).toEqual(up.readinessProbe);
    expect(c.securityContext).toMatchObject(up.securityContext);
    expect(dep.spec.selector.matchLabels).toEqual(SELECTOR);
    expect(dep.spec.template.spec.serviceAccountName).toBe('headlamp');
    // and the pod's ServiceAccount is bound to nothing
    expect(ours.filter((o) => o.kind.endsWith('RoleBinding')).flatMap((o) => (o as any).subjects).filter((s: any) => s.name === 'headlamp')).toEqual([]);
  });
});
