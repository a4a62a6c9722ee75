/**
 * runFunction in-process: config forms, idempotency, pass-through, failures. Each test states the
 * KRM Functions Specification rule (or jcrkit rule) it holds the function to.
 */
import { parse, parseDocument, stringify } from 'yaml';
import { DEFAULT_CONFIG_YAML, parseConfigYaml, setByPath, validateConfig } from '../../lib/config';
import { GENERATED_BY, runFunction, stripAddedAnnotations } from '../../lib/krm';
import { renderStack } from '../../lib/render';
import { byIdentity, configMap, FIXED_BUNDLE, generatedObjects, isGenerated, jcrKit, Obj, parseOutput, resourceList, synthObjects } from './helpers';

const run = (input: string) => runFunction(input, { refresherBundle: FIXED_BUNDLE });

const SPEC = {
  registry: { name: 'acme', region: 'cn-east-2' },
  pullSecret: { name: 'jcr-pull', namespaces: ['apps'] },
  dashboard: { preset: 'v1.10.1', service: { loadBalancerSourceRanges: ['203.0.113.0/24'] } },
  admin: { clusterRole: 'view' },
};

const FOREIGN = `# Hand-written by the app team: must survive every run untouched.
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-settings # the app reads this name
  namespace: apps
data:
  LOG_LEVEL: debug
  enabled: "on"
`;

/** A ResourceList written by hand the way kpt writes it (`- # comment`), so comments can be checked. */
function listWithForeignItem(functionConfig: Obj): string {
  const item = FOREIGN.trimEnd().split('\n');
  const fc = stringify(functionConfig).trimEnd().split('\n');
  return ['apiVersion: config.kubernetes.io/v1', 'kind: ResourceList', 'items:', `  - ${item[0]}`, ...item.slice(1).map((l) => `    ${l}`), 'functionConfig:', ...fc.map((l) => `  ${l}`), ''].join('\n');
}

describe('config from functionConfig', () => {
  test('typed JcrKit: items are exactly what jcrkit synth renders for spec, in the same order', () => {
    const out = run(resourceList([], jcrKit(SPEC)));
    expect(out.exitCode).toBe(0);
    expect(generatedObjects(out.outputText)).toEqual(synthObjects(JSON.stringify(SPEC)));
  });

  test('ConfigMap (kpt `-- key=value`): dotted keys on top of the embedded default, values read as YAML scalars', () => {
    const data = { 'registry.name': 'acme', 'registry.region': 'cn-east-2', 'dashboard.service.port': '8443', 'admin.enabled': 'false', 'pullSecret.namespaces': '[apps, web]' };
    const out = run(resourceList([], configMap(data)));
    expect(out.exitCode).toBe(0);
    const raw = parseConfigYaml(DEFAULT_CONFIG_YAML, 'default') as Obj;
    setByPath(raw, 'registry.name', 'acme');
    setByPath(raw, 'registry.region', 'cn-east-2');
    setByPath(raw, 'dashboard.service.port', 8443);
    setByPath(raw, 'admin.enabled', false);
    setByPath(raw, 'pullSecret.namespaces', ['apps', 'web']);
    const expected = renderStack(validateConfig(raw, 'x').config, { refresherBundle: FIXED_BUNDLE }).files.flatMap((f) => f.objects);
    expect(generatedObjects(out.outputText)).toEqual(expected);
    const service = generatedObjects(out.outputText).find((o) => o.kind === 'Service' && o.metadata.name === 'dashboard-lb');
    expect(service?.spec.ports[0].port).toBe(8443); // "8443" became a number, as with --set
  });

  test('no functionConfig, or an empty one, renders the embedded default', () => {
    const expected = synthObjects(DEFAULT_CONFIG_YAML);
    for (const input of [resourceList([]), resourceList([], {}), '', '# nothing but a comment\n']) {
      const out = run(input);
      expect(out.exitCode).toBe(0);
      expect(generatedObjects(out.outputText)).toEqual(expected);
    }
  });

  test('without functionConfig, a JcrKit item configures the run (kpt fn eval on a package holding jcrkit.yaml)', () => {
    const item = jcrKit(SPEC, 'jcrkit', { 'config.kubernetes.io/local-config': 'true' });
    const out = run(resourceList([item]));
    expect(out.exitCode).toBe(0);
    expect(parseOutput(out.outputText).items[0]).toEqual(item);
    expect(generatedObjects(out.outputText)).toEqual(synthObjects(JSON.stringify(SPEC)));
  });

  test("kpt's empty function-input ConfigMap (fn eval without `-- k=v`) also means: the package's JcrKit", () => {
    const out = run(resourceList([jcrKit(SPEC)], configMap({})));
    expect(generatedObjects(out.outputText)).toEqual(synthObjects(JSON.stringify(SPEC)));
  });

  test("ConfigMap keys override the package's JcrKit (like synth --config FILE --set k=v); problems point where the value came from", () => {
    const out = run(resourceList([jcrKit(SPEC)], configMap({ 'dashboard.preset': 'v2.7.0', 'admin.enabled': 'false' })));
    expect(out.exitCode).toBe(0);
    expect(generatedObjects(out.outputText)).toEqual(synthObjects(JSON.stringify({ ...SPEC, dashboard: { ...SPEC.dashboard, preset: 'v2.7.0' }, admin: { clusterRole: 'view', enabled: false } })));

    const item = jcrKit({ ...SPEC, pullSecret: { name: 'Bad_Name' } }, 'pkg', { 'internal.config.kubernetes.io/path': 'jcrkit.yaml' });
    const bad = run(resourceList([item], configMap({ 'dashboard.service.port': '0' })));
    expect(bad.exitCode).toBe(2);
    const { results } = parseOutput(bad.outputText);
    expect(results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ resourceRef: { apiVersion: 'v1', kind: 'ConfigMap', name: 'function-input' }, field: { path: "data['dashboard.service.port']" } }),
        expect.objectContaining({ resourceRef: { apiVersion: 'jcrkit.io/v1alpha1', kind: 'JcrKit', name: 'pkg' }, field: { path: 'spec.pullSecret.name' }, file: { path: 'jcrkit.yaml', index: 0 } }),
      ]),
    );
    expect(bad.stderr).toMatch(/^error: invalid config \(functionConfig ConfigMap\/function-input over JcrKit\/pkg\):/);
  });

  test('an explicit functionConfig wins over a JcrKit item', () => {
    const out = run(resourceList([jcrKit({ registry: { name: 'other', region: 'cn-south-1' } })], jcrKit(SPEC)));
    expect(generatedObjects(out.outputText)).toEqual(synthObjects(JSON.stringify(SPEC)));
  });

  test('warnings go to stderr and to results as severity warning; render notes as info', () => {
    const out = run(resourceList([], configMap({ 'registry.name': 'pocexam', 'admin.tokenSecret': 'true' })));
    const { results } = parseOutput(out.outputText);
    expect(out.stderr).toMatch(/^warning: admin\.tokenSecret: true renders kubernetes-dashboard\/dashboard-admin-token, a token that never expires/m);
    expect(results.find((r) => r.severity === 'warning')).toMatchObject({ resourceRef: { apiVersion: 'v1', kind: 'ConfigMap', name: 'function-input' } });
    expect(results.some((r) => r.severity === 'info' && /No pull Secret was rendered/.test(r.message))).toBe(true);
    expect(results.some((r) => r.severity === 'info' && /jcrkit login-token/.test(r.message))).toBe(true);
    expect(results.map((r) => r.severity)).toEqual([...results.map((r) => r.severity)].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)));
  });
});

describe('output items', () => {
  test('every generated object names its file (jcrkit/<dist file>) and index, in both annotation spellings', () => {
    const { items } = parseOutput(run(resourceList([], jcrKit(SPEC))).outputText);
    const files = renderStack(validateConfig(SPEC, 'x').config, { refresherBundle: FIXED_BUNDLE }).files;
    const expected = files.flatMap((f) => f.objects.map((_, i) => ({ path: `jcrkit/${f.path}`, index: String(i) })));
    expect(items.map((o) => ({ path: o.metadata.annotations['internal.config.kubernetes.io/path'], index: o.metadata.annotations['internal.config.kubernetes.io/index'] }))).toEqual(expected);
    for (const o of items) {
      expect(o.metadata.annotations['config.kubernetes.io/path']).toBe(o.metadata.annotations['internal.config.kubernetes.io/path']);
      expect(o.metadata.annotations['config.kubernetes.io/index']).toBe(o.metadata.annotations['internal.config.kubernetes.io/index']);
      expect(o.metadata.annotations[GENERATED_BY]).toBe('jcrkit-fn');
    }
  });

  test('re-running on its own output changes nothing (earlier output is replaced, not duplicated)', () => {
    for (const input of [resourceList([], jcrKit(SPEC)), resourceList([], configMap({ 'registry.name': 'acme' })), listWithForeignItem(jcrKit(SPEC))]) {
      const first = run(input);
      const second = run(first.outputText);
      expect(second.exitCode).toBe(0);
      expect(second.outputText).toBe(first.outputText);
    }
  });

  test('a changed config replaces the earlier output it renders again; output it no longer renders is kept with a warning', () => {
    const first = run(resourceList([], jcrKit(SPEC)));
    const doc = parseDocument(first.outputText);
    doc.setIn(['functionConfig', 'spec', 'admin', 'enabled'], false);
    const second = run(doc.toString());
    expect(second.exitCode).toBe(0);
    const { items, results } = parseOutput(second.outputText);
    const adminFile = 'jcrkit/0002-dashboard-admin.k8s.yaml';
    const inAdminFile = (o: Obj) => o.metadata.annotations['internal.config.kubernetes.io/path'] === adminFile;
    // The admin chart's two objects stay exactly as the first run wrote them...
    expect(items.filter(inAdminFile)).toEqual(parseOutput(first.outputText).items.filter(inAdminFile));
    expect(items.filter(inAdminFile).map((o) => o.kind)).toEqual(['ServiceAccount', 'ClusterRoleBinding']);
    // ...everything else is the new config's output...
    expect(items.filter((o) => !inAdminFile(o)).map((o) => stripAddedAnnotations(o))).toEqual(synthObjects(JSON.stringify({ ...SPEC, admin: { clusterRole: 'view', enabled: false } })));
    // ...and each kept object is named in a warning.
    const warnings = results.filter((r) => r.severity === 'warning' && /the current config does not render it/.test(r.message));
    expect(warnings.map((r) => r.resourceRef)).toEqual([
      { apiVersion: 'v1', kind: 'ServiceAccount', name: 'dashboard-admin', namespace: 'kube-system' },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'dashboard-admin' },
    ]);
    expect(warnings[0]).toMatchObject({ file: { path: adminFile, index: 0 }, message: expect.stringMatching(/^ServiceAccount kube-system\/dashboard-admin \(jcrkit\/0002-dashboard-admin\.k8s\.yaml\) carries config\.jcrkit\.io\/generated-by: jcrkit-fn .*it was kept, not deleted\. Fix: delete the item/) });
    expect(second.stderr).toMatch(/^warning: ServiceAccount kube-system\/dashboard-admin .* it was kept/m);
    // Running again changes nothing.
    expect(run(second.outputText).outputText).toBe(second.outputText);
  });

  test('foreign items pass through untouched, comments, quoting and key order included', () => {
    const out = run(listWithForeignItem(jcrKit(SPEC)));
    expect(out.exitCode).toBe(0);
    expect(out.outputText).toContain('  - # Hand-written by the app team: must survive every run untouched.\n    apiVersion: v1\n');
    expect(out.outputText).toContain('    name: app-settings # the app reads this name\n');
    expect(out.outputText).toContain('    enabled: "on"\n');
    const { items } = parseOutput(out.outputText);
    expect(items[0]).toEqual(parse(FOREIGN));
    expect(items.filter((o) => !isGenerated(o))).toHaveLength(1);
  });

  test('the functionConfig passed as an item (kustomize, with local-config) is passed through too', () => {
    const fc = jcrKit(SPEC, 'jcrkit', { 'config.kubernetes.io/local-config': 'true' });
    const out = run(resourceList([fc], fc));
    const { items } = parseOutput(out.outputText);
    expect(items[0]).toEqual(fc);
    expect(items.slice(1).map((o) => stripAddedAnnotations(o))).toEqual(synthObjects(JSON.stringify(SPEC)));
  });

  test('strings YAML 1.1 would read as booleans or numbers are quoted (kubectl converts with YAML 1.1)', () => {
    const out = run(resourceList([], configMap({ 'pullSecret.name': 'on', 'admin.serviceAccount': 'yes' })));
    expect(out.exitCode).toBe(0);
    expect(out.outputText).toMatch(/ name: "on"\n/);
    expect(out.outputText).toMatch(/ name: "yes"\n/);
    expect(generatedObjects(out.outputText)).toEqual(synthObjects('registry: {name: pocexam, region: cn-north-1}\npullSecret: {name: "on"}\ndashboard: {preset: v2.7.0}\nadmin: {serviceAccount: "yes"}\n'));
  });
});

describe('input forms', () => {
  test('v1beta1 ResourceLists are accepted and answered in kind', () => {
    const out = run(resourceList([], jcrKit(SPEC), 'config.kubernetes.io/v1beta1'));
    expect(out.exitCode).toBe(0);
    expect(parseOutput(out.outputText).list.apiVersion).toBe('config.kubernetes.io/v1beta1');
  });

  test('JSON input (the spec requires accepting it) is answered as block YAML', () => {
    const out = run(JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [], functionConfig: jcrKit(SPEC) }));
    expect(out.exitCode).toBe(0);
    expect(out.outputText).toMatch(/^"apiVersion": "config.kubernetes.io\/v1"\n"kind": "ResourceList"\n"items":\n {2}- apiVersion: v1\n/);
    expect(generatedObjects(out.outputText)).toEqual(synthObjects(JSON.stringify(SPEC)));
  });

  test('a plain multi-document stream is wrapped; a JcrKit in it is the config and stays an item', () => {
    const stream = `${FOREIGN}---\n${stringify(jcrKit(SPEC))}`;
    const out = run(stream);
    expect(out.exitCode).toBe(0);
    const { items } = parseOutput(out.outputText);
    expect(items[0]).toEqual(parse(FOREIGN));
    expect(items[1]).toEqual(jcrKit(SPEC));
    expect(items.slice(2).map((o) => stripAddedAnnotations(o))).toEqual(synthObjects(JSON.stringify(SPEC)));
    expect(out.outputText).toContain('# Hand-written by the app team');
  });

  test('two JcrKit objects in a stream are refused', () => {
    const out = run(`${stringify(jcrKit(SPEC, 'a'))}---\n${stringify(jcrKit(SPEC, 'b'))}`);
    expect(out.exitCode).toBe(2);
    expect(parseOutput(out.outputText).results[0].message).toMatch(/2 JcrKit objects and no JcrKit functionConfig/);
  });

  test('malformed YAML: an error result in an empty ResourceList, non-zero exit', () => {
    const out = run('apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [\n');
    expect(out.exitCode).toBe(2);
    const { items, results } = parseOutput(out.outputText);
    expect(items).toEqual([]);
    expect(results[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/not valid YAML/) });
    expect(out.stderr).toMatch(/^error: the input is not valid YAML/);
  });

  test('an unknown ResourceList version is refused with the fix', () => {
    const out = run(resourceList([], undefined, 'config.kubernetes.io/v2'));
    expect(out.exitCode).toBe(2);
    expect(parseOutput(out.outputText).results[0].message).toMatch(/unsupported ResourceList apiVersion "config.kubernetes.io\/v2". Fix: use config.kubernetes.io\/v1/);
  });
});

describe('failures', () => {
  const foreign = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep', namespace: 'apps' }, data: { a: 'b' } };

  test('invalid typed config: synth\'s field-path messages as error results pointing at spec fields; items passed through; exit 2', () => {
    const bad = { ...SPEC, registry: { name: 'ACME', region: 'cn-east-2' }, dashboard: { service: { nodePort: 99 } } };
    const earlier = parseOutput(run(resourceList([foreign], jcrKit(SPEC))).outputText).items;
    const out = run(resourceList(earlier, jcrKit(bad, 'prod')));
    expect(out.exitCode).toBe(2);
    const { items, results } = parseOutput(out.outputText);
    expect(items).toEqual(earlier); // nothing removed, nothing added
    let synthMessage = '';
    try {
      validateConfig(bad, 'functionConfig JcrKit/prod');
    } catch (e) {
      synthMessage = (e as Error).message;
    }
    expect(out.stderr.trim()).toBe(`error: ${synthMessage}`);
    const ref = { apiVersion: 'jcrkit.io/v1alpha1', kind: 'JcrKit', name: 'prod' };
    expect(results).toEqual(
      expect.arrayContaining([
        { severity: 'error', message: expect.stringMatching(/^registry\.name: "ACME" breaks JCR's registry naming rules\. Fix:/), resourceRef: ref, field: { path: 'spec.registry.name' } },
        { severity: 'error', message: expect.stringMatching(/^dashboard\.service\.nodePort: 99 is outside the Kubernetes NodePort range\. Fix:/), resourceRef: ref, field: { path: 'spec.dashboard.service.nodePort' } },
      ]),
    );
    expect(results.every((r) => r.severity === 'error')).toBe(true);
  });

  test('invalid ConfigMap value: the field is the data key it came from', () => {
    const out = run(resourceList([], configMap({ 'dashboard.service.type': 'Ingress', 'refresher.tokenHours': '48' })));
    expect(out.exitCode).toBe(2);
    const { results } = parseOutput(out.outputText);
    expect(results.map((r) => r.field?.path).sort()).toEqual(["data['dashboard.service.type']", "data['refresher.tokenHours']"]);
    expect(results[0].resourceRef).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', name: 'function-input' });
  });

  test('unknown keys and bad dotted paths get the same messages as --set', () => {
    const out = run(resourceList([], configMap({ 'registry.nmae': 'x', 'registry.name.first': 'y' })));
    expect(out.exitCode).toBe(2);
    expect(parseOutput(out.outputText).results[0].message).toMatch(/registry\.name\.first: cannot set a key below "name"/);
    const out2 = run(resourceList([], configMap({ 'registry.nmae': 'x' })));
    expect(parseOutput(out2.outputText).results[0]).toMatchObject({ message: expect.stringMatching(/^registry\.nmae: unknown key/), field: { path: "data['registry.nmae']" } });
  });

  test.each([
    ['typed spec', jcrKit({ ...SPEC, pullSecret: { name: 'x', password: 'hunter2' } }), 'spec.pullSecret.password'],
    ['typed, outside spec', { ...jcrKit(SPEC), password: 'hunter2' }, 'password'],
    ['ConfigMap', configMap({ 'registry.name': 'acme', 'pullSecret.password': 'hunter2' }), "data['pullSecret.password']"],
    ['ConfigMap, plain key', configMap({ password: 'hunter2' }), 'data.password'],
    ['JD Cloud secret key', jcrKit({ ...SPEC, secretKey: 'sk' }), 'spec.secretKey'],
  ])('a password in the functionConfig (%s) is refused: it would be committed to Git', (_, fc, field) => {
    const out = run(resourceList([foreign], fc));
    expect(out.exitCode).toBe(2);
    const { items, results } = parseOutput(out.outputText);
    expect(items).toEqual([foreign]);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ severity: 'error', field: { path: field }, message: expect.stringMatching(/password \(or any credential\) is never read from a functionConfig.*Fix: remove the key/) });
    expect(generatedObjects(out.outputText)).toEqual([]);
  });

  test('unsupported functionConfig kinds and versions get the fix', () => {
    const a = run(resourceList([], { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } }));
    expect(parseOutput(a.outputText).results[0].message).toMatch(/functionConfig kind apps\/v1\/Deployment is not supported\. Fix: use apiVersion: jcrkit\.io\/v1alpha1/);
    const b = run(resourceList([], { ...jcrKit(SPEC), apiVersion: 'jcrkit.io/v1' }));
    expect(parseOutput(b.outputText).results[0]).toMatchObject({ field: { path: 'apiVersion' }, message: expect.stringMatching(/jcrkit\.io\/v1 is not supported/) });
    const c = run(resourceList([], { apiVersion: 'jcrkit.io/v1alpha1', kind: 'JcrKit', metadata: { name: 'x' } }));
    expect(parseOutput(c.outputText).results[0]).toMatchObject({ field: { path: 'spec' }, message: expect.stringMatching(/spec is required/) });
  });

  test('a hand-written copy of an object jcrkit renders is a conflict, not silently replaced', () => {
    const copied = synthObjects(JSON.stringify(SPEC)).find((o) => o.kind === 'ServiceAccount')!;
    const withPath = { ...copied, metadata: { ...copied.metadata, annotations: { 'internal.config.kubernetes.io/path': 'dist/0000-dashboard.k8s.yaml' } } };
    const out = run(resourceList([withPath, foreign], jcrKit(SPEC)));
    expect(out.exitCode).toBe(2);
    const { items, results } = parseOutput(out.outputText);
    expect(items).toEqual([withPath, foreign]);
    expect(results[0]).toMatchObject({
      severity: 'error',
      resourceRef: { apiVersion: 'v1', kind: 'ServiceAccount', name: copied.metadata.name, namespace: copied.metadata.namespace },
      file: { path: 'dist/0000-dashboard.k8s.yaml', index: 0 },
      message: expect.stringMatching(/is also rendered by jcrkit but was not written by it\. Fix: delete that item/),
    });
  });

  test('a render failure (missing refresher bundle) is an error result, never a crash', () => {
    // A getter that throws stands in for renderStack failing, e.g. on a missing bundle file.
    const out = runFunction(resourceList([foreign], jcrKit(SPEC)), {
      get refresherBundle(): string {
        throw new Error('the refresher bundle build/refresher/jcrkit-refresher.js is missing. Fix: run `npm run build`');
      },
    });
    expect(out.exitCode).toBe(1);
    const { items, results } = parseOutput(out.outputText);
    expect(items).toEqual([foreign]);
    expect(results[0].message).toMatch(/refresher bundle .* is missing/);
  });
});

test('generated objects sorted by identity match synth (sanity for the orchestrator tests)', () => {
  const out = run(resourceList([], jcrKit(SPEC)));
  expect([...generatedObjects(out.outputText)].sort(byIdentity)).toEqual([...synthObjects(JSON.stringify(SPEC))].sort(byIdentity));
});
