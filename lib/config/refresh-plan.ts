import { REFRESHER_NAME, type RefreshPlan } from '../model/refresh-plan';
import type { ResolvedConfig } from './resolve';

/**
 * The refresher's run parameters for a config: what the CronJob passes in JCRKIT_REFRESH_PLAN and
 * what `jcrkit refresh --config` / `jcrkit pull-secret apply` run from a workstation. One function,
 * so the in-cluster and the workstation runs can never disagree.
 */
export function refreshPlanFromConfig(config: ResolvedConfig): RefreshPlan {
  return {
    registry: { name: config.registry.name, region: config.registry.region, host: config.registry.host },
    secretName: config.pullSecret.name,
    ...(config.pullSecret.email ? { email: config.pullSecret.email } : {}),
    namespaces: [...config.pullSecret.namespaces],
    serviceAccounts: [...config.pullSecret.serviceAccounts],
    serviceAccountNamespaces: [...config.pullSecret.serviceAccountNamespaces],
    tokenHours: config.refresher.tokenHours,
    renewBeforeMinutes: config.refresher.renewBeforeMinutes,
    refresherNamespace: config.refresher.namespace,
    ...(config.refresher.name !== REFRESHER_NAME ? { refresherName: config.refresher.name } : {}),
    crService: config.registry.crService,
    releaseSupersededTokens: config.refresher.releaseSupersededTokens,
    verifyRegistry: config.refresher.verifyRegistry,
  };
}
