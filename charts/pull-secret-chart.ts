import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedConfig } from '../lib/config';
import { PullSecret } from '../lib/constructs';

/**
 * bootstrap/pull-secret.k8s.yaml: the pull Secret, only when a password was given at render time.
 * It lives in a subdirectory because `kubectl apply -f dist/` does not recurse: re-applying the
 * main manifests can never put this (by then expired) token back over the one the refresher wrote.
 * Apply it once with `kubectl create -f dist/bootstrap/` (create fails instead of overwriting).
 */
export class PullSecretChart extends Chart {
  readonly pullSecret: PullSecret;

  constructor(scope: Construct, id: string, config: ResolvedConfig, password: string) {
    super(scope, id);
    this.pullSecret = new PullSecret(this, 'pull-secret', {
      name: config.pullSecret.name,
      namespaces: config.pullSecret.namespaces,
      host: config.registry.host,
      password,
      email: config.pullSecret.email,
    });
  }
}
