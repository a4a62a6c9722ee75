/**
 * Mirror benchmark: `jcrkit mirror` (bin/jcrkit.js, the bundled CLI, as users run it) against
 * `skopeo copy --all` between two local distribution registries, both as fresh processes in the
 * same run.
 *
 * - cold copy of a 2-platform image, 4 × 16 MiB random layers per platform (128 MiB), median of 3;
 *   every repetition gets fresh destination registries so neither tool can reuse earlier uploads
 *   (skopeo's blob-info cache would otherwise mount from the previous repetition);
 * - no-op re-run of the same copy (jcrkit: two manifest HEADs; skopeo copy re-reads and re-pushes
 *   manifests — only `skopeo sync` skips unchanged images);
 * - one 256 MiB layer: peak RSS of each process (streaming: memory must not follow size).
 * - four images of one 256 MiB layer each: one `jcrkit mirror --file` call (images copied
 *   concurrently) against four sequential `skopeo copy --all` (target ≤ 0.6×), median of 3, fresh
 *   destinations each time. On one machine both tools are bound by the destination registry's
 *   ingest (its CPU and disk), which concurrency can't speed up; so also
 * - four images of 64 MiB from a source whose downloads are capped at 16 MiB/s per connection (a
 *   distant registry), the case concurrency is for.
 *
 * Layers are real gzip streams (level 0) so skopeo passes them through instead of recompressing.
 * Runnable alone: `node build/dev/test/bench/mirror.js`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform, pipeline, type TransformCallback } from 'node:stream';
import { createGzip } from 'node:zlib';
import { RegistryClient } from '../../lib/registry';
import { pushBlobStream } from '../fakes/registry/push-blob-stream';
import { startRegistry, type LocalRegistry } from '../fakes/registry/process';
import { JCRKIT, benchEnv, median, ratioRow, type BenchRow } from './timing';

export type { BenchRow };

const MiB = 1024 * 1024;
const REPS = 3;
const COLD_MAX_RATIO = 1.0;
const NOOP_MAX_RATIO = 1.5;
const MAX_RSS_MB = 150;
const MANY_MAX_RATIO = 0.6;
/** An empty HOME: no ~/.docker/config.json of the person running the bench. */
const HOME = mkdtempSync(join(tmpdir(), 'jcrkit-bench-mirror-home-'));

interface ProcessRun {
  ms: number;
  peakRssMiB: number;
  stdout: string;
}

/** Peak RSS of a process: its VmHWM, polled until it exits (the last reading is the peak). */
function runMeasured(command: string, args: string[]): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: benchEnv({ HOME }) });
    let stdout = '';
    let stderr = '';
    let peakKiB = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
      } catch {
        // exited between polls
      }
    }, 5);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ ms, peakRssMiB: peakKiB / 1024, stdout });
    });
  });
}

/**
 * Let the machine go quiet before a timed run: a cold copy leaves ~128 MiB of dirty pages being
 * written back, which otherwise slows the next process's start-up (node's much more than skopeo's).
 */
async function settle(): Promise<void> {
  execFileSync('sync');
  await new Promise((resolve) => setTimeout(resolve, 300));
}

async function jcrkitCopy(source: string, destination: string): Promise<ProcessRun> {
  await settle();
  return runMeasured(process.execPath, [JCRKIT, 'mirror', '--insecure', '--output', 'json', source, destination]);
}

/** The report `jcrkit mirror --output json` printed: the one image's status and the engine's own time. */
function mirrorReport(run: ProcessRun): { status: string; ms: number } {
  const report = JSON.parse(run.stdout) as { images: Array<{ status: string }>; totals: { durationMs: number } };
  return { status: report.images[0].status, ms: report.totals.durationMs };
}

/** The CLI with any arguments (`--file LIST`). */
async function jcrkitCli(args: string[]): Promise<ProcessRun> {
  await settle();
  return runMeasured(process.execPath, [JCRKIT, ...args]);
}

async function skopeoCopy(source: string, destination: string): Promise<ProcessRun> {
  await settle();
  return runMeasured('skopeo', ['--insecure-policy', 'copy', '--all', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${source}`, `docker://${destination}`]);
}

/** Random bytes, gzip-wrapped (level 0: fast, incompressible anyway), generated as they are read. */
function randomGzipLayer(bytes: number): { stream: Readable; diffId: () => string } {
  let left = bytes;
  const raw = createHash('sha256');
  const random = new Readable({
    read() {
      if (left <= 0) {
        this.push(null);
        return;
      }
      const chunk = randomBytes(Math.min(left, MiB));
      left -= chunk.length;
      raw.update(chunk);
      this.push(chunk);
    },
  });
  let diffId = '';
  const done = new Transform({
    transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback) {
      cb(null, chunk);
    },
    flush(cb) {
      diffId = `sha256:${raw.digest('hex')}`;
      cb();
    },
  });
  return { stream: pipeline(random, createGzip({ level: 0 }), done, () => undefined), diffId: () => diffId };
}

/** Push an image straight from generated streams (never held in memory) with jcrkit's client. */
async function seedImage(registry: LocalRegistry, repository: string, tag: string, platforms: string[], layers: number, layerBytes: number): Promise<void> {
  const client = new RegistryClient({ registry: registry.host, access: 'push', insecure: true });
  const manifestType = 'application/vnd.oci.image.manifest.v1+json';
  const children: Array<{ mediaType: string; digest: string; size: number; platform: { os: string; architecture: string } }> = [];
  try {
    for (const platform of platforms) {
      const [os, architecture] = platform.split('/');
      const layerDescriptors = [];
      const diffIds = [];
      for (let i = 0; i < layers; i++) {
        const layer = randomGzipLayer(layerBytes);
        const pushed = await pushBlobStream(client, repository, layer.stream);
        layerDescriptors.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...pushed });
        diffIds.push(layer.diffId());
      }
      const config = Buffer.from(JSON.stringify({ architecture, os, rootfs: { type: 'layers', diff_ids: diffIds } }));
      const configBlob = await pushBlobStream(client, repository, Readable.from([config]));
      const manifest = Buffer.from(
        JSON.stringify({ schemaVersion: 2, mediaType: manifestType, config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...configBlob }, layers: layerDescriptors }),
      );
      const digest = await client.putManifest(repository, platforms.length > 1 ? `sha256:${createHash('sha256').update(manifest).digest('hex')}` : tag, manifest, manifestType);
      children.push({ mediaType: manifestType, digest, size: manifest.length, platform: { os, architecture } });
    }
    if (platforms.length > 1) {
      const indexType = 'application/vnd.oci.image.index.v1+json';
      await client.putManifest(repository, tag, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: indexType, manifests: children })), indexType);
    }
  } finally {
    client.close();
  }
}

function row(name: string, jcrkit: number[], peer: number[], maxRatio: number, note: string): BenchRow {
  return ratioRow(name, median(jcrkit), median(peer), maxRatio, note);
}

/**
 * Four images of one 256 MiB layer: `jcrkit mirror --file` (4 at once, the default --jobs) against
 * four `skopeo copy --all` one after another — what a user with a list would otherwise script.
 */
export async function runManyImagesBench(source: LocalRegistry, fresh: () => Promise<LocalRegistry>): Promise<BenchRow> {
  const names = ['a', 'b', 'c', 'd'];
  for (const name of names) {
    process.stderr.write(`bench: mirror: seeding many-${name}\n`);
    await seedImage(source, `bench/many-${name}`, 'v1', ['linux/amd64'], 1, 256 * MiB);
  }
  const dir = mkdtempSync(join(tmpdir(), 'jcrkit-bench-many-'));
  const jcrkitMs: number[] = [];
  const skopeoMs: number[] = [];
  try {
    for (let rep = 0; rep < REPS; rep++) {
      const [forJcrkit, forSkopeo] = await Promise.all([fresh(), fresh()]);
      const list = join(dir, `list-${rep}.txt`);
      writeFileSync(list, names.map((n) => `${source.host}/bench/many-${n}:v1 ${forJcrkit.host}/mirror/many-${n}:v1`).join('\n') + '\n');
      const jcrkitRun = async () => {
        process.stderr.write(`bench: mirror: jcrkit --file, rep ${rep + 1}\n`);
        const run = await jcrkitCli(['mirror', '--insecure', '--output', 'json', '--file', list]);
        const report = JSON.parse(run.stdout) as { ok: boolean; totals: { copied: number } };
        if (!report.ok || report.totals.copied !== names.length) throw new Error(`jcrkit --file did not copy all four: ${run.stdout}`);
        jcrkitMs.push(run.ms);
      };
      const skopeoRun = async () => {
        // the four processes' own times (settle() before each is not counted, as for jcrkit)
        let total = 0;
        for (const n of names) total += (await skopeoCopy(`${source.host}/bench/many-${n}:v1`, `${forSkopeo.host}/mirror/many-${n}:v1`)).ms;
        skopeoMs.push(total);
      };
      if (rep % 2 === 0) {
        await jcrkitRun();
        await skopeoRun();
      } else {
        await skopeoRun();
        await jcrkitRun();
      }
      await Promise.all([forJcrkit.stop(), forSkopeo.stop()]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return row('jcrkit mirror --file, 4 images × 256 MiB vs 4 sequential skopeo copy --all', jcrkitMs, skopeoMs, MANY_MAX_RATIO, `median of ${REPS}, fresh destinations; --jobs 4; local registries: bound by the destination's ingest`);
}

/**
 * A TCP relay that caps each connection's downloads at `bytesPerSecond` — how a registry
 * across the internet (a Docker Hub mirror seen from China) behaves: per-connection throughput is
 * bounded by latency and the TCP window, not by the machine. Both tools go through it.
 */
async function startThrottle(target: { port: number }, bytesPerSecond: number): Promise<{ host: string; stop(): Promise<void> }> {
  const throttled = () =>
    new Transform({
      transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback) {
        setTimeout(() => cb(null, chunk), (chunk.length / bytesPerSecond) * 1000);
      },
    });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    // downloads are what a distant registry limits; each direction ends on its own (half-close)
    client.pipe(upstream);
    upstream.pipe(throttled()).pipe(client);
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Four 64 MiB images from a source whose downloads are capped at 16 MiB/s per connection: where concurrency pays. */
export async function runThrottledBench(source: LocalRegistry, fresh: () => Promise<LocalRegistry>): Promise<BenchRow> {
  const names = ['w', 'x', 'y', 'z'];
  for (const name of names) await seedImage(source, `bench/wan-${name}`, 'v1', ['linux/amd64'], 1, 64 * MiB);
  const throttle = await startThrottle(source, 16 * MiB);
  const dir = mkdtempSync(join(tmpdir(), 'jcrkit-bench-wan-'));
  const jcrkitMs: number[] = [];
  const skopeoMs: number[] = [];
  try {
    for (let rep = 0; rep < REPS; rep++) {
      process.stderr.write(`bench: mirror: throttled source, rep ${rep + 1}\n`);
      const [forJcrkit, forSkopeo] = await Promise.all([fresh(), fresh()]);
      const list = join(dir, `list-${rep}.txt`);
      writeFileSync(list, names.map((n) => `${throttle.host}/bench/wan-${n}:v1 ${forJcrkit.host}/mirror/wan-${n}:v1`).join('\n') + '\n');
      jcrkitMs.push((await jcrkitCli(['mirror', '--insecure', '--output', 'json', '--file', list])).ms);
      let total = 0;
      for (const n of names) total += (await skopeoCopy(`${throttle.host}/bench/wan-${n}:v1`, `${forSkopeo.host}/mirror/wan-${n}:v1`)).ms;
      skopeoMs.push(total);
      await Promise.all([forJcrkit.stop(), forSkopeo.stop()]);
    }
  } finally {
    await throttle.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return row('jcrkit mirror --file, 4 images × 64 MiB, downloads capped at 16 MiB/s per connection, vs 4 sequential skopeo', jcrkitMs, skopeoMs, MANY_MAX_RATIO, `median of ${REPS}; models a distant registry: per-connection, not machine, bound`);
}

export async function runMirrorBench(): Promise<BenchRow[]> {
  const source = await startRegistry();
  const started: LocalRegistry[] = [source];
  const fresh = async () => {
    const r = await startRegistry();
    started.push(r);
    return r;
  };
  try {
    await seedImage(source, 'bench/multi', 'v1', ['linux/amd64', 'linux/arm64'], 4, 16 * MiB);
    await seedImage(source, 'bench/big', 'v1', ['linux/amd64'], 1, 256 * MiB);
    const multi = `${source.host}/bench/multi:v1`;
    const big = `${source.host}/bench/big:v1`;

    const cold = { jcrkit: [] as number[], skopeo: [] as number[] };
    const noop = { jcrkit: [] as number[], skopeo: [] as number[], jcrkitWork: [] as number[] };
    let jcrkitDestination = '';
    let skopeoDestination = '';
    for (let rep = 0; rep < REPS; rep++) {
      const [forJcrkit, forSkopeo] = await Promise.all([fresh(), fresh()]);
      jcrkitDestination = `${forJcrkit.host}/mirror/multi:v1`;
      skopeoDestination = `${forSkopeo.host}/mirror/multi:v1`;
      // alternate who goes first so page-cache warmth doesn't favour one tool
      if (rep % 2 === 0) {
        cold.jcrkit.push((await jcrkitCopy(multi, jcrkitDestination)).ms);
        cold.skopeo.push((await skopeoCopy(multi, skopeoDestination)).ms);
      } else {
        cold.skopeo.push((await skopeoCopy(multi, skopeoDestination)).ms);
        cold.jcrkit.push((await jcrkitCopy(multi, jcrkitDestination)).ms);
      }
    }
    for (let rep = 0; rep < REPS; rep++) {
      const run = await jcrkitCopy(multi, jcrkitDestination);
      const child = mirrorReport(run);
      if (child.status !== 'unchanged') throw new Error(`no-op re-run was not a no-op: ${run.stdout}`);
      noop.jcrkit.push(run.ms);
      noop.jcrkitWork.push(child.ms);
      noop.skopeo.push((await skopeoCopy(multi, skopeoDestination)).ms);
    }

    const [bigForJcrkit, bigForSkopeo] = await Promise.all([fresh(), fresh()]);
    const jcrkitBig = await jcrkitCopy(big, `${bigForJcrkit.host}/mirror/big:v1`);
    const skopeoBig = await skopeoCopy(big, `${bigForSkopeo.host}/mirror/big:v1`);

    return [
      row('jcrkit mirror 2 platforms × 4 × 16 MiB, cold vs skopeo copy --all', cold.jcrkit, cold.skopeo, COLD_MAX_RATIO, `median of ${REPS}, fresh destination each time; jcrkit --jobs 4`),
      row(
        'jcrkit mirror, the same image again (no-op) vs skopeo copy --all',
        noop.jcrkit,
        noop.skopeo,
        NOOP_MAX_RATIO,
        `median of ${REPS}; jcrkit: 2 manifest HEADs (${median(noop.jcrkitWork).toFixed(0)} ms of work, the rest is start-up), nothing written`,
      ),
      {
        name: 'jcrkit mirror 1 × 256 MiB layer: peak RSS',
        jcrkitMs: jcrkitBig.ms,
        peerMs: skopeoBig.ms,
        ratio: jcrkitBig.ms / skopeoBig.ms,
        target: `<= ${MAX_RSS_MB} MB`,
        met: jcrkitBig.peakRssMiB * 1.048576 <= MAX_RSS_MB,
        note: `peak RSS jcrkit ${(jcrkitBig.peakRssMiB * 1.048576).toFixed(0)} MB, skopeo ${(skopeoBig.peakRssMiB * 1.048576).toFixed(0)} MB (times: jcrkit, skopeo copy)`,
      },
      await runManyImagesBench(source, fresh),
      await runThrottledBench(source, fresh),
    ];
  } finally {
    await Promise.all(started.map((r) => r.stop()));
  }
}

if (require.main === module) {
  runMirrorBench().then(
    (rows) => console.table(rows),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
