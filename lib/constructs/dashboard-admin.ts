import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

export interface DashboardAdminProps {
  /** Namespace of the login ServiceAccount. */
  readonly namespace: string;
  /** @default dashboard-admin (the runbook) */
  readonly serviceAccount?: string;
  /** ClusterRole to bind. @default cluster-admin (the runbook); `view` is the safer choice */
  readonly clusterRole?: string;
  /** Name of the ClusterRoleBinding. @default the ServiceAccount's name */
  readonly bindingName?: string;
  /** Also render a non-expiring kubernetes.io/service-account-token Secret. @default false */
  readonly tokenSecret?: boolean;
}

/**
 * The UI's login account: a ServiceAccount and its ClusterRoleBinding (the runbook's
 * `kubectl create clusterrolebinding ...`), and, only on request, an explicit
 * `kubernetes.io/service-account-token` Secret.
 *
 * Login is meant to use short-lived tokens from the TokenRequest API (`jcrkit login-token`,
 * `kubectl create token`), which is why the non-expiring Secret is opt-in. Kubernetes >= 1.24 no
 * longer creates such a Secret by itself (KEP-2799), so the runbook's last step - reading the
 * auto-created Secret - needs the explicit one.
 *
 * The binding's name does not contain the role: with `dashboard-${role}` (the runbook's pattern),
 * switching cluster-admin to view under `kubectl apply` created a second binding and left the
 * cluster-admin one in place. A binding's roleRef cannot change in place, so with a stable name the
 * same switch fails loudly instead; `kubectl auth reconcile` deletes and recreates the binding
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#kubectl-auth-reconcile).
 */
export class DashboardAdmin extends Construct {
  readonly serviceAccountName: string;
  readonly tokenSecretName: string;
  readonly namespace: string;
  readonly bindingName: string;

  constructor(scope: Construct, id: string, props: DashboardAdminProps) {
    super(scope, id);
    this.namespace = props.namespace;
    this.serviceAccountName = props.serviceAccount ?? 'dashboard-admin';
    const clusterRole = props.clusterRole ?? 'cluster-admin';
    this.bindingName = props.bindingName ?? this.serviceAccountName;
    this.tokenSecretName = `${this.serviceAccountName}-token`;

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name: this.serviceAccountName, namespace: this.namespace } });
    new k8s.KubeClusterRoleBinding(this, 'binding', {
      metadata: { name: this.bindingName },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.namespace }],
    });
    if (props.tokenSecret) {
      new k8s.KubeSecret(this, 'token', {
        metadata: {
          name: this.tokenSecretName,
          namespace: this.namespace,
          annotations: { 'kubernetes.io/service-account.name': this.serviceAccountName },
        },
        type: 'kubernetes.io/service-account-token',
      });
    }
  }
}
