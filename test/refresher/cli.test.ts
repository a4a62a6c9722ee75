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
    expect(h.kubeApi.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(h.jd.requests).toHaveLength(0);
    const text = io.out.join('');
    expect(text).toContain('dry run: no token fetched, nothing written');
    expect(text).toContain('ns-a: Secret jcr-pull: would create; ServiceAccount default: would add the Secret; ServiceAccount ghost: missing (would not be created)');
    expect(text).toContain('ns-b: Secret jcr-pull: would update (keeping entries for other.example.com); ServiceAccount default: already references it');

    const json = capture();
    await refreshHandler(baseArgs({ 'dry-run': true, output: 'json', namespace: ['ns-a'] }), { ...json, env: {} });
    expect(JSON.parse(json.out.join(''))).toMatchObject({ registryHost: HOST, namespaces: [{ namespace: 'ns-a', secret: { wouldDo: 'create' } }] });
  });

  test('a real run from a workstation: JD Cloud via --endpoint, -o json is one document, exit 0; credentials never printed', async () => {
    seedServiceAccount(h.kubeApi, 'ns-a', 'default');
    const io = capture();
    const code = await refreshHandler(baseArgs({ endpoint: h.jd.url, 'service-account': ['default'], output: 'json' }), { ...io, env: { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK } });
    expect(io.err.join('')).toMatch(/^ns-a: Secret jcr-pull created/); // progress on stderr
    expect(code).toBe(0);
    // no --namespace: the kubeconfig context's namespace
    expect(dockerConfigOf(h.kubeApi, 'ns-a').auths[HOST].password).toBe(h.jd.state.tokens[0].password);
    const report = JSON.parse(io.out.join(''));
    expect(report).toMatchObject({ exitCode: 0, failedNamespaces: [], namespaces: [{ namespace: 'ns-a', action: 'created', serviceAccounts: [{ name: 'default', action: 'added' }] }] });
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
