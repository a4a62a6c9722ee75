/**
 * The refresh plan for a config, for `jcrkit pull-secret apply` and the last step of `jcrkit up`:
 * the same function the chart uses for the CronJob's JCRKIT_REFRESH_PLAN, so a run from the
 * workstation writes exactly the Secrets the CronJob keeps fresh.
 */
export { refreshPlanFromConfig } from '../config/refresh-plan';
