/** `jcrkit refresh` (refreshHandler) with a kubeconfig identity: dry run and real run. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { refreshCommand, type RefreshArgs } from '../../lib/cli/commands/refresh';
import { planFromArgs, refreshHandler } from '../../lib/cli/handlers/refresh';
import { AK, dockerConfigOf, expectNoSecrets, HOST, REGION, REGISTRY, seedServiceAccount, SK, startHarness, type Harness } from './harness';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } };
}

describe('jcrkit refresh', () => {
  let h: Harness;
  let tmp: string;
  let kubeconfig: string;
  beforeEach(async () => {
    h = await startHarness();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jcrkit-cli-'));
    kubeconfig = path.join(tmp, 'config');
    fs.writeFileSync(
      kubeconfig,
      `current-context: c\ncontexts: [{name: c, context: {cluster: c, user: u, namespace: ns-a}}]\nclusters: [{name: c, cluster: {server: "${h.kubeApi.url}"}}]\nusers: [{name: u, user: {}}]\n`,
    );
  });
  afterEach(async () => {
    expectNoSecrets(h.output, h.secrets());
    await h.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const baseArgs = (extra: Partial<RefreshArgs> = {}): RefreshArgs => ({
    kubeconfig,
    'registry-name': REGISTRY,
    region: REGION,
    'secret-name': 'jcr-pull',
    'verify-registry': false,
    output: 'text',
    concurrency: 16,
    ...extra,
  });

  test('--dry-run reads only, fetches no token, and says what would happen', async () => {
    h.kubeApi.seed('secrets', {
      metadata: { name: 'jcr-pull', namespace: 'ns-b' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { 'other.example.com': { auth: 'eDp5' }, [HOST]: { auth: 'b2xk' } } })).toString('base64') },
    });
    seedServiceAccount(h.kubeApi, 'ns-a', 'default');
    seedServiceAccount(h.kubeApi, 'ns-b', 'default', [{ name: 'jcr-pull' }]);
    const io = capture();
    const code = await refreshHandler(baseArgs({ 'dry-run': true, namespace: ['ns-a', 'ns-b'], 'service-account': ['default', 'ghost'] }), { ...io, env: {} });
    expect(code).toBe(0);
    // reads, and every write only as a server-side dry run
    expect(h.kubeApi.requests.every((r) => r.method === 'GET' || r.dryRun)).toBe(true);
    expect(h.kubeApi.requests.some((r) => r.dryRun && r.method === 'POST' && r.namespace === 'ns-a')).toBe(true);
    expect(h.kubeApi.list('secrets', 'ns-a')).toEqual([]);
    expect(h.jd.requests).toHaveLength(0);
    const text = io.out.join('');
    expect(text).toContain('dry run: no token fetched, nothing written');
    expect(text).toContain('token: no token recorded yet: a new token would be minted');
    expect(text).toContain('ns-a: Secret jcr-pull: would create; ServiceAccount default: would add the Secret; ServiceAccount ghost: missing (would not be created)');
    expect(text).toContain('ns-b: Secret jcr-pull: would update (keeping entries for other.example.com); ServiceAccount default: already references it');
    expect(text).toContain('no problems found');

    const json = capture();
    await refreshHandler(baseArgs({ 'dry-run': true, output: 'json', namespace: ['ns-a'] }), { ...json, env: {} });
    expect(JSON.parse(json.out.join(''))).toMatchObject({ registryHost: HOST, namespaces: [{ namespace: 'ns-a', secret: { wouldDo: 'create' } }] });
  });

  test('a real run from a workstation: JD Cloud via --endpoint, -o json is one document, exit 0; credentials never printed', async () => {
    seedServiceAccount(h.kubeApi, 'ns-a', 'default');
    const io = capture();
    const code = await refreshHandler(baseArgs({ endpoint: h.jd.url, 'service-account': ['default'], output: 'json' }), { ...io, env: { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK } });
    expect(io.err.join('')).toMatch(/^ns-a: Secret jcr-pull created/m); // progress on stderr
    expect(code).toBe(0);
    // no --namespace: the kubeconfig context's namespace
    expect(dockerConfigOf(h.kubeApi, 'ns-a').auths[HOST].password).toBe(h.jd.state.tokens[0].password);
    const report = JSON.parse(io.out.join(''));
    expect(report).toMatchObject({ exitCode: 0, failedNamespaces: [], namespaces: [{ namespace: 'ns-a', action: 'created', serviceAccounts: [{ name: 'default', action: 'added' }] }] });
    expect(h.kubeApi.get('secrets', 'ns-a', 'jcr-pull')!.metadata.annotations['jcrkit.io/refreshed-by']).toBe('jcrkit refresh');
    expectNoSecrets([...io.out, ...io.err], h.secrets());
  });

  test('JDCLOUD_ENDPOINT from the environment, text output, a failing namespace → exit 1', async () => {
    h.kubeApi.injectFault({ match: { namespace: 'ns-c' }, times: 10, respond: { code: 403, reason: 'Forbidden', message: 'secrets "jcr-pull" is forbidden' } });
    const io = capture();
    const code = await refreshHandler(baseArgs({ namespace: ['ns-a', 'ns-c'] }), { ...io, env: { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK, JDCLOUD_ENDPOINT: h.jd.url } });
    expect(code).toBe(1);
    const text = io.out.join('');
    expect(text).toMatch(/^ns-a: Secret jcr-pull created \(token expires /m);
    expect(text).toMatch(/^error: ns-c: Secret jcr-pull failed — .*403 Forbidden/m);
    expect(text).toContain('error: refresh failed in 1 of 2 namespaces: ns-c');
    expectNoSecrets([...io.out, ...io.err], h.secrets());
  });

  test('missing AK/SK or a bad flag value: one error line, exit 2 (bad input), nothing written', async () => {
    const io = capture();
    expect(await refreshHandler(baseArgs(), { ...io, env: {} })).toBe(2);
    expect(io.err.join('')).toMatch(/^error: JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY must be set/);
    const io2 = capture();
    expect(await refreshHandler(baseArgs({ 'token-hours': 30 }), { ...io2, env: { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK } })).toBe(2);
    expect(io2.err.join('')).toContain('tokenHours: must be a whole number of hours from 1 to 24');
    expect(h.kubeApi.writes()).toHaveLength(0);
    const io4 = capture();
    expect(await refreshHandler(baseArgs({ kubeconfig: path.join(tmp, 'missing') }), { ...io4, env: { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK } })).toBe(2);
    expect(io4.err.join('')).toMatch(/^error: cannot read kubeconfig .*missing: ENOENT/);
    const io3 = capture();
    expect(await refreshHandler(baseArgs({ 'renew-before': 'soon' }), { ...io3, env: { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK } })).toBe(2);
    expect(io3.err.join('')).toMatch(/^error: refresh plan: --renew-before: "soon" is not a duration/);
  });

  test('--dry-run checks what the real run needs: a missing namespace is a problem, not "would create" (exit 1)', async () => {
    const io = capture();
    const code = await refreshHandler(baseArgs({ 'dry-run': true, namespace: ['ns-a', 'nosuchns'] }), { ...io, env: {} });
    expect(code).toBe(1);
    const text = io.out.join('');
    expect(text).toContain('nosuchns: Secret jcr-pull: PROBLEM: would NOT be written: namespace nosuchns does not exist. Fix: create it (kubectl create namespace nosuchns) or remove it from pullSecret.namespaces');
    expect(text).toContain('1 namespace(s) with a problem');
    expect(text).not.toMatch(/nosuchns: Secret jcr-pull: would create/);
  });

  test('--dry-run checks RBAC: an identity that may not create the Secret gets the Forbidden reason', async () => {
    const rbac = await startHarness({ kube: { rbac: [], tokens: { 'viewer-token': { name: 'viewer', groups: ['system:authenticated'] } } } });
    try {
      const cfg = path.join(tmp, 'viewer');
      fs.writeFileSync(cfg, `current-context: c\ncontexts: [{name: c, context: {cluster: c, user: u, namespace: ns-a}}]\nclusters: [{name: c, cluster: {server: "${rbac.kubeApi.url}"}}]\nusers: [{name: u, user: {token: viewer-token}}]\n`);
      const io = capture();
      const code = await refreshHandler(baseArgs({ kubeconfig: cfg, 'dry-run': true, namespace: ['ns-a'] }), { ...io, env: {} });
      expect(code).toBe(1);
      expect(io.out.join('')).toMatch(/ns-a: PROBLEM: cannot read Secret jcr-pull: .*403 Forbidden/);
    } finally {
      await rbac.close();
    }
  });

  test('--dry-run after a refresh: reuse, no mint, "already holds the token"', async () => {
    const env = { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK, JDCLOUD_ENDPOINT: h.jd.url };
    expect(await refreshHandler(baseArgs({ namespace: ['ns-a'] }), { ...capture(), env })).toBe(0);
    const io = capture();
    expect(await refreshHandler(baseArgs({ 'dry-run': true, namespace: ['ns-a', 'ns-b'] }), { ...io, env: {} })).toBe(0);
    const text = io.out.join('');
    expect(text).toMatch(/token: the token recorded in ns-a is valid for 5h 59m, longer than renewBefore \(6h\)|token: the token recorded in ns-a is valid for (11h|12h)/);
    expect(text).toContain('ns-a: Secret jcr-pull: already holds the token (unchanged)');
    expect(text).toContain('ns-b: Secret jcr-pull: would create');
    expectNoSecrets(io.out, h.secrets());
  });

  test('--plan-file with flags on top', () => {
    const file = path.join(tmp, 'plan.json');
    fs.writeFileSync(file, JSON.stringify({ registry: { name: 'a', region: 'cn-east-2' }, secretName: 's', namespaces: ['x'], serviceAccounts: ['default'], tokenHours: 2 }));
    const plan = planFromArgs({ 'plan-file': file, namespace: ['y', 'z'], 'registry-host': 'r.example.com', output: 'text', concurrency: 1 }, 'default');
    expect(plan).toMatchObject({ registry: { name: 'a', region: 'cn-east-2', host: 'r.example.com' }, namespaces: ['y', 'z'], serviceAccounts: ['default'], tokenHours: 2 });
    expect(() => planFromArgs({ 'plan-file': file, 'cr-service': 'nope', output: 'text', concurrency: 1 }, 'default')).toThrow(/crService/);
  });

  test('is a yargs CommandModule with the documented flags', () => {
    // yargs 18 is ESM-only and jest runs CommonJS, so the builder is driven by a recording stand-in
    const options: string[] = [];
    const argv: Record<string, unknown> = {};
    const recorder = new Proxy(argv, {
      get: (_t, prop) => (name: unknown) => {
        if (prop === 'option' && typeof name === 'string') options.push(name);
        return recorder;
      },
    });
    expect(refreshCommand.command).toBe('refresh');
    (refreshCommand.builder as (y: unknown) => unknown)(recorder);
    expect(options).toEqual(
      expect.arrayContaining(['kubeconfig', 'context', 'namespace', 'service-account', 'registry-name', 'region', 'registry-host', 'secret-name', 'token-hours', 'cr-service', 'endpoint', 'dry-run', 'output', 'plan-file']),
    );
  });
});
