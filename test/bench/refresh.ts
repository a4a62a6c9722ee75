/**
 * Refresh-run benchmark: 200 namespaces against the fake Kubernetes API with 5 ms added to every
 * request (a nearby API server), default bounded concurrency (16), as ratios against
 * `kubectl apply` of the same 200 Secrets against the same kind of fake (kubeconfig pointing at
 * it, discovery cached in a temporary --cache-dir, --validate=false because the fake serves no
 * OpenAPI document):
 *
 *  - a run that mints: reads every Secret, a server-side dry run per namespace before the mint,
 *    then creates every Secret and patches every `default` ServiceAccount — target ≤ 0.2 of kubectl;
 *  - a run that mints nothing (the recorded token is fresh): reads only — target ≤ 0.1.
 *
 * kubectl applies one object after another (GET, a GET of the namespace, POST); the refresher
 * overlaps namespaces. The fake runs as a process of its own (kube-server.ts), so neither side
 * shares its event loop. Each figure is the median of 3 runs, each on a fresh fake.
 * Runnable alone: `node build/dev/test/bench/refresh.js`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKubeClient } from '../../lib/kube/client';
import { jsonLineLogger } from '../../lib/refresher/logger';
import type { RefreshPlan } from '../../lib/model/refresh-plan';
import { Redactor } from '../../lib/core/redact';
import { DEFAULT_CONCURRENCY, runRefresh, type RefreshReport } from '../../lib/refresher/run';
import type { TokenSource } from '../../lib/refresher/token-source';
import { median, type BenchRow } from './timing';

const NAMESPACES = 200;
const LATENCY_MS = 5;
const RUNS = 3;
const TARGET_MINT = 0.2;
const TARGET_NO_MINT = 0.1;

const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `bench-${String(i).padStart(3, '0')}`);
const HOST = 'bench-cn-north-1.jcr.service.jdcloud.com';

interface FakeProcess {
  url: string;
  close(): void;
}

/** A fresh fake with the 200 namespaces and their `default` ServiceAccounts, in a child process. */
function fakeCluster(): Promise<FakeProcess> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'kube-server.js'), String(NAMESPACES), String(LATENCY_MS)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout!.on('data', (b: Buffer) => {
      buf += b.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve({ url: (JSON.parse(buf.slice(0, nl)) as { url: string }).url, close: () => child.stdin!.end() });
    });
    child.on('error', reject);
    child.on('exit', (code) => code && reject(new Error(`fake API server exited with ${code}`)));
  });
}

/** kubectl apply of the 200 pull Secrets (created), wall time in ms. Async: the fake lives in this process. */
async function kubectlApply(dir: string): Promise<number> {
  const api = await fakeCluster();
  const check = createKubeClient({ server: api.url, namespace: 'default', source: 'bench' });
  try {
    const kubeconfig = join(dir, `kubeconfig-${new URL(api.url).port}`);
    writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts: [{name: c, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "${api.url}"}}]\nusers: [{name: u, user: {}}]\n`);
    const auth = Buffer.from('jdcloud:bench-password').toString('base64');
    const doc = Buffer.from(JSON.stringify({ auths: { [HOST]: { username: 'jdcloud', password: 'bench-password', auth } } })).toString('base64');
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: namespaces.map((ns) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'jcr-pull', namespace: ns }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': doc } })),
    };
    const file = join(dir, 'secrets.json');
    writeFileSync(file, JSON.stringify(list));
    const t0 = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) =>
      execFile('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'apply', '--validate=false', '-f', file], { maxBuffer: 16 * 1024 * 1024 }, (err, _out, stderr) =>
        err ? reject(new Error(`kubectl apply failed: ${stderr.split('\n')[0]}`)) : resolve(),
      ),
    );
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const created = await check.request<{ items: unknown[] }>('GET', '/api/v1/secrets');
    if (created.items.length !== NAMESPACES) throw new Error('kubectl apply did not create every Secret');
    return ms;
  } finally {
    check.close();
    api.close();
  }
}

/** One minting run then one reuse run on a fresh fake: [mint ms, no-mint ms, requests of each]. */
async function refreshPair(): Promise<{ mint: number; noMint: number; mintRequests: number; noMintRequests: number }> {
  const api = await fakeCluster();
  const kube = createKubeClient({ server: api.url, namespace: 'default', source: 'bench' });
  let n = 0;
  // a token source that answers at once: the bench measures the Kubernetes side
  const tokens: TokenSource = { fetch: async () => ({ authorizationToken: Buffer.from(`jdcloud:bench-password-${++n}`).toString('base64'), expiresAt: String(Date.now() + 3600_000) }) };
  const plan: RefreshPlan = {
    registry: { name: 'bench', region: 'cn-north-1', host: HOST },
    secretName: 'jcr-pull',
    namespaces,
    serviceAccounts: ['default'],
    serviceAccountNamespaces: namespaces,
    tokenHours: 1,
    renewBeforeMinutes: 30,
    refresherNamespace: 'default',
    crService: 'cr',
    releaseSupersededTokens: false,
    verifyRegistry: false,
  };
  let sent = 0;
  const request = kube.request.bind(kube);
  kube.request = ((...args: Parameters<typeof request>) => {
    sent++;
    return request(...args);
  }) as typeof kube.request;
  const once = async (): Promise<{ ms: number; report: RefreshReport; requests: number }> => {
    const redactor = new Redactor();
    const before = sent;
    const t0 = process.hrtime.bigint();
    const report = await runRefresh(plan, { kube, tokens, logger: jsonLineLogger({ write: () => undefined }, redactor), redactor });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (report.exitCode !== 0) throw new Error(`bench run failed: ${report.failedNamespaces.join(', ') || report.tokenError}`);
    return { ms, report, requests: sent - before };
  };
  try {
    const mint = await once();
    const noMint = await once();
    if (!mint.report.minted || noMint.report.minted) throw new Error('bench: expected one minting run, then one that mints nothing');
    return { mint: mint.ms, noMint: noMint.ms, mintRequests: mint.requests, noMintRequests: noMint.requests };
  } finally {
    kube.close();
    api.close();
  }
}

export async function runRefreshBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'jcrkit-bench-refresh-'));
  try {
    const kubectl: number[] = [];
    const mint: number[] = [];
    const noMint: number[] = [];
    let requests = { mint: 0, noMint: 0 };
    for (let i = 0; i < RUNS; i++) {
      kubectl.push(await kubectlApply(dir));
      const pair = await refreshPair();
      mint.push(pair.mint);
      noMint.push(pair.noMint);
      requests = { mint: pair.mintRequests, noMint: pair.noMintRequests };
    }
    const peer = median(kubectl);
    const row = (name: string, ms: number, target: number, note: string): BenchRow => {
      const ratio = ms / peer;
      // both sides share the machine's CPU with whatever else runs: the 1-minute load average says how much
      const load = `load ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`;
      return { name, jcrkitMs: ms, peerMs: peer, ratio, target: `<= ${target}x`, met: ratio <= target, note: `${note}; peer kubectl apply of the same ${NAMESPACES} Secrets; ${load}` };
    };
    return [
      row(`refresh ${NAMESPACES} namespaces, minting`, median(mint), TARGET_MINT, `${requests.mint} requests (+${LATENCY_MS} ms each), concurrency ${DEFAULT_CONCURRENCY}`),
      row(`refresh ${NAMESPACES} namespaces, no mint`, median(noMint), TARGET_NO_MINT, `${requests.noMint} requests, reads only`),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runRefreshBench()
    .then((rows) => {
      for (const r of rows) process.stdout.write(`${r.name}: ${r.jcrkitMs!.toFixed(0)} ms vs ${r.peerMs!.toFixed(0)} ms = ${r.ratio!.toFixed(3)}, target ${r.target}${r.met ? '' : ' MISSED'} (${r.note})\n`);
    })
    .catch((err) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exitCode = 1;
    });
}
