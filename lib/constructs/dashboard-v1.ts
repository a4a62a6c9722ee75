import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DashboardService, DashboardServiceProps } from './dashboard-service';
import { IngressOnlyPolicy } from './network-policy';

export interface DashboardV1Props {
  /** @default kube-system (as upstream v1.10.1 and the runbook) */
  readonly namespace?: string;
  /** Dashboard image inside the user's registry. */
  readonly image: string;
  /** Pull Secret name added as imagePullSecrets (the runbook's addition). */
  readonly pullSecretName: string;
  /** The exposing Service (the runbook: dashboard-lb, LoadBalancer 9443→8443, nodePort 30063). */
  readonly service: Omit<DashboardServiceProps, 'namespace'>;
  /** Add a NetworkPolicy: the Dashboard admits traffic only on 8443. @default false */
  readonly networkPolicy?: boolean;
}

const LABELS = { 'k8s-app': 'kubernetes-dashboard' };

/**
 * Kubernetes Dashboard v1.10.1 exactly as the runbook applies it: upstream
 * https://github.com/kubernetes/dashboard/blob/v1.10.1/src/deploy/recommended/kubernetes-dashboard.yaml
 * with the runbook's two changes - imagePullSecrets on the Deployment, and the upstream ClusterIP Service
 * replaced by `dashboard-lb`. Generated k8s classes, not cdk8s-plus, so nothing is added or
 * reordered. Does not work on Kubernetes >= 1.16 (the chart warns at render time).
 */
export class DashboardV1 extends Construct {
  constructor(scope: Construct, id: string, props: DashboardV1Props) {
    super(scope, id);
    const namespace = props.namespace ?? 'kube-system';

    new k8s.KubeSecret(this, 'certs', {
      metadata: { labels: LABELS, name: 'kubernetes-dashboard-certs', namespace },
      type: 'Opaque',
    });
    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { labels: LABELS, name: 'kubernetes-dashboard', namespace },
    });
    new k8s.KubeRole(this, 'role', {
      metadata: { name: 'kubernetes-dashboard-minimal', namespace },
      rules: [
        // Allow Dashboard to create 'kubernetes-dashboard-key-holder' secret.
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        // Allow Dashboard to create 'kubernetes-dashboard-settings' config map.
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
        // Allow Dashboard to get, update and delete Dashboard exclusive secrets.
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['kubernetes-dashboard-key-holder', 'kubernetes-dashboard-certs'], verbs: ['get', 'update', 'delete'] },
        // Allow Dashboard to get and update 'kubernetes-dashboard-settings' config map.
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['kubernetes-dashboard-settings'], verbs: ['get', 'update'] },
        // Allow Dashboard to get metrics from heapster.
        { apiGroups: [''], resources: ['services'], resourceNames: ['heapster'], verbs: ['proxy'] },
        { apiGroups: [''], resources: ['services/proxy'], resourceNames: ['heapster', 'http:heapster:', 'https:heapster:'], verbs: ['get'] },
      ],
    });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: { name: 'kubernetes-dashboard-minimal', namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'kubernetes-dashboard-minimal' },
      subjects: [{ kind: 'ServiceAccount', name: 'kubernetes-dashboard', namespace }],
    });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { labels: LABELS, name: 'kubernetes-dashboard', namespace },
      spec: {
        replicas: 1,
        revisionHistoryLimit: 10,
        selector: { matchLabels: LABELS },
        template: {
          metadata: { labels: LABELS },
          spec: {
            containers: [
              {
                name: 'kubernetes-dashboard',
                image: props.image,
                ports: [{ containerPort: 8443, protocol: 'TCP' }],
                args: ['--auto-generate-certificates'],
                volumeMounts: [
                  { name: 'kubernetes-dashboard-certs', mountPath: '/certs' },
                  // Create on-disk volume to store exec logs
                  { mountPath: '/tmp', name: 'tmp-volume' },
                ],
                livenessProbe: {
                  httpGet: { scheme: 'HTTPS', path: '/', port: k8s.IntOrString.fromNumber(8443) },
                  initialDelaySeconds: 30,
                  timeoutSeconds: 30,
                },
              },
            ],
            volumes: [
              { name: 'kubernetes-dashboard-certs', secret: { secretName: 'kubernetes-dashboard-certs' } },
              { name: 'tmp-volume', emptyDir: {} },
            ],
            serviceAccountName: 'kubernetes-dashboard',
            imagePullSecrets: [{ name: props.pullSecretName }],
            // Comment the following tolerations if Dashboard must not be deployed on master
            tolerations: [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }],
          },
        },
      },
    });
    new DashboardService(this, 'lb', { ...props.service, namespace, labels: LABELS, selector: LABELS });
    if (props.networkPolicy) new IngressOnlyPolicy(this, 'network-policy', { namespace, name: 'kubernetes-dashboard', labels: LABELS, podSelector: LABELS, port: 8443 });
  }
}
