/**
 * Start throwaway Debian `docker-registry` (distribution 2.8) instances on 127.0.0.1 with temp
 * storage: plain, htpasswd basic auth, or token auth. No jest imports — the bench reuses this.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'htpasswd'; users: Record<string, string> }
  | { kind: 'token'; realm: string; service: string; issuer: string; rootCertBundle: string };

export interface LocalRegistry {
  /** `127.0.0.1:PORT`, usable in image references */
  host: string;
  port: number;
  /** `http://127.0.0.1:PORT` */
  url: string;
  storageDir: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** TLS for the registry's listener (PEM files); its URL is then https:// */
export interface RegistryTls {
  certFile: string;
  keyFile: string;
}

function registryConfig(port: number, storage: string, authBlock: string, tls?: RegistryTls): string {
  return [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    ...(tls ? ['  tls:', `    certificate: ${tls.certFile}`, `    key: ${tls.keyFile}`] : []),
    authBlock,
  ].join('\n');
}

function authBlock(auth: RegistryAuth, dir: string): string {
  if (auth.kind === 'htpasswd') {
    const lines = Object.entries(auth.users).map(([user, password]) =>
      execFileSync('htpasswd', ['-Bbn', user, password], { encoding: 'utf8' }).trim(),
    );
    const file = join(dir, 'htpasswd');
    writeFileSync(file, lines.join('\n') + '\n');
    return ['auth:', '  htpasswd:', '    realm: basic-realm', `    path: ${file}`].join('\n');
  }
  if (auth.kind === 'token') {
    return [
      'auth:',
      '  token:',
      `    realm: ${auth.realm}`,
      `    service: ${auth.service}`,
      `    issuer: ${auth.issuer}`,
      `    rootcertbundle: ${auth.rootCertBundle}`,
    ].join('\n');
  }
  return '';
}

async function waitUntilServing(url: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${logs()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const get = url.startsWith('https:') ? (u: string, cb: (res: http.IncomingMessage) => void) => https.get(u, { rejectUnauthorized: false }, cb) : http.get;
      const req = get(`${url}/v2/`, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(1000, () => req.destroy());
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not start on ${url}: ${logs()}`);
}

export async function startRegistry(auth: RegistryAuth = { kind: 'none' }, tls?: RegistryTls): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'jcrkit-registry-'));
  const storage = join(dir, 'storage');
  const port = await freePort();
  const configPath = join(dir, 'config.yml');
  writeFileSync(configPath, registryConfig(port, storage, authBlock(auth, dir), tls));
  const child = spawn(REGISTRY_BINARY, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  try {
    await waitUntilServing(url, child, () => stderr);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    url,
    storageDir: storage,
    stop: async () => {
      // A child killed by a signal keeps exitCode null: check both, or a second stop() would wait
      // for an 'exit' that already happened (and a caller awaiting it would silently never resume).
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
