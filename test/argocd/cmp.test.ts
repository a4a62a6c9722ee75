/**
 * The Argo CD Config Management Plugin (deploy/argocd-cmp), run the way argocd-cmp-server runs it
 * (cmpserver/plugin/plugin.go: exec.Command(command[0], command[1:]+args...), Dir = the
 * Application's source path inside a fresh work directory, Env = the sidecar's own environment +
 * the build variables + ARGOCD_ENV_* + ARGOCD_APP_PARAMETERS / PARAM_*), against the single-file
 * bundle alone in a directory (no node_modules, no package, as in the sidecar).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { cmpOverrides } from '../../lib/render';
import { jcrkit, ROOT } from '../helpers/cli';
import { KUBERNETES_VERSIONS, schemaProblems } from '../helpers/k8s-schema';

const PLUGIN = parse(readFileSync(join(ROOT, 'deploy/argocd-cmp/plugin.yaml'), 'utf8'));
const BUNDLE = join(ROOT, 'build/bundle/jcrkit.js');
const APP_PATH = 'examples/argocd/cmp-source';

let work: string;
let bundle: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'jcrkit-cmp-'));
  // The sidecar has the bundle and nothing else: /opt/jcrkit/jcrkit.js.
  mkdirSync(join(work, 'opt', 'jcrkit'), { recursive: true });
  bundle = join(work, 'opt', 'jcrkit', 'jcrkit.js');
  copyFileSync(BUNDLE, bundle);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface AppSource {
  parameters?: { name: string; string?: string; array?: string[]; map?: Record<string, string> }[];
  env?: Record<string, string>;
  files?: Record<string, string>;
}

/** PARAM_<NAME>[_<i>|_<KEY>] as the repo-server flattens parameters (upper-cased, non-alphanumerics → _). */
function paramEnv(params: NonNullable<AppSource['parameters']>): Record<string, string> {
  const norm = (s: string) => s.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  const out: Record<string, string> = {};
  for (const p of params) {
    if (p.string !== undefined) out[`PARAM_${norm(p.name)}`] = p.string;
    p.array?.forEach((v, i) => (out[`PARAM_${norm(p.name)}_${i}`] = v));
    for (const [k, v] of Object.entries(p.map ?? {})) out[`PARAM_${norm(p.name)}_${norm(k)}`] = v;
  }
  return out;
}

/** Runs spec.generate exactly as the cmp-server does, in a fresh copy of the repository's app path. */
function generate(src: AppSource = {}): { status: number | null; stdout: string; stderr: string; appDir: string } {
  const repo = mkdtempSync(join(work, '_cmp_server-'));
  const appDir = join(repo, APP_PATH);
  mkdirSync(appDir, { recursive: true });
  cpSync(join(ROOT, APP_PATH), appDir, { recursive: true });
  for (const [f, text] of Object.entries(src.files ?? {})) writeFileSync(join(appDir, f), text);
  const sidecar = { PATH: process.env.PATH, HOME: '/home/argocd', JCRKIT_BUNDLE: bundle };
  const build = {
    ARGOCD_APP_NAME: 'jcrkit-prod-a',
    ARGOCD_APP_NAMESPACE: 'argocd',
    ARGOCD_APP_PROJECT_NAME: 'default',
    ARGOCD_APP_REVISION: 'f913b6cbf58aa5ae5ca1f8a2b149477aebcbd9d8',
    ARGOCD_APP_REVISION_SHORT: 'f913b6c',
    ARGOCD_APP_REVISION_SHORT_8: 'f913b6cb',
    ARGOCD_APP_SOURCE_PATH: APP_PATH,
    ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/platform/gitops.git',
    ARGOCD_APP_SOURCE_TARGET_REVISION: 'HEAD',
    KUBE_VERSION: '1.32.4',
    KUBE_API_VERSIONS: 'v1,apps/v1,batch/v1,rbac.authorization.k8s.io/v1',
  };
  const user = Object.fromEntries(Object.entries(src.env ?? {}).map(([k, v]) => [`ARGOCD_ENV_${k}`, v]));
  const params = src.parameters ? { ARGOCD_APP_PARAMETERS: JSON.stringify(src.parameters), ...(Array.isArray(src.parameters) ? paramEnv(src.parameters) : {}) } : {};
  const { command, args } = PLUGIN.spec.generate as { command: string[]; args: string[] };
  const r = spawnSync(command[0], [...command.slice(1), ...args], { cwd: appDir, env: { ...sidecar, ...build, ...user, ...params }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, appDir };
}

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

describe('plugin.yaml', () => {
  test('is a ConfigManagementPlugin named jcrkit-v1 that discovers one specific file', () => {
    expect(PLUGIN.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(PLUGIN.kind).toBe('ConfigManagementPlugin');
    expect(`${PLUGIN.metadata.name}-${PLUGIN.spec.version}`).toBe('jcrkit-v1');
    expect(PLUGIN.spec.discover).toEqual({ fileName: 'jcrkit.yaml' });
    expect(PLUGIN.spec.init).toBeUndefined(); // no npm install, nothing fetched per render
    // No pipe in the command: a pipe's exit status would hide jcrkit's.
    expect(PLUGIN.spec.generate.args.join(' ')).not.toMatch(/\|/);
  });
});

describe('generate, as the cmp-server runs it', () => {
  test('prints exactly what jcrkit synth --stdout prints for the same file and overrides', () => {
    const params = [
      { name: 'registry.region', string: 'cn-east-2' },
      { name: 'pullSecret.namespaces', array: ['default', 'shop'] },
      { name: 'set', map: { 'refresher.tokenHours': '6', 'dashboard.service.port': '8443' } },
    ];
    const r = generate({ parameters: params, env: { JCRKIT_SET: 'admin.clusterRole=edit\ninstance=east' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const synth = jcrkit([
      'synth', '--stdout', '--config', join(ROOT, APP_PATH, 'jcrkit.yaml'),
      '--set', 'admin.clusterRole=edit', '--set', 'instance=east', '--set', 'refresher.tokenHours=6', '--set', 'dashboard.service.port=8443',
      '--set', 'registry.region=cn-east-2', '--set', 'pullSecret.namespaces=[default, shop]',
    ]);
    expect(synth.status).toBe(0);
    expect(r.stdout).toBe(synth.stdout);
    const objects = docs(r.stdout);
    expect(objects.find((o) => o.kind === 'CronJob').metadata.name).toBe('jcrkit-token-refresher-east');
    expect(objects.find((o) => o.kind === 'ClusterRoleBinding' && o.roleRef.name === 'edit')).toBeDefined();
  });

  test('without parameters: jcrkit.yaml as it is', () => {
    const r = generate();
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(jcrkit(['synth', '--stdout', '--config', join(ROOT, APP_PATH, 'jcrkit.yaml')]).stdout);
  });

  test('stdout is only Kubernetes objects in one valid multi-document stream (kubectl parses every one)', () => {
    const r = generate();
    const objects = docs(r.stdout);
    expect(objects.every((o) => typeof o?.apiVersion === 'string' && typeof o?.kind === 'string' && typeof o?.metadata?.name === 'string')).toBe(true);
    const k = spawnSync('kubectl', ['label', '--local', '-o', 'name', '-f', '-', 'jcrkit.io/probe=1'], { input: r.stdout, encoding: 'utf8' });
    expect(k.status).toBe(0);
    expect(k.stdout.trim().split('\n')).toHaveLength(objects.length);
    for (const v of KUBERNETES_VERSIONS) expect(objects.flatMap((o) => schemaProblems(o, v))).toEqual([]);
  });

  test('ARGOCD_ENV_JCRKIT_CONFIG names another file in the source directory (a plain config works too)', () => {
    const r = generate({ env: { JCRKIT_CONFIG: 'other.yaml' }, files: { 'other.yaml': 'registry: {name: other, region: cn-south-1}\ndashboard: {enabled: false}\nadmin: {enabled: false}\n' } });
    expect(r.status).toBe(0);
    expect(docs(r.stdout).map((o) => o.kind)).not.toContain('Deployment');
    expect(r.stdout).toContain('other-cn-south-1.jcr.service.jdcloud.com');
  });

  test.each([
    ['a bad parameter value', { parameters: [{ name: 'registry.region', string: 'mars' }] }, /registry\.region: "mars" is not a JD Cloud region id\. Fix:/],
    ['an unknown config key', { parameters: [{ name: 'registry.zone', string: 'a' }] }, /registry\.zone: unknown key\. Fix:/],
    ['a broken jcrkit.yaml', { files: { 'jcrkit.yaml': 'spec: [\n' } }, /malformed YAML/],
    ['ARGOCD_APP_PARAMETERS that is not a list', { parameters: { name: 'x' } as never }, /ARGOCD_APP_PARAMETERS is not a list/],
    ['a map parameter other than set', { parameters: [{ name: 'registry', map: { name: 'x' } }] }, /only the parameter named set takes a map/],
    ['a config path outside the source directory', { env: { JCRKIT_CONFIG: '../../etc/passwd' } }, /leaves the Application's source directory/],
    ['a key that reaches a prototype', { parameters: [{ name: 'set', map: { '__proto__.polluted': 'x' } }] }, /"__proto__\.polluted" is not a dotted config key/],
    ['an empty render (everything disabled)', { env: { JCRKIT_SET: 'refresher.enabled=false\ndashboard.enabled=false\nadmin.enabled=false' } }, /renders no objects/],
  ])('%s: non-zero exit and nothing on stdout (an empty render with prune on would delete the stack)', (_n, src, message) => {
    const r = generate(src as AppSource);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  test('a missing jcrkit.yaml fails instead of rendering the embedded default', () => {
    const repo = mkdtempSync(join(work, '_cmp_server-'));
    const { command, args } = PLUGIN.spec.generate;
    const r = spawnSync(command[0], [...command.slice(1), ...args], { cwd: repo, env: { PATH: process.env.PATH, JCRKIT_BUNDLE: bundle }, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot read the config file \(ENOENT\)/);
  });

  test('a password in the sidecar environment is refused, never rendered', () => {
    const repo = mkdtempSync(join(work, '_cmp_server-'));
    cpSync(join(ROOT, APP_PATH), repo, { recursive: true });
    const { command, args } = PLUGIN.spec.generate;
    const r = spawnSync(command[0], [...command.slice(1), ...args], { cwd: repo, env: { PATH: process.env.PATH, JCRKIT_BUNDLE: bundle, JCR_PASSWORD: 'tok' }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/JCR_PASSWORD is set in the plugin's environment/);
  });
});

describe('cmpOverrides (unit)', () => {
  test('order: env JCRKIT_SET, then parameter set, then parameters named by a config path', () => {
    expect(
      cmpOverrides({
        ARGOCD_ENV_JCRKIT_SET: '# comment\nrefresher.tokenHours=2\nregistry.name=from-env\n',
        ARGOCD_APP_PARAMETERS: JSON.stringify([
          { name: 'registry.name', string: 'from-param' },
          { name: 'set', map: { 'registry.name': 'from-set', 'dashboard.service.port': '8443' } },
          { name: 'pullSecret.namespaces', array: ['a', 'b'] },
        ]),
      }),
    ).toEqual({ 'refresher.tokenHours': 2, 'registry.name': 'from-param', 'dashboard.service.port': 8443, 'pullSecret.namespaces': ['a', 'b'] });
  });

  test('no parameters, no env: no overrides', () => {
    expect(cmpOverrides({})).toEqual({});
    expect(cmpOverrides({ ARGOCD_APP_PARAMETERS: '' })).toEqual({});
  });
});

describe('installing the plugin: jcrkit cmp-manifests', () => {
  const REPO_SERVER = {
    // A minimal repo-server Deployment with the volumes the stock install has (var-files, plugins, tmp).
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'argocd-repo-server', namespace: 'argocd' },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-repo-server' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'argocd-repo-server' } },
        spec: {
          containers: [{ name: 'argocd-repo-server', image: 'quay.io/argoproj/argocd:v3.5.1', volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'var-files', mountPath: '/var/run/argocd' }, { name: 'plugins', mountPath: '/home/argocd/cmp-server/plugins' }] }],
          volumes: [{ name: 'var-files', emptyDir: {} }, { name: 'plugins', emptyDir: {} }, { name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };

  test('the ConfigMap holds plugin.yaml, the gzip\'d bundle and its sha256, well under the 1 MiB ConfigMap limit; the same bytes every time', () => {
    const r = jcrkit(['cmp-manifests']);
    expect(r.status).toBe(0);
    const cm = parse(r.stdout);
    for (const v of KUBERNETES_VERSIONS) expect(schemaProblems(cm, v)).toEqual([]);
    expect(cm.metadata).toMatchObject({ name: 'jcrkit-cmp', namespace: 'argocd' });
    expect(cm.data['plugin.yaml']).toBe(readFileSync(join(ROOT, 'deploy/argocd-cmp/plugin.yaml'), 'utf8'));
    const unpacked = gunzipSync(Buffer.from(cm.binaryData['jcrkit.js.gz'], 'base64'));
    expect(unpacked.equals(readFileSync(BUNDLE))).toBe(true);
    const sha = createHash('sha256').update(unpacked).digest('hex');
    expect(cm.data['jcrkit.js.sha256']).toBe(`${sha}  jcrkit.js\n`);
    expect(cm.metadata.annotations['jcrkit.io/bundle-sha256']).toBe(sha);
    const size = Buffer.byteLength(cm.data['plugin.yaml']) + Buffer.byteLength(cm.data['jcrkit.js.sha256']) + Buffer.from(cm.binaryData['jcrkit.js.gz'], 'base64').length;
    expect(size).toBeLessThan(1024 * 1024 * 0.8);
    expect(jcrkit(['cmp-manifests']).stdout).toBe(r.stdout);
  });

  test('the init container\'s command unpacks and verifies the bundle, and the result renders', () => {
    const cm = parse(jcrkit(['cmp-manifests']).stdout);
    const mount = join(work, 'cm');
    const bin = join(work, 'unpacked');
    mkdirSync(mount, { recursive: true });
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(mount, 'jcrkit.js.gz'), Buffer.from(cm.binaryData['jcrkit.js.gz'], 'base64'));
    writeFileSync(join(mount, 'jcrkit.js.sha256'), cm.data['jcrkit.js.sha256']);
    const patch = parse(readFileSync(join(ROOT, 'deploy/argocd-cmp/repo-server-patch.yaml'), 'utf8'));
    const init = patch.spec.template.spec.initContainers[0];
    const script = (init.command as string[]).slice(2).join(' ').replaceAll('/var/run/jcrkit-cmp', mount).replaceAll('/opt/jcrkit', bin);
    const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/jcrkit\.js: OK/);
    const synth = spawnSync(process.execPath, [join(bin, 'jcrkit.js'), 'synth', '--stdout', '--config', join(ROOT, APP_PATH, 'jcrkit.yaml')], { cwd: bin, encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(synth.status).toBe(0);
    expect(synth.stdout).toBe(generate().stdout);
  });

  test('the repo-server patch adds the sidecar as the CMP docs require (kubectl patch --local, strategic merge)', () => {
    const file = join(work, 'repo-server.yaml');
    writeFileSync(file, stringify(REPO_SERVER));
    const r = spawnSync('kubectl', ['patch', '--local', '-f', file, '--type', 'strategic', '--patch-file', join(ROOT, 'deploy/argocd-cmp/repo-server-patch.yaml'), '-o', 'json'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout);
    for (const v of KUBERNETES_VERSIONS) expect(schemaProblems(d, v)).toEqual([]);
    const pod = d.spec.template.spec;
    expect(pod.containers.map((c: { name: string }) => c.name)).toEqual(['jcrkit', 'argocd-repo-server']);
    expect(pod.containers[1]).toEqual(REPO_SERVER.spec.template.spec.containers[0]); // the repo-server itself is untouched
    const sidecar = pod.containers[0];
    expect(sidecar.command).toEqual(['/var/run/argocd/argocd-cmp-server']);
    expect(sidecar.securityContext).toMatchObject({ runAsUser: 999, runAsNonRoot: true });
    const mounts = Object.fromEntries(sidecar.volumeMounts.map((m: { mountPath: string; name: string }) => [m.mountPath, m.name]));
    expect(mounts).toMatchObject({ '/var/run/argocd': 'var-files', '/home/argocd/cmp-server/plugins': 'plugins', '/home/argocd/cmp-server/config/plugin.yaml': 'jcrkit-cmp', '/opt/jcrkit': 'jcrkit-bin' });
    expect(mounts['/tmp']).not.toBe('tmp'); // its own /tmp, not the repo-server's
    expect(pod.volumes.find((v: { name: string }) => v.name === mounts['/tmp']).emptyDir).toEqual({});
    expect(pod.initContainers[0].securityContext.runAsUser).toBe(999);
  });

  test('--patch --image swaps both images; --out writes a kustomize Component that kubectl kustomize builds', () => {
    const image = 'pocexam-cn-north-1.jcr.service.jdcloud.com/library/node:22.12.0-alpine';
    const patched = parse(jcrkit(['cmp-manifests', '--patch', '--image', image]).stdout);
    expect([...patched.spec.template.spec.initContainers, ...patched.spec.template.spec.containers].map((c: { image: string }) => c.image)).toEqual([image, image]);
    expect(jcrkit(['cmp-manifests', '--patch']).stdout).toBe(readFileSync(join(ROOT, 'deploy/argocd-cmp/repo-server-patch.yaml'), 'utf8'));
    expect(jcrkit(['cmp-manifests', '--image', 'not an image']).status).toBe(2);

    const base = join(work, 'argocd-install');
    mkdirSync(base, { recursive: true });
    writeFileSync(join(base, 'repo-server.yaml'), stringify(REPO_SERVER));
    const out = jcrkit(['cmp-manifests', '--out', join(base, 'jcrkit-cmp'), '--image', image]);
    expect(out.status).toBe(0);
    expect(readFileSync(join(base, 'jcrkit-cmp', 'kustomization.yaml'), 'utf8')).toBe(readFileSync(join(ROOT, 'deploy/argocd-cmp/kustomization.yaml'), 'utf8'));
    writeFileSync(join(base, 'kustomization.yaml'), 'resources: [repo-server.yaml]\ncomponents: [jcrkit-cmp]\n');
    const k = spawnSync('kubectl', ['kustomize', base], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(k.status).toBe(0);
    const built = docs(k.stdout);
    expect(built.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['ConfigMap/jcrkit-cmp', 'Deployment/argocd-repo-server']);
    const dep = built.find((o) => o.kind === 'Deployment');
    expect(dep.spec.template.spec.containers.map((c: { name: string; image: string }) => `${c.name} ${c.image}`)).toEqual([`jcrkit ${image}`, 'argocd-repo-server quay.io/argoproj/argocd:v3.5.1']);
  });
});
