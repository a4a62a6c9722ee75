import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { stringify } from 'yaml';

export interface JdcloudLoadBalancerOptions {
  /** @default alb */
  readonly type?: 'alb' | 'nlb' | 'dnlb';
  /** No public IP when true. @default false */
  readonly internal?: boolean;
  /** Public IP bandwidth in Mbps (JD Cloud's default is 5). @default JD Cloud's default */
  readonly bandwidthMbps?: number;
  /** @default bgp */
  readonly provider?: 'bgp' | 'no_bgp';
  /** @default delete */
  readonly reclaimPolicy?: 'delete' | 'retain';
}

export interface DashboardServiceProps {
  readonly namespace: string;
  /** @default dashboard-lb (the runbook) */
  readonly name?: string;
  /** @default LoadBalancer */
  readonly type?: 'LoadBalancer' | 'NodePort' | 'ClusterIP';
  /** Service port. */
  readonly port: number;
  /** Container port of the Dashboard. @default 8443 */
  readonly targetPort?: number;
  /** @default chosen by Kubernetes */
  readonly nodePort?: number;
  /** @default [] (open to all) */
  readonly loadBalancerSourceRanges?: string[];
  /** Builds the service.beta.kubernetes.io/jdcloud-load-balancer-spec annotation. @default none */
  readonly jdcloudLoadBalancer?: JdcloudLoadBalancerOptions;
  /** Pod selector. @default { 'k8s-app': 'kubernetes-dashboard' } */
  readonly selector?: Record<string, string>;
  /** Labels on the Service. @default { 'k8s-app': 'kubernetes-dashboard' } */
  readonly labels?: Record<string, string>;
}

export const JDCLOUD_LB_ANNOTATION = 'service.beta.kubernetes.io/jdcloud-load-balancer-spec';

/**
 * The YAML string JD Cloud's cloud controller reads: version v1, the LB type, internal flag, the
 * public IP, and one TCP listener per Service port (the Dashboard speaks TLS itself, so the LB
 * must pass TCP through rather than terminate HTTP). The annotation is documented in
 * https://github.com/jdcloudcom/en/blob/085a9169b038b9c2c8895c97e8635708b67c84ad/documentation/Elastic-Compute/JCS-for-Kubernetes/Best-Practices/Deploy-Applications/Deploy-Service-New.md
 */
export function jdcloudLoadBalancerSpec(o: JdcloudLoadBalancerOptions, portCount: number): string {
  const internal = o.internal ?? false;
  const spec: Record<string, unknown> = { version: 'v1', loadBalancerType: o.type ?? 'alb', internal };
  if (!internal) {
    const eip: Record<string, unknown> = {};
    if (o.bandwidthMbps !== undefined) eip.bandwidthMbps = o.bandwidthMbps;
    eip.provider = o.provider ?? 'bgp';
    eip.reclaimPolicy = o.reclaimPolicy ?? 'delete';
    spec.elasticIp = eip;
  }
  spec.listeners = Array.from({ length: portCount }, () => ({ protocol: 'Tcp' }));
  return stringify(spec, { lineWidth: 0 });
}

/** The Service that exposes the Dashboard outside the cluster (the runbook's `dashboard-lb`). */
export class DashboardService extends Construct {
  readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: DashboardServiceProps) {
    super(scope, id);
    const type = props.type ?? 'LoadBalancer';
    const annotations = props.jdcloudLoadBalancer ? { [JDCLOUD_LB_ANNOTATION]: jdcloudLoadBalancerSpec(props.jdcloudLoadBalancer, 1) } : undefined;
    const ranges = props.loadBalancerSourceRanges ?? [];
    this.service = new k8s.KubeService(this, 'service', {
      metadata: { name: props.name ?? 'dashboard-lb', namespace: props.namespace, labels: props.labels ?? { 'k8s-app': 'kubernetes-dashboard' }, annotations },
      spec: {
        ports: [{ protocol: 'TCP', port: props.port, targetPort: k8s.IntOrString.fromNumber(props.targetPort ?? 8443), nodePort: type === 'ClusterIP' ? undefined : props.nodePort }],
        type,
        selector: props.selector ?? { 'k8s-app': 'kubernetes-dashboard' },
        loadBalancerSourceRanges: ranges.length > 0 ? ranges : undefined,
      },
    });
  }
}
