/**
 * Interrupting `jcrkit mirror`: in a pseudo-terminal (util-linux `script`) so cli-progress really
 * hides the cursor and turns off line wrap, and in a pipe with SIGTERM. A fault proxy stalls the
 * blob download so the signal always lands mid-transfer; another one in front of the destination
 * sees the upload session closed (DELETE on its URL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { JCRKIT_BIN, ROOT, cleanEnv } from '../helpers/cli';
import { startFaultProxy, type FaultProxy } from '../fakes/registry/fault-proxy';
import { buildImage, pushImage } from '../fakes/registry/images';
import { startRegistry, type LocalRegistry } from '../fakes/registry/process';

let source: LocalRegistry;
let destination: LocalRegistry;
let stalling: FaultProxy;
let watching: FaultProxy;

beforeAll(async () => {
  [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
  [stalling, watching] = await Promise.all([startFaultProxy(source), startFaultProxy(destination)]);
  await pushImage(source.url, 'big/app', 'v1', buildImage({ platforms: ['linux/amd64'], layers: 2, layerSize: 256 * 1024 }));
  await pushImage(source.url, 'small/app', 'v1', buildImage({ platforms: ['linux/amd64'], layers: 1 }));
});
afterAll(async () => Promise.all([source?.stop(), destination?.stop(), stalling?.stop(), watching?.stop()]));
beforeEach(() => {
  stalling.clearFaults();
  stalling.clearLog();
  watching.clearLog();
  // every layer download of big/app starts and then hangs
  stalling.addFault((r) => r.method === 'GET' && r.path.startsWith('/v2/big/app/blobs/'), { kind: 'stall' });
});

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function collect(child: ChildProcess): { out: () => string; exit: Promise<number | null> } {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  return { out: () => out, exit: new Promise((resolve) => child.on('close', (code) => resolve(code))) };
}

/** The pid of `script`'s child (the shell execs node, so it is node). */
function childOf(pid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return children ? Number(children.split(/\s+/)[0]) : undefined;
  } catch {
    return undefined;
  }
}

const mirrorArgs = (tag: string) => ['mirror', '--insecure', `${stalling.host}/big/app:v1`, `${watching.host}/int/big:${tag}`];

test('SIGINT on a terminal: upload sessions closed, cursor shown and line wrap back on, what was not done, exit 130', async () => {
  const command = [process.execPath, JCRKIT_BIN, ...mirrorArgs('tty')].map((a) => `'${a}'`).join(' ');
  const script = spawn('script', ['-qefc', `exec ${command}`, '/dev/null'], { cwd: ROOT, env: { ...cleanEnv(), SHELL: '/bin/sh', TERM: 'xterm', COLUMNS: '100' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const run = collect(script);
  await until('the stalled downloads', () => stalling.log.filter((e) => e.fault === 'stall').length >= 1);
  await until('a progress bar (cursor hidden)', () => run.out().includes('\x1b[?25l'));
  const node = childOf(script.pid!);
  expect(node).toBeDefined();
  process.kill(node!, 'SIGINT');
  const code = await run.exit;
  script.stdin?.end();
  const out = run.out();

  expect(code).toBe(130);
  const hidden = out.lastIndexOf('\x1b[?25l');
  expect(out.indexOf('\x1b[?25h', hidden)).toBeGreaterThan(hidden); // cursor shown again
  expect(out.indexOf('\x1b[?7h', hidden)).toBeGreaterThan(hidden); // auto-wrap back on
  expect(out).toContain('SIGINT: stopping');
  expect(out).toMatch(/interrupted by SIGINT: 0 of 1 images done; not done: .*big\/app:v1/);
  expect(out).toMatch(/cancelled/);
  const uploads = watching.log.filter((e) => e.method === 'POST' && e.path.includes('/blobs/uploads/'));
  const closed = watching.log.filter((e) => e.method === 'DELETE' && e.path.includes('/blobs/uploads/'));
  expect(uploads.length).toBeGreaterThan(0);
  expect(closed).toHaveLength(uploads.length);
  expect(watching.log.some((e) => e.method === 'PUT' && e.path.includes('/manifests/'))).toBe(false); // nothing tagged
});

test('SIGTERM in a pipe with --output json: the report still comes out, done and not done, exit 130', async () => {
  const child = spawn(process.execPath, [JCRKIT_BIN, 'mirror', '--insecure', '--output', 'json', '--jobs', '1', '--file', '-'], { cwd: ROOT, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdin.end(`${stalling.host}/small/app:v1 ${watching.host}/int/small:v1\n${stalling.host}/big/app:v1 ${watching.host}/int/big:pipe\n${stalling.host}/small/app:v1 ${watching.host}/int/later:v1\n`);
  await until('the stalled download', () => stalling.log.some((e) => e.fault === 'stall')).catch((err: Error) => {
    throw new Error(`${err.message}; stderr so far: ${stderr}; stdout: ${stdout}`);
  });
  child.kill('SIGTERM');
  expect(await exit).toBe(130);
  const report = JSON.parse(stdout);
  expect(report.images.map((i: { status: string }) => i.status)).toEqual(['copied', 'cancelled', 'cancelled']);
  expect(report.ok).toBe(false);
  expect(stderr).toMatch(/^SIGTERM: stopping/m);
  expect(stderr).toMatch(/interrupted by SIGTERM: 1 of 3 images done \(.*int\/small:v1\); not done: .*big\/app:v1, .*small\/app:v1/);
});
