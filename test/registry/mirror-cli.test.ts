/**
 * `jcrkit mirror`: flags to options, report output (table / JSON), error lines with a fix, exit
 * codes. The handler is called directly; one test parses a real command line with yargs in a child
 * process (yargs 18 is ESM-only, which jest's CommonJS runtime can't load).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { mirrorCommand, type MirrorArgs } from '../../lib/cli/commands/mirror';
import { mirrorHandler, type MirrorIo } from '../../lib/cli/handlers/mirror';
import type { MirrorReport } from '../../lib/registry';
import { runCli } from '../helpers/cli';
import { startRegistry, type LocalRegistry } from '../fakes/registry/process';
import { buildImage, getManifest, pushImage, sha256, type TestImage } from '../fakes/registry/images';

let work: string;
let source: LocalRegistry;
let destination: LocalRegistry;
let image: TestImage;
let n = 0;

const USER = 'carol';
const PASSWORD = 'pa55-word-stdin';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'jcrkit-mirror-cli-'));
  [source, destination] = await Promise.all([startRegistry(), startRegistry({ kind: 'htpasswd', users: { [USER]: PASSWORD } })]);
  image = buildImage({ platforms: ['linux/amd64', 'linux/arm64'], layers: 1 });
  await pushImage(source.url, 'src/app', 'v1', image);
});

afterAll(async () => {
  await Promise.all([source?.stop(), destination?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

/** stderr without the per-image progress lines a pipe gets (… start, ✓/✗ end). */
export function withoutProgress(stderr: string): string {
  return stderr.split(/(?<=\n)/).filter((l) => !/^(… |✓ |✗ |– )/.test(l)).join('');
}

function capture(extra: Partial<MirrorIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: MirrorIo = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s), isTTY: false },
    engine: { authFile: false, sleep: async () => undefined },
    ...extra,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

function args(extra: Partial<MirrorArgs> = {}): MirrorArgs {
  return {
    src: `${source.host}/src/app:v1`,
    dst: `${destination.host}/cli/app${++n}:v1`,
    jobs: 4,
    retries: 4,
    insecure: true,
    'dest-creds': `${USER}:${PASSWORD}`,
    output: 'text',
    ...extra,
  };
}

test('the command module declares `mirror [src] [dst]` with every documented flag', () => {
  const declared: string[] = [];
  const recorder: Record<string, unknown> = {};
  for (const method of ['positional', 'option', 'example']) {
    recorder[method] = (name: string) => {
      if (method !== 'example') declared.push(name);
      return recorder;
    };
  }
  (mirrorCommand.builder as (y: unknown) => unknown)(recorder);

  expect(mirrorCommand.command).toBe('mirror [src] [dst]');
  expect(declared).toEqual(
    expect.arrayContaining(['src', 'dst', 'platform', 'jobs', 'insecure', 'src-insecure', 'dest-insecure', 'src-creds', 'dest-creds', 'src-password-stdin', 'dest-password-stdin', 'authfile', 'dry-run', 'output', 'retries', 'from-config', 'config', 'endpoint']),
  );
});

test('--output json prints exactly the report as JSON on stdout and nothing else', async () => {
  const c = capture();
  const code = await mirrorHandler(args({ output: 'json' }), c.io);

  expect(code).toBe(0);
  expect(c.stderr()).toBe('');
  const report = JSON.parse(c.stdout()) as MirrorReport;
  expect(Object.keys(report).sort()).toEqual(['dryRun', 'images', 'ok', 'totals']);
  expect(report.ok).toBe(true);
  expect(report.images).toHaveLength(1);
  expect(report.images[0]).toEqual({
    source: `${source.host}/src/app:v1`,
    destination: expect.stringMatching(new RegExp(`^${destination.host}/cli/app\\d+:v1$`)),
    status: 'copied',
    digest: image.top.digest,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    platforms: expect.arrayContaining(['linux/amd64', 'linux/arm64']),
    manifests: { copied: 2, skipped: 0 },
    blobs: { copied: image.blobs.length, mounted: 0, skipped: 0 },
    bytes: image.blobs.reduce((s, b) => s + b.bytes.length, 0),
    durationMs: expect.any(Number),
  });
  expect(report.totals).toMatchObject({ images: 1, copied: 1, failed: 0, blobs: { copied: image.blobs.length } });
});

test('text output is a summary table with the short digest', async () => {
  const c = capture();
  const code = await mirrorHandler(args(), c.io);

  expect(code).toBe(0);
  const [header, row, ...rest] = c.stdout().trimEnd().split('\n');
  expect(rest).toEqual([]);
  expect(header.split(/\s+/)).toEqual(['IMAGE', 'DESTINATION', 'PLATFORMS', 'COPIED', 'MOUNTED', 'SKIPPED', 'BYTES', 'TIME', 'DIGEST', 'STATUS']);
  expect(row).toContain(`${source.host}/src/app:v1`);
  expect(row).toContain(image.top.digest.slice(0, 'sha256:'.length + 12));
  expect(row).toMatch(/copied$/);
});

test('on a terminal, progress goes to stderr (bars and a line per image); stdout still has only the table', async () => {
  let drawn = '';
  const terminal = Object.assign(
    new Writable({
      write(chunk: Buffer, _e, cb) {
        drawn += chunk.toString();
        cb();
      },
    }),
    { isTTY: true, columns: 120 },
  );
  const out: string[] = [];
  const a = args();
  const code = await mirrorHandler(a, { stdout: { write: (s: string) => out.push(s) }, stderr: terminal, engine: { authFile: false } });

  expect(code).toBe(0);
  expect(drawn).toContain(`✓ ${a.src} -> ${a.dst} (copied: ${image.blobs.length} copied, 0 mounted, 0 skipped`);
  expect(out.join('')).toMatch(/^IMAGE\s+DESTINATION/);
  expect(out.join('')).not.toContain('✓');
});

test('--dry-run lists what would be copied and writes nothing', async () => {
  const a = args({ 'dry-run': true });
  const c = capture();
  const code = await mirrorHandler(a, c.io);

  expect(code).toBe(0);
  const text = c.stdout();
  expect(text.match(/would copy blob sha256:/g)).toHaveLength(image.blobs.length);
  expect(text.match(/would push manifest sha256:/g)).toHaveLength(3);
  expect(text).toMatch(/planned\n$/);
  const repo = a.dst!.slice(destination.host.length + 1, -3);
  expect((await getManifest(destination.url, repo, 'v1', `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`)).status).toBe(404);
});

test('an auth failure is one error line naming the image, the registry and the flags to use; exit 1', async () => {
  const a = args({ 'dest-creds': undefined });
  const c = capture();
  const code = await mirrorHandler(a, c.io);

  expect(code).toBe(1);
  const lines = withoutProgress(c.stderr()).trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toBe(
    `error: mirror of ${a.src} to ${a.dst} failed: registry ${destination.host} requires credentials and none were found (HTTP 401 Unauthorized); ` +
      `pass credentials for ${destination.host} with --dest-creds USER:PASSWORD (or --dest-creds USER --dest-password-stdin), --authfile FILE, or log in with \`docker login ${destination.host}\``,
  );
  expect(c.stdout()).toMatch(/failed\n$/);
});

test('--dest-password-stdin takes the password from stdin, and it never shows in output', async () => {
  const asked: string[] = [];
  const c = capture({
    readPassword: async (what) => {
      asked.push(what);
      return PASSWORD;
    },
  });
  const code = await mirrorHandler(args({ 'dest-creds': USER, 'dest-password-stdin': true, output: 'json' }), c.io);

  expect(code).toBe(0);
  expect(asked).toEqual(['--dest-password-stdin']);
  expect(c.stdout() + c.stderr()).not.toContain(PASSWORD);
});

test.each([
  [{ jobs: 0 }, '--jobs must be a whole number of at least 1, got 0'],
  [{ 'dest-creds': 'no-colon' }, '--dest-creds must be USER:PASSWORD (or USER together with --dest-password-stdin)'],
  [{ 'src-password-stdin': true, 'dest-password-stdin': true }, 'stdin can carry only one password'],
  [{ 'dest-creds': 'u:p', 'dest-password-stdin': true }, '--dest-password-stdin needs --dest-creds USER (the user name only)'],
])('usage errors exit 2 with one line: %p', async (extra, message) => {
  const c = capture();
  expect(await mirrorHandler(args(extra as Partial<MirrorArgs>), c.io)).toBe(2);
  expect(c.stderr()).toContain(`error: ${message}`);
  expect(c.stdout()).toBe('');
});

test('a real command line (the jcrkit CLI as a child process): flags, password on stdin, JSON, exit code', async () => {
  const dst = `${destination.host}/cli/yargs:v1`;
  const ok = await runCli(
    ['mirror', `${source.host}/src/app:v1`, dst, '--insecure', '--dest-creds', USER, '--dest-password-stdin', '-o', 'json', '-j', '2', '--platform', 'linux/arm64', '--authfile', join(work, 'none.json')],
    { input: `${PASSWORD}\n` },
  );

  expect(ok.stderr).toBe('');
  expect(ok.code).toBe(0);
  const report = JSON.parse(ok.stdout) as MirrorReport;
  const arm = image.manifests.find((m) => m.platform === 'linux/arm64')!;
  expect(report.images[0]).toMatchObject({ status: 'copied', digest: arm.digest, platforms: ['linux/arm64'] });
  const stored = await getManifest(destination.url, 'cli/yargs', 'v1', `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
  expect(sha256(stored.body)).toBe(arm.digest);

  const failed = await runCli(['mirror', `${source.host}/src/nope:v1`, `${destination.host}/cli/nope:v1`, '--src-insecure', '--dest-insecure', '--dest-creds', `${USER}:${PASSWORD}`]);
  expect(failed.code).toBe(1);
  expect(withoutProgress(failed.stderr)).toMatch(/^error: mirror of 127\.0\.0\.1:\d+\/src\/nope:v1 to 127\.0\.0\.1:\d+\/cli\/nope:v1 failed: manifest src\/nope:v1 not found on 127\.0\.0\.1:\d+ \(manifest_unknown: manifest unknown\)\n$/);
});
