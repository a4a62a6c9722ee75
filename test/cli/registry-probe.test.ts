/**
 * `jcrkit registry probe`: against a real docker-registry (everything accepted and deleted again),
 * one behind a proxy that refuses OCI manifests and deletes (what JCR may do), and the configured
 * "JCR" (an htpasswd registry standing in for it, the fake JD Cloud handing out its token and
 * creating the probe repository).
 */
import { startHarness, type Harness } from '../fakes/jdcloud/harness';
import { startFaultProxy, type FaultProxy } from '../fakes/registry/fault-proxy';
import { startRegistry, type LocalRegistry } from '../fakes/registry/process';
import { AK, SK } from '../cloud/helpers';
import { cloudCli, type CloudCli } from '../helpers/cli';

let plain: LocalRegistry;
let jcr: LocalRegistry;
let strict: FaultProxy;
let cli: CloudCli;

beforeAll(async () => {
  cli = cloudCli();
  [plain, jcr] = await Promise.all([startRegistry(), startRegistry({ kind: 'htpasswd', users: { jdcloud: 'probe-token-pw' } })]);
  strict = await startFaultProxy(plain);
  strict.addFault((r) => r.method === 'PUT' && r.path.includes('/manifests/') && !!r.contentType?.startsWith('application/vnd.oci.'), {
    kind: 'status',
    status: 400,
    body: JSON.stringify({ errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid' }] }),
  });
  strict.addFault((r) => r.method === 'DELETE', { kind: 'status', status: 405, body: JSON.stringify({ errors: [{ code: 'UNSUPPORTED', message: 'The operation is unsupported.' }] }) });
});
afterAll(async () => {
  cli.dispose();
  await Promise.all([plain?.stop(), jcr?.stop(), strict?.stop()]);
});

interface Case {
  name: string;
  accepted: boolean;
  cleanup: string;
}

test('a registry that takes everything: every format accepted, every manifest deleted again', async () => {
  const r = await cli.run(['registry', 'probe', plain.host, '--insecure', '--output', 'json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(report.cases.map((c: Case) => [c.name, c.accepted, c.cleanup])).toEqual([
    ['Docker manifest (schema 2)', true, 'deleted'],
    ['Docker manifest list', true, 'deleted'],
    ['OCI image manifest', true, 'deleted'],
    ['OCI image index', true, 'deleted'],
    ['OCI artifact (artifactType)', true, 'deleted'],
  ]);
  expect(report).toMatchObject({ repository: 'jcrkit-probe', ociImages: true, deleteAllowed: true });
});

test('Docker schema 2 only, no deletes: the table says so, and what mirror will do about it', async () => {
  const r = await cli.run(['registry', 'probe', strict.host, '--insecure']);
  expect(r.code).toBe(0);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^FORMAT\s+MEDIA TYPE\s+ACCEPTED\s+CLEANUP$/);
  expect(lines[1]).toMatch(/^Docker manifest \(schema 2\)\s+application\/vnd\.docker\.distribution\.manifest\.v2\+json\s+yes\s+delete not allowed \(tag left\)$/);
  expect(lines[3]).toMatch(/^OCI image manifest\s+application\/vnd\.oci\.image\.manifest\.v1\+json\s+no\s+-$/);
  expect(r.stdout).toContain(`${strict.host} refuses OCI images: jcrkit mirror converts them to Docker schema 2`);
  expect(r.stdout).toContain('left in jcrkit-probe: jcrkit-probe-docker-manifest, jcrkit-probe-docker-list (the registry did not delete them)');
  expect(r.stderr).toMatch(/^refused  OCI image manifest .*manifest_invalid: manifest invalid$/m);
});

describe('the configured JCR registry', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ registries: [{ regionId: 'cn-north-1', name: 'myreg' }], settings: { tokenPassword: () => 'probe-token-pw' } });
  });
  afterAll(async () => h.jd.close());

  test('creates the probe repository, logs in with a JCR token, probes', async () => {
    const env = { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK, JDCLOUD_ENDPOINT: h.jd.url };
    const r = await cli.run(['registry', 'probe', '--registry-name', 'myreg', '--region', 'cn-north-1', '--registry-host', jcr.host, '--insecure', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('created repository myreg/jcrkit-probe for the probe (it stays; delete it in the console when you like)\n');
    expect(JSON.parse(r.stdout)).toMatchObject({ registry: jcr.host, ociImages: true });
    expect(h.jd.requests.map((q) => q.action)).toEqual(['DescribeRepositories', 'CreateRepository', 'GetAuthorizationToken']);
  });
});
