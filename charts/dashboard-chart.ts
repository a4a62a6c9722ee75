import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedConfig } from '../lib/config';
import { DashboardV1, DashboardV2 } from '../lib/constructs';

/** dist/0000-dashboard.k8s.yaml: the Dashboard of the chosen preset and its exposing Service. */
export class DashboardChart extends Chart {
  constructor(scope: Construct, id: string, config: ResolvedConfig) {
    super(scope, id);
    const d = config.dashboard;
    const service = {
      name: d.service.name,
      type: d.service.type,
      port: d.service.port,
      nodePort: d.service.nodePort,
      loadBalancerSourceRanges: d.service.loadBalancerSourceRanges,
      jdcloudLoadBalancer: d.service.jdcloudLoadBalancer,
    };
    if (d.preset === 'v1.10.1') {
      new DashboardV1(this, 'dashboard', { namespace: d.namespace, image: d.image, pullSecretName: config.pullSecret.name, service });
    } else {
      new DashboardV2(this, 'dashboard', { namespace: d.namespace, image: d.image, metricsScraperImage: d.metricsScraperImage, pullSecretName: config.pullSecret.name, service });
    }
  }
}
