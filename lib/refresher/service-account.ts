/**
 * Adds the pull Secret to a ServiceAccount's imagePullSecrets without touching the other entries.
 *
 * ServiceAccount.imagePullSecrets has no patch merge key (list-type atomic), so a strategic-merge
 * patch — the runbook's `kubectl patch serviceaccount default -p '{"imagePullSecrets":[...]}'` —
 * REPLACES the list and drops everyone else's entries. Instead: read, then send a JSON patch that
 * appends one element, guarded by a `test` op on what we read. If the SA changed in between the
 * server answers 422 (a failed test, patch.go) and we re-read and try again.
 *
 * RBAC this needs: serviceaccounts get, patch (resourceNames: [the SA names]). No update, no create:
 * a missing ServiceAccount is reported, not created.
 */
import type { KubeClient } from '../kube/client';
import { isKubeApiError } from '../kube/errors';
import type { JsonPatchOperation, ServiceAccount } from '../kube/types';
import { FIELD_MANAGER } from './pull-secret';

export type ServiceAccountAction = 'added' | 'present' | 'missing';

export interface EnsureOptions {
  maxAttempts?: number;
  /** server-side dry run of the patch */
  dryRun?: boolean;
  /** wraps every request, e.g. retrying transient errors */
  retry?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export async function ensureImagePullSecret(kube: KubeClient, namespace: string, serviceAccount: string, secretName: string, opts: EnsureOptions = {}): Promise<ServiceAccountAction> {
  const maxAttempts = opts.maxAttempts ?? 5;
  const send = opts.retry ?? (<T>(fn: () => Promise<T>) => fn());
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let sa: ServiceAccount;
    try {
      sa = await send(() => kube.get('serviceaccounts', namespace, serviceAccount));
    } catch (err) {
      if (isKubeApiError(err, 'NotFound')) return 'missing';
      throw err;
    }
    if (sa.imagePullSecrets?.some((r) => r?.name === secretName)) return 'present';
    try {
      await send(() => kube.patch('serviceaccounts', namespace, serviceAccount, appendPatch(sa, secretName), 'json', { fieldManager: FIELD_MANAGER, dryRun: opts.dryRun }));
      return 'added';
    } catch (err) {
      // Invalid = our test op failed (the list or the object changed); Conflict for good measure
      if (isKubeApiError(err, 'Invalid') || isKubeApiError(err, 'Conflict')) continue;
      if (isKubeApiError(err, 'NotFound')) return 'missing';
      throw err;
    }
  }
  throw new Error(`ServiceAccount ${namespace}/${serviceAccount} kept changing under us: ${maxAttempts} attempts; try again`);
}

/** The guarded append: test the exact list we read, then add to its end. */
export function appendPatch(sa: ServiceAccount, secretName: string): JsonPatchOperation[] {
  if (Array.isArray(sa.imagePullSecrets)) {
    return [
      { op: 'test', path: '/imagePullSecrets', value: sa.imagePullSecrets },
      { op: 'add', path: '/imagePullSecrets/-', value: { name: secretName } },
    ];
  }
  // no list yet: `add` would replace one that appeared meanwhile, so pin the whole object version
  return [
    { op: 'test', path: '/metadata/resourceVersion', value: sa.metadata?.resourceVersion ?? '' },
    { op: 'add', path: '/imagePullSecrets', value: [{ name: secretName }] },
  ];
}
