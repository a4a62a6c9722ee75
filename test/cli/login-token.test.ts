/**
 * `jcrkit login-token` as a black box: a TokenRequest for the config's login account through the
 * kubeconfig identity, the token alone on stdout, and one clear line (with the exit code) for
 * every way it can fail. The fake API server authorizes by the rendered RBAC plus a role for the
 * caller, and the issued token authenticates as the login account.
 */
import { parseTokenDuration } from '../../lib/cloud/login-token';
import { startFakeKubeApi, type FakeKubeApi } from '../fakes/kube/api-server';
import { cloudCli, type CloudCli } from '../helpers/cli';
import { tempDir, type TempDir } from '../cloud/helpers';

let cli: CloudCli;
let kube: FakeKubeApi;
let dir: TempDir;
let kubeconfig: string;
const CALLER = 'ops-token';

beforeAll(() => {
  cli = cloudCli();
});
afterAll(() => cli.dispose());
beforeEach(async () => {
  kube = await startFakeKubeApi({
    namespaces: ['default', 'kube-system', 'kubernetes-dashboard', 'headlamp'],
    tokens: { [CALLER]: { name: 'ops', groups: ['system:authenticated'] } },
    // the caller may create tokens for the login accounts, nothing else
    rbac: [
      { kind: 'ClusterRole', metadata: { name: 'token-issuer' }, rules: [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }] },
      { kind: 'ClusterRoleBinding', metadata: { name: 'ops' }, roleRef: { kind: 'ClusterRole', name: 'token-issuer' }, subjects: [{ kind: 'User', name: 'ops' }] },
    ],
    maxTokenExpirationSeconds: 24 * 3600,
  });
  kube.seed('serviceaccounts', { metadata: { name: 'dashboard-admin', namespace: 'kubernetes-dashboard' } });
  kube.seed('serviceaccounts', { metadata: { name: 'headlamp-login', namespace: 'headlamp' } });
  dir = tempDir();
  kubeconfig = dir.file('kubeconfig', `current-context: c\ncontexts: [{name: c, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "${kube.url}"}}]\nusers: [{name: u, user: {token: ${CALLER}}}]\n`);
});
afterEach(async () => {
  await kube.close();
  dir.remove();
});

test('prints a token for the default login account (TokenRequest, 1 h) and nothing else on stdout', async () => {
  const r = await cli.run(['login-token', '--kubeconfig', kubeconfig]);
  expect(r.code).toBe(0);
  const token = r.stdout.trim();
  expect(r.stdout).toBe(`${token}\n`);
  expect(kube.userOfToken(token)?.name).toBe('system:serviceaccount:kubernetes-dashboard:dashboard-admin');
  const req = kube.requests.find((q) => q.resource === 'serviceaccounts/token')!;
  expect(req).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/kubernetes-dashboard/serviceaccounts/dashboard-admin/token', user: 'ops', status: 201 });
  expect(req.body).toEqual({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } });
  expect(r.stderr).toMatch(/^token for kubernetes-dashboard\/dashboard-admin \(bound to cluster-admin\), expires \d{4}-\d\d-\d\dT/);
  expect(r.stderr).not.toContain(token);
  expect(kube.writes().filter((q) => q.resource !== 'serviceaccounts/token')).toEqual([]); // no Secret, nothing stored
});

test('the account comes from the config (headlamp-login for the headlamp preset); --duration and --output json', async () => {
  const config = dir.file('h.yaml', 'registry: {name: pocexam, region: cn-north-1}\ndashboard: {preset: headlamp}\n');
  const r = await cli.run(['login-token', '--config', config, '--kubeconfig', kubeconfig, '--duration', '1h30m', '--output', 'json']);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out).toMatchObject({ namespace: 'headlamp', serviceAccount: 'headlamp-login', clusterRole: 'view', token: expect.stringMatching(/^fake-tokenrequest-/) });
  expect(Date.parse(out.expirationTimestamp) - Date.now()).toBeGreaterThan(80 * 60_000);
  expect(kube.requests.find((q) => q.resource === 'serviceaccounts/token')!.body).toMatchObject({ spec: { expirationSeconds: 5400 } });
});

test('the server may shorten the lifetime; the printed expiry is the server\'s', async () => {
  const r = await cli.run(['login-token', '--kubeconfig', kubeconfig, '--duration', '72h', '--output', 'json']);
  expect(r.code).toBe(0);
  expect(Date.parse(JSON.parse(r.stdout).expirationTimestamp) - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
});

test.each([
  ['a lifetime under 10 minutes', ['--duration', '5m'], 2, /--duration 5m: the Kubernetes API issues tokens for at least 10 minutes\. Fix: use --duration 10m or more/],
  ['a malformed duration', ['--duration', 'soon'], 2, /--duration soon: not a duration\. Fix:/],
  ['a config without a login account', ['--set', 'admin.enabled=false'], 2, /admin\.enabled is false in the config, so no login account is rendered.*Fix:/],
  ['a bad config', ['--set', 'admin.serviceAccount=Bad_Name'], 2, /admin\.serviceAccount: "Bad_Name" is not a valid ServiceAccount name/],
])('%s: bad input, exit 2 before any request', async (_name, args, code, message) => {
  const r = await cli.run(['login-token', '--kubeconfig', kubeconfig, ...args]);
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(kube.requests).toEqual([]);
});

test('the login account is not in the cluster yet: exit 1 and how to fix it', async () => {
  const r = await cli.run(['login-token', '--kubeconfig', kubeconfig, '--set', 'admin.serviceAccount=nobody']);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^error: ServiceAccount kubernetes-dashboard\/nobody does not exist in the cluster of kubeconfig .*Fix: apply the rendered manifests first/);
});

test('an identity that may not create tokens: exit 1, the server\'s reason, no token', async () => {
  const other = dir.file('other', `current-context: c\ncontexts: [{name: c, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "${kube.url}"}}]\nusers: [{name: u, user: {token: nope}}]\n`);
  kube.addServiceAccountToken('default', 'reader', 'nope');
  const r = await cli.run(['login-token', '--kubeconfig', other]);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/may not create tokens for kubernetes-dashboard\/dashboard-admin \(serviceaccounts\/token "dashboard-admin" is forbidden: User "system:serviceaccount:default:reader" cannot create resource "serviceaccounts\/token".*Fix: use a kubeconfig or --context/);
});

test('an unreachable API server: exit 1, one line', async () => {
  const gone = dir.file('gone', 'current-context: c\ncontexts: [{name: c, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]\nusers: [{name: u, user: {}}]\n');
  const r = await cli.run(['login-token', '--kubeconfig', gone]);
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^error: Kubernetes POST \/api\/v1\/namespaces\/kubernetes-dashboard\/serviceaccounts\/dashboard-admin\/token: cannot reach 127\.0\.0\.1:9/);
});

test('durations as kubectl takes them', () => {
  expect(parseTokenDuration('1h')).toBe(3600);
  expect(parseTokenDuration('90m')).toBe(5400);
  expect(parseTokenDuration('1h30m')).toBe(5400);
  expect(parseTokenDuration('600s')).toBe(600);
  expect(parseTokenDuration('7200')).toBe(7200);
  expect(() => parseTokenDuration('')).toThrow(/not a duration/);
  expect(() => parseTokenDuration('1d')).toThrow(/not a duration/);
});
