/**
 * The registry check: against the real Debian `docker-registry` (distribution) with htpasswd
 * basic auth, and against a small token-auth stand-in for the Bearer challenge flow.
 */
import { spawn, execFileSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { parseBearerChallenge, probeRegistry } from '../../lib/refresher/registry-probe';
import { EXIT_NO_TOKEN, EXIT_OK } from '../../lib/refresher/run';
import { expectNoSecrets, startHarness, testPlan } from './harness';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      http.get(url, (res) => {
        res.resume();
        resolve(true);
      }).on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

describe('against the real docker-registry with htpasswd', () => {
  const PASSWORD = 'RegistryPassw0rd-e2e';
  let dir: string;
  let registry: ChildProcess;
  let base: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jcrkit-registry-'));
    fs.writeFileSync(path.join(dir, 'htpasswd'), execFileSync('htpasswd', ['-Bbn', 'jdcloud', PASSWORD]));
    const port = await freePort();
    fs.writeFileSync(
      path.join(dir, 'config.yml'),
      `version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: ${dir}/data}}\nhttp: {addr: "127.0.0.1:${port}"}\nauth: {htpasswd: {realm: jcrkit-test, path: ${dir}/htpasswd}}\n`,
    );
    registry = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: 'ignore' });
    base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/v2/`);
  });
  afterAll(() => {
    registry.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('valid and invalid credentials', async () => {
    await expect(probeRegistry('ignored', 'jdcloud', PASSWORD, { baseUrl: base })).resolves.toEqual({ status: 'valid' });
    await expect(probeRegistry('ignored', 'jdcloud', 'wrong', { baseUrl: base })).resolves.toMatchObject({ status: 'invalid' });
  });

  test('a refresh whose token the registry rejects writes nothing; one it accepts is written', async () => {
    const h = await startHarness();
    try {
      const probe = (host: string, u: string, p: string) => probeRegistry(host, u, p, { baseUrl: base });
      h.jd.state.settings.tokenPassword = () => 'NotTheRegistryPassword';
      const bad = await h.run(testPlan({ verifyRegistry: true }), { probeRegistry: probe });
      expect(bad.exitCode).toBe(EXIT_NO_TOKEN);
      expect(h.stateWrites()).toHaveLength(0);

      h.jd.state.settings.tokenPassword = () => PASSWORD;
      const good = await h.run(testPlan({ verifyRegistry: true, serviceAccounts: [] }), { probeRegistry: probe });
      expect(good.exitCode).toBe(EXIT_OK);
      expect(h.kubeApi.list('secrets')).toHaveLength(3);
      expectNoSecrets(h.output, [...h.secrets(), PASSWORD]);
    } finally {
      await h.close();
    }
  });
});

describe('Bearer challenge (distribution token auth)', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/v2/') {
        res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${base}/token",service="registry.test"` });
        res.end();
        return;
      }
      if (url.pathname === '/token') {
        const ok = req.headers.authorization === 'Basic ' + Buffer.from('jdcloud:good').toString('base64') && url.searchParams.get('service') === 'registry.test';
        res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
        res.end(ok ? '{"token":"t"}' : '{}');
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  test('the token realm decides', async () => {
    await expect(probeRegistry('x', 'jdcloud', 'good', { baseUrl: base })).resolves.toEqual({ status: 'valid' });
    await expect(probeRegistry('x', 'jdcloud', 'bad', { baseUrl: base })).resolves.toMatchObject({ status: 'invalid' });
  });

  test('unreachable registries are "unreachable", not "invalid"', async () => {
    await expect(probeRegistry('x', 'jdcloud', 'p', { baseUrl: 'http://127.0.0.1:1' })).resolves.toMatchObject({ status: 'unreachable' });
  });

  test('challenge parsing', () => {
    expect(parseBearerChallenge('Bearer realm="https://a/token",service="s",scope="x"')).toEqual({ realm: 'https://a/token', service: 's' });
    expect(parseBearerChallenge('Basic realm="r"')).toBeUndefined();
  });
});
