import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedConfig } from '../lib/config';
import { referenceHost, refreshPlanFromConfig } from '../lib/config';
import { RefresherProgram, TokenRefresher } from '../lib/constructs';
import { SYSTEM_NAMESPACES } from '../lib/constructs/pod-security';

export const REFRESHER_BUNDLE_FILE = 'jcrkit-refresher.js';


/** dist/0001-token-refresher.k8s.yaml: the CronJob that keeps the pull Secret valid, and its RBAC. */
export class TokenRefresherChart extends Chart {
  readonly refresher: TokenRefresher;

  constructor(scope: Construct, id: string, config: ResolvedConfig, bundleSource: () => string) {
    super(scope, id);
    const r = config.refresher;
    const program: RefresherProgram = r.customImage
      ? { kind: 'image', image: r.customImage }
      : { kind: 'bundle', runtimeImage: r.runtimeImage, fileName: REFRESHER_BUNDLE_FILE, source: bundleSource() };
    const image = r.customImage ?? r.runtimeImage;
    this.refresher = new TokenRefresher(this, 'refresher', {
      name: r.name,
      namespace: r.namespace,
      // a custom namespace must exist before `kubectl apply -f dist/` puts the CronJob into it; the
      // ones every cluster has are never rendered (nor labelled)
      createNamespace: !SYSTEM_NAMESPACES.has(r.namespace) && !(config.dashboard.enabled && config.dashboard.namespace === r.namespace && config.dashboard.preset !== 'v1.10.1'),
      admissionPolicy: r.admissionPolicy,
      schedule: r.schedule,
      credentialsSecret: r.credentialsSecret,
      program,
      imagePullSecret: referenceHost(image) === config.registry.host ? config.pullSecret.name : undefined,
      plan: refreshPlanFromConfig(config),
    });
  }
}
