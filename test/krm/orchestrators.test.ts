/**
 * The function under real orchestrators: kpt (`fn eval --exec`, `fn render --allow-exec`) and
 * kustomize (kubectl's embedded v5, and the standalone CLI when installed). Their output is
 * compared with what `jcrkit synth` renders for the same config.
 *
 * kubectl's kustomize has no --enable-exec (kubectl builds kustomize's build command without
 * AddFunctionAlphaEnablementFlags) and kyaml's runfn skips exec functions unless that flag is set,
 * silently: `kubectl kustomize --enable-alpha-plugins examples/kustomize` prints nothing. So:
 * - examples/kustomize (KRM exec generator) is run with the standalone `kustomize` when present, and
 *   its calling convention (kyaml exec runtime: ResourceList with the config as functionConfig and
 *   as a local-config item, working directory = kustomization directory, relative exec path) is
 *   replayed against the built bin in every case;
 * - examples/kustomize/kubectl (kustomize's legacy exec plugin) is run with kubectl for real.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { DEFAULT_CONFIG_YAML, parseConfigYaml, setByPath } from '../../lib/config';
import { LOCAL_CONFIG, stripAddedAnnotations } from '../../lib/krm';
import { renderStack } from '../../lib/render';
import { validateConfig } from '../../lib/config';
import { byIdentity, CLI_BIN, ensureBuilt, FN_BIN, Obj, parseOutput, resourceList, ROOT, run, which } from './helpers';

// kubectl and kpt are part of this machine kind's image (kpt from Debian's google-cloud-cli-kpt);
// a missing one fails these tests loudly instead of skipping them. The standalone kustomize binary
// is not installable here (not in Debian or npm), so `kustomize build --enable-exec` is untested;
// its exec-function calling convention is replayed against the bin below instead.
const KUBECTL = required('kubectl');
const KPT = required('kpt');

function required(bin: string): string {
  const path = which(bin);
  if (!path) throw new Error(`${bin} is not on PATH; these orchestrator tests need it`);
  return path;
}

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'jcrkit-krm-orch-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const exampleSpec = (rel: string) => (parse(readFileSync(join(ROOT, rel), 'utf8')) as Obj).spec;

/** renderStack for a raw config with the built refresher bundle: what the built bin renders. */
function rendered(raw: unknown): { path: string; objects: Obj[] }[] {
  return renderStack(validateConfig(raw, 'test').config).files.map((f) => ({ path: f.path, objects: f.objects }));
}
const allObjects = (raw: unknown) => rendered(raw).flatMap((f) => f.objects);
const docs = (text: string): Obj[] => (parseAllDocuments(text) as { toJS(): Obj }[]).map((d) => d.toJS()).filter((o) => o !== null);

function readPackage(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, readPackage(join(dir, e.name), rel));
    else out[rel] = readFileSync(join(dir, e.name), 'utf8');
  }
  return out;
}

/** The rendered files of a package (jcrkit/…), as objects without the ownership annotation. */
function renderedFiles(pkg: Record<string, string>): Record<string, Obj[]> {
  return Object.fromEntries(
    Object.entries(pkg)
      .filter(([p]) => p.startsWith('jcrkit/'))
      .map(([p, text]) => [p.slice('jcrkit/'.length), docs(text).map((o) => stripAddedAnnotations(o))]),
  );
}
const expectedFiles = (raw: unknown) => Object.fromEntries(rendered(raw).map((f) => [f.path, f.objects]));

test('the three example configs (kustomize, kustomize/kubectl, kpt) hold the same spec', () => {
  expect(exampleSpec('examples/kustomize/kubectl/jcrkit.yaml')).toEqual(exampleSpec('examples/kustomize/jcrkit.yaml'));
  expect(exampleSpec('examples/kpt/jcrkit.yaml')).toEqual(exampleSpec('examples/kustomize/jcrkit.yaml'));
});

describe('kustomize', () => {
  const spec = exampleSpec('examples/kustomize/jcrkit.yaml');

  test("examples/kustomize under kustomize's exec-function convention (relative path, kustomization dir as cwd)", () => {
    // As kustomize's fnplugin does: the config gets local-config and is both functionConfig and the only item.
    const config = parse(readFileSync(join(ROOT, 'examples/kustomize/jcrkit.yaml'), 'utf8')) as Obj;
    config.metadata.annotations[LOCAL_CONFIG] = 'true';
    const execPath = parse(config.metadata.annotations['config.kubernetes.io/function']).exec.path;
    expect(execPath).toBe('../../bin/jcrkit-fn.js');
    const out = run(execPath, [], { input: resourceList([config], config), cwd: join(ROOT, 'examples/kustomize') });
    expect(out.status).toBe(0);
    const kept = parseOutput(out.stdout).items.filter((o) => o.metadata?.annotations?.[LOCAL_CONFIG] !== 'true');
    expect(kept.map((o) => stripAddedAnnotations(o))).toEqual(allObjects(spec));
  });

  test('kubectl kustomize cannot run exec KRM functions: it prints nothing (why examples/kustomize/kubectl exists)', () => {
    const out = run(KUBECTL!, ['kustomize', '--enable-alpha-plugins', 'examples/kustomize'], { cwd: ROOT });
    expect(out.status).toBe(0);
    expect(out.stdout.trim()).toBe('');
    const withExec = run(KUBECTL!, ['kustomize', '--enable-alpha-plugins', '--enable-exec', 'examples/kustomize'], { cwd: ROOT });
    expect(withExec.status).not.toBe(0);
    expect(withExec.stderr).toMatch(/unknown flag: --enable-exec/);
  });

  test('KUSTOMIZE_PLUGIN_HOME=examples/kustomize/plugins kubectl kustomize --enable-alpha-plugins examples/kustomize/kubectl', () => {
    const out = run(KUBECTL!, ['kustomize', '--enable-alpha-plugins', 'examples/kustomize/kubectl'], {
      cwd: ROOT,
      env: { KUSTOMIZE_PLUGIN_HOME: join(ROOT, 'examples/kustomize/plugins') },
    });
    expect(out.status).toBe(0);
    const objects = docs(out.stdout);
    // kustomize drops the path/index annotations and reorders by kind; the objects are synth's.
    expect(objects.every((o) => o.metadata.annotations['config.jcrkit.io/generated-by'] === 'jcrkit-fn')).toBe(true);
    expect(objects.map((o) => stripAddedAnnotations(o)).sort(byIdentity)).toEqual([...allObjects(spec)].sort(byIdentity));
  });

  test('an invalid config fails the kustomize build with the field-path message', () => {
    const dir = join(work, 'kust-bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'kustomization.yaml'), 'generators:\n  - jcrkit.yaml\n');
    writeFileSync(join(dir, 'jcrkit.yaml'), stringify({ apiVersion: 'jcrkit.io/v1alpha1', kind: 'JcrKit', metadata: { name: 'bad' }, spec: { registry: { name: 'ACME', region: 'cn-north-1' } } }));
    const out = run(KUBECTL!, ['kustomize', '--enable-alpha-plugins', dir], { cwd: work, env: { KUSTOMIZE_PLUGIN_HOME: join(ROOT, 'examples/kustomize/plugins') } });
    expect(out.status).not.toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/registry\.name: "ACME" breaks JCR's registry naming rules/);
  });
});

describe('kpt', () => {
  const APP = `# The app team's own file: kpt must write it back byte for byte.
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-settings # read by the app
  namespace: apps
data:
  FEATURE: "yes"
`;

  test('kpt fn eval --exec bin/jcrkit-fn.js -- key=value: files like dist/, foreign files untouched, idempotent, clean failures', () => {
    const pkg = join(work, 'eval-pkg');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'app.yaml'), APP);
    const args = ['registry.name=acme', 'registry.region=cn-east-2', 'dashboard.service.loadBalancerSourceRanges=[203.0.113.0/24]'];
    const raw = parseConfigYaml(DEFAULT_CONFIG_YAML, 'default') as Obj;
    setByPath(raw, 'registry.name', 'acme');
    setByPath(raw, 'registry.region', 'cn-east-2');
    setByPath(raw, 'dashboard.service.loadBalancerSourceRanges', ['203.0.113.0/24']);

    const eval1 = run(KPT!, ['fn', 'eval', pkg, '--exec', FN_BIN, '--', ...args], { cwd: work });
    expect(eval1.stderr).toMatch(/\[PASS\]/);
    expect(eval1.status).toBe(0);
    const after1 = readPackage(pkg);
    expect(after1['app.yaml']).toBe(APP);
    expect(renderedFiles(after1)).toEqual(expectedFiles(raw));

    // Run 2 reads run 1's files back: nothing may change (no duplicates, no comment growth).
    const eval2 = run(KPT!, ['fn', 'eval', pkg, '--exec', FN_BIN, '--', ...args], { cwd: work });
    expect(eval2.status).toBe(0);
    expect(readPackage(pkg)).toEqual(after1);

    // A bad value: kpt reports the result, exits non-zero and leaves every file as it was.
    const bad = run(KPT!, ['fn', 'eval', pkg, '--exec', FN_BIN, '--', 'registry.name=acme', 'dashboard.service.nodePort=99'], { cwd: work });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/\[error\] v1\/ConfigMap\/function-input data\['dashboard.service.nodePort'\]: dashboard\.service\.nodePort: 99 is outside/);
    expect(readPackage(pkg)).toEqual(after1);

    // A config that renders less: the earlier output it no longer renders is kept, byte for byte,
    // and kpt shows a warning naming it (jcrkit never deletes objects behind the user's back).
    const less = run(KPT!, ['fn', 'eval', pkg, '--exec', FN_BIN, '--', ...args, 'admin.enabled=false'], { cwd: work });
    expect(less.status).toBe(0);
    expect(less.stderr).toMatch(/\[warning\] v1\/ServiceAccount\/kubernetes-dashboard\/dashboard-admin: ServiceAccount kubernetes-dashboard\/dashboard-admin \(jcrkit\/0002-dashboard-admin\.k8s\.yaml\) carries config\.jcrkit\.io\/generated-by: jcrkit-fn but the current config does not render it/);
    setByPath(raw, 'admin.enabled', false);
    const after3 = readPackage(pkg);
    expect(Object.keys(after3).sort()).toEqual(['app.yaml', 'jcrkit/0000-dashboard.k8s.yaml', 'jcrkit/0001-token-refresher.k8s.yaml', 'jcrkit/0002-dashboard-admin.k8s.yaml']);
    expect(after3['jcrkit/0002-dashboard-admin.k8s.yaml']).toBe(after1['jcrkit/0002-dashboard-admin.k8s.yaml']);
    const { 'jcrkit/0002-dashboard-admin.k8s.yaml': _kept, ...rest } = after3;
    expect(renderedFiles(rest)).toEqual(expectedFiles(raw));
  });

  test('kpt fn eval without a functionConfig uses the JcrKit in the package (examples/kpt/jcrkit.yaml)', () => {
    const pkg = join(work, 'eval-example');
    cpSync(join(ROOT, 'examples/kpt'), pkg, { recursive: true });
    rmSync(join(pkg, 'jcrkit'), { recursive: true, force: true });
    // As README documents it: `kpt fn eval examples/kpt --exec jcrkit-fn` with jcrkit-fn on the PATH.
    const out = run(KPT!, ['fn', 'eval', pkg, '--exec', 'jcrkit-fn'], { cwd: work, env: { PATH: linkedPath() } });
    expect(out.status).toBe(0);
    expect(renderedFiles(readPackage(pkg))).toEqual(expectedFiles(exampleSpec('examples/kpt/jcrkit.yaml')));
  });

  /** A PATH with `jcrkit-fn` on it, as `npm link` leaves it (a symlink to bin/jcrkit-fn.js). */
  function linkedPath(): string {
    const bin = join(work, 'npm-global-bin');
    if (!existsSync(bin)) {
      mkdirSync(bin, { recursive: true });
      symlinkSync(FN_BIN, join(bin, 'jcrkit-fn'));
    }
    return `${bin}:${process.env.PATH}`;
  }

  test.each([
    ['from a repository root: kpt fn render examples/kpt --allow-exec', 'examples/kpt', '.'],
    ['inside a copy of the package: kpt fn render --allow-exec', 'my-copy', 'my-copy'],
  ])('the Kptfile pipeline (exec: jcrkit-fn on the PATH) runs %s', (_n, pkgRel, cwdRel) => {
    // No bin/ next to the package: the pipeline must not depend on the repository layout.
    const root = join(work, `render-${pkgRel.replace(/\W/g, '-')}`);
    const pkg = join(root, pkgRel);
    mkdirSync(join(pkg, '..'), { recursive: true });
    cpSync(join(ROOT, 'examples/kpt'), pkg, { recursive: true });
    rmSync(join(pkg, 'jcrkit'), { recursive: true, force: true });
    const before = readPackage(pkg);
    const args = cwdRel === '.' ? ['fn', 'render', pkgRel, '--allow-exec'] : ['fn', 'render', '--allow-exec'];
    const env = { PATH: linkedPath() };

    const r1 = run(KPT!, args, { cwd: join(root, cwdRel), env });
    expect(r1.stderr).toMatch(/\[PASS\] "jcrkit-fn"/);
    expect(r1.status).toBe(0);
    const after1 = readPackage(pkg);
    for (const f of Object.keys(before)) expect(after1[f]).toBe(before[f]); // Kptfile, jcrkit.yaml, README untouched
    expect(renderedFiles(after1)).toEqual(expectedFiles(exampleSpec('examples/kpt/jcrkit.yaml')));

    const r2 = run(KPT!, args, { cwd: join(root, cwdRel), env });
    expect(r2.status).toBe(0);
    expect(readPackage(pkg)).toEqual(after1);
  });

  test('jcrkit synth --config examples/kpt/jcrkit.yaml (the JcrKit file itself) renders what kpt renders', () => {
    const out = join(work, 'synth-jcrkit');
    const r = run(process.execPath, [CLI_BIN, 'synth', '--config', join(ROOT, 'examples/kpt/jcrkit.yaml'), '--out', out, '-q']);
    expect(r.status).toBe(0);
    const synthFiles = Object.fromEntries(readdirSync(out).map((f) => [f, docs(readFileSync(join(out, f), 'utf8'))]));
    expect(synthFiles).toEqual(expectedFiles(exampleSpec('examples/kpt/jcrkit.yaml')));
  });

  test('kpt fn render without --allow-exec refuses to run the exec function', () => {
    const pkg = join(work, 'render-noexec');
    cpSync(join(ROOT, 'examples/kpt'), pkg, { recursive: true });
    const out = run(KPT!, ['fn', 'render'], { cwd: pkg, env: { PATH: linkedPath() } });
    expect(out.status).not.toBe(0);
    expect(out.stderr).toMatch(/allow-exec/);
  });
});
