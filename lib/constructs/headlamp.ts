import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DashboardService, DashboardServiceProps } from './dashboard-service';
import { MANAGED_BY } from './labels';
import { IngressOnlyPolicy } from './network-policy';
import { podSecurityLabels, RESTRICTED_CONTAINER, RUNTIME_DEFAULT_SECCOMP } from './pod-security';

export interface HeadlampProps {
  /** @default headlamp */
  readonly namespace?: string;
  /** Headlamp image inside the user's registry (upstream ghcr.io/headlamp-k8s/headlamp:v0.45.0). */
  readonly image: string;
  /** Headlamp release the image is, for the app.kubernetes.io/version label. */
  readonly version: string;
  /** Pull Secret added as imagePullSecrets. */
  readonly pullSecretName: string;
  /** The exposing Service (selector and labels are Headlamp's). */
  readonly service: Omit<DashboardServiceProps, 'namespace' | 'selector' | 'labels' | 'targetPort' | 'portName'>;
  /** @default IfNotPresent (the chart's image.pullPolicy) */
  readonly imagePullPolicy?: string;
  /** A kubernetes.io/tls Secret the user created; Headlamp then serves HTTPS on 4466. @default plain HTTP */
  readonly tlsSecret?: string;
  /** A Secret with OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_ISSUER_URL [, OIDC_SCOPES]. @default no OIDC */
  readonly oidcSecret?: string;
  /** Add a NetworkPolicy: Headlamp admits traffic only on 4466. @default false */
  readonly networkPolicy?: boolean;
}

export const HEADLAMP_PORT = 4466;
const TLS_DIR = '/headlamp-cert';

/**
 * Headlamp (https://github.com/kubernetes-sigs/headlamp), pinned to chart/app 0.45.0: the objects
 * of the chart's default render (charts/headlamp/tests/expected_templates/default.yaml and
 * readonly-root-filesystem.yaml) with generated k8s classes, changed where the chart's defaults are
 * unsafe or do not fit a private registry. Every difference is listed in docs/headlamp-upstream.md
 * and checked by test/constructs/headlamp-upstream.test.ts; the main ones:
 *  - the pod's ServiceAccount is bound to nothing. The chart binds it to cluster-admin
 *    (clusterRoleBinding.create: true), which hands cluster-admin to anyone who reaches the UI
 *    if -unsafe-use-service-account-token is ever on, and to anyone who can exec into the pod
 *    (https://github.com/kubernetes-sigs/headlamp/issues/4435). Users log in with their own token;
 *    the login account is a separate ServiceAccount (DashboardAdmin), bound to view by default;
 *  - no empty `oidc` Secret: an OIDC client is a Secret the user creates and names;
 *  - the Pod Security "restricted" settings, a read-only root filesystem with /tmp on an emptyDir
 *    (the chart's readonly-root-filesystem variant), the image from the user's registry with
 *    imagePullSecrets.
 */
export class Headlamp extends Construct {
  constructor(scope: Construct, id: string, props: HeadlampProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'headlamp';
    const selector = { 'app.kubernetes.io/name': 'headlamp', 'app.kubernetes.io/instance': 'headlamp' };
    const labels = { ...selector, 'app.kubernetes.io/version': props.version, ...MANAGED_BY };
    const scheme = props.tlsSecret ? 'HTTPS' : 'HTTP';

    // Headlamp's single pod meets "restricted", so the namespace enforces it.
    new k8s.KubeNamespace(this, 'namespace', { metadata: { name: namespace, labels: podSecurityLabels(namespace, 'restricted') } });
    // The pod's identity. Its token is mounted because -in-cluster builds the "main" context from
    // the in-cluster config (CA, server); it grants nothing beyond what every authenticated
    // ServiceAccount may do (discovery, self reviews), since nothing is bound to it.
    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name: 'headlamp', namespace, labels } });

    const args = ['-in-cluster', '-in-cluster-context-name=main', '-plugins-dir=/headlamp/plugins', '-session-ttl=86400'];
    const volumeMounts: k8s.VolumeMount[] = [{ name: 'headlamp-tmp', mountPath: '/tmp' }];
    const volumes: k8s.Volume[] = [{ name: 'headlamp-tmp', emptyDir: {} }];
    if (props.tlsSecret) {
      // https://headlamp.dev/docs/latest/installation/in-cluster/tls/ : the backend terminates TLS
      // with these two flags. A kubernetes.io/tls Secret has exactly the keys tls.crt and tls.key.
      args.push(`-tls-cert-path=${TLS_DIR}/tls.crt`, `-tls-key-path=${TLS_DIR}/tls.key`);
      volumeMounts.push({ name: 'headlamp-cert', mountPath: TLS_DIR, readOnly: true });
      volumes.push({ name: 'headlamp-cert', secret: { secretName: props.tlsSecret } });
    }
    // OIDC from the user's Secret, through Headlamp's HEADLAMP_CONFIG_* variables
    // (https://headlamp.dev/docs/latest/installation/in-cluster/oidc/). The keys are those of the
    // chart's config.oidc.externalSecret, so a Secret made for the chart works here; OIDC_SCOPES
    // is optional, and a missing optional key leaves the variable unset (Headlamp's default scopes).
    const env: k8s.EnvVar[] | undefined = props.oidcSecret
      ? [
          ['HEADLAMP_CONFIG_OIDC_CLIENT_ID', 'OIDC_CLIENT_ID'],
          ['HEADLAMP_CONFIG_OIDC_CLIENT_SECRET', 'OIDC_CLIENT_SECRET'],
          ['HEADLAMP_CONFIG_OIDC_IDP_ISSUER_URL', 'OIDC_ISSUER_URL'],
          ['HEADLAMP_CONFIG_OIDC_SCOPES', 'OIDC_SCOPES'],
        ].map(([name, key]) => ({ name, valueFrom: { secretKeyRef: { name: props.oidcSecret!, key, optional: key === 'OIDC_SCOPES' ? true : undefined } } }))
      : undefined;
    const probe = (): k8s.Probe => ({
      httpGet: { path: '/', port: k8s.IntOrString.fromString('http'), scheme },
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });

    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: 'headlamp', namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            imagePullSecrets: [{ name: props.pullSecretName }],
            serviceAccountName: 'headlamp',
            automountServiceAccountToken: true,
            securityContext: { ...RUNTIME_DEFAULT_SECCOMP },
            containers: [
              {
                name: 'headlamp',
                // The chart's uid 100 / gid 101, plus the restricted profile's settings and a
                // read-only root filesystem (the chart's readonly variant writes only to /tmp).
                securityContext: {
                  privileged: false,
                  allowPrivilegeEscalation: RESTRICTED_CONTAINER.allowPrivilegeEscalation,
                  capabilities: { drop: [...RESTRICTED_CONTAINER.capabilities.drop] },
                  readOnlyRootFilesystem: true,
                  runAsGroup: 101,
                  runAsNonRoot: RESTRICTED_CONTAINER.runAsNonRoot,
                  runAsUser: 100,
                },
                image: props.image,
                imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
                env,
                args,
                ports: [{ name: 'http', containerPort: HEADLAMP_PORT, protocol: 'TCP' }],
                livenessProbe: probe(),
                readinessProbe: probe(),
                volumeMounts,
              },
            ],
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            volumes,
          },
        },
      },
    });
    new DashboardService(this, 'service', { ...props.service, namespace, labels, selector, portName: 'http', targetPort: 'http' });
    if (props.networkPolicy) new IngressOnlyPolicy(this, 'network-policy', { namespace, name: 'headlamp', labels, podSelector: selector, port: HEADLAMP_PORT });
  }
}
