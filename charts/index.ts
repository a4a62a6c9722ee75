import { App, Chart } from 'cdk8s';
import type { ResolvedConfig } from '../lib/config';
import { applyIdentity } from '../lib/constructs';
import { DashboardAdminChart } from './dashboard-admin-chart';
import { DashboardChart } from './dashboard-chart';
import { PullSecretChart } from './pull-secret-chart';
import { TokenRefresherChart } from './token-refresher-chart';

export { DashboardAdminChart, DashboardChart, PullSecretChart, TokenRefresherChart };

/** File name of the bootstrap pull Secret (in a directory of its own, never the rendered one). */
export const BOOTSTRAP_FILE = 'pull-secret.k8s.yaml';

export interface StackCharts {
  /** Charts in apply order, each with the relative file it is written to: the GitOps output. */
  charts: { chart: Chart; file: string }[];
  /**
   * The pull Secret with the password given at render time. Never part of `charts`: it holds a
   * credential, so it is written on its own, outside the rendered (committed) directory.
   */
  bootstrap?: { chart: Chart; file: string };
  admin?: DashboardAdminChart;
  refresher?: TokenRefresherChart;
}

export interface BuildStackOptions {
  /** JCR password given at render time; renders the bootstrap pull Secret. */
  password?: string;
  /** Returns the bundled refresher program (read lazily: only needed when it is rendered). */
  refresherBundle: () => string;
}

/**
 * Composes the charts for one config. Order = apply order: the Dashboard chart holds its Namespace,
 * which the refresher's Role and the admin account may live in, so it comes first. File names are
 * explicit (not cdk8s's generated ones) so they never change when a chart is added or removed.
 */
export function buildStack(app: App, config: ResolvedConfig, opts: BuildStackOptions): StackCharts {
  const out: StackCharts = { charts: [] };
  if (config.dashboard.enabled) {
    out.charts.push({ chart: new DashboardChart(app, 'dashboard', config), file: '0000-dashboard.k8s.yaml' });
  }
  if (config.refresher.enabled) {
    out.refresher = new TokenRefresherChart(app, 'token-refresher', config, opts.refresherBundle);
    out.charts.push({ chart: out.refresher, file: '0001-token-refresher.k8s.yaml' });
  }
  if (config.admin.enabled) {
    out.admin = new DashboardAdminChart(app, 'dashboard-admin', config);
    out.charts.push({ chart: out.admin, file: '0002-dashboard-admin.k8s.yaml' });
  }
  // Every rendered object gets the stack's identity labels; the bootstrap pull Secret does not (the
  // refresher keeps updating that Secret, and no prune by the stack's selector may delete it).
  for (const { chart } of out.charts) applyIdentity(chart, config.instance);
  if (opts.password !== undefined) {
    out.bootstrap = { chart: new PullSecretChart(app, 'pull-secret', config, opts.password), file: BOOTSTRAP_FILE };
  }
  return out;
}
