/**
 * Credentials never reach GitOps output: with a password, the bootstrap pull Secret is written
 * only to a file of its own (mode 0600) outside the rendered directory — never into dist/ (by
 * `jcrkit synth` or `cdk8s synth`), never to stdout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { jcrkit } from '../helpers/cli';
import { renderDefault, ROOT } from '../helpers/render';

/** The repository's cdk8s.yaml `app:` command (`node build/bundle/cdk8s-app.js`), with an absolute path, to run from elsewhere. */
function cdk8sApp(): string {
  const app = /^app: node (\S+)$/m.exec(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8'));
  if (!app) throw new Error('cdk8s.yaml has no `app: node FILE` line');
  return `node ${join(ROOT, app[1])}`;
}

const PASSWORD = 'Z7g4sQTHMaNG0GRN-unique';
const B64 = Buffer.from(`jdcloud:${PASSWORD}`).toString('base64');

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesBelow(join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));
}

/** The token in clear, as basic auth, or inside a base64 .dockerconfigjson (decoded twice). */
function holdsToken(text: string): boolean {
  if (text.includes(PASSWORD) || text.includes(B64)) return true;
  return (text.match(/[A-Za-z0-9+/=]{40,}/g) ?? []).some((b) => {
    const once = Buffer.from(b, 'base64').toString('utf8');
    return once.includes(PASSWORD) || once.includes(B64);
  });
}

function expectNoCredential(text: string): void {
  expect(holdsToken(text)).toBe(false);
}

function expectDirClean(dir: string): void {
  for (const f of filesBelow(dir)) expectNoCredential(readFileSync(join(dir, f), 'utf8'));
}

/** The file path the bootstrap note names. */
function notedPath(stderr: string): string {
  const m = /rendered with the given password into (\S+) \(mode 0600/.exec(stderr);
  if (!m) throw new Error(`no bootstrap note in:\n${stderr}`);
  return m[1];
}

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'jcrkit-cred-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('jcrkit synth with a password', () => {
  test('--password-stdin --bootstrap-out FILE: the Secret goes to FILE (0600), the rendered directory holds no credential and no bootstrap/', () => {
    const file = join(work, 'secrets', 'pull.yaml');
    const r = jcrkit(['synth', '--password-stdin', '--out', join(work, 'o'), '--bootstrap-out', file], { input: `${PASSWORD}\n` });
    expect(r.status).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(holdsToken(readFileSync(file, 'utf8'))).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('kubernetes.io/dockerconfigjson');
    expect(readdirSync(join(work, 'o')).sort()).toEqual(['0000-dashboard.k8s.yaml', '0001-token-refresher.k8s.yaml', '0002-dashboard-admin.k8s.yaml']);
    expectDirClean(join(work, 'o'));
    expectNoCredential(r.stdout + r.stderr);
    expect(r.stderr).toContain(`kubectl create -f ${file}`);
    // The directory is safe to read recursively, as Flux does (its generated kustomization takes every manifest below the path).
    const k = spawnSync('kubectl', ['label', '--local', '-R', '-o', 'name', '-f', join(work, 'o'), 'jcrkit.io/probe=1'], { encoding: 'utf8' });
    expect(k.status).toBe(0);
    expect(k.stdout).not.toMatch(/secret\/my-secret/);
  });

  test('JCR_PASSWORD without --bootstrap-out: a new private directory under the temp dir (0700, file 0600), never the working tree', () => {
    const r = jcrkit(['synth', '--out', join(work, 'o')], { env: { JCR_PASSWORD: PASSWORD, TMPDIR: work }, cwd: work });
    expect(r.status).toBe(0);
    const file = notedPath(r.stderr);
    try {
      expect(dirname(dirname(file))).toBe(work);
      expect(dirname(file)).toMatch(/jcrkit-bootstrap-[^/]+$/);
      expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(holdsToken(readFileSync(file, 'utf8'))).toBe(true);
      expectDirClean(join(work, 'o'));
    } finally {
      rmSync(dirname(file), { recursive: true, force: true });
    }
  });

  test.each([
    ['JCR_PASSWORD', { env: { JCR_PASSWORD: PASSWORD } }, [] as string[], /--stdout with a password \(env JCR_PASSWORD\)/],
    ['--password-stdin', { input: `${PASSWORD}\n` }, ['--password-stdin'], /--stdout with a password \(--password-stdin\)/],
  ])('--stdout with %s is refused (exit 2, nothing on stdout)', (_n, opts, extra, message) => {
    const r = jcrkit(['synth', '--stdout', ...extra], opts);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toMatch(message);
    expectNoCredential(r.stderr);
  });

  test('--bootstrap-out inside --out is refused before anything is written', () => {
    const out = join(work, 'o');
    const r = jcrkit(['synth', '--out', out, '--bootstrap-out', join(out, 'bootstrap', 'pull.yaml')], { env: { JCR_PASSWORD: PASSWORD } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: --bootstrap-out .* is inside the rendered directory/);
    expect(existsSync(out)).toBe(false);
  });

  test('--bootstrap-out without a password is a usage error', () => {
    const r = jcrkit(['synth', '--out', join(work, 'o'), '--bootstrap-out', join(work, 'p.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--bootstrap-out names the file for the pull Secret, which is rendered only with a password/);
  });

  test('a directory rendered by an older release (token in bootstrap/) loses the token file; the live Secret is not called an orphan', () => {
    const out = join(work, 'o');
    expect(jcrkit(['synth', '--out', out]).status).toBe(0);
    mkdirSync(join(out, 'bootstrap'));
    const old = jcrkit(['synth', '--password-stdin', '--out', join(work, 'x'), '--bootstrap-out', join(work, 'old.yaml')], { input: PASSWORD });
    expect(old.status).toBe(0);
    writeFileSync(join(out, 'bootstrap', 'pull-secret.k8s.yaml'), readFileSync(join(work, 'old.yaml'), 'utf8'));
    const r = jcrkit(['synth', '--out', out]);
    expect(r.status).toBe(0);
    expect(existsSync(join(out, 'bootstrap'))).toBe(false);
    expect(r.stderr).toMatch(/bootstrap\/pull-secret\.k8s\.yaml \(the bootstrap pull Secret kube-system\/my-secret\) is no longer written into the rendered directory; the Secret in the cluster belongs to the refresher now: do not delete it/);
    expect(r.stderr).not.toMatch(/kubectl delete .*secret\/my-secret/);
  });
});

describe('npx cdk8s synth with JCR_PASSWORD', () => {
  const cdk8s = join(ROOT, 'node_modules', '.bin', 'cdk8s');
  function project(): string {
    const dir = join(work, 'app');
    mkdirSync(dir);
    writeFileSync(join(dir, 'cdk8s.yaml'), `language: typescript\napp: ${cdk8sApp()}\noutput: build/cdk8s.out\n`);
    return dir;
  }

  test('dist/ and the CLI staging directory hold no credential; the Secret goes to JCRKIT_BOOTSTRAP_OUT', () => {
    const dir = project();
    const file = join(work, 'pull.yaml');
    const r = spawnSync(cdk8s, ['synth'], { cwd: dir, env: { ...process.env, JCRKIT_CONFIG: '', JCR_PASSWORD: PASSWORD, JCRKIT_BOOTSTRAP_OUT: file }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readdirSync(join(dir, 'dist')).sort()).toEqual(['0000-dashboard.k8s.yaml', '0001-token-refresher.k8s.yaml', '0002-dashboard-admin.k8s.yaml']);
    expectDirClean(join(dir, 'dist'));
    expectDirClean(join(dir, 'build', 'cdk8s.out'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(holdsToken(readFileSync(file, 'utf8'))).toBe(true);
    expectNoCredential(r.stdout + r.stderr);
  });

  test('JCRKIT_BOOTSTRAP_OUT inside dist/ is refused and dist/ stays as it was', () => {
    const dir = project();
    const env = { ...process.env, JCRKIT_CONFIG: '', JCR_PASSWORD: '' };
    expect(spawnSync(cdk8s, ['synth'], { cwd: dir, env, encoding: 'utf8' }).status).toBe(0);
    const before = readFileSync(join(dir, 'dist', '0001-token-refresher.k8s.yaml'), 'utf8');
    const r = spawnSync(cdk8s, ['synth'], { cwd: dir, env: { ...env, JCR_PASSWORD: PASSWORD, JCRKIT_BOOTSTRAP_OUT: 'dist/pull.yaml' }, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/JCRKIT_BOOTSTRAP_OUT dist\/pull\.yaml is inside the rendered directory dist/);
    expect(readdirSync(join(dir, 'dist')).sort()).toEqual(['0000-dashboard.k8s.yaml', '0001-token-refresher.k8s.yaml', '0002-dashboard-admin.k8s.yaml']);
    expect(readFileSync(join(dir, 'dist', '0001-token-refresher.k8s.yaml'), 'utf8')).toBe(before);
  });

  test('cdk8s synth --stdout prints one valid stream without the Secret, even with a password', () => {
    const dir = project();
    const file = join(work, 'pull.yaml');
    const r = spawnSync(cdk8s, ['synth', '--stdout'], { cwd: dir, env: { ...process.env, JCRKIT_CONFIG: '', JCR_PASSWORD: PASSWORD, JCRKIT_BOOTSTRAP_OUT: file }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expectNoCredential(r.stdout);
    const k = spawnSync('kubectl', ['label', '--local', '-o', 'name', '-f', '-', 'jcrkit.io/probe=1'], { input: r.stdout, encoding: 'utf8' });
    expect(k.status).toBe(0);
    expect(k.stdout.trim().split('\n')).toHaveLength(renderDefault().files.flatMap((f) => f.objects).length);
    expect(k.stdout).not.toMatch(/secret\/my-secret/);
  });
});
