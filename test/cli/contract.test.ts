/**
 * The CLI's shared contract, checked on the real `bin/jcrkit.js` for every command at once: the
 * same mistake gets the same exit code and the same first line everywhere; --help shows only the
 * options a command reads; -o is --output; a closed stdout ends quietly; errors name the flag,
 * --set argument, environment variable or file a bad value came from.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, JCRKIT_BIN, jcrkit, ROOT } from '../helpers/cli';
import { AK, SK } from '../cloud/helpers';

/** Every leaf command, as typed. */
const COMMANDS = [
  'synth',
  'fn',
  'cmp-generate',
  'cmp-manifests',
  'refresh',
  'mirror',
  'registry ensure',
  'token',
  'credentials apply',
  'pull-secret apply',
  'network ensure',
  'cluster ensure',
  'cluster delete',
  'kubeconfig',
  'up',
  'login-token',
  'status',
  'completion',
];
const argv = (command: string) => command.split(' ');
const help = new Map(COMMANDS.map((c) => [c, jcrkit([...argv(c), '--help']).stdout]));
const flagsOf = (text: string) => new Set([...text.matchAll(/(?:^|\s)--([a-z][a-z-]*)/g)].map((m) => m[1]));

/** The commands that read a config file, with what an argument list needs besides --config. */
const WITH_CONFIG: Record<string, string[]> = {
  synth: [],
  refresh: [],
  mirror: ['--from-config'],
  'registry ensure': [],
  token: [],
  'credentials apply': [],
  'pull-secret apply': [],
  'network ensure': [],
  'cluster ensure': [],
  'cluster delete': ['--yes'],
  kubeconfig: [],
  up: [],
  'login-token': [],
  status: [],
};

test('the command list is every command `jcrkit --help` shows', () => {
  const top = [...jcrkit(['--help']).stdout.matchAll(/^ {2}jcrkit ([a-z-]+)/gm)].map((m) => m[1]);
  expect([...new Set(COMMANDS.map((c) => argv(c)[0]))].sort()).toEqual([...new Set(top)].sort());
});

test('the table covers every command whose --help offers --config', () => {
  expect(COMMANDS.filter((c) => flagsOf(help.get(c)!).has('config')).sort()).toEqual(Object.keys(WITH_CONFIG).sort());
});

describe('--config /nonexistent.yaml: exit 2 and one `error:` line naming the file, from every command', () => {
  test.each(Object.entries(WITH_CONFIG))('%s', (command, extra) => {
    // credentials set, so nothing but the config can be what is wrong
    const r = jcrkit([...argv(command), ...extra, '--config', '/nonexistent.yaml'], { env: { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK, KUBECONFIG: '/nonexistent-kubeconfig' } });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('error: /nonexistent.yaml (named by --config): cannot read the config file (ENOENT). Fix: check the path given to --config');
    expect(r.stdout).toBe('');
  });
});

describe('--help lists only the shared options a command reads', () => {
  // shared = the config shortcuts and the option groups; a command's own options are not listed here
  const SHARED = ['config', 'set', 'registry-name', 'region', 'registry-host', 'secret-name', 'preset', 'pull-namespace', 'cloud-region', 'vpc-name', 'vpc-cidr', 'cluster-name', 'cluster-version', 'node-count', 'instance-type', 'endpoint', 'kubeconfig', 'context', 'namespace', 'output', 'timeout', 'interval'];
  const REGISTRY = ['config', 'set', 'registry-name', 'region', 'registry-host'];
  const EXPECTED: Record<string, string[]> = {
    synth: [...REGISTRY, 'secret-name', 'preset', 'pull-namespace', 'output'],
    fn: [],
    'cmp-generate': [],
    'cmp-manifests': ['namespace'],
    // refresh's --registry-name, --region, … set plan fields (its own options), listed under Plan:
    refresh: ['config', 'set', 'registry-name', 'region', 'registry-host', 'secret-name', 'endpoint', 'kubeconfig', 'context', 'namespace', 'output'],
    mirror: [...REGISTRY, 'preset', 'endpoint', 'output'],
    'registry ensure': [...REGISTRY, 'preset', 'endpoint', 'output'],
    token: [...REGISTRY, 'endpoint', 'output'],
    'credentials apply': ['config', 'set', 'kubeconfig', 'context', 'output'],
    'pull-secret apply': [...REGISTRY, 'secret-name', 'pull-namespace', 'endpoint', 'kubeconfig', 'context', 'output'],
    'network ensure': ['config', 'set', 'region', 'cloud-region', 'vpc-name', 'vpc-cidr', 'endpoint', 'output'],
    'cluster ensure': ['config', 'set', 'region', 'cloud-region', 'vpc-name', 'vpc-cidr', 'cluster-name', 'cluster-version', 'node-count', 'instance-type', 'endpoint', 'output', 'timeout', 'interval'],
    'cluster delete': ['config', 'set', 'region', 'cloud-region', 'cluster-name', 'endpoint', 'output', 'timeout', 'interval'],
    kubeconfig: ['config', 'set', 'region', 'cloud-region', 'cluster-name', 'endpoint', 'output'],
    up: SHARED.filter((f) => f !== 'namespace'),
    // the login account's default namespace is the UI's, which the preset decides
    'login-token': ['config', 'set', 'preset', 'kubeconfig', 'context', 'output'],
    status: ['config', 'set', 'kubeconfig', 'context', 'output'],
    completion: [],
  };
  test.each(COMMANDS)('%s', (command) => {
    const listed = [...flagsOf(help.get(command)!)].filter((f) => SHARED.includes(f));
    expect(listed.sort()).toEqual([...EXPECTED[command]].sort());
  });

  test('token does not offer render or cloud settings', () => {
    for (const flag of ['--preset', '--vpc-cidr', '--node-count', '--pull-namespace']) expect(help.get('token')).not.toContain(flag);
  });
});

test('-o is --output (text|json) on every command that has an output format', () => {
  for (const command of COMMANDS.filter((c) => flagsOf(help.get(c)!).has('output'))) {
    expect(help.get(command)).toMatch(/-o, --output\b[\s\S]*\[choices: "text", "json"\]/);
  }
});

describe('-o json means JSON', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'jcrkit-contract-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('synth -o json: one JSON summary of the files written; --out keeps no -o alias', () => {
    const r = jcrkit(['synth', '-o', 'json', '--out', join(work, 'out')]);
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ source: 'embedded default config', out: join(work, 'out') });
    expect(summary.files.map((f: string) => f.slice(join(work, 'out').length + 1))).toEqual(['0000-dashboard.k8s.yaml', '0001-token-refresher.k8s.yaml', '0002-dashboard-admin.k8s.yaml']);
    // the old `-o DIR` is refused, not turned into a directory
    const old = jcrkit(['synth', '-o', 'json-dir'], { cwd: work });
    expect(old.status).toBe(2);
    expect(old.stderr).toMatch(/^error: Invalid values:\n {2}Argument: output, Given: "json-dir", Choices: "text", "json"/);
    expect(jcrkit(['synth', '--stdout', '-o', 'json']).stderr).toMatch(/^error: --stdout prints YAML and --output json/);
  });

  test('cluster ensure --dry-run -o json and up --dry-run -o json: one document each', () => {
    for (const command of [['cluster', 'ensure'], ['up']]) {
      const r = jcrkit([...command, '--dry-run', '-o', 'json'], { env: { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK } });
      expect(r.status).toBe(0);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    }
  });
});

describe('errors say where the bad value came from', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'jcrkit-origin-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('a flag, a --set argument, the file', () => {
    const file = join(work, 'c.yaml');
    writeFileSync(file, 'registry: {name: pocexam, region: cn-north-1}\ndashboard: {service: {nodePort: 80}}\n');
    const r = jcrkit(['synth', '--stdout', '--config', file, '--registry-name', 'Bad_Name', '--set', 'pullSecret.name=X_']);
    expect(r.status).toBe(2);
    const [first, ...issues] = r.stderr.trim().split('\n');
    expect(first).toBe(`error: invalid config (--registry-name, --set pullSecret.name=X_ over ${file}):`);
    expect(issues).toEqual([
      expect.stringMatching(/^ {2}registry\.name: "Bad_Name" breaks JCR's registry naming rules\. Fix: .* \(from --registry-name\)$/),
      expect.stringMatching(/^ {2}pullSecret\.name: "X_" is not a valid Secret name .* \(from --set pullSecret\.name=X_\)$/),
      expect.stringMatching(/^ {2}dashboard\.service\.nodePort: 80 is outside the Kubernetes NodePort range\. Fix: [^()]*$/),
    ]);
  });

  test('the environment: JCRKIT_CONFIG', () => {
    const file = join(work, 'env.yaml');
    writeFileSync(file, 'registry: {name: Bad_Name, region: cn-north-1}\n');
    const r = jcrkit(['synth', '--stdout'], { env: { JCRKIT_CONFIG: file } });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`error: invalid config (${file} from JCRKIT_CONFIG):`);
    const missing = jcrkit(['token'], { env: { JCRKIT_CONFIG: join(work, 'gone.yaml') } });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^error: .*gone\.yaml \(named by JCRKIT_CONFIG\): cannot read the config file \(ENOENT\)\. Fix: check the path given to JCRKIT_CONFIG$/m);
  });

  test('cloud commands and refresh too', () => {
    const token = jcrkit(['token', '--registry-name', 'Bad_Name'], { env: { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK } });
    expect(token.status).toBe(2);
    expect(token.stderr).toMatch(/^error: invalid config \(--registry-name over embedded default config\):\n {2}registry\.name: .* \(from --registry-name\)$/m);
    const refresh = jcrkit(['refresh', '--set', 'refresher.tokenHours=48'], { env: { KUBECONFIG: '/nonexistent-kubeconfig' } });
    expect(refresh.status).toBe(2);
    expect(refresh.stderr).toMatch(/^error: invalid config \(--set refresher\.tokenHours=48 over embedded default config\):\n {2}refresher\.tokenHours: 48 is outside/);
  });
});

test('usage errors yargs finds: `error:` first, exit 2', () => {
  for (const args of [['synth', '--no-such-flag'], ['nosuch'], [], ['refresh', '--plan-file', 'p.json', '--set', 'a=b']]) {
    const r = jcrkit(args, { env: { KUBECONFIG: '/nonexistent-kubeconfig' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: /);
  }
});

test.each([
  ['jcrkit', JCRKIT_BIN, ['synth', '--stdout'], ''],
  ['jcrkit-fn', join(ROOT, 'bin', 'jcrkit-fn.js'), [], 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n'],
])('a reader that closes early (`%s … | head -c 1`): no stack trace, exit 0', (_name, bin, args, input) => {
  // A real OS pipe: the socket pair node's spawn() gives a child buffers the whole render, so the
  // writer would never see EPIPE there. bash reports the writer's exit status in PIPESTATUS.
  const quoted = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
  const dir = mkdtempSync(join(tmpdir(), 'jcrkit-epipe-'));
  const r = spawnSync('bash', ['-c', `${quoted} 2>"$ERR" | head -c 1 >/dev/null; exit "\${PIPESTATUS[0]}"`], { input, env: { ...cleanEnv(), ERR: join(dir, 'stderr') }, cwd: ROOT, encoding: 'utf8' });
  const stderr = readFileSync(join(dir, 'stderr'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  expect(stderr).not.toMatch(/EPIPE|Error:|\n\s+at /);
  expect(r.status).toBe(0);
});

test('jcrkit-fn --help prints the usage and exits 0', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'jcrkit-fn.js'), '--help'], { env: cleanEnv(), encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^jcrkit-fn: a KRM function/);
  expect(r.stdout).toContain('Exit codes: 0 done; 1 the function failed; 2 bad input');
  expect(r.stderr).toBe('');
});

test('jcrkit completion prints a shell completion script', () => {
  const r = jcrkit(['completion']);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('###-begin-jcrkit-completions-###');
  expect(r.stdout).toContain('jcrkit --get-yargs-completions');
  const words = jcrkit(['--get-yargs-completions', 'jcrkit', 'clu']);
  expect(words.stdout.split('\n')).toContain('cluster');
});
