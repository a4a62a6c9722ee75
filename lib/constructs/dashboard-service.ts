import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { stringify } from 'yaml';

export interface JdcloudLoadBalancerOptions {
  /** @default alb */
  readonly type?: 'alb' | 'nlb' | 'dnlb';
  /** No public IP when true. @default true (jcrkit's safe default; JD Cloud's own default is public) */
  readonly internal?: boolean;
  /** Security groups whose inbound rules decide who reaches the listener. @default none */
  readonly securityGroupIds?: string[];
  /** Terminate HTTPS at the load balancer with this JD Cloud certificate (ALB only). @default TCP pass-through */
  readonly certificateId?: string;
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
  /** Name of the Service port. @default none (the runbook's Service has none) */
  readonly portName?: string;
  /** Container port (number or name) of the UI. @default 8443 */
  readonly targetPort?: number | string;
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
 * The YAML string JD Cloud's cloud controller reads: version v1, the LB type, the internal flag,
 * the security groups, the public IP, and one listener per Service port. The listener passes TCP
 * through (the Dashboards and a TLS-serving Headlamp speak TLS themselves) unless a certificate is
 * given; then the ALB terminates HTTPS and forwards plain HTTP. The annotation is documented in
 * https://github.com/jdcloudcom/en/blob/085a9169b038b9c2c8895c97e8635708b67c84ad/documentation/Elastic-Compute/JCS-for-Kubernetes/Best-Practices/Deploy-Applications/Deploy-Service-New.md
 */
export function jdcloudLoadBalancerSpec(o: JdcloudLoadBalancerOptions, portCount: number): string {
  const internal = o.internal ?? true;
  const spec: Record<string, unknown> = { version: 'v1', loadBalancerType: o.type ?? 'alb', internal };
  if (o.securityGroupIds && o.securityGroupIds.length > 0) spec.securityGroupIds = [...o.securityGroupIds];
  if (!internal) {
    const eip: Record<string, unknown> = {};
    if (o.bandwidthMbps !== undefined) eip.bandwidthMbps = o.bandwidthMbps;
    eip.provider = o.provider ?? 'bgp';
    eip.reclaimPolicy = o.reclaimPolicy ?? 'delete';
    spec.elasticIp = eip;
  }
  const listener = o.certificateId ? { protocol: 'Https', certificateId: o.certificateId } : { protocol: 'Tcp' };
  spec.listeners = Array.from({ length: portCount }, () => ({ ...listener }));
  return stringify(spec, { lineWidth: 0 });
}

/** The Service that exposes the UI outside the cluster (the runbook's `dashboard-lb`). */
export class DashboardService extends Construct {
  readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: DashboardServiceProps) {
    super(scope, id);
    const type = props.type ?? 'LoadBalancer';
    const annotations = props.jdcloudLoadBalancer ? { [JDCLOUD_LB_ANNOTATION]: jdcloudLoadBalancerSpec(props.jdcloudLoadBalancer, 1) } : undefined;
    const ranges = props.loadBalancerSourceRanges ?? [];
    const target = props.targetPort ?? 8443;
    this.service = new k8s.KubeService(this, 'service', {
      metadata: { name: props.name ?? 'dashboard-lb', namespace: props.namespace, labels: props.labels ?? { 'k8s-app': 'kubernetes-dashboard' }, annotations },
      spec: {
        ports: [
          {
            name: props.portName,
            protocol: 'TCP',
            port: props.port,
            targetPort: typeof target === 'number' ? k8s.IntOrString.fromNumber(target) : k8s.IntOrString.fromString(target),
            nodePort: type === 'ClusterIP' ? undefined : props.nodePort,
          },
        ],
        type,
        selector: props.selector ?? { 'k8s-app': 'kubernetes-dashboard' },
        loadBalancerSourceRanges: ranges.length > 0 ? ranges : undefined,
      },
    });
  }
}
