/**
 * The refresh plan for a config: exactly what charts/token-refresher-chart.ts renders into the
 * CronJob's JCRKIT_REFRESH_PLAN, so a run from the workstation (`jcrkit pull-secret apply`, the
 * last step of `jcrkit up`) writes the same Secrets the CronJob will keep fresh.
 */
import type { ResolvedConfig } from '../config';
import { validateRefreshPlan, type RefreshPlan } from '../refresher/plan';

export function refreshPlanFromConfig(config: ResolvedConfig): RefreshPlan {
  // Same fields, same sources as TokenRefresherChart's `plan` prop (keep the two in step).
  return validateRefreshPlan({
    registry: { name: config.registry.name, region: config.registry.region, host: config.registry.host },
    secretName: config.pullSecret.name,
    email: config.pullSecret.email,
    namespaces: config.pullSecret.namespaces,
    serviceAccounts: config.pullSecret.serviceAccounts,
    tokenHours: config.refresher.tokenHours,
    crService: config.registry.crService,
    releaseSupersededTokens: config.refresher.releaseSupersededTokens,
    verifyRegistry: config.refresher.verifyRegistry,
  });
}
