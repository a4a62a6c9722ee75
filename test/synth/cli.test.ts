import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { jcrkit } from '../helpers/cli';
import { ROOT } from '../helpers/render';

function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = readFileSync(full, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

describe('jcrkit synth (black box)', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'jcrkit-synth-'));
  });

  test('renders the embedded default without a warning (internal load balancer, short-lived login); prints how to reach and log in', () => {
    const r = jcrkit(['synth', '--out', join(work, 'out')]);
    expect(r.status).toBe(0);
    expect(readdirSync(join(work, 'out')).sort()).toEqual(['0000-dashboard.k8s.yaml', '0001-token-refresher.k8s.yaml', '0002-dashboard-admin.k8s.yaml']);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/warning:/);
    expect(r.stderr).toMatch(/behind an internal JD Cloud load balancer, Service kubernetes-dashboard\/dashboard-lb/);
    expect(r.stderr).toMatch(/jcrkit login-token --duration 1h/);
    expect(r.stderr).toMatch(/create token dashboard-admin --duration=1h/);
  });

  test('the runbook (seed.yaml) renders with a warning for each unsafe choice it states', () => {
    const r = jcrkit(['synth', '--config', join(ROOT, 'examples', 'seed.yaml'), '--out', join(work, 'out'), '--quiet']);
    expect(r.status).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings).toEqual([
      expect.stringMatching(/^warning: dashboard\.preset v1\.10\.1 does not work on Kubernetes >= 1\.16/),
      expect.stringMatching(/^warning: the UI is on a public load balancer \(kube-system\/dashboard-lb\) .* bound to cluster-admin.*Nothing restricts who reaches it/),
      expect.stringMatching(/^warning: admin\.tokenSecret: true renders kube-system\/dashboard-admin-token, a token that never expires/),
    ]);
  });

  test('a public load balancer in front of a cluster-admin login is refused (bad input: exit 2), naming the fix', () => {
    writeFileSync(join(work, 'public.yaml'), 'registry: {name: pocexam, region: cn-north-1}\ndashboard: {service: {jdcloudLoadBalancer: {internal: false}}}\n');
    const r = jcrkit(['synth', '--config', join(work, 'public.yaml'), '--out', join(work, 'out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/dashboard\.service\.acknowledge\.publicClusterAdmin: is not set, .*Fix: keep the load balancer internal/);
    expect(existsSync(join(work, 'out'))).toBe(false);
  });

  test.each([
    ['a schema error', 'registry: {name: pocexam, region: cn-north-1}\ndashboard: {service: {nodePort: 80}}\n', /dashboard\.service\.nodePort: 80 is outside the Kubernetes NodePort range\. Fix:/],
    ['malformed YAML', 'registry: [\n', /malformed YAML at line/],
    ['an unknown key', 'registry: {name: pocexam, region: cn-north-1}\nrefreshr: {}\n', /refreshr: unknown key/],
  ])('%s: one clear message, exit 2 (bad input), existing output untouched', (_n, yaml, message) => {
    const out = join(work, 'out');
    expect(jcrkit(['synth', '--out', out]).status).toBe(0);
    const before = snapshotDir(out);
    writeFileSync(join(work, 'bad.yaml'), yaml);
    const r = jcrkit(['synth', '--config', join(work, 'bad.yaml'), '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: invalid config \(/);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(join(work, 'bad.yaml'));
    expect(snapshotDir(out)).toEqual(before);
    expect(readdirSync(work).filter((n) => n.startsWith('.'))).toEqual([]); // no staging leftovers
  });

  test('flags override file values and are validated like them', () => {
    const ok = jcrkit(['synth', '--config', join(ROOT, 'examples', 'seed.yaml'), '--registry-name', 'acme', '--set', 'dashboard.service.port=8443', '--out', join(work, 'o')]);
    expect(ok.status).toBe(0);
    const dash = readFileSync(join(work, 'o', '0000-dashboard.k8s.yaml'), 'utf8');
    expect(dash).toContain('image: acme-cn-north-1.jcr.service.jdcloud.com/kubernetes-dashboard-amd64:v1.10.1');
    expect(dash).toContain('port: 8443');
    const bad = jcrkit(['synth', '--set', 'refresher.tokenHours=48', '--out', join(work, 'o')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/refresher\.tokenHours: 48 is outside.* \(from --set refresher\.tokenHours=48\)$/m);
  });

  test('JCRKIT_CONFIG selects the config file', () => {
    const r = jcrkit(['synth', '--out', join(work, 'o')], { env: { JCRKIT_CONFIG: join(ROOT, 'examples', 'seed.yaml') } });
    expect(r.status).toBe(0);
    expect(readFileSync(join(work, 'o', '0000-dashboard.k8s.yaml'), 'utf8')).toContain('name: dashboard-lb');
  });

  test('refuses to replace a directory holding files it did not write (bad input: exit 2)', () => {
    const out = join(work, 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    const r = jcrkit(['synth', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/holds files jcrkit did not write \(notes\.txt\)/);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  test('--stdout prints one multi-document stream that kubectl parses', () => {
    const r = jcrkit(['synth', '--stdout']);
    expect(r.status).toBe(0);
    const k = spawnSync('kubectl', ['label', '--local', '-o', 'name', '-f', '-', 'jcrkit.io/probe=1'], { input: r.stdout, encoding: 'utf8' });
    expect(k.status).toBe(0);
    expect(k.stdout.trim().split('\n')).toHaveLength(15 + 9 + 2);
  });
});

/** The repository's cdk8s.yaml `app:` command (`node build/bundle/cdk8s-app.js`), with an absolute path, to run from elsewhere. */
function cdk8sApp(): string {
  const app = /^app: node (\S+)$/m.exec(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8'));
  if (!app) throw new Error('cdk8s.yaml has no `app: node FILE` line');
  return `node ${join(ROOT, app[1])}`;
}

/** `unshare -n` (a network namespace of its own, no interfaces up) when this machine allows it. */
function withoutNetwork(command: string, args: string[]): [string, string[]] {
  return spawnSync('unshare', ['-n', 'true']).status === 0 ? ['unshare', ['-n', command, ...args]] : [command, args];
}

describe('npx cdk8s synth (the cdk8s CLI front door)', () => {
  test('offline, it prints no upgrade check (no stack trace, no "new version" banner)', () => {
    const home = mkdtempSync(join(tmpdir(), 'jcrkit-cdk8s-home-'));
    const out = mkdtempSync(join(tmpdir(), 'jcrkit-cdk8s-out-'));
    // in the repository, so npx reads its .npmrc; --output keeps the run away from dist/ (the app
    // publishes dist/ only when it renders into the staging directory of cdk8s.yaml)
    const [cmd, args] = withoutNetwork('npx', ['cdk8s', 'synth', '--output', out]);
    const r = spawnSync(cmd, args, { cwd: ROOT, env: { PATH: process.env.PATH, HOME: home, JCRKIT_CONFIG: '', JCR_PASSWORD: '' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['0000-dashboard.k8s.yaml', '0001-token-refresher.k8s.yaml', '0002-dashboard-admin.k8s.yaml']);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toMatch(/new version|Error:/i);
  });

  test('renders into dist/; a bad JCRKIT_CONFIG leaves dist/ exactly as it was', () => {
    const work = mkdtempSync(join(tmpdir(), 'jcrkit-cdk8s-'));
    writeFileSync(join(work, 'cdk8s.yaml'), `language: typescript\napp: ${cdk8sApp()}\noutput: build/cdk8s.out\n`);
    const cdk8s = join(ROOT, 'node_modules', '.bin', 'cdk8s');
    const env = { ...process.env, JCRKIT_CONFIG: '', JCR_PASSWORD: '' };
    const ok = spawnSync(cdk8s, ['synth'], { cwd: work, env, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const before = snapshotDir(join(work, 'dist'));
    expect(Object.keys(before)).toEqual(['0000-dashboard.k8s.yaml', '0001-token-refresher.k8s.yaml', '0002-dashboard-admin.k8s.yaml']);
    writeFileSync(join(work, 'bad.yaml'), 'registry: {name: pocexam, region: cn-north-1}\ndashboard: {preset: v3}\n');
    const bad = spawnSync(cdk8s, ['synth'], { cwd: work, env: { ...env, JCRKIT_CONFIG: join(work, 'bad.yaml') }, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr + bad.stdout).toMatch(/dashboard\.preset: unknown preset "v3"/);
    expect(snapshotDir(join(work, 'dist'))).toEqual(before);
  });

  test('prints the render warnings too (the runbook config)', () => {
    const work = mkdtempSync(join(tmpdir(), 'jcrkit-cdk8s-'));
    writeFileSync(join(work, 'cdk8s.yaml'), `language: typescript\napp: node ${join(ROOT, 'build', 'main.js')}\noutput: build/cdk8s.out\n`);
    const cdk8s = join(ROOT, 'node_modules', '.bin', 'cdk8s');
    const r = spawnSync(cdk8s, ['synth'], { cwd: work, env: { ...process.env, JCRKIT_CONFIG: join(ROOT, 'examples', 'seed.yaml'), JCR_PASSWORD: '' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr + r.stdout).toMatch(/warning: the UI is on a public load balancer/);
    expect(r.stderr + r.stdout).toMatch(/warning: admin\.tokenSecret: true/);
  });
});
