import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DashboardService, DashboardServiceProps } from './dashboard-service';
import { IngressOnlyPolicy } from './network-policy';
import { podSecurityLabels } from './pod-security';

export interface DashboardV2Props {
  /** @default kubernetes-dashboard (as upstream recommended.yaml) */
  readonly namespace?: string;
  /** Dashboard image inside the user's registry (upstream kubernetesui/dashboard:v2.7.0). */
  readonly image: string;
  /** metrics-scraper image inside the user's registry (upstream kubernetesui/metrics-scraper:v1.0.8). */
  readonly metricsScraperImage: string;
  /** Pull Secret added as imagePullSecrets to both Deployments. */
  readonly pullSecretName: string;
  /** The exposing Service, added as a 15th object beside the upstream ClusterIP Service. */
  readonly service?: Omit<DashboardServiceProps, 'namespace'>;
  /**
   * Pull policy per image, overriding upstream's (Always for the Dashboard, unset for the scraper).
   * jcrkit passes IfNotPresent for images in the user's registry. @default upstream's
   */
  readonly imagePullPolicy?: { dashboard?: string; metricsScraper?: string };
  /** Add NetworkPolicies (the Dashboard admits only 8443, the scraper only the Dashboard). @default false */
  readonly networkPolicy?: boolean;
  /**
   * Name of the cluster-scoped ClusterRole and ClusterRoleBinding, which a second Dashboard in the
   * same cluster must not share (nothing in the Dashboard looks them up by name).
   * @default kubernetes-dashboard (as upstream)
   */
  readonly clusterRbacName?: string;
}

const DASH = { 'k8s-app': 'kubernetes-dashboard' };
const SCRAPER = { 'k8s-app': 'dashboard-metrics-scraper' };

/**
 * The tolerations both Deployments get. Upstream tolerates only the `master` taint, which kubeadm
 * stopped setting in 1.25 (KEP-2067,
 * https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/kubeadm/2067-rename-master-label-taint);
 * `control-plane` keeps the intent.
 */
const TOLERATIONS = [
  { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' },
  { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
];

/**
 * Container security context of both containers: upstream's (uid 1001, gid 2001, read-only root,
 * no privilege escalation) plus what the Pod Security "restricted" profile also requires and
 * upstream omits: runAsNonRoot and dropping every capability. Neither image needs one.
 */
const CONTAINER_SECURITY = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsUser: 1001, runAsGroup: 2001, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };

/**
 * Kubernetes Dashboard v2.7.0: the 14 objects of upstream aio/deploy/recommended.yaml @ v2.7.0
 * (https://github.com/kubernetes/dashboard/blob/v2.7.0/aio/deploy/recommended.yaml), in upstream
 * order, with generated k8s classes so each field matches upstream. jcrkit's changes, each for a
 * reason given where it is made: images from the user's registry with imagePullPolicy IfNotPresent,
 * imagePullSecrets on both Deployments, the control-plane toleration, the Pod Security "restricted"
 * settings and namespace labels, no empty `csrf` key in kubernetes-dashboard-csrf, an extra
 * exposing Service, and optional NetworkPolicies.
 */
export class DashboardV2 extends Construct {
  constructor(scope: Construct, id: string, props: DashboardV2Props) {
    super(scope, id);
    const namespace = props.namespace ?? 'kubernetes-dashboard';
    const clusterRbacName = props.clusterRbacName ?? 'kubernetes-dashboard';
    const sa = { kind: 'ServiceAccount', name: 'kubernetes-dashboard', namespace };

    // Every pod of this preset meets "restricted", so the namespace enforces it.
    new k8s.KubeNamespace(this, 'namespace', { metadata: { name: namespace, labels: podSecurityLabels(namespace, 'restricted') } });
    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { labels: DASH, name: 'kubernetes-dashboard', namespace } });
    new k8s.KubeService(this, 'service', {
      metadata: { labels: DASH, name: 'kubernetes-dashboard', namespace },
      spec: { ports: [{ port: 443, targetPort: k8s.IntOrString.fromNumber(8443) }], selector: DASH },
    });
    new k8s.KubeSecret(this, 'certs', { metadata: { labels: DASH, name: 'kubernetes-dashboard-certs', namespace }, type: 'Opaque' });
    // Upstream ships `data: {csrf: ""}`; the Dashboard writes its generated key there at start-up.
    // Rendering the empty key would make Argo CD or Flux put "" back on every sync (and the next
    // pod start generate a new key, logging everyone out), so the key is left to the Dashboard.
    new k8s.KubeSecret(this, 'csrf', { metadata: { labels: DASH, name: 'kubernetes-dashboard-csrf', namespace }, type: 'Opaque' });
    new k8s.KubeSecret(this, 'key-holder', { metadata: { labels: DASH, name: 'kubernetes-dashboard-key-holder', namespace }, type: 'Opaque' });
    new k8s.KubeConfigMap(this, 'settings', { metadata: { labels: DASH, name: 'kubernetes-dashboard-settings', namespace } });
    new k8s.KubeRole(this, 'role', {
      metadata: { labels: DASH, name: 'kubernetes-dashboard', namespace },
      rules: [
        // Allow Dashboard to get, update and delete Dashboard exclusive secrets.
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['kubernetes-dashboard-key-holder', 'kubernetes-dashboard-certs', 'kubernetes-dashboard-csrf'], verbs: ['get', 'update', 'delete'] },
        // Allow Dashboard to get and update 'kubernetes-dashboard-settings' config map.
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['kubernetes-dashboard-settings'], verbs: ['get', 'update'] },
        // Allow Dashboard to get metrics.
        { apiGroups: [''], resources: ['services'], resourceNames: ['heapster', 'dashboard-metrics-scraper'], verbs: ['proxy'] },
        { apiGroups: [''], resources: ['services/proxy'], resourceNames: ['heapster', 'http:heapster:', 'https:heapster:', 'dashboard-metrics-scraper', 'http:dashboard-metrics-scraper'], verbs: ['get'] },
      ],
    });
    new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { labels: DASH, name: clusterRbacName },
      rules: [
        // Allow Metrics Scraper to get metrics from the Metrics server
        { apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: { labels: DASH, name: 'kubernetes-dashboard', namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'kubernetes-dashboard' },
      subjects: [sa],
    });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: clusterRbacName },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRbacName },
      subjects: [sa],
    });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { labels: DASH, name: 'kubernetes-dashboard', namespace },
      spec: {
        replicas: 1,
        revisionHistoryLimit: 10,
        selector: { matchLabels: DASH },
        template: {
          metadata: { labels: DASH },
          spec: {
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'kubernetes-dashboard',
                image: props.image,
                // Upstream: Always. From the user's registry IfNotPresent, so a restart while the
                // pull Secret has lapsed still starts from the node's cached image.
                imagePullPolicy: props.imagePullPolicy?.dashboard ?? 'Always',
                ports: [{ containerPort: 8443, protocol: 'TCP' }],
                args: ['--auto-generate-certificates', `--namespace=${namespace}`],
                volumeMounts: [
                  { name: 'kubernetes-dashboard-certs', mountPath: '/certs' },
                  // Create on-disk volume to store exec logs
                  { mountPath: '/tmp', name: 'tmp-volume' },
                ],
                livenessProbe: { httpGet: { scheme: 'HTTPS', path: '/', port: k8s.IntOrString.fromNumber(8443) }, initialDelaySeconds: 30, timeoutSeconds: 30 },
                securityContext: CONTAINER_SECURITY,
              },
            ],
            volumes: [
              { name: 'kubernetes-dashboard-certs', secret: { secretName: 'kubernetes-dashboard-certs' } },
              { name: 'tmp-volume', emptyDir: {} },
            ],
            serviceAccountName: 'kubernetes-dashboard',
            imagePullSecrets: [{ name: props.pullSecretName }],
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: TOLERATIONS,
          },
        },
      },
    });
    new k8s.KubeService(this, 'scraper-service', {
      metadata: { labels: SCRAPER, name: 'dashboard-metrics-scraper', namespace },
      spec: { ports: [{ port: 8000, targetPort: k8s.IntOrString.fromNumber(8000) }], selector: SCRAPER },
    });
    new k8s.KubeDeployment(this, 'scraper-deployment', {
      metadata: { labels: SCRAPER, name: 'dashboard-metrics-scraper', namespace },
      spec: {
        replicas: 1,
        revisionHistoryLimit: 10,
        selector: { matchLabels: SCRAPER },
        template: {
          metadata: { labels: SCRAPER },
          spec: {
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'dashboard-metrics-scraper',
                image: props.metricsScraperImage,
                imagePullPolicy: props.imagePullPolicy?.metricsScraper,
                ports: [{ containerPort: 8000, protocol: 'TCP' }],
                livenessProbe: { httpGet: { scheme: 'HTTP', path: '/', port: k8s.IntOrString.fromNumber(8000) }, initialDelaySeconds: 30, timeoutSeconds: 30 },
                volumeMounts: [{ mountPath: '/tmp', name: 'tmp-volume' }],
                securityContext: CONTAINER_SECURITY,
              },
            ],
            serviceAccountName: 'kubernetes-dashboard',
            imagePullSecrets: [{ name: props.pullSecretName }],
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: TOLERATIONS,
            volumes: [{ name: 'tmp-volume', emptyDir: {} }],
          },
        },
      },
    });
    if (props.service) new DashboardService(this, 'lb', { ...props.service, namespace, labels: DASH, selector: DASH });
    if (props.networkPolicy) {
      new IngressOnlyPolicy(this, 'network-policy', { namespace, name: 'kubernetes-dashboard', labels: DASH, podSelector: DASH, port: 8443 });
      new IngressOnlyPolicy(this, 'scraper-network-policy', { namespace, name: 'dashboard-metrics-scraper', labels: SCRAPER, podSelector: SCRAPER, port: 8000, fromPods: DASH });
    }
  }
}
