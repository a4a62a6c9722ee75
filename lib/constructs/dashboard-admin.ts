import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

export interface DashboardAdminProps {
  /** Namespace of the login ServiceAccount. */
  readonly namespace: string;
  /** @default dashboard-admin (the runbook) */
  readonly serviceAccount?: string;
  /** ClusterRole to bind. @default cluster-admin (the runbook); `view` is the safer choice */
  readonly clusterRole?: string;
}

/**
 * The Dashboard login account: ServiceAccount, ClusterRoleBinding (the runbook's
 * `kubectl create clusterrolebinding dashboard-cluster-admin ...`) and an explicit
 * `kubernetes.io/service-account-token` Secret, because Kubernetes >= 1.24 no longer creates one
 * (KEP-2799) and the runbook's last step - reading the auto-created token Secret - finds nothing.
 */
export class DashboardAdmin extends Construct {
  readonly serviceAccountName: string;
  readonly tokenSecretName: string;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: DashboardAdminProps) {
    super(scope, id);
    this.namespace = props.namespace;
    this.serviceAccountName = props.serviceAccount ?? 'dashboard-admin';
    const clusterRole = props.clusterRole ?? 'cluster-admin';
    this.tokenSecretName = `${this.serviceAccountName}-token`;

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name: this.serviceAccountName, namespace: this.namespace } });
    new k8s.KubeClusterRoleBinding(this, 'binding', {
      // The runbook's name for the cluster-admin case: dashboard-cluster-admin.
      metadata: { name: `dashboard-${clusterRole}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.namespace }],
    });
    new k8s.KubeSecret(this, 'token', {
      metadata: {
        name: this.tokenSecretName,
        namespace: this.namespace,
        annotations: { 'kubernetes.io/service-account.name': this.serviceAccountName },
      },
      type: 'kubernetes.io/service-account-token',
    });
  }

  /** Post-render instructions: how to log in. */
  loginHint(): string {
    const ns = this.namespace;
    return [
      `Dashboard login token (long-lived, filled in by Kubernetes once applied):`,
      `  kubectl -n ${ns} get secret ${this.tokenSecretName} -o jsonpath='{.data.token}' | base64 -d`,
      `or a short-lived one (Kubernetes >= 1.24):`,
      `  kubectl -n ${ns} create token ${this.serviceAccountName} --duration=1h`,
    ].join('\n');
  }
}
