/**
 * `jcrkit up`'s refresh step: the plan the CronJob gets, through the one refresh wiring
 * (lib/refresher/invoke.ts) with the kubeconfig identity. It runs right after the first apply,
 * so the pull Secret exists before the CronJob's pod needs it to pull its own image.
 */
import type { ResolvedConfig } from '../config';
import { refreshPlanFromConfig } from '../config/refresh-plan';
import type { JdcloudClientOptions } from '../jdcloud/client';
import type { JdcloudCredentials } from '../jdcloud/credentials';
import type { KubeClient } from '../kube/client';
import type { RefreshPlan } from '../model/refresh-plan';
import type { Redactor } from '../core/redact';
import { invokeRefresh } from '../refresher/invoke';
import type { LineSink } from '../refresher/logger';
import type { RefreshDeps, RefreshReport } from '../refresher/run';

export interface PullSecretApplyOptions {
  kube: KubeClient;
  credentials: JdcloudCredentials;
  endpoint?: string;
  /** where the run's lines go (stdout for the command) */
  sink: LineSink;
  output: 'text' | 'json';
  /** scrubs every line; knows the AK/SK (lib/core/redact redactorFromEnv), learns the token when it is minted */
  redactor: Redactor;
  /** overrides of the plan built from the config (e.g. --no-verify-registry) */
  planOverrides?: Partial<RefreshPlan>;
  client?: Partial<JdcloudClientOptions>;
  /** test hook: registry probe */
  probeRegistry?: RefreshDeps['probeRegistry'];
}

export async function applyPullSecret(config: ResolvedConfig, opts: PullSecretApplyOptions): Promise<RefreshReport> {
  const { report } = await invokeRefresh({
    plan: { ...refreshPlanFromConfig(config), ...opts.planOverrides },
    kube: opts.kube,
    credentials: opts.credentials,
    redactor: opts.redactor,
    endpoint: opts.endpoint,
    output: opts.output,
    out: opts.sink,
    client: opts.client,
    probeRegistry: opts.probeRegistry,
    writer: 'jcrkit up',
  });
  return report as RefreshReport;
}
