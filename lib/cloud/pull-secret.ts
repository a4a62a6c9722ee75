/**
 * `pull-secret apply`: one refresh run from the workstation with the refresher's own code
 * (lib/refresher/run.ts) and the plan the CronJob gets, through the kubeconfig identity. Used
 * right after deploying so the pull Secret exists before the first scheduled run.
 */
import type { ResolvedConfig } from '../config';
import type { JdcloudClientOptions } from '../jdcloud/client';
import type { JdcloudCredentials } from '../jdcloud/credentials';
import type { KubeClient } from '../kube/client';
import { jdcloudTokenSource } from '../refresher/jdcloud-token-source';
import { jsonLineLogger, textLogger, type LineSink } from '../refresher/logger';
import type { RefreshPlan } from '../model/refresh-plan';
import type { Redactor } from '../core/redact';
import { runRefresh, type RefreshDeps, type RefreshReport } from '../refresher/run';
import { refreshPlanFromConfig } from '../config/refresh-plan';

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
  const plan = { ...refreshPlanFromConfig(config), ...opts.planOverrides };
  const { redactor } = opts;
  const tokens = jdcloudTokenSource({
    ...opts.credentials,
    regionId: plan.registry.region,
    registryName: plan.registry.name,
    service: plan.crService,
    endpoint: opts.endpoint,
    client: opts.client,
  });
  const logger = opts.output === 'json' ? jsonLineLogger(opts.sink, redactor) : textLogger(opts.sink, redactor);
  return runRefresh(plan, { kube: opts.kube, tokens, logger, redactor, probeRegistry: opts.probeRegistry });
}
