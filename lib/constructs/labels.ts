/** Labels and annotation keys jcrkit puts on what it renders. */
import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { SYSTEM_NAMESPACES } from './pod-security';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'jcrkit' } as const;
export const PART_OF_REFRESHER = { 'app.kubernetes.io/name': 'jcrkit-token-refresher', ...MANAGED_BY } as const;
export const ANNOTATION_PREFIX = 'jcrkit.io/';

export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
export const PART_OF_VALUE = 'jcrkit';

/**
 * The identity of a rendered stack (recommended labels,
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/): every object
 * jcrkit renders carries them in its metadata, so `-l app.kubernetes.io/part-of=jcrkit,
 * app.kubernetes.io/instance=<instance>` selects exactly the rendered objects of one instance,
 * which is what pruning needs. What the refresher writes in the cluster (the pull Secrets) and the
 * bootstrap Secret carry only `managed-by`, so no prune with that selector can delete them.
 *
 * They are set last (applyIdentity) and win over a construct's own value: Headlamp's objects carry
 * the chart's `app.kubernetes.io/instance: headlamp` (the Helm release name), a role the stack's
 * instance plays here.
 *
 * Metadata only: pod templates and selectors keep their labels (Headlamp's selector keeps
 * `instance: headlamp`). A Deployment's selector is immutable, a new template label would restart
 * every pod for nothing, and Pods, ReplicaSets and Jobs are controller-owned copies a pruner must
 * never take for rendered objects (kubectl's default prune allowlist includes all three).
 */
export function identityLabels(instance: string): Record<string, string> {
  return { ...MANAGED_BY, [PART_OF_LABEL]: PART_OF_VALUE, [INSTANCE_LABEL]: instance };
}

/**
 * Sets the identity labels on every object below `scope` (metadata only; see identityLabels). A
 * system Namespace a preset renders (dashboard.namespace: kube-system) exists in every cluster and
 * is never jcrkit's: it gets no labels, so no prune by the stack's selector ever tries to delete it
 * (the API server refuses default, kube-system and kube-public, but not kube-node-lease).
 */
export function applyIdentity(scope: IConstruct, instance: string): void {
  const labels = identityLabels(instance);
  for (const c of scope.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    if (c.kind === 'Namespace' && SYSTEM_NAMESPACES.has(c.name)) continue;
    for (const [k, v] of Object.entries(labels)) c.metadata.addLabel(k, v);
  }
}
