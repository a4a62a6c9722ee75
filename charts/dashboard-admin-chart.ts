import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedConfig } from '../lib/config';
import { DashboardAdmin } from '../lib/constructs';

/** dist/0002-dashboard-admin.k8s.yaml: the UI's login account (the runbook's section 5). */
export class DashboardAdminChart extends Chart {
  readonly admin: DashboardAdmin;

  constructor(scope: Construct, id: string, config: ResolvedConfig) {
    super(scope, id);
    this.admin = new DashboardAdmin(this, 'admin', {
      namespace: config.admin.namespace,
      serviceAccount: config.admin.serviceAccount,
      clusterRole: config.admin.clusterRole,
      bindingName: config.admin.bindingName,
      tokenSecret: config.admin.tokenSecret,
    });
  }
}
