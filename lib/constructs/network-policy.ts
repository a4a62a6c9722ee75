import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

export interface IngressOnlyPolicyProps {
  readonly namespace: string;
  readonly name: string;
  readonly labels?: Record<string, string>;
  /** Pods the policy applies to. */
  readonly podSelector: Record<string, string>;
  /** The only TCP port these pods admit traffic on. */
  readonly port: number;
  /** Admit only pods with these labels (same namespace); @default any source */
  readonly fromPods?: Record<string, string>;
}

/**
 * A NetworkPolicy that restricts ingress only: the selected pods admit TCP on one port (from
 * anywhere, or only from the named pods) and nothing else. Egress is left open because the UIs
 * talk to the API server, whose address differs per cluster. Kubelet probes still reach the pods:
 * traffic from the pod's own node is always allowed
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/).
 */
export class IngressOnlyPolicy extends Construct {
  constructor(scope: Construct, id: string, props: IngressOnlyPolicyProps) {
    super(scope, id);
    new k8s.KubeNetworkPolicy(this, 'policy', {
      metadata: { labels: props.labels, name: props.name, namespace: props.namespace },
      spec: {
        podSelector: { matchLabels: props.podSelector },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: props.fromPods ? [{ podSelector: { matchLabels: props.fromPods } }] : undefined,
            ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(props.port) }],
          },
        ],
      },
    });
  }
}
