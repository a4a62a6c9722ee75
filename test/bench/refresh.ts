/**
 * Refresh-run benchmark: one run over 200 namespaces against the fake Kubernetes API with 5 ms
 * added to every request (a nearby API server), with the default bounded concurrency (16).
 * Each namespace costs 4 requests (GET+POST/PUT Secret, GET+PATCH ServiceAccount), so a serial
 * run would take ≥ 4 s; the target is ≤ 2 s. Runnable alone: `node build/dev/test/bench/refresh.js`.
 */
import { createKubeClient } from '../../lib/kube/client';
import { jsonLineLogger } from '../../lib/refresher/logger';
import type { RefreshPlan } from '../../lib/model/refresh-plan';
import { Redactor } from '../../lib/core/redact';
import { DEFAULT_CONCURRENCY, runRefresh } from '../../lib/refresher/run';
import type { TokenSource } from '../../lib/refresher/token-source';
import { startFakeKubeApi } from '../fakes/kube/api-server';

const NAMESPACES = 200;
const LATENCY_MS = 5;
const TARGET_MS = 2000;

export async function runRefreshBench(): Promise<{ name: string; ms: number; note?: string }[]> {
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `bench-${String(i).padStart(3, '0')}`);
  const api = await startFakeKubeApi({ namespaces });
  for (const ns of namespaces) api.seed('serviceaccounts', { metadata: { name: 'default', namespace: ns } });
  api.setLatency(LATENCY_MS);
  const kube = createKubeClient({ server: api.url, namespace: 'default', source: 'bench' });
  let n = 0;
  // a token source that answers at once: the bench measures the Kubernetes side
  const tokens: TokenSource = { fetch: async () => ({ authorizationToken: Buffer.from(`jdcloud:bench-password-${++n}`).toString('base64'), expiresAt: String(Date.now() + 3600_000) }) };
  const plan: RefreshPlan = {
    registry: { name: 'bench', region: 'cn-north-1', host: 'bench-cn-north-1.jcr.service.jdcloud.com' },
    secretName: 'jcr-pull',
    namespaces,
    serviceAccounts: ['default'],
    tokenHours: 1,
    crService: 'cr',
    releaseSupersededTokens: false,
    verifyRegistry: false,
  };
  const rows: { name: string; ms: number; note?: string }[] = [];
  try {
    for (const phase of ['create', 'update']) {
      const redactor = new Redactor();
      const logger = jsonLineLogger({ write: () => undefined }, redactor);
      const before = api.requests.length;
      const t0 = process.hrtime.bigint();
      const report = await runRefresh(plan, { kube, tokens, logger, redactor });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (report.exitCode !== 0) throw new Error(`bench run failed: ${report.failedNamespaces.join(', ')}`);
      const requests = api.requests.length - before;
      rows.push({
        name: `refresh ${NAMESPACES} namespaces (${phase})`,
        ms,
        note: `${requests} requests, +${LATENCY_MS} ms each, concurrency ${DEFAULT_CONCURRENCY}; target ≤ ${TARGET_MS} ms${ms > TARGET_MS ? ' — MISSED' : ''}`,
      });
    }
  } finally {
    kube.close();
    await api.close();
  }
  return rows;
}

if (require.main === module) {
  runRefreshBench()
    .then((rows) => {
      for (const r of rows) process.stdout.write(`${r.name}: ${r.ms.toFixed(0)} ms (${r.note})\n`);
    })
    .catch((err) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exitCode = 1;
    });
}
