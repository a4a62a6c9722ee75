/**
 * Test harness for refresher runs: a fake Kubernetes API and a fake JD Cloud (signature-checking)
 * side by side, the real JdcloudClient-based TokenSource, captured output, and a scan of that
 * output for every secret the run could have leaked.
 */
import { createKubeClient, type KubeClient } from '../../lib/kube/client';
import { jdcloudTokenSource } from '../../lib/refresher/jdcloud-token-source';
import { jsonLineLogger } from '../../lib/refresher/logger';
import type { RefreshPlan } from '../../lib/model/refresh-plan';
import { Redactor } from '../../lib/core/redact';
import { runRefresh, type RefreshDeps, type RefreshOptions, type RefreshReport } from '../../lib/refresher/run';
import type { TokenSource } from '../../lib/refresher/token-source';
import { startFakeJdcloud, type FakeJdcloud } from '../fakes/jdcloud/server';
import { startFakeKubeApi, type FakeKubeApi, type FakeKubeApiOptions, type RecordedRequest } from '../fakes/kube/api-server';
import type { FakeSettings } from '../fakes/jdcloud/state';
import { TestClock } from '../fakes/clock';

import { TEST_ACCESS_KEY as AK, TEST_SECRET_KEY as SK, TEST_REGION as REGION } from '../fakes/credentials';
export { TEST_ACCESS_KEY as AK, TEST_SECRET_KEY as SK, TEST_REGION as REGION } from '../fakes/credentials';
export const REGISTRY = 'myreg';
export const HOST = `${REGISTRY}-${REGION}.jcr.service.jdcloud.com`;

export function testPlan(overrides: Partial<RefreshPlan> = {}): RefreshPlan {
  const namespaces = overrides.namespaces ?? ['ns-a', 'ns-b', 'ns-c'];
  return {
    registry: { name: REGISTRY, region: REGION, host: HOST },
    secretName: 'jcr-pull',
    namespaces,
    serviceAccounts: ['default'],
    serviceAccountNamespaces: namespaces,
    tokenHours: 6,
    renewBeforeMinutes: 180,
    refresherNamespace: 'default',
    crService: 'cr',
    releaseSupersededTokens: false,
    verifyRegistry: false,
    ...overrides,
  };
}

export interface Harness {
  kubeApi: FakeKubeApi;
  jd: FakeJdcloud;
  kube: KubeClient;
  tokens: TokenSource;
  /** everything printed by all runs so far */
  output: string[];
  clock: TestClock;
  run(plan: RefreshPlan, deps?: Partial<RefreshDeps>, opts?: RefreshOptions): Promise<RefreshReport>;
  /** writes that changed state: no dry runs, no Events */
  stateWrites(): RecordedRequest[];
  /** GetAuthorizationToken calls answered 200 */
  mints(): number;
  /** log lines of all runs, parsed */
  lines(): Record<string, unknown>[];
  /** every credential string that must never be printed: AK/SK, every token issued, its password and base64(user:pass) */
  secrets(): string[];
  close(): Promise<void>;
}

export async function startHarness(
  opts: { kube?: FakeKubeApiOptions; kubeToken?: string; namespaces?: string[]; clock?: TestClock; jdSettings?: Partial<FakeSettings> } = {},
): Promise<Harness> {
  const clock = opts.clock ?? new TestClock();
  const kubeApi = await startFakeKubeApi({ namespaces: opts.namespaces ?? ['default', 'ns-a', 'ns-b', 'ns-c'], ...opts.kube });
  const jd = await startFakeJdcloud({ accounts: { [AK]: SK }, registries: [{ regionId: REGION, name: REGISTRY }], now: clock.now, settings: opts.jdSettings });
  const token = opts.kubeToken;
  const kube = createKubeClient({ server: kubeApi.url, namespace: 'default', source: 'test', bearerToken: token ? () => token : undefined });
  const tokens = jdcloudTokenSource({
    accessKey: AK,
    secretKey: SK,
    regionId: REGION,
    registryName: REGISTRY,
    endpoint: jd.url,
    client: { sleep: async () => undefined, now: clock.now },
  });
  const output: string[] = [];
  const h: Harness = {
    kubeApi,
    jd,
    kube,
    tokens,
    output,
    clock,
    run: (plan, deps = {}, runOpts = {}) => {
      const redactor = deps.redactor ?? new Redactor().add(AK).add(SK);
      return runRefresh(
        plan,
        { kube, tokens, redactor, logger: jsonLineLogger({ write: (s) => output.push(s) }, redactor, clock.now), now: clock.now, retry: { sleep: async () => undefined }, ...deps },
        runOpts,
      );
    },
    stateWrites: () => kubeApi.writes().filter((r) => !r.dryRun && r.resource !== 'events'),
    mints: () => jd.requests.filter((r) => r.action === 'GetAuthorizationToken' && r.status === 200).length,
    lines: () => output.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    secrets: () => [
      AK,
      SK,
      ...jd.state.tokens.flatMap((t) => [t.authorizationToken, t.password, Buffer.from(`${t.username}:${t.password}`).toString('base64')]),
    ],
    close: async () => {
      kube.close();
      await Promise.all([kubeApi.close(), jd.close()]);
    },
  };
  return h;
}

/** Fails the test when any captured text contains any of the secrets. */
export function expectNoSecrets(texts: string[], secrets: string[]): void {
  const all = texts.join('\n');
  for (const s of secrets) {
    if (s && all.includes(s)) throw new Error(`output leaks a secret (${s.length} chars starting ${JSON.stringify(s.slice(0, 3))}…)`);
  }
}

/** The decoded `.dockerconfigjson` of a Secret in the fake. */
export function dockerConfigOf(api: FakeKubeApi, ns: string, name = 'jcr-pull'): { auths: Record<string, Record<string, string>> } & Record<string, unknown> {
  const s = api.get('secrets', ns, name);
  if (!s) throw new Error(`no Secret ${ns}/${name}`);
  return JSON.parse(Buffer.from(s.data['.dockerconfigjson'], 'base64').toString('utf8'));
}

export function seedServiceAccount(api: FakeKubeApi, ns: string, name = 'default', imagePullSecrets?: { name: string }[]): void {
  api.seed('serviceaccounts', { metadata: { name, namespace: ns }, ...(imagePullSecrets ? { imagePullSecrets } : {}) });
}
