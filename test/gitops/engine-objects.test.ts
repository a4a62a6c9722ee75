/**
 * Every Argo CD and Flux object in the repository (YAML files, and YAML blocks of the Markdown
 * docs) is checked against the fields it may use, so a typo or an invented field fails here and
 * not in a user's cluster (Argo CD and Flux both prune or reject what their CRDs do not know).
 *
 * The allow-lists are hand-written per kind and type, from reading the published schemas:
 * Application and ApplicationSet from argo-cd manifests/crds/{application,applicationset}-crd.yaml
 * (https://github.com/argoproj/argo-cd/tree/v3.5.1/manifests/crds), Kustomization from
 * kustomize-controller config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml
 * (https://github.com/fluxcd/kustomize-controller/tree/main/config/crd/bases), and the
 * ConfigManagementPlugin file (not a CRD) from the field list of
 * https://argo-cd.readthedocs.io/en/stable/operator-manual/config-management-plugins/. They hold
 * only the fields jcrkit's objects use or are likely to; add a field after checking it against the
 * schema. Paths: `a.b` for a field, `a[]` for list items, `a.*` for the keys of a free-form map.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadFleet } from '../../lib/config';
import { FLEET_FILE } from '../helpers/examples';
import { ROOT } from '../helpers/render';

type FieldType = 'string' | 'boolean' | 'integer' | 'object' | 'list' | 'map';
type AllowList = Record<string, FieldType>;

const META: AllowList = {
  apiVersion: 'string',
  kind: 'string',
  metadata: 'object',
  'metadata.name': 'string',
  'metadata.namespace': 'string',
  'metadata.labels': 'map',
  'metadata.labels.*': 'string',
  'metadata.annotations': 'map',
  'metadata.annotations.*': 'string',
  'metadata.finalizers': 'list',
  'metadata.finalizers[]': 'string',
};

/** Application.spec (argo-cd application-crd.yaml), the part jcrkit uses; ApplicationSet's template.spec is the same schema. */
const APP_SPEC: AllowList = {
  '': 'object',
  project: 'string',
  source: 'object',
  'source.repoURL': 'string',
  'source.targetRevision': 'string',
  'source.path': 'string',
  'source.directory': 'object',
  'source.directory.recurse': 'boolean',
  'source.plugin': 'object',
  'source.plugin.name': 'string',
  'source.plugin.env': 'list',
  'source.plugin.env[]': 'object',
  'source.plugin.env[].name': 'string',
  'source.plugin.env[].value': 'string',
  'source.plugin.parameters': 'list',
  'source.plugin.parameters[]': 'object',
  'source.plugin.parameters[].name': 'string',
  'source.plugin.parameters[].string': 'string',
  'source.plugin.parameters[].array': 'list',
  'source.plugin.parameters[].array[]': 'string',
  'source.plugin.parameters[].map': 'map',
  'source.plugin.parameters[].map.*': 'string',
  destination: 'object',
  'destination.server': 'string',
  'destination.name': 'string',
  'destination.namespace': 'string',
  ignoreDifferences: 'list',
  'ignoreDifferences[]': 'object',
  'ignoreDifferences[].group': 'string',
  'ignoreDifferences[].kind': 'string',
  'ignoreDifferences[].name': 'string',
  'ignoreDifferences[].namespace': 'string',
  'ignoreDifferences[].jsonPointers': 'list',
  'ignoreDifferences[].jsonPointers[]': 'string',
  'ignoreDifferences[].jqPathExpressions': 'list',
  'ignoreDifferences[].jqPathExpressions[]': 'string',
  'ignoreDifferences[].managedFieldsManagers': 'list',
  'ignoreDifferences[].managedFieldsManagers[]': 'string',
  syncPolicy: 'object',
  'syncPolicy.automated': 'object',
  'syncPolicy.automated.prune': 'boolean',
  'syncPolicy.automated.selfHeal': 'boolean',
  'syncPolicy.syncOptions': 'list',
  'syncPolicy.syncOptions[]': 'string',
};
/** Required, from the CRDs' `required` lists. */
const APP_SPEC_REQUIRED = ['destination', 'project', 'ignoreDifferences[].kind', 'source.plugin.parameters[].name', 'source.plugin.env[].name'];

const under = (prefix: string, list: AllowList): AllowList => Object.fromEntries(Object.entries(list).map(([k, v]) => [k === '' ? prefix : `${prefix}.${k}`, v]));

const KINDS: Record<string, { allow: AllowList; required: string[] }> = {
  'argoproj.io/v1alpha1/Application': { allow: { ...META, ...under('spec', APP_SPEC) }, required: ['spec', ...APP_SPEC_REQUIRED.map((r) => `spec.${r}`)] },
  'argoproj.io/v1alpha1/ApplicationSet': {
    allow: {
      ...META,
      spec: 'object',
      'spec.goTemplate': 'boolean',
      'spec.goTemplateOptions': 'list',
      'spec.goTemplateOptions[]': 'string',
      'spec.generators': 'list',
      'spec.generators[]': 'object',
      'spec.generators[].clusters': 'object',
      'spec.generators[].clusters.selector': 'object',
      'spec.generators[].clusters.selector.matchLabels': 'map',
      'spec.generators[].clusters.selector.matchLabels.*': 'string',
      'spec.generators[].clusters.values': 'map',
      'spec.generators[].clusters.values.*': 'string',
      'spec.generators[].git': 'object',
      'spec.generators[].git.repoURL': 'string',
      'spec.generators[].git.revision': 'string',
      'spec.generators[].git.directories': 'list',
      'spec.generators[].git.directories[]': 'object',
      'spec.generators[].git.directories[].path': 'string',
      'spec.generators[].git.directories[].exclude': 'boolean',
      'spec.template': 'object',
      'spec.template.metadata': 'object',
      'spec.template.metadata.name': 'string',
      'spec.template.metadata.labels': 'map',
      'spec.template.metadata.labels.*': 'string',
      ...under('spec.template.spec', APP_SPEC),
    },
    required: [
      'spec',
      'spec.generators',
      'spec.template',
      'spec.template.metadata',
      'spec.template.spec',
      'spec.generators[].git.repoURL',
      'spec.generators[].git.revision',
      'spec.generators[].git.directories[].path',
      ...APP_SPEC_REQUIRED.map((r) => `spec.template.spec.${r}`),
    ],
  },
  'kustomize.toolkit.fluxcd.io/v1/Kustomization': {
    allow: {
      ...META,
      spec: 'object',
      'spec.interval': 'string',
      'spec.retryInterval': 'string',
      'spec.timeout': 'string',
      'spec.sourceRef': 'object',
      'spec.sourceRef.kind': 'string',
      'spec.sourceRef.name': 'string',
      'spec.sourceRef.namespace': 'string',
      'spec.path': 'string',
      'spec.prune': 'boolean',
      'spec.wait': 'boolean',
      'spec.targetNamespace': 'string',
      'spec.dependsOn': 'list',
      'spec.dependsOn[]': 'object',
      'spec.dependsOn[].name': 'string',
      'spec.kubeConfig': 'object',
      'spec.kubeConfig.secretRef': 'object',
      'spec.kubeConfig.secretRef.name': 'string',
      'spec.kubeConfig.secretRef.key': 'string',
      'spec.ignore': 'list',
      'spec.ignore[]': 'object',
      'spec.ignore[].paths': 'list',
      'spec.ignore[].paths[]': 'string',
      'spec.ignore[].target': 'object',
      'spec.ignore[].target.group': 'string',
      'spec.ignore[].target.version': 'string',
      'spec.ignore[].target.kind': 'string',
      'spec.ignore[].target.name': 'string',
      'spec.ignore[].target.namespace': 'string',
    },
    required: ['spec', 'spec.interval', 'spec.prune', 'spec.sourceRef', 'spec.sourceRef.kind', 'spec.sourceRef.name', 'spec.ignore[].paths', 'spec.kubeConfig.secretRef.name'],
  },
  'argoproj.io/v1alpha1/ConfigManagementPlugin': {
    allow: {
      ...META,
      spec: 'object',
      'spec.version': 'string',
      'spec.init': 'object',
      'spec.init.command': 'list',
      'spec.init.command[]': 'string',
      'spec.init.args': 'list',
      'spec.init.args[]': 'string',
      'spec.generate': 'object',
      'spec.generate.command': 'list',
      'spec.generate.command[]': 'string',
      'spec.generate.args': 'list',
      'spec.generate.args[]': 'string',
      'spec.discover': 'object',
      'spec.discover.fileName': 'string',
      'spec.discover.find': 'object',
      'spec.discover.find.glob': 'string',
      'spec.discover.find.command': 'list',
      'spec.discover.find.command[]': 'string',
      'spec.parameters': 'object',
      'spec.parameters.static': 'list',
      'spec.parameters.static[]': 'object',
      'spec.parameters.static[].name': 'string',
      'spec.parameters.static[].title': 'string',
      'spec.parameters.static[].tooltip': 'string',
      'spec.parameters.static[].required': 'boolean',
      'spec.parameters.static[].itemType': 'string',
      'spec.parameters.static[].collectionType': 'string',
      'spec.parameters.static[].string': 'string',
      'spec.parameters.static[].array': 'list',
      'spec.parameters.static[].array[]': 'string',
      'spec.parameters.static[].map': 'map',
      'spec.parameters.static[].map.*': 'string',
      'spec.parameters.dynamic': 'object',
      'spec.parameters.dynamic.command': 'list',
      'spec.parameters.dynamic.command[]': 'string',
      'spec.preserveFileMode': 'boolean',
      'spec.provideGitCreds': 'boolean',
    },
    required: ['metadata', 'metadata.name', 'spec', 'spec.generate', 'spec.generate.command'],
  },
};

/** API groups whose objects must have an allow-list. */
const ENGINE_GROUPS = ['argoproj.io', 'kustomize.toolkit.fluxcd.io', 'source.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io', 'notification.toolkit.fluxcd.io'];

function typeOf(v: unknown): FieldType | 'other' {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (Number.isInteger(v)) return 'integer';
  if (Array.isArray(v)) return 'list';
  if (v !== null && typeof v === 'object') return 'object';
  return 'other';
}

/**
 * Required paths absent from `v`, with the CRD meaning: a field is required within its parent
 * when the parent is there (`spec.kubeConfig.secretRef.name` only binds a Kustomization that has
 * a kubeConfig). A segment ending in `[]` means "in every item of this list" (`spec.ignore[].paths`).
 */
function missing(v: unknown, segs: string[], at = ''): string[] {
  if (segs.length === 0) return [];
  const [seg, ...rest] = segs;
  const key = seg.replace(/\[\]$/, '');
  const next = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  const here = at ? `${at}.${key}` : key;
  if (seg.endsWith('[]')) return Array.isArray(next) ? next.flatMap((x, i) => missing(x, rest, `${here}[${i}]`)) : [];
  if (next === undefined) return rest.length === 0 ? [`${here}: required`] : [];
  return missing(next, rest, here);
}

/** Every problem of one object: fields not in the allow-list, wrong types, missing required fields. */
function problems(o: Record<string, unknown>, allow: AllowList, required: string[]): string[] {
  const out: string[] = [];
  const visit = (v: unknown, path: string) => {
    const want = allow[path];
    const got = typeOf(v);
    if (want === undefined) {
      out.push(`${path}: not a field this kind has (or not in the allow-list)`);
      return;
    }
    const ok = want === got || (want === 'map' && got === 'object');
    if (!ok) out.push(`${path}: expected ${want}, got ${got}`);
    if (got === 'list') (v as unknown[]).forEach((x) => visit(x, `${path}[]`));
    else if (got === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) visit(x, want === 'map' ? `${path}.*` : `${path}.${k}`);
  };
  for (const [k, v] of Object.entries(o)) visit(v, k);
  for (const r of required) out.push(...missing(o, r.split('.')));
  return out;
}

// ---- collecting the objects --------------------------------------------------------------------

const SKIP_DIRS = new Set(['node_modules', 'build', '.git', 'coverage']);

/** Files of the repository (symlinks not followed: node_modules may be one). */
function repoFiles(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (SKIP_DIRS.has(e.name) || e.isSymbolicLink()) return [];
    return e.isDirectory() ? repoFiles(full) : e.isFile() ? [full] : [];
  });
}

type Found = { where: string; object: Record<string, unknown> };

function objectsIn(text: string, where: string): Found[] {
  return parseAllDocuments(text)
    .map((d, i) => ({ where: `${where}#${i}`, object: d.errors.length === 0 ? d.toJS() : null }))
    .filter((f): f is Found => f.object !== null && typeof f.object === 'object' && typeof f.object.apiVersion === 'string');
}

function engineObjects(): Found[] {
  const found: Found[] = [];
  for (const file of repoFiles()) {
    const rel = relative(ROOT, file);
    if (/\.ya?ml$/.test(file)) found.push(...objectsIn(readFileSync(file, 'utf8'), rel));
    if (file.endsWith('.md')) {
      const text = readFileSync(file, 'utf8');
      let n = 0;
      for (const m of text.matchAll(/```ya?ml\n([\s\S]*?)```/g)) found.push(...objectsIn(m[1], `${rel} yaml block ${n++}`));
    }
  }
  return found.filter((f) => ENGINE_GROUPS.includes(String(f.object.apiVersion).split('/')[0]));
}

const ALL = engineObjects();
const byKind = (kind: string) => ALL.filter((f) => f.object.kind === kind);

test('the repository has the Argo CD and Flux objects the docs promise', () => {
  const where = ALL.map((f) => `${f.object.kind} ${f.where.replace(/#\d+$/, '')}`);
  expect(where).toEqual(
    expect.arrayContaining([
      'Application examples/argocd/application.yaml',
      'Application examples/argocd/application-cmp.yaml',
      'ApplicationSet examples/argocd/applicationset.yaml',
      'ApplicationSet examples/fleet/argocd-applicationset.yaml',
      'Kustomization examples/flux/kustomization.yaml',
      'Kustomization examples/fleet/flux-kustomizations.yaml',
      'ConfigManagementPlugin deploy/argocd-cmp/plugin.yaml',
    ]),
  );
});

test.each(ALL.map((f) => [`${f.object.kind} ${f.where}`, f] as [string, Found]))('%s uses only fields its kind has', (_n, f) => {
  const key = `${f.object.apiVersion}/${f.object.kind}`;
  const spec = KINDS[key];
  if (!spec) throw new Error(`${f.where}: no allow-list for ${key}. Fix: add one to this test, checked against the published CRD`);
  expect(problems(f.object, spec.allow, spec.required)).toEqual([]);
});

test('the checker itself catches an unknown field, a wrong type and a missing required field', () => {
  const { allow, required } = KINDS['kustomize.toolkit.fluxcd.io/v1/Kustomization'];
  expect(problems({ apiVersion: 'x', kind: 'Kustomization', metadata: { name: 'a' }, spec: { interval: '1m', prune: 'yes', sourceRef: { kind: 'GitRepository' }, pth: './x' } }, allow, required)).toEqual([
    'spec.prune: expected boolean, got string',
    'spec.pth: not a field this kind has (or not in the allow-list)',
    'spec.sourceRef.name: required',
  ]);
});

describe('no drift with the refresher', () => {
  const appSpecs = [...byKind('Application').map((f) => [f.where, f.object.spec]), ...byKind('ApplicationSet').map((f) => [f.where, (f.object.spec as { template: { spec: unknown } }).template.spec])] as [string, Record<string, any>][]; // eslint-disable-line @typescript-eslint/no-explicit-any

  test.each(appSpecs)('%s ignores what jcrkit-refresher owns on ServiceAccounts, also when syncing', (_w, spec) => {
    const rule = (spec.ignoreDifferences ?? []).find((i: { kind: string }) => i.kind === 'ServiceAccount');
    expect(rule).toEqual({ group: '', kind: 'ServiceAccount', managedFieldsManagers: ['jcrkit-refresher'] });
    expect(spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
  });

  test.each(byKind('Kustomization').map((f) => [f.where, f.object.spec] as [string, Record<string, any>]))('%s ignores imagePullSecrets of ServiceAccounts and prunes', (_w, spec) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(spec.ignore).toEqual(expect.arrayContaining([{ paths: ['/imagePullSecrets'], target: { kind: 'ServiceAccount' } }]));
    expect(spec.prune).toBe(true);
  });

  test('plugin sources name the plugin by <name>-<version> of deploy/argocd-cmp/plugin.yaml', () => {
    const plugin = byKind('ConfigManagementPlugin').find((f) => f.where.startsWith('deploy/argocd-cmp/plugin.yaml'))!.object as { metadata: { name: string }; spec: { version: string } };
    const names = appSpecs.map(([, s]) => s.source?.plugin?.name).filter(Boolean);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(new Set([`${plugin.metadata.name}-${plugin.spec.version}`]));
  });
});

describe('examples/fleet', () => {
  const clusters = loadFleet(FLEET_FILE).clusters.map((c) => c.name);

  test('the ApplicationSet generates one Application per rendered cluster directory', () => {
    const set = byKind('ApplicationSet').find((f) => f.where.startsWith('examples/fleet/'))!.object as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(set.spec.generators).toEqual([{ git: expect.objectContaining({ directories: [{ path: 'examples/fleet/rendered/*' }] }) }]);
    expect(readdirSync(join(ROOT, 'examples/fleet/rendered')).sort()).toEqual([...clusters].sort());
    expect(set.spec.template.spec.source.path).toBe('{{.path.path}}');
  });

  test('there is one Flux Kustomization per fleet cluster, each on its own directory and kubeconfig', () => {
    const ks = byKind('Kustomization').filter((f) => f.where.startsWith('examples/fleet/')).map((f) => f.object as any); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(ks.map((k) => k.spec.path).sort()).toEqual(clusters.map((c) => `./examples/fleet/rendered/${c}`).sort());
    expect(ks.map((k) => k.spec.kubeConfig.secretRef.name).sort()).toEqual(clusters.map((c) => `${c}-kubeconfig`).sort());
  });
});
