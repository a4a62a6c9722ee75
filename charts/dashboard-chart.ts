import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedConfig } from '../lib/config';
import { HEADLAMP_VERSION, referenceHost } from '../lib/config';
import { DashboardV1, DashboardV2, Headlamp } from '../lib/constructs';

/** dist/0000-dashboard.k8s.yaml: the UI of the chosen preset and its exposing Service. */
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
    // Images in the user's registry are pulled IfNotPresent: once the pull Secret has lapsed, a
    // restarted pod still starts from the image cached on its node.
    const fromRegistry = (image: string) => (referenceHost(image) === config.registry.host ? 'IfNotPresent' : undefined);
    const pullSecretName = config.pullSecret.name;
    const networkPolicy = d.networkPolicy;
    if (d.preset === 'v1.10.1') {
      // The runbook's manifest exactly: no pull policy (Kubernetes' default for a tag is IfNotPresent).
      new DashboardV1(this, 'dashboard', { namespace: d.namespace, image: d.image, pullSecretName, service, networkPolicy });
    } else if (d.preset === 'headlamp') {
      new Headlamp(this, 'dashboard', {
        namespace: d.namespace,
        image: d.image,
        version: HEADLAMP_VERSION,
        pullSecretName,
        service,
        imagePullPolicy: fromRegistry(d.image),
        tlsSecret: d.headlamp.tlsSecret,
        oidcSecret: d.headlamp.oidcSecret,
        networkPolicy,
      });
    } else {
      new DashboardV2(this, 'dashboard', {
        namespace: d.namespace,
        clusterRbacName: d.clusterRbacName,
        image: d.image,
        metricsScraperImage: d.metricsScraperImage,
        pullSecretName,
        service,
        imagePullPolicy: { dashboard: fromRegistry(d.image), metricsScraper: fromRegistry(d.metricsScraperImage) },
        networkPolicy,
      });
    }
  }
}
