import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { dockerAuthEntry, dockerConfigJson } from '../model/dockerconfigjson';
import { MANAGED_BY } from './labels';

export interface PullSecretProps {
  /** Secret name. @default my-secret (the runbook) */
  readonly name?: string;
  /** Every namespace that gets a copy. */
  readonly namespaces: string[];
  /** Registry host, `{name}-{region}.jcr.service.jdcloud.com` for JCR. */
  readonly host: string;
  /** Docker login user; JCR tokens always use `jdcloud`. @default jdcloud */
  readonly username?: string;
  /**
   * The registry password (a short-lived JCR token). Only given at render time (env JCR_PASSWORD or
   * `--password-stdin`), never read from a file. Without it nothing is rendered: the refresher
   * creates and owns the Secret (GitOps mode).
   */
  readonly password?: string;
  /** Optional e-mail, as `kubectl --docker-email`. @default none */
  readonly email?: string;
}

/**
 * `kubernetes.io/dockerconfigjson` Secrets for the JCR registry, one per namespace.
 *
 * Rendered only when a password is given. The refresher rewrites the same Secret in place every
 * run, so a rendered copy is a bootstrap value: the chart puts it in a separate file that plain
 * `kubectl apply -f dist/` does not read (see charts/pull-secret-chart.ts).
 */
export class PullSecret extends Construct {
  readonly secrets: ApiObject[] = [];
  readonly name: string;

  constructor(scope: Construct, id: string, props: PullSecretProps) {
    super(scope, id);
    this.name = props.name ?? 'my-secret';
    if (props.password === undefined) return;
    if (props.password === '') throw new Error('PullSecret: the password is empty; pass the JCR token (jcrkit token) or omit it for GitOps mode');
    const payload = dockerConfigJson(props.host, dockerAuthEntry(props.username ?? 'jdcloud', props.password, props.email));
    for (const ns of props.namespaces) {
      this.secrets.push(
        new k8s.KubeSecret(this, `secret-${ns}`, {
          metadata: {
            name: this.name,
            namespace: ns,
            labels: { ...MANAGED_BY },
            annotations: {
              // Tells readers (and Flux: create-only) that this value is a bootstrap the refresher replaces.
              'jcrkit.io/bootstrap': 'true',
              'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent',
            },
          },
          type: 'kubernetes.io/dockerconfigjson',
          data: { '.dockerconfigjson': Buffer.from(payload).toString('base64') },
        }),
      );
    }
  }
}
