/**
 * Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/)
 * as jcrkit applies them: the container settings the "restricted" profile requires, and the Pod
 * Security Admission labels for the namespaces jcrkit creates
 * (https://kubernetes.io/docs/concepts/security/pod-security-admission/).
 */

/** The restricted profile's container requirements: no privilege escalation, every capability dropped, non-root. */
export const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
} as const;

/** Pod-level seccomp, as restricted requires (RuntimeDefault or Localhost). */
export const RUNTIME_DEFAULT_SECCOMP = { seccompProfile: { type: 'RuntimeDefault' } } as const;

/**
 * Namespaces jcrkit must never label: they exist in every cluster and hold system pods (kube-proxy,
 * CNI agents) that need privileges. A preset pointed at one of them renders no labels for it.
 */
export const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/**
 * Labels for a namespace whose every pod meets `level`: `enforce` rejects other pods, `warn` makes
 * `kubectl apply` of a non-compliant Deployment say so at once (enforce alone only shows up later,
 * as ReplicaSet events). Empty for a system namespace.
 */
export function podSecurityLabels(namespace: string, level: 'restricted' | 'baseline'): Record<string, string> | undefined {
  if (SYSTEM_NAMESPACES.has(namespace)) return undefined;
  return { 'pod-security.kubernetes.io/enforce': level, 'pod-security.kubernetes.io/warn': level };
}
