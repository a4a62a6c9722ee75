/** Small pieces of lib/cloud: name checks before requests, status line, kubeconfig merge, parsing. */
import { parse } from 'yaml';
import { parseDuration } from '../../lib/cli/options/wait';
import { formatElapsed, statusLine } from '../../lib/cli/status-line';
import { errorText, exitCodeFor } from '../../lib/core/errors';
import { cloudCredentials } from '../../lib/cloud/client';
import { parseCredentialsText } from '../../lib/cloud/credentials-secret';
import { mergeKubeconfig, targetKubeconfigPath, type KubeconfigEntry } from '../../lib/cloud/kubeconfig';
import { ensureRegistry } from '../../lib/cloud/registry';
import { CrApi } from '../../lib/jdcloud/cr';
import { startHarness } from '../fakes/jdcloud/harness';

test('ensureRegistry refuses bad repository names before any request', async () => {
  const h = await startHarness();
  try {
    const cr = new CrApi(h.client);
    for (const repo of ['Upper/case', 'a.b', 'three/level/name', '/lead', 'x//y']) {
      await expect(ensureRegistry(cr, { regionId: 'cn-north-1', registryName: 'myreg', repositories: [repo] })).rejects.toThrow(/repository name .*Fix:/);
    }
    await expect(ensureRegistry(cr, { regionId: 'cn-north-1', registryName: 'My_Reg', repositories: [] })).rejects.toThrow(/registry name "My_Reg".*Fix:/);
    expect(h.jd.requests).toHaveLength(0);
  } finally {
    await h.jd.close();
  }
});

test('CheckRegistryName "invalid" from the server is reported with its reason', async () => {
  const h = await startHarness();
  try {
    h.jd.faults.add({ action: 'CheckRegistryName', rawBody: JSON.stringify({ requestId: 'r1', result: { code: 2, reason: 'reserved word' } }), status: 200 });
    await expect(ensureRegistry(new CrApi(h.client), { regionId: 'cn-north-1', registryName: 'admin', repositories: [] })).rejects.toThrow(
      'JD Cloud refused the registry name "admin" (CheckRegistryName code 2: reserved word). Fix: choose another registry.name',
    );
    expect(h.jd.requests.map((r) => r.action)).toEqual(['CheckRegistryName']);
  } finally {
    await h.jd.close();
  }
});

test('status line: rewritten in place with the time waited on a terminal, one line per change elsewhere', () => {
  let t = 0;
  const now = () => t;
  const tty: string[] = [];
  const line = statusLine({ isTTY: true, write: (s: string) => tty.push(s) }, { now, tickMs: 0 });
  line.update('pending');
  t = 75_000;
  line.update('pending');
  line.done();
  expect(tty).toEqual(['\r\x1b[K| pending 0s', '\r\x1b[K/ pending 1m15s', '\n']);

  t = 0;
  const log: string[] = [];
  const plain = statusLine({ write: (s: string) => log.push(s) }, { now });
  plain.update('pending');
  t = 16_000;
  plain.update('pending');
  t = 31_000;
  plain.update('running');
  plain.done();
  expect(log).toEqual(['pending (0s elapsed)\n', 'running (31s elapsed)\n']);
  expect([formatElapsed(999), formatElapsed(125_000), formatElapsed(3_720_000)]).toEqual(['0s', '2m05s', '1h02m']);
});

test('status line on a terminal keeps the clock moving between updates', async () => {
  const tty: string[] = [];
  const line = statusLine({ isTTY: true, write: (s: string) => tty.push(s) }, { tickMs: 5 });
  line.update('creating');
  await new Promise((r) => setTimeout(r, 40));
  line.done();
  expect(tty.length).toBeGreaterThan(2);
  expect(tty.every((w) => w === '\n' || w.includes('creating'))).toBe(true);
});

const entry: KubeconfigEntry = { name: 'jdcloud-cn-north-1-c', server: 'https://1.2.3.4:6443', certificateAuthorityData: 'Q0E=', clientCertificateData: 'Q0VSVA==', clientKeyData: 'S0VZ' };

test('mergeKubeconfig: empty input gives a complete kubeconfig', () => {
  for (const input of [undefined, '', '\n', '# only a comment\n']) {
    expect(parse(mergeKubeconfig(input, entry, { setCurrent: true }))).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: entry.name, cluster: { server: entry.server, 'certificate-authority-data': 'Q0E=' } }],
      users: [{ name: entry.name, user: { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' } }],
      contexts: [{ name: entry.name, context: { cluster: entry.name, user: entry.name } }],
      'current-context': entry.name,
      preferences: {},
    });
  }
});

test('mergeKubeconfig: without setCurrent, an empty current-context is still filled; a list that is not a list is refused', () => {
  expect(parse(mergeKubeconfig('clusters: []\n', entry, { setCurrent: false }))['current-context']).toBe(entry.name);
  expect(parse(mergeKubeconfig('current-context: other\n', entry, { setCurrent: false }))['current-context']).toBe('other');
  expect(() => mergeKubeconfig('users: {a: 1}\n', entry, { setCurrent: true, source: 'F' })).toThrow('F: "users" is not a list; the file was left untouched');
});

test('targetKubeconfigPath: --out, else the first $KUBECONFIG entry, else ~/.kube/config', () => {
  expect(targetKubeconfigPath({ out: '/x', env: { KUBECONFIG: '/a:/b' } })).toBe('/x');
  expect(targetKubeconfigPath({ env: { KUBECONFIG: ':/a:/b' } })).toBe('/a');
  expect(targetKubeconfigPath({ env: {}, homeDir: '/home/u' })).toBe('/home/u/.kube/config');
});

test('parseDuration and parseCredentialsText', () => {
  expect([parseDuration('90', 't'), parseDuration('90s', 't'), parseDuration('30m', 't'), parseDuration('1h', 't'), parseDuration(5, 't')]).toEqual([90_000, 90_000, 1_800_000, 3_600_000, 5_000]);
  expect(() => parseDuration('soon', '--timeout')).toThrow('--timeout soon');
  expect(parseCredentialsText('  AK1 \n\nSK1\n')).toEqual({ accessKey: 'AK1', secretKey: 'SK1' });
  expect(() => parseCredentialsText('AKonly')).toThrow(/exactly two lines.*got 1/);
});

test('missing credentials: one line naming both variables and which is missing; exit code 2', () => {
  expect(() => cloudCredentials({})).toThrow('JD Cloud credentials missing: set JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY (not set: JDCLOUD_ACCESS_KEY, JDCLOUD_SECRET_KEY)');
  let caught: unknown;
  try {
    cloudCredentials({ JDCLOUD_SECRET_KEY: 'x' });
  } catch (e) {
    caught = e;
  }
  expect(exitCodeFor(caught)).toBe(2);
  expect(errorText(caught)).toMatch(/^error: JD Cloud credentials missing: .*\(not set: JDCLOUD_ACCESS_KEY\)/);
});
