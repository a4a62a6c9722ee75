import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedConfig } from '../lib/config';
import { PullSecret } from '../lib/constructs';

/**
 * The bootstrap pull Secret, only when a password was given at render time. It is written to its
 * own file outside the rendered directory (never into dist/, never to stdout), because the
 * rendered directory is committed and re-applied: the token must not reach Git, and re-applying
 * must never put this (by then expired) token back over the one the refresher wrote. Create it
 * once with `kubectl create -f FILE` (create fails instead of overwriting).
 *
 * It carries `app.kubernetes.io/managed-by` but not the part-of/instance pair: the refresher keeps
 * updating this very Secret, and a prune by the stack's selector must never delete it.
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
